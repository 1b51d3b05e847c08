import Domain
import Foundation

/// The OpenAPI 3.1 description of `/api/v1` and `/healthz`. Tests check it against the registered routes and
/// against what the handlers return, so it cannot drift from them.
enum OpenAPIDocument {
    static let json: Data = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        // The document is built from literals; encoding it cannot fail.
        return (try? encoder.encode(document)) ?? Data("{}".utf8)
    }()

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func nullable(_ type: String) -> JSONValue { ["type": [.string(type), "null"]] }
    static func nullableRef(_ name: String) -> JSONValue { ["oneOf": [ref(name), ["type": "null"]]] }

    static func queryParameter(_ name: String, _ description: String, schema: JSONValue) -> JSONValue {
        [
            "name": .string(name), "in": "query", "required": false, "description": .string(description),
            "schema": schema,
        ]
    }

    static func jsonResponse(_ description: String, _ schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    static let errorResponse: JSONValue = jsonResponse(
        "The request cannot be answered; `reason` says why.", ref("Error"))

    /// Routes that need a signed-in caller: a personal API token (or, for GET, the browser's session cookie).
    static let signedIn: JSONValue = [["bearerAuth": []], ["sessionCookie": []]]

    static let signInResponses: [String: JSONValue] = [
        "401": jsonResponse("No valid credentials: send Authorization: Bearer <token>.", ref("Error")),
        "403": jsonResponse(
            "The caller may not see this, or the token's scope does not allow the method.", ref("Error")),
    ]

    /// Two sets of responses as one object, ordered by status code.
    static func merging(_ a: [String: JSONValue], _ b: [String: JSONValue]) -> JSONValue {
        .object(a.merging(b) { x, _ in x }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Free text from a query string: no control characters (`BoundedInput.hasControlCharacters` refuses them
    /// with a 400), so a client knows a NUL byte or a line break is not a valid filter.
    static func plainText(maxLength: Int? = nil) -> JSONValue {
        var schema: [(String, JSONValue)] = [
            ("type", "string"), ("pattern", .string(#"^[^\u0000-\u001F\u007F-\u009F\u2028\u2029]*$"#)),
        ]
        if let maxLength { schema.append(("maxLength", .number(Double(maxLength)))) }
        return .object(schema)
    }

    static let schoolListParameters: [JSONValue] = [
        queryParameter(
            "q", "School name words, a postcode (or its start), or a URN.", schema: plainText(maxLength: 200)),
        queryParameter("la", "Local authority: GSS code (E10000016) or DfE number (886).", schema: plainText()),
        queryParameter("district", "Local authority district, by ONS code (E07000105).", schema: plainText()),
        queryParameter(
            "phase", "Phase of education (empty: any).",
            schema: ["type": "string", "enum": .array([""] + Phase.allCases.map { .string($0.rawValue) })]),
        queryParameter(
            "itt_lead_school", "Only ITT lead schools (true) or only others (false); empty for either.",
            schema: ["type": "string", "enum": ["", "true", "false", "1", "0", "yes", "no", "on"]]),
        queryParameter(
            "status", "open (the default: open, or open but proposed to close), closed, or all.",
            schema: ["type": "string", "enum": ["", "open", "closed", "all"], "default": "open"]),
        queryParameter(
            "page", "Page number, from 1.",
            schema: [
                "type": "integer", "minimum": 1, "maximum": .number(Double(SchoolQuery.maximumPage)), "default": 1,
            ]),
        queryParameter(
            "per_page", "Schools per page.",
            schema: [
                "type": "integer", "minimum": 1, "maximum": .number(Double(SchoolQuery.maximumPerPage)),
                "default": .number(Double(SchoolQuery.defaultPerPage)),
            ]),
    ]

    static let document: JSONValue = [
        "openapi": "3.1.0",
        "info": [
            "title": "Chalkface API",
            "version": "1.0.0",
            "description":
                "Schools and organisations of a teacher recruitment and retention partnership. School data: GIAS (DfE), Open Government Licence v3.0.",
            "license": [
                "name": "Open Government Licence v3.0",
                "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            ],
        ],
        "paths": [
            "/api/v1/schools": [
                "get": [
                    "operationId": "listSchools",
                    "summary": "Schools matching a search and filters, a page at a time, ordered by name then URN.",
                    "parameters": .array(schoolListParameters),
                    "responses": [
                        "200": jsonResponse("A page of schools with the total across all pages.", ref("SchoolPage")),
                        "400": errorResponse,
                    ],
                ]
            ],
            "/api/v1/schools/{urn}": [
                "get": [
                    "operationId": "getSchool",
                    "summary": "One school by URN.",
                    "parameters": [
                        ["name": "urn", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 1]]
                    ],
                    "responses": [
                        "200": jsonResponse("The school.", ref("School")),
                        "404": errorResponse,
                    ],
                ]
            ],
            "/api/v1/organisations": [
                "get": [
                    "operationId": "listOrganisations",
                    "summary": "Organisations, ordered by kind then name, with the partnerships they belong to.",
                    "parameters": [
                        queryParameter(
                            "kind", "Only organisations of this kind (empty: every kind).",
                            schema: [
                                "type": "string",
                                "enum": .array([""] + OrganisationKind.allCases.map { .string($0.rawValue) }),
                            ])
                    ],
                    "responses": [
                        "200": jsonResponse("All matching organisations.", ref("OrganisationList")),
                        "400": errorResponse,
                    ],
                ]
            ],
            "/api/v1/me": [
                "get": [
                    "operationId": "getMe",
                    "summary": "The caller and their memberships of organisations. The read is audited.",
                    "security": signedIn,
                    "responses": merging(
                        ["200": jsonResponse("The signed-in person.", ref("Person"))], signInResponses),
                ]
            ],
            "/api/v1/me/export": [
                "get": [
                    "operationId": "exportMyData",
                    "summary": "Everything Chalkface holds about the caller (subject access), as a JSON attachment.",
                    "security": signedIn,
                    "responses": merging(
                        ["200": jsonResponse("The caller's data.", ref("PersonalDataExport"))], signInResponses),
                ]
            ],
            "/api/v1/people": [
                "get": [
                    "operationId": "listPeople",
                    "summary":
                        "People the caller may see individually (provider and school staff: their organisations'; coordinators: everyone when the partnership shares individual records), with counts by organisation and role. For coordinators, staff only.",
                    "security": signedIn,
                    "responses": merging(
                        ["200": jsonResponse("People and counts.", ref("PeopleList"))], signInResponses),
                ]
            ],
            "/api/v1/people/{id}": [
                "get": [
                    "operationId": "getPerson",
                    "summary": "One person's record, if the caller may see it. The read is audited.",
                    "security": signedIn,
                    "parameters": [
                        ["name": "id", "in": "path", "required": true, "schema": ["type": "string", "format": "uuid"]]
                    ],
                    "responses": merging(
                        ["200": jsonResponse("The person.", ref("Person")), "404": errorResponse], signInResponses),
                ]
            ],
            "/api/v1/cpd": [
                "get": [
                    "operationId": "listCPD",
                    "summary":
                        "The CPD catalogue: every programme with its cohorts, sessions (UK local times) and places left. Public; enrolments are not included.",
                    "responses": ["200": jsonResponse("The catalogue.", ref("CPDCatalogue"))],
                ]
            ],
            "/api/v1/cpd/enrolments": [
                "get": [
                    "operationId": "listCPDEnrolments",
                    "summary":
                        "CPD enrolments the caller may see, with counts by status: a teacher's or mentor's own; a provider's staff those on the programmes their organisation manages; coordinators every enrolment when the partnership shares individual records, otherwise counts only. Reads are audited.",
                    "security": signedIn,
                    "responses": merging(
                        ["200": jsonResponse("Enrolments and counts.", ref("CPDEnrolmentList"))], signInResponses),
                ]
            ],
            "/api/v1/experience": [
                "get": [
                    "operationId": "listExperienceDates",
                    "summary":
                        "School-experience dates from today on, as /experience finds them: near a postcode (nearest first, within a distance), by subject and phase. A search near a postcode that finds no date with places left is recorded, without who asked, as unmet demand. Public.",
                    "parameters": [
                        queryParameter(
                            "postcode",
                            "Search near this postcode; one the postcode directory does not hold is a 404.",
                            schema: [
                                "type": "string",
                                "pattern": "^(?:[A-Za-z][A-Za-z]?[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2})?$",
                            ]),
                        queryParameter(
                            "within", "With a postcode: the furthest, in km (straight line), 1 to 200; default 25.",
                            schema: ["type": "number", "minimum": 1, "maximum": 200]),
                        queryParameter(
                            "subject", "Only dates for this subject (or any subject); empty for every subject.",
                            schema: [
                                "type": "string",
                                "enum": .array([""] + TeachingSubject.allCases.map { .string($0.rawValue) }),
                            ]),
                        queryParameter(
                            "phase", "Only dates in this phase; empty for every phase.",
                            schema: [
                                "type": "string", "enum": .array([""] + CPDPhase.allCases.map { .string($0.rawValue) }),
                            ]),
                    ],
                    "responses": [
                        "200": jsonResponse("The matching dates.", ref("ExperienceDateList")), "400": errorResponse,
                        "404": jsonResponse("The postcode directory does not hold the postcode.", ref("Error")),
                    ],
                ]
            ],
            "/api/v1/events": [
                "get": [
                    "operationId": "listRecruitmentEvents",
                    "summary":
                        "Recruitment events from today on (train-to-teach evenings, open days, online sessions, application workshops), with places left. Public; registrations are not included.",
                    "parameters": [
                        queryParameter(
                            "kind", "Only events of this kind; empty for every kind.",
                            schema: [
                                "type": "string",
                                "enum": .array([""] + RecruitmentEventKind.allCases.map { .string($0.rawValue) }),
                            ])
                    ],
                    "responses": [
                        "200": jsonResponse("The events.", ref("RecruitmentEventList")), "400": errorResponse,
                    ],
                ]
            ],
            "/api/v1/applications/funnel": [
                "get": [
                    "operationId": "getApplicationFunnel",
                    "summary":
                        "The application funnel of a recruitment cycle, as /applications shows it: a column for each provider the caller may see (a provider's staff their own; coordinators every provider holding choices, or the one asked for), then the partnership's. Counts of 1 to 9 outside the caller's own provider, and shares over fewer than 10, are left out.",
                    "security": signedIn,
                    "parameters": [
                        queryParameter(
                            "cycle", "Apply's recruitment cycle year (default: the latest held).",
                            schema: ["type": "integer", "minimum": 2000, "maximum": 2100]),
                        queryParameter(
                            "subject", "Only this subject.",
                            schema: [
                                "type": "string", "enum": .array(PlacementSubject.allCases.map { .string($0.key) }),
                            ]),
                        queryParameter(
                            "route", "Only this route.",
                            schema: [
                                "type": "string", "enum": .array(TrainingRoute.allCases.map { .string($0.rawValue) }),
                            ]),
                        queryParameter(
                            "provider", "Only this provider (coordinators).",
                            schema: ["type": "string", "format": "uuid"]),
                    ],
                    "responses": merging(
                        ["200": jsonResponse("The funnel.", ref("ApplicationFunnel")), "400": errorResponse],
                        signInResponses),
                ]
            ],
            "/api/v1/teachers": [
                "get": [
                    "operationId": "listTeachers",
                    "summary":
                        "Teachers in the register the caller may see individually, with their periods at schools, 100 a page by name: school staff their schools' staff, provider staff the teachers they trained, coordinators everyone when the partnership shares individual records (otherwise only the total). Staff only; the read is audited.",
                    "security": signedIn,
                    "parameters": [
                        queryParameter(
                            "page", "Page number, from 1.",
                            schema: ["type": "integer", "minimum": 1, "maximum": 100_000, "default": 1])
                    ],
                    "responses": merging(
                        ["200": jsonResponse("A page of teachers.", ref("TeacherList")), "400": errorResponse],
                        signInResponses),
                ]
            ],
            "/api/v1/retention": [
                "get": [
                    "operationId": "getRetention",
                    "summary":
                        "Kaplan-Meier retention at whole years 1 to 10 by a grouping, as the retention page shows it, with the log-rank test: the partnership for coordinators, a provider's former trainees, a school's own staff (time at the school). Estimates resting on fewer than 10 people at risk are left out. Staff only.",
                    "security": signedIn,
                    "parameters": [
                        queryParameter(
                            "by", "What to compare (default cohort).",
                            schema: [
                                "type": "string",
                                "enum": .array([""] + Retention.Dimension.allCases.map { .string($0.rawValue) }),
                            ])
                    ],
                    "responses": merging(
                        ["200": jsonResponse("The retention figures.", ref("Retention")), "400": errorResponse],
                        signInResponses),
                ]
            ],
            "/api/v1/ects/suggestions": [
                "get": [
                    "operationId": "getMySuggestions",
                    "summary":
                        "The caller's areas to develop this term (from their own and their mentor's Early Career Framework profiles) and the catalogue's programmes suggested for them, ranked, each with its reason, as /ects/development shows them. Early-career teachers in the register (teachers and mentors); others get early_career false and empty lists.",
                    "security": signedIn,
                    "responses": merging(
                        ["200": jsonResponse("The suggestions.", ref("SuggestionList"))], signInResponses),
                ]
            ],
            "/api/v1/ects/development-areas": [
                "get": [
                    "operationId": "getDevelopmentAreas",
                    "summary":
                        "This term's Early Career Framework areas to develop across the region's ECTs against the catalogue's programmes and places still to come, with take-up from suggestions, as /ects/development/areas shows them. Counts of 1 to 9 teachers, and shares resting on them, are null. Coordinators only.",
                    "security": signedIn,
                    "responses": merging(
                        ["200": jsonResponse("The areas.", ref("DevelopmentAreas"))], signInResponses),
                ]
            ],
            "/api/v1/ects/peer-groups": [
                "get": [
                    "operationId": "listPeerGroups",
                    "summary":
                        "This term's early-career peer groups with their meeting school and each member's school and straight-line distance to it; members' register ids only where the partnership shares individual records with coordinators. Coordinators only.",
                    "security": signedIn,
                    "responses": merging(
                        ["200": jsonResponse("The groups.", ref("PeerGroupList"))], signInResponses),
                ]
            ],
            "/api/v1/specialists": [
                "get": [
                    "operationId": "getSpecialistTeaching",
                    "summary":
                        "The share of each subject's weekly hours taught by specialists (a relevant post-A-level qualification; for combined science any of biology, chemistry or physics), from the schools' curriculum deployment, as /specialists shows it: the partnership's totals, each school's (coordinators and provider staff every school, school staff their own) and DfE's national shares. A share is absent under 10 hours.",
                    "security": signedIn,
                    "responses": merging(
                        ["200": jsonResponse("The figures.", ref("SpecialistTeaching"))], signInResponses),
                ]
            ],
            "/api/v1/vacancies": [
                "get": [
                    "operationId": "listVacancies",
                    "summary":
                        "Maths and science vacancies with the fields of DfE's Teaching Vacancies and how many candidates recruitment partners referred (never the candidates): coordinators and provider staff every open vacancy in the partnership, school staff all of their own schools' vacancies, closed ones with their outcome.",
                    "security": signedIn,
                    "responses": merging(
                        ["200": jsonResponse("The vacancies, newest first.", ref("VacancyList"))], signInResponses),
                ]
            ],
            "/api/v1/internships": [
                "get": [
                    "operationId": "listInternshipOffers",
                    "summary":
                        "The undergraduate internship places schools offer for a summer (default the coming one). Places are not personal data: anyone signed in.",
                    "security": signedIn,
                    "parameters": [
                        queryParameter(
                            "year", "The summer, a calendar year such as 2027.",
                            schema: ["type": "integer", "minimum": 2000, "maximum": 2100])
                    ],
                    "responses": merging(
                        [
                            "200": jsonResponse("The places.", ref("InternshipOfferList")),
                            "400": jsonResponse("The year is not a calendar year.", ref("Error")),
                        ], signInResponses),
                ]
            ],
            "/api/v1/openapi.json": [
                "get": [
                    "operationId": "getOpenAPIDocument",
                    "summary": "This document.",
                    "responses": ["200": jsonResponse("The OpenAPI 3.1 document.", ["type": "object"])],
                ]
            ],
            "/healthz": [
                "get": [
                    "operationId": "health",
                    "summary": "Whether the service and its database answer.",
                    "responses": [
                        "200": jsonResponse("Healthy.", ref("Health")),
                        "500": errorResponse,
                    ],
                ]
            ],
        ],
        "components": [
            "securitySchemes": [
                "bearerAuth": [
                    "type": "http", "scheme": "bearer",
                    "description":
                        "A personal API token (cf_...), created on the Your account page. Read-only tokens may use GET only; tokens expire and can be revoked.",
                ],
                "sessionCookie": [
                    "type": "apiKey", "in": "cookie", "name": "chalkface_session",
                    "description": "The browser's signed-in session. Accepted for GET only.",
                ],
            ],
            "schemas": [
                "Membership": [
                    "type": "object",
                    "required": ["id", "organisation_id", "organisation_name", "organisation_kind", "role", "since"],
                    "properties": [
                        "id": ["type": "string", "format": "uuid"],
                        "organisation_id": ["type": "string", "format": "uuid"],
                        "organisation_name": ["type": "string"],
                        "organisation_kind": [
                            "type": "string", "enum": .array(OrganisationKind.allCases.map { .string($0.rawValue) }),
                        ],
                        "role": ["type": "string", "enum": .array(Role.allCases.map { .string($0.rawValue) })],
                        "since": ["type": "string", "format": "date-time"],
                    ],
                    "additionalProperties": false,
                ],
                "Person": [
                    "type": "object", "required": ["id", "name", "email", "status", "created_at", "memberships"],
                    "properties": [
                        "id": ["type": "string", "format": "uuid"],
                        "name": ["type": "string"],
                        "email": ["type": "string"],
                        "status": ["type": "string", "enum": ["active", "invited", "deactivated", "erased"]],
                        "created_at": ["type": "string", "format": "date-time"],
                        "last_sign_in_at": ["type": "string", "format": "date-time"],
                        "memberships": ["type": "array", "items": ref("Membership")],
                    ],
                    "additionalProperties": false,
                ],
                "PeopleCount": [
                    "type": "object", "required": ["organisation_id", "organisation_name", "role", "people"],
                    "properties": [
                        "organisation_id": ["type": "string", "format": "uuid"],
                        "organisation_name": ["type": "string"],
                        "role": ["type": "string"],
                        "people": ["type": "integer"],
                    ],
                    "additionalProperties": false,
                ],
                "TeacherPeriod": [
                    "type": "object", "required": ["urn", "role", "working_pattern", "fte", "started_on"],
                    "properties": [
                        "urn": ["type": "integer"],
                        "role": ["type": "string", "enum": .array(StaffRole.allCases.map { .string($0.rawValue) })],
                        "working_pattern": [
                            "type": "string", "enum": .array(WorkingPattern.allCases.map { .string($0.rawValue) }),
                        ],
                        "fte": ["type": "number", "exclusiveMinimum": 0, "maximum": 1],
                        "started_on": ["type": "string", "format": "date"],
                        "finished_on": ["type": "string", "format": "date"],
                        "end_reason": [
                            "type": "string", "enum": .array(EndReason.allCases.map { .string($0.rawValue) }),
                        ],
                    ],
                    "additionalProperties": false,
                ],
                "Teacher": [
                    "type": "object", "required": ["id", "first_name", "last_name", "specialisms", "periods"],
                    "properties": [
                        "id": ["type": "string", "format": "uuid"],
                        "trn": ["type": "string", "pattern": "^[0-9]{7}$"],
                        "first_name": ["type": "string"],
                        "last_name": ["type": "string"],
                        "birth_year": ["type": "integer"],
                        "qts_on": ["type": "string", "format": "date"],
                        "itt_provider": ["type": "string"],
                        "route": ["type": "string"],
                        "specialisms": [
                            "type": "array",
                            "items": [
                                "type": "string", "enum": .array(TeachingSubject.allCases.map { .string($0.rawValue) }),
                            ],
                        ],
                        "periods": ["type": "array", "items": ref("TeacherPeriod")],
                    ],
                    "additionalProperties": false,
                ],
                "TeacherList": [
                    "type": "object", "required": ["items", "total", "page", "per_page", "aggregates_only"],
                    "properties": [
                        "items": ["type": "array", "items": ref("Teacher")],
                        "total": ["type": "integer"],
                        "page": ["type": "integer"],
                        "per_page": ["type": "integer"],
                        "aggregates_only": [
                            "type": "boolean",
                            "description":
                                "True when the caller may see only the total (a coordinator of a partnership that shares aggregates only).",
                        ],
                    ],
                    "additionalProperties": false,
                ],
                "RetentionPoint": [
                    "type": "object", "required": ["t", "at_risk", "events", "censored"],
                    "properties": [
                        "t": ["type": "integer"], "at_risk": ["type": "integer"], "events": ["type": "integer"],
                        "censored": ["type": "integer"],
                        "survival": ["type": "number", "minimum": 0, "maximum": 1],
                        "ci_lower_95": ["type": "number", "minimum": 0, "maximum": 1],
                        "ci_upper_95": ["type": "number", "minimum": 0, "maximum": 1],
                    ],
                    "additionalProperties": false,
                ],
                "RetentionGroup": [
                    "type": "object", "required": ["label", "people", "left", "points"],
                    "properties": [
                        "label": ["type": "string"], "people": ["type": "integer"], "left": ["type": "integer"],
                        "points": ["type": "array", "items": ref("RetentionPoint")],
                    ],
                    "additionalProperties": false,
                ],
                "LogRank": [
                    "type": "object", "required": ["statistic", "degrees_of_freedom", "p_value"],
                    "properties": [
                        "statistic": ["type": "number"], "degrees_of_freedom": ["type": "integer"],
                        "p_value": ["type": "number"],
                    ],
                    "additionalProperties": false,
                ],
                "SuggestionList": [
                    "type": "object", "required": ["early_career", "needs", "suggestions"],
                    "properties": [
                        "early_career": ["type": "boolean"],
                        "needs": ["type": "array", "items": ref("DevelopmentNeed")],
                        "suggestions": ["type": "array", "items": ref("Suggestion")],
                    ],
                    "additionalProperties": false,
                ],
                "DevelopmentNeed": [
                    "type": "object", "required": ["area", "weight"],
                    "properties": [
                        "area": ["type": "string", "enum": .array(ECFArea.allCases.map { .string($0.rawValue) })],
                        "own": ["type": "integer", "minimum": 1, "maximum": 4],
                        "mentor": ["type": "integer", "minimum": 1, "maximum": 4],
                        "weight": ["type": "number"],
                    ],
                    "additionalProperties": false,
                ],
                "Suggestion": [
                    "type": "object",
                    "required": ["programme_id", "cohort_id", "title", "provider", "areas", "score", "reason"],
                    "properties": [
                        "programme_id": ["type": "string", "format": "uuid"],
                        "cohort_id": ["type": "string", "format": "uuid"],
                        "title": ["type": "string"], "provider": ["type": "string"],
                        "starts_on": ["type": "string", "format": "date"],
                        "distance_km": ["type": "number", "description": "Absent for online programmes."],
                        "areas": ["type": "array", "items": ["type": "string"]],
                        "score": ["type": "number"], "reason": ["type": "string"],
                    ],
                    "additionalProperties": false,
                ],
                "DevelopmentAreas": [
                    "type": "object",
                    "required": ["academic_year", "term", "ects", "areas", "taken_up", "accepted"],
                    "properties": [
                        "academic_year": ["type": "string"], "term": ["type": "string"], "ects": ["type": "integer"],
                        "profiled": ["type": "integer", "description": "Absent when 1 to 9."],
                        "areas": ["type": "array", "items": ref("DevelopmentArea")],
                        "taken_up": ["type": "integer"], "accepted": ["type": "integer"],
                    ],
                    "additionalProperties": false,
                ],
                "DevelopmentArea": [
                    "type": "object", "required": ["area", "programmes", "places", "taken_up"],
                    "properties": [
                        "area": ["type": "string", "enum": .array(ECFArea.allCases.map { .string($0.rawValue) })],
                        "ects": ["type": "integer", "description": "Absent when 1 to 9."],
                        "share": ["type": "number", "description": "Absent when it rests on fewer than 10."],
                        "programmes": ["type": "integer"], "places": ["type": "integer"],
                        "taken_up": ["type": "integer"],
                    ],
                    "additionalProperties": false,
                ],
                "VacancyList": [
                    "type": "object", "required": ["vacancies"],
                    "properties": [
                        "vacancies": [
                            "type": "array",
                            "items": [
                                "type": "object",
                                "required": [
                                    "id", "urn", "job_title", "subjects", "key_stages", "working_pattern", "contract",
                                    "salary", "posted_on", "closes_on", "referrals",
                                ],
                                "properties": [
                                    "id": ["type": "string", "format": "uuid"], "urn": ["type": "integer"],
                                    "job_title": ["type": "string"],
                                    "subjects": [
                                        "type": "array",
                                        "items": [
                                            "type": "string",
                                            "enum": .array(Vacancy.subjects.map { .string($0.rawValue) }),
                                        ],
                                    ],
                                    "key_stages": [
                                        "type": "array",
                                        "items": [
                                            "type": "string",
                                            "enum": .array(Vacancy.KeyStage.allCases.map { .string($0.rawValue) }),
                                        ],
                                    ],
                                    "working_pattern": [
                                        "type": "string",
                                        "enum": .array(WorkingPattern.allCases.map { .string($0.rawValue) }),
                                    ],
                                    "contract": [
                                        "type": "string",
                                        "enum": .array(Vacancy.Contract.allCases.map { .string($0.rawValue) }),
                                    ],
                                    "salary": ["type": "string"],
                                    "starts_on": ["type": "string", "format": "date"],
                                    "posted_on": ["type": "string", "format": "date"],
                                    "closes_on": ["type": "string", "format": "date"],
                                    "closed_on": ["type": "string", "format": "date"],
                                    "outcome": [
                                        "type": "string",
                                        "enum": .array(Vacancy.Outcome.allCases.map { .string($0.rawValue) }),
                                    ],
                                    "referrals": ["type": "integer", "minimum": 0],
                                ],
                                "additionalProperties": false,
                            ],
                        ]
                    ],
                    "additionalProperties": false,
                ],
                "InternshipOfferList": [
                    "type": "object", "required": ["year", "offers"],
                    "properties": [
                        "year": ["type": "integer"],
                        "offers": [
                            "type": "array",
                            "items": [
                                "type": "object",
                                "required": [
                                    "id", "urn", "subject", "starts_on", "ends_on", "weeks", "places", "details",
                                ],
                                "properties": [
                                    "id": ["type": "string", "format": "uuid"], "urn": ["type": "integer"],
                                    "subject": [
                                        "type": "string",
                                        "enum": .array(TeachingSubject.allCases.map { .string($0.rawValue) }),
                                    ],
                                    "starts_on": ["type": "string", "format": "date"],
                                    "ends_on": ["type": "string", "format": "date"],
                                    "weeks": ["type": "integer", "minimum": 1],
                                    "places": ["type": "integer", "minimum": 1],
                                    "details": ["type": "string"],
                                ],
                                "additionalProperties": false,
                            ],
                        ],
                    ],
                    "additionalProperties": false,
                ],
                "SpecialistTeaching": [
                    "type": "object", "required": ["national_year", "national", "partnership", "schools"],
                    "properties": [
                        "national_year": ["type": "string"],
                        "national": [
                            "type": "array",
                            "items": [
                                "type": "object", "required": ["subject", "share"],
                                "properties": [
                                    "subject": [
                                        "type": "string",
                                        "enum": .array(TeachingSubject.allCases.map { .string($0.rawValue) }),
                                    ],
                                    "share": ["type": "number"],
                                ],
                                "additionalProperties": false,
                            ],
                        ],
                        "partnership": ["type": "array", "items": ref("SpecialistSubject")],
                        "schools": [
                            "type": "array",
                            "items": [
                                "type": "object", "required": ["urn", "subjects"],
                                "properties": [
                                    "urn": ["type": "integer"],
                                    "subjects": ["type": "array", "items": ref("SpecialistSubject")],
                                ],
                                "additionalProperties": false,
                            ],
                        ],
                    ],
                    "additionalProperties": false,
                ],
                "SpecialistSubject": [
                    "type": "object", "required": ["subject", "hours", "specialist_hours"],
                    "properties": [
                        "subject": [
                            "type": "string", "enum": .array(TeachingSubject.allCases.map { .string($0.rawValue) }),
                        ],
                        "hours": ["type": "number"], "specialist_hours": ["type": "number"],
                        "share": ["type": "number", "description": "Absent under 10 hours."],
                    ],
                    "additionalProperties": false,
                ],
                "PeerGroupList": [
                    "type": "object", "required": ["academic_year", "term", "groups"],
                    "properties": [
                        "academic_year": ["type": "string"], "term": ["type": "string"],
                        "groups": ["type": "array", "items": ref("PeerGroup")],
                    ],
                    "additionalProperties": false,
                ],
                "PeerGroup": [
                    "type": "object", "required": ["number", "phase", "meeting_urn", "locked", "members"],
                    "properties": [
                        "number": ["type": "integer"], "phase": ["type": "string"], "meeting_urn": ["type": "integer"],
                        "locked": ["type": "boolean"],
                        "members": [
                            "type": "array",
                            "items": [
                                "type": "object", "required": ["urn", "distance_m"],
                                "properties": [
                                    "teacher_id": ["type": "string", "format": "uuid"], "urn": ["type": "integer"],
                                    "distance_m": ["type": "number"],
                                ],
                            ],
                        ],
                    ],
                    "additionalProperties": false,
                ],
                "Retention": [
                    "type": "object", "required": ["scope", "in_school", "by", "as_of", "groups"],
                    "properties": [
                        "scope": ["type": "string"], "in_school": ["type": "boolean"], "by": ["type": "string"],
                        "as_of": ["type": "string", "format": "date"],
                        "groups": ["type": "array", "items": ref("RetentionGroup")],
                        "logrank": ref("LogRank"),
                    ],
                    "additionalProperties": false,
                ],
                "PeopleList": [
                    "type": "object", "required": ["items", "total", "aggregates_only", "counts"],
                    "properties": [
                        "items": ["type": "array", "items": ref("Person")],
                        "total": ["type": "integer"],
                        "aggregates_only": [
                            "type": "boolean",
                            "description":
                                "True when the caller sees counts only (coordinators, aggregates-only sharing).",
                        ],
                        "counts": ["type": "array", "items": ref("PeopleCount")],
                    ],
                    "additionalProperties": false,
                ],
                "PersonalDataExport": [
                    "type": "object",
                    "required": [
                        "generated_at", "explanation", "person", "memberships", "api_tokens", "sessions", "audit_log",
                        "emails", "cpd_enrolments", "school_experience", "adviser_support", "event_registrations",
                    ],
                    "properties": [
                        "generated_at": ["type": "string", "format": "date-time"],
                        "explanation": ["type": "string"],
                        "person": ref("Person"),
                        "memberships": ["type": "array", "items": ["type": "object"]],
                        "api_tokens": ["type": "array", "items": ["type": "object"]],
                        "sessions": ["type": "array", "items": ["type": "object"]],
                        "audit_log": ["type": "array", "items": ["type": "object"]],
                        "emails": ["type": "array", "items": ["type": "object"]],
                        "teacher_record": [
                            "type": "object", "required": ["record", "timeline"],
                            "description": "The teacher-register record linked to the account, when there is one.",
                            "properties": [
                                "record": ref("Teacher"), "timeline": ["type": "array", "items": ["type": "object"]],
                                "research_engagement": [
                                    "type": "array", "items": ["type": "object"],
                                    "description": "Research engagement recorded on the record, with reflections.",
                                ],
                                "development_profiles": [
                                    "type": "array", "items": ["type": "object"],
                                    "description":
                                        "Early-career development profiles (Early Career Framework areas rated 1 to 4) by the teacher and their mentor.",
                                ],
                                "mentorships": [
                                    "type": "array", "items": ["type": "object"],
                                    "description": "Dated mentorships, as an early-career teacher and as a mentor.",
                                ],
                                "career_conversations": [
                                    "type": "array", "items": ["type": "object"],
                                    "description": "Career-planning conversations the teacher recorded.",
                                ],
                                "induction": [
                                    "type": "object",
                                    "description": "Statutory induction, when the school has recorded it.",
                                ],
                            ],
                        ],
                        "cpd_enrolments": ["type": "array", "items": ["type": "object"]],
                        "school_experience": ["type": "array", "items": ["type": "object"]],
                        "adviser_support": [
                            "type": "array", "items": ["type": "object"],
                            "description": "Requests for an adviser, with the eligibility check and contacts logged.",
                        ],
                        "event_registrations": [
                            "type": "array", "items": ["type": "object"],
                            "description": "Recruitment events registered for, with their status.",
                        ],
                    ],
                    "additionalProperties": false,
                ],
                "CodeName": [
                    "type": "object", "required": ["code", "name"],
                    "properties": ["code": ["type": "string"], "name": ["type": "string"]],
                ],
                "LocalAuthority": [
                    "type": "object", "required": ["code", "dfe_code", "name"],
                    "properties": [
                        "code": ["type": "string", "description": "ONS GSS code, e.g. E10000016."],
                        "dfe_code": ["type": "string", "description": "DfE three-digit LA number, e.g. 886."],
                        "name": ["type": "string"],
                    ],
                ],
                "School": [
                    "type": "object",
                    "required": ["urn", "name", "status", "phase", "phase_source", "itt_lead_school"],
                    "properties": [
                        "urn": ["type": "integer"],
                        "name": ["type": "string"],
                        "status": [
                            "type": "string", "enum": .array(SchoolStatus.allCases.map { .string($0.rawValue) }),
                        ],
                        "phase": ["type": "string", "enum": .array(Phase.allCases.map { .string($0.rawValue) })],
                        "phase_source": [
                            "type": "string", "enum": ["gias", "name"],
                            "description": "gias: official; name: guessed from the school's name.",
                        ],
                        "establishment_type": ["type": "string"],
                        "statutory_low_age": ["type": "integer"],
                        "statutory_high_age": ["type": "integer"],
                        "number_of_pupils": ["type": "integer"],
                        "open_date": ["type": "string", "format": "date"],
                        "close_date": ["type": "string", "format": "date"],
                        "town": ["type": "string"],
                        "postcode": ["type": "string"],
                        "easting": ["type": "number", "description": "British National Grid, metres."],
                        "northing": ["type": "number", "description": "British National Grid, metres."],
                        "latitude": ["type": "number", "description": "WGS84."],
                        "longitude": ["type": "number", "description": "WGS84."],
                        "local_authority": ref("LocalAuthority"),
                        "district": ref("CodeName"),
                        "region": ref("CodeName"),
                        "trust": ref("CodeName"),
                        "itt_lead_school": ["type": "boolean"],
                        "npq_pp50": ["type": "boolean"],
                        "npq_rise": ["type": "boolean"],
                        "npq_high_pupil_premium_2021_22": ["type": "boolean"],
                    ],
                    "additionalProperties": false,
                ],
                "SchoolPage": [
                    "type": "object", "required": ["items", "total", "page", "per_page", "page_count"],
                    "properties": [
                        "items": ["type": "array", "items": ref("School")],
                        "total": ["type": "integer", "description": "Schools matching, across all pages."],
                        "page": ["type": "integer"],
                        "per_page": ["type": "integer"],
                        "page_count": ["type": "integer"],
                    ],
                    "additionalProperties": false,
                ],
                "ApplicationFunnel": [
                    "type": "object", "required": ["cycles", "columns"],
                    "properties": [
                        "cycle": ["type": "integer"],
                        "cycles": ["type": "array", "items": ["type": "integer"]],
                        "columns": ["type": "array", "items": ref("ApplicationFunnelColumn")],
                    ],
                    "additionalProperties": false,
                ],
                "ApplicationFunnelColumn": [
                    "type": "object",
                    "required": [
                        "name", "choices", "candidates", "stages", "recruited_of_submitted", "outcomes", "median_days",
                        "withdrawal_reasons", "rejection_reasons",
                    ],
                    "properties": [
                        "name": ["type": "string"], "provider_id": ["type": "string", "format": "uuid"],
                        "choices": ["type": "integer", "minimum": 0], "candidates": ["type": "integer", "minimum": 0],
                        "stages": ["type": "array", "items": ref("ApplicationFunnelStage")],
                        "recruited_of_submitted": ref("Share"),
                        "outcomes": [
                            "type": "object", "description": "Choices by final state (Apply's status names).",
                            "additionalProperties": ["type": "integer", "minimum": 0],
                        ],
                        "median_days": [
                            "type": "object",
                            "description": "Median days in each state among choices that moved on; null under 10.",
                            "additionalProperties": nullable("number"),
                        ],
                        "withdrawal_reasons": [
                            "type": "object", "additionalProperties": ["type": "integer", "minimum": 0],
                        ],
                        "rejection_reasons": [
                            "type": "object", "additionalProperties": ["type": "integer", "minimum": 0],
                        ],
                    ],
                    "additionalProperties": false,
                ],
                "ApplicationFunnelStage": [
                    "type": "object", "required": ["stage"],
                    "properties": [
                        "stage": [
                            "type": "string",
                            "enum": .array(ApplicationFunnel.Stage.allCases.map { .string($0.rawValue) }),
                        ],
                        "reached": ["type": "integer", "minimum": 0],
                        "conversion_from": ["type": "string"],
                        "conversion": ref("Share"),
                    ],
                    "additionalProperties": false,
                ],
                "Share": [
                    "type": "object", "required": ["of"],
                    "description": "A count out of a group, with its share and 95% Wilson interval when shown.",
                    "properties": [
                        "count": ["type": "integer", "minimum": 0], "of": ["type": "integer", "minimum": 0],
                        "share": ["type": "number"], "lower": ["type": "number"], "upper": ["type": "number"],
                    ],
                    "additionalProperties": false,
                ],
                "CPDEnrolmentList": [
                    "type": "object", "required": ["scope", "counts", "enrolments"],
                    "properties": [
                        "scope": ["type": "string", "enum": ["own", "provider", "all", "counts"]],
                        "counts": [
                            "type": "object", "description": "Enrolments by status.",
                            "additionalProperties": ["type": "integer", "minimum": 0],
                        ],
                        "enrolments": ["type": "array", "items": ref("CPDEnrolment")],
                    ],
                    "additionalProperties": false,
                ],
                "CPDEnrolment": [
                    "type": "object",
                    "required": [
                        "id", "programme_id", "programme_title", "cohort_id", "person_id", "name", "status",
                        "sessions_attended", "requested_at", "updated_at",
                    ],
                    "properties": [
                        "id": ["type": "string", "format": "uuid"],
                        "programme_id": ["type": "string", "format": "uuid"],
                        "programme_title": ["type": "string"],
                        "cohort_id": ["type": "string", "format": "uuid"],
                        "cohort_starts": ["type": "string", "format": "date"],
                        "person_id": ["type": "string", "format": "uuid"],
                        "name": ["type": "string"], "urn": ["type": "integer"],
                        "status": [
                            "type": "string",
                            "enum": .array(CPDEnrolment.Status.allCases.map { .string($0.rawValue) }),
                        ],
                        "reason": ["type": "string"],
                        "sessions_attended": ["type": "array", "items": ["type": "integer", "minimum": 1]],
                        "requested_at": ["type": "string", "format": "date-time"],
                        "updated_at": ["type": "string", "format": "date-time"],
                    ],
                    "additionalProperties": false,
                ],
                "ExperienceDateList": [
                    "type": "object", "required": ["dates"],
                    "properties": ["dates": ["type": "array", "items": ref("ExperienceDate")]],
                    "additionalProperties": false,
                ],
                "ExperienceDate": [
                    "type": "object",
                    "required": [
                        "id", "urn", "school", "town", "date", "length", "phase", "places", "places_left",
                        "expectations", "dbs_policy", "access", "generated",
                    ],
                    "properties": [
                        "id": ["type": "string", "format": "uuid"], "urn": ["type": "integer"],
                        "school": ["type": "string"], "town": ["type": "string"],
                        "date": ["type": "string", "format": "date"],
                        "length": [
                            "type": "string", "enum": .array(ExperienceLength.allCases.map { .string($0.rawValue) }),
                        ],
                        "phase": ["type": "string", "enum": .array(CPDPhase.allCases.map { .string($0.rawValue) })],
                        "subject": [
                            "type": "string", "enum": .array(TeachingSubject.allCases.map { .string($0.rawValue) }),
                            "description": "Absent: any subject.",
                        ],
                        "places": ["type": "integer", "minimum": 0],
                        "places_left": ["type": "integer", "minimum": 0],
                        "expectations": ["type": "string"],
                        "dbs_policy": [
                            "type": "string", "enum": .array(DBSPolicy.allCases.map { .string($0.rawValue) }),
                        ],
                        "access": ["type": "string"],
                        "distance_km": [
                            "type": "number", "minimum": 0,
                            "description": "From the postcode searched from; absent without one.",
                        ],
                        "generated": ["type": "boolean", "description": "Demo data, not a real date."],
                    ],
                    "additionalProperties": false,
                ],
                "RecruitmentEventList": [
                    "type": "object", "required": ["events"],
                    "properties": ["events": ["type": "array", "items": ref("RecruitmentEvent")]],
                    "additionalProperties": false,
                ],
                "RecruitmentEvent": [
                    "type": "object",
                    "required": [
                        "id", "title", "kind", "organiser", "summary", "date", "start", "end", "venue", "capacity",
                        "places_left", "generated",
                    ],
                    "properties": [
                        "id": ["type": "string", "format": "uuid"], "title": ["type": "string"],
                        "kind": [
                            "type": "string",
                            "enum": .array(RecruitmentEventKind.allCases.map { .string($0.rawValue) }),
                        ],
                        "organiser": ["type": "string"], "summary": ["type": "string"],
                        "date": ["type": "string", "format": "date"],
                        "start": ["type": "string", "description": "UK local time, HH:MM."],
                        "end": ["type": "string", "description": "UK local time, HH:MM."],
                        "venue": ["type": "string"], "capacity": ["type": "integer", "minimum": 1],
                        "places_left": ["type": "integer", "minimum": 0],
                        "generated": ["type": "boolean", "description": "Demo data, not a real event."],
                    ],
                    "additionalProperties": false,
                ],
                "CPDCatalogue": [
                    "type": "object", "required": ["programmes"],
                    "properties": ["programmes": ["type": "array", "items": ref("CPDProgramme")]],
                    "additionalProperties": false,
                ],
                "CPDProgramme": [
                    "type": "object",
                    "required": [
                        "id", "provider", "title", "summary", "kind", "phases", "subjects", "stages", "format",
                        "cost_pounds", "outcomes", "generated", "cohorts",
                    ],
                    "properties": [
                        "id": ["type": "string", "format": "uuid"],
                        "provider": ["type": "string"], "title": ["type": "string"], "summary": ["type": "string"],
                        "kind": ["type": "string", "enum": .array(CPDKind.allCases.map { .string($0.rawValue) })],
                        "phases": [
                            "type": "array",
                            "items": [
                                "type": "string", "enum": .array(CPDPhase.allCases.map { .string($0.rawValue) }),
                            ],
                            "description": "Empty: every phase.",
                        ],
                        "subjects": [
                            "type": "array",
                            "items": [
                                "type": "string", "enum": .array(TeachingSubject.allCases.map { .string($0.rawValue) }),
                            ],
                            "description": "Empty: any subject.",
                        ],
                        "stages": [
                            "type": "array",
                            "items": [
                                "type": "string", "enum": .array(CareerStage.allCases.map { .string($0.rawValue) }),
                            ],
                            "description": "Empty: any career stage.",
                        ],
                        "format": ["type": "string", "enum": .array(CPDFormat.allCases.map { .string($0.rawValue) })],
                        "venue_urn": ["type": "integer", "description": "The school where in-person sessions meet."],
                        "cost_pounds": ["type": "integer", "minimum": 0],
                        "funded_by": ["type": "string"],
                        "outcomes": ["type": "string"],
                        "npq_course": ["type": "string", "description": "DfE's NPQ course identifier."],
                        "generated": ["type": "boolean", "description": "Generated for the demo partnership."],
                        "cohorts": ["type": "array", "items": ref("CPDCohort")],
                    ],
                    "additionalProperties": false,
                ],
                "CPDCohort": [
                    "type": "object", "required": ["id", "sessions", "places", "places_left"],
                    "properties": [
                        "id": ["type": "string", "format": "uuid"],
                        "sessions": [
                            "type": "array",
                            "items": [
                                "type": "object", "required": ["date", "start", "end"],
                                "properties": [
                                    "date": ["type": "string", "format": "date"], "start": ["type": "string"],
                                    "end": ["type": "string"],
                                ],
                                "additionalProperties": false,
                            ],
                        ],
                        "places": ["type": "integer", "minimum": 1],
                        "places_left": ["type": "integer", "minimum": 0],
                    ],
                    "additionalProperties": false,
                ],
                "Organisation": [
                    "type": "object", "required": ["id", "name", "kind", "school_count", "partnership_ids"],
                    "properties": [
                        "id": ["type": "string", "format": "uuid"],
                        "name": ["type": "string"],
                        "kind": [
                            "type": "string", "enum": .array(OrganisationKind.allCases.map { .string($0.rawValue) }),
                        ],
                        "urn": ["type": "integer", "description": "For a school: its URN."],
                        "local_authority_code": [
                            "type": "string", "description": "For a local authority: its GSS code.",
                        ],
                        "ukprn": ["type": "string"],
                        "website": ["type": "string"],
                        "school_count": [
                            "type": "integer", "description": "Schools that belong to it (a trust's schools).",
                        ],
                        "partnership_ids": ["type": "array", "items": ["type": "string", "format": "uuid"]],
                    ],
                    "additionalProperties": false,
                ],
                "OrganisationList": [
                    "type": "object", "required": ["items", "total"],
                    "properties": [
                        "items": ["type": "array", "items": ref("Organisation")], "total": ["type": "integer"],
                    ],
                    "additionalProperties": false,
                ],
                "Health": [
                    "type": "object", "required": ["status", "database"],
                    "properties": [
                        "status": ["type": "string", "enum": ["ok"]],
                        "database": ["type": "string", "enum": ["sqlite", "postgresql"]],
                    ],
                    "additionalProperties": false,
                ],
                "Error": [
                    "type": "object", "required": ["error", "reason"],
                    "properties": [
                        "error": ["type": "string"],
                        "reason": ["type": "string"],
                        "problems": [
                            "type": "array",
                            "items": [
                                "type": "object", "required": ["field", "message"],
                                "properties": ["field": ["type": "string"], "message": ["type": "string"]],
                            ],
                        ],
                    ],
                    "additionalProperties": false,
                ],
            ],
        ],
    ]
}

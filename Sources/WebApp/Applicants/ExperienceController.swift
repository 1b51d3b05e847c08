import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// School experience: candidates (applicants and undergraduates) search and request dates; a school's own staff
/// offer dates and answer requests.
struct ExperienceController: RouteCollection {
    static let candidates: Set<Role> = [.applicant, .undergraduate]

    func boot(routes: any RoutesBuilder) throws {
        routes.get("experience", access: .everyone, use: search)
        routes.get("experience", "requests", access: .anyRole(Self.candidates), use: mine)
        routes.post("experience", "requests", ":request", "withdraw", access: .anyRole(Self.candidates), use: withdraw)
        routes.get("experience", ":date", access: .everyone, use: detail)
        routes.post("experience", ":date", "request", access: .anyRole(Self.candidates), use: request)
        routes.get("schools", ":urn", "experience", access: .anyRole([.schoolStaff]), use: school)
        routes.post("schools", ":urn", "experience", access: .anyRole([.schoolStaff]), use: offer)
        routes.post(
            "schools", ":urn", "experience", "requests", ":request", access: .anyRole([.schoolStaff]), use: answer)
    }

    static func isCandidate(_ req: Request) -> Bool {
        guard let p = req.identity?.principal else { return false }
        return !p.roles.isDisjoint(with: candidates)
    }

    static func rows(
        _ req: Request, _ dates: [ExperienceDate], near: GridPoint? = nil, schools known: [URN: School]? = nil
    ) async throws -> [ExperiencePages.Row] {
        var schools = known ?? [:]
        if known == nil { schools = try await SchoolStore(req.db).find(dates.map { URN($0.urn) }) }
        return dates.map { d in
            let s = schools[URN(d.urn)]
            return .init(
                date: d, school: s?.name ?? "URN \(d.urn)", town: s?.town ?? "",
                km: near.flatMap { n in s?.location.map { $0.distance(to: n) / 1_000 } })
        }
    }

    // MARK: Searching

    /// The search the query asks for, with every bad field named: the dates that match, nearest first when a
    /// postcode is given. A search near a postcode that finds no date with places left is logged as unmet demand.
    /// The page and `/api/v1/experience` both read it.
    static func find(_ req: Request) async throws -> (
        form: [String: String], problems: [ValidationError.Problem], rows: [ExperiencePages.Row],
        unknownPostcode: Postcode?
    ) {
        var unknownPostcode: Postcode?
        var form: [String: String] = [:]
        var problems: [ValidationError.Problem] = []
        let query = FormValues.query(req)
        for key in ["postcode", "within", "subject", "phase"] {
            let values = query.all(key)
            if values.count > 1 { problems.append(.init(field: key, message: "Give \(key) once")) }
            if let v = values.first?.trimmingSpaces, !v.isEmpty { form[key] = String(v.prefix(100)) }
        }
        var s = ExperienceSearch()
        if let v = form["subject"] {
            s.subject = TeachingSubject(rawValue: v)
            if s.subject == nil { problems.append(.init(field: "subject", message: "Choose a subject from the list")) }
        }
        if let v = form["phase"] {
            s.phase = CPDPhase(rawValue: v)
            if s.phase == nil { problems.append(.init(field: "phase", message: "Choose a phase from the list")) }
        }
        if let w = form["within"] {
            if let km = BoundedInput.decimal(w, in: 1...200) {
                s.withinKm = km
            } else {
                problems.append(.init(field: "within", message: "Enter a distance from 1 to 200 km"))
            }
        }
        if let text = form["postcode"] {
            if let postcode = Postcode(text) {
                if let located = try await PostcodeStore(req.db).locate(postcode) {
                    s.near = located.point
                } else {
                    unknownPostcode = postcode
                    problems.append(
                        .init(field: "postcode", message: "Chalkface does not know the postcode \(postcode.value)"))
                }
            } else {
                problems.append(.init(field: "postcode", message: "Enter a postcode, like ME1 1AA"))
            }
        }
        var rows: [ExperiencePages.Row] = []
        if problems.isEmpty {
            let today = Day.inUK(req.now)
            let dates = try await ExperienceStore(req.db).dates()
            let schools = try await SchoolStore(req.db).find(dates.map { URN($0.urn) })
            let matching = dates.filter { s.matches($0, at: schools[URN($0.urn)]?.location, today: today) }
            rows = try await Self.rows(req, matching, near: s.near, schools: schools)
            if let near = s.near {
                rows.sort { ($0.km ?? 0, $0.date.day) < ($1.km ?? 0, $1.date.day) }
                if !matching.contains(where: { $0.placesLeft > 0 }) {
                    try await ExperienceStore(req.db).logUnmet(
                        at: near, withinKm: s.withinKm, subject: s.subject, phase: s.phase, now: req.now)
                }
            }
        }
        return (form, problems, rows, unknownPostcode)
    }

    func search(req: Request) async throws -> Response {
        let (form, problems, rows, _) = try await Self.find(req)
        return HTMLResponse.make(
            ExperiencePages.search(
                .init(
                    rows: rows, form: form, problems: problems, isCandidate: Self.isCandidate(req),
                    signedIn: req.identity?.principal != nil), chrome: req.chrome),
            status: problems.isEmpty ? .ok : .badRequest)
    }

    static func date(_ req: Request) async throws -> ExperienceDate {
        guard let id = req.parameters.get("date").flatMap(UUID.init(uuidString:)),
            let d = try await ExperienceStore(req.db).date(id)
        else { throw Abort(.notFound, reason: "There is no school experience date with that id.") }
        return d
    }

    func detailPage(
        _ req: Request, _ d: ExperienceDate, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
        notice: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var mine: ExperienceRequest?
        if let viewer = req.identity?.principal {
            mine = try await ExperienceStore(req.db).request(date: d.id, person: viewer.id)
        }
        return HTMLResponse.make(
            ExperiencePages.detail(
                .init(
                    row: try await Self.rows(req, [d])[0], mine: mine, isCandidate: Self.isCandidate(req),
                    form: form, problems: problems, notice: notice), chrome: req.chrome), status: status)
    }

    func detail(req: Request) async throws -> Response {
        try await detailPage(req, try await Self.date(req))
    }

    func request(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let d = try await Self.date(req)
        let body = FormValues.body(req)
        let form = ["objectives": body.one("objectives"), "stage": body.one("stage")]
        let parsed: (String, DegreeStage)
        switch ExperienceRequest.parse(objectives: body.one("objectives"), stage: body.one("stage")) {
        case .failure(let e):
            return try await detailPage(req, d, form: form, problems: e.problems, status: .badRequest)
        case .success(let v): parsed = v
        }
        guard d.day > Day.inUK(req.now) else {
            return try await detailPage(
                req, d, form: form, problems: [.init(field: "objectives", message: "This date has passed")],
                status: .conflict)
        }
        let r = ExperienceRequest(
            date: d.id, person: viewer.id, name: viewer.person.name, objectives: parsed.0, stage: parsed.1,
            requestedAt: req.now)
        let id: UUID
        do {
            id = try await req.db.transaction { tx in try await ExperienceStore(tx).request(r) }
        } catch let error as ExperienceStore.RequestError {
            let message =
                switch error {
                case .full: "Every place on this date has been taken."
                case .alreadyRequested: "You have already asked for this date."
                case .noSuchDate: "The date no longer exists."
                }
            return try await detailPage(
                req, try await Self.date(req), form: form, problems: [.init(field: "objectives", message: message)],
                status: .conflict)
        }
        try await req.audit(
            .experienceRequested, subjectType: "experience-request", subjectID: id.uuidString, person: viewer.id,
            detail: "URN \(d.urn), \(d.day)")
        return try await detailPage(
            req, try await Self.date(req),
            notice:
                "You asked for a place. The school will accept or decline; you will see its answer in your requests.")
    }

    // MARK: A candidate's requests

    func mine(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let store = ExperienceStore(req.db)
        let requests = try await store.requests(person: viewer.id)
        var dates: [ExperienceDate] = []
        for r in requests { if let d = try await store.date(r.date) { dates.append(d) } }
        let rows = try await Self.rows(req, dates)
        let byDate = Dictionary(uniqueKeysWithValues: rows.map { ($0.date.id, $0) })
        let notice = req.query[String.self, at: "withdrawn"] == "1" ? "Your request was withdrawn." : nil
        return HTMLResponse.make(
            ExperiencePages.mine(
                requests.compactMap { r in byDate[r.date].map { (r, $0) } }, notice: notice, chrome: req.chrome))
    }

    func withdraw(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let store = ExperienceStore(req.db)
        guard let id = req.parameters.get("request").flatMap(UUID.init(uuidString:)),
            let r = try await store.request(id), r.person == viewer.id, let d = try await store.date(r.date)
        else { throw Abort(.notFound, reason: "You have no request with that id.") }
        let reason = FormValues.body(req).one("reason-\(id.uuidString.lowercased())")
        switch r.next(
            .withdraw, reason: reason.isEmpty ? "Withdrawn by the candidate" : reason, on: Day.inUK(req.now),
            dateDay: d.day)
        {
        case .failure(let e):
            throw Abort(.conflict, reason: e.problems.map(\.message).joined(separator: "; "))
        case .success(let status):
            try await req.db.transaction { tx in
                try await ExperienceStore(tx).setStatus(
                    r, to: status, reason: reason.isEmpty ? "Withdrawn by the candidate" : reason, at: req.now)
                try await req.audit(
                    .experienceRequestChanged, subjectType: "experience-request", subjectID: r.id.uuidString,
                    person: r.person, detail: status.rawValue, on: tx)
            }
            return req.redirect(to: "/experience/requests?withdrawn=1", redirectType: .normal)
        }
    }

    // MARK: A school's dates and requests

    static func ownSchool(_ req: Request) async throws -> School {
        let viewer = try req.requirePrincipal()
        guard let text = req.parameters.get("urn"), let urn = BoundedInput.wholeNumber(text, in: 100_000...999_999),
            let school = try await SchoolStore(req.db).find(URN(urn))
        else { throw Abort(.notFound, reason: "There is no school with that URN.") }
        let own = try await OrganisationStore(req.db).list().contains {
            viewer.organisations(as: .schoolStaff).contains($0.id) && $0.urn?.value == urn
        }
        guard own else {
            throw Abort(.forbidden, reason: "Only the school's own staff can manage its school experience.")
        }
        return school
    }

    func schoolPage(
        _ req: Request, _ s: School, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
        notice: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let store = ExperienceStore(req.db)
        let dates = try await store.dates(urn: s.urn.value)
        let requests = try await store.requests(dates: dates.map(\.id))
        let counts = try await store.requestCounts(people: Array(Set(requests.map(\.person))))
        if !requests.isEmpty {
            try await req.audit(
                .experienceRequestsRead, subjectType: "school", subjectID: String(s.urn.value),
                detail: "\(requests.count) school experience requests")
        }
        let byDate = Dictionary(grouping: requests, by: \.date)
        return HTMLResponse.make(
            ExperiencePages.school(
                .init(
                    urn: s.urn.value, school: s.name,
                    dates: dates.map { d in
                        (d, (byDate[d.id] ?? []).map { ($0, counts[$0.person] ?? 1) })
                    }, form: form, problems: problems, notice: notice, today: Day.inUK(req.now)),
                chrome: req.chrome), status: status)
    }

    func school(req: Request) async throws -> Response {
        let s = try await Self.ownSchool(req)
        let notice: String? =
            switch req.query[String.self, at: "done"] {
            case "offered": "The date is offered: candidates can find it now."
            case "answered": "Your answer is recorded; the candidate sees it in their requests."
            default: nil
            }
        return try await schoolPage(req, s, form: [:], notice: notice)
    }

    func offer(req: Request) async throws -> Response {
        let s = try await Self.ownSchool(req)
        let body = FormValues.body(req)
        var form: [String: String] = [:]
        for k in ["day", "length", "phase", "subject", "places", "expectations", "dbs", "access"] {
            form[k] = body.one(k)
        }
        switch ExperienceDate.parse(
            urn: s.urn.value, day: body.one("day"), length: body.one("length"), phase: body.one("phase"),
            subject: body.one("subject"), places: body.one("places"), expectations: body.one("expectations"),
            dbs: body.one("dbs"), access: body.one("access"), today: Day.inUK(req.now))
        {
        case .failure(let e):
            return try await schoolPage(req, s, form: form, problems: e.problems, status: .badRequest)
        case .success(let d):
            try await req.db.transaction { tx in
                try await ExperienceStore(tx).add([d], at: req.now)
                try await req.audit(
                    .experienceDateOffered, subjectType: "experience-date", subjectID: d.id.uuidString,
                    detail: "\(s.name), \(d.day)", on: tx)
            }
            return req.redirect(to: "/schools/\(s.urn.value)/experience?done=offered", redirectType: .normal)
        }
    }

    func answer(req: Request) async throws -> Response {
        let s = try await Self.ownSchool(req)
        let store = ExperienceStore(req.db)
        guard let id = req.parameters.get("request").flatMap(UUID.init(uuidString:)),
            let r = try await store.request(id), let d = try await store.date(r.date), d.urn == s.urn.value
        else { throw Abort(.notFound, reason: "The school has no request with that id.") }
        let body = FormValues.body(req)
        guard let action = ExperienceRequest.Action(rawValue: body.one("action")), action != .withdraw else {
            throw Abort(.badRequest, reason: "action must be accept, decline, cancel, attended or did-not-attend.")
        }
        let reason = body.one("reason")
        switch r.next(action, reason: reason, on: Day.inUK(req.now), dateDay: d.day) {
        case .failure(let e):
            return try await schoolPage(
                req, s,
                problems: e.problems.map {
                    .init(field: "reason-\(id.uuidString.lowercased())", message: "\(r.name): \($0.message)")
                },
                status: .badRequest)
        case .success(let status):
            try await req.db.transaction { tx in
                try await ExperienceStore(tx).setStatus(
                    r, to: status, reason: reason.isEmpty ? nil : reason, at: req.now)
                try await req.audit(
                    .experienceRequestChanged, subjectType: "experience-request", subjectID: r.id.uuidString,
                    person: r.person, detail: status.rawValue, on: tx)
            }
            return req.redirect(to: "/schools/\(s.urn.value)/experience?done=answered", redirectType: .normal)
        }
    }
}

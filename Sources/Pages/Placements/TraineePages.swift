import Domain
import Foundation
import Plot

/// A provider's trainees for a year: the list, a form to add one, and a CSV upload.
public enum TraineePages {
    public static func path(_ provider: OrganisationID) -> String { "/providers/\(provider)/trainees" }

    public struct Model: Sendable {
        public var provider: Organisation
        public var year: AcademicYear
        public var trainees: [Trainee]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        /// Problems with an uploaded file, as `file:line: field: message` lines.
        public var uploadProblems: [String]
        public var notice: String?
        /// Each trainee's school in the published allocation ("Not placed" when unplaced); empty before publishing.
        public var allocated: [UUID: String] = [:]
        /// Trainees the provider has withdrawn this year.
        public var withdrawn: [Trainee] = []
        /// Schools offering places this year in the provider's phases, for choosing by name.
        public var offering: [OfferingSchool] = []

        public init(
            provider: Organisation, year: AcademicYear, trainees: [Trainee], form: [String: String] = [:],
            problems: [ValidationError.Problem] = [], uploadProblems: [String] = [], notice: String? = nil
        ) {
            self.provider = provider
            self.year = year
            self.trainees = trainees
            self.form = form
            self.problems = problems
            self.uploadProblems = uploadProblems
            self.notice = notice
        }
    }

    /// A school offering places this year: what it offers, and how many places the published allocation leaves.
    public struct OfferingSchool: Sendable {
        public var urn: URN
        public var name: String
        public var phase: String
        /// "Mathematics 2, Physics 1"
        public var subjects: String
        public var places: Int
        /// Places not taken in the published allocation; nil before one is published.
        public var remaining: Int?
        public init(urn: URN, name: String, phase: String, subjects: String, places: Int, remaining: Int?) {
            self.urn = urn
            self.name = name
            self.phase = phase
            self.subjects = subjects
            self.places = places
            self.remaining = remaining
        }
    }

    static let schoolList = "offering-schools"

    /// The list of schools the school fields suggest, by name (with the URN the form reads back).
    static func schoolChoices(_ schools: [OfferingSchool]) -> Node<HTML.BodyContext> {
        .element(
            named: "datalist",
            nodes: [
                .id(schoolList),
                .group(
                    schools.map { s in
                        .element(
                            named: "option",
                            nodes: [
                                .attribute(
                                    named: "value",
                                    value: Escape.attribute(TraineeEntry.schoolChoice(name: s.name, urn: s.urn)))
                            ])
                    }),
            ])
    }

    /// The trainee's details, for adding one or changing one.
    static func fields(_ f: [String: String], problems: [ValidationError.Problem]) -> [Node<HTML.FormContext>] {
        [
            Form.input("name", label: "Full name", value: f["name"] ?? "", autocomplete: "off", problems: problems),
            Form.select(
                "subject", label: "Subject", options: PlacementSubject.allCases.map { ($0.key, $0.label) },
                selected: f["subject"], problems: problems),
            Form.select(
                "phase", label: "Phase", options: PlacementPhase.allCases.map { ($0.rawValue, $0.label) },
                selected: f["phase"], problems: problems),
            Form.select(
                "route", label: "Route", options: TrainingRoute.allCases.map { ($0.rawValue, $0.label) },
                selected: f["route"], problems: problems),
            Form.radios(
                "placement", legend: "Which placement is this?",
                options: [
                    ("1", "First placement", nil), ("2", "Second placement (at a different school)", nil),
                ],
                selected: f["placement"] ?? "1", problems: problems),
            Form.input(
                "first_placement_urn", label: "For a second placement: the first placement's school",
                hint: "Start typing the school's name and choose it from the list, or give its URN",
                value: f["first_placement_urn"] ?? "", autocomplete: "off", list: schoolList, problems: problems),
            Form.input(
                "home_postcode", label: "Home postcode", value: f["home_postcode"] ?? "", autocomplete: "off",
                problems: problems),
            Form.input(
                "max_travel_km", label: "Furthest they can travel (km, straight line)",
                value: f["max_travel_km"] ?? "25", kind: .number, problems: problems),
            Form.checkbox(
                "no_car", label: "No car (limits travel to \(Trainee.noCarLimitKm) km)", checked: f["no_car"] == "true"),
            Form.checkbox(
                "send_interest", label: "Interested in a SEND placement", checked: f["send_interest"] == "true"),
            Form.input(
                "preferences", label: "Preferred schools (optional)",
                hint:
                    "Up to three, most wanted first, separated by semicolons: start typing a school's name and choose it from the list, or give its URN",
                value: f["preferences"] ?? "", autocomplete: "off", list: schoolList, problems: problems),
        ]
    }

    /// The form's values for a stored trainee.
    public static func form(_ t: Trainee, names: [URN: String]) -> [String: String] {
        func choice(_ urn: URN) -> String {
            names[urn].map { TraineeEntry.schoolChoice(name: $0, urn: urn) } ?? String(urn.value)
        }
        return [
            "name": t.name, "subject": t.subject.key, "phase": t.phase.rawValue, "route": t.route.rawValue,
            "placement": String(t.placement), "first_placement_urn": t.firstPlacementURN.map(choice) ?? "",
            "home_postcode": t.homePostcode.value, "max_travel_km": String(t.maximumTravelKm),
            "no_car": t.noCar ? "true" : "", "send_interest": t.sendInterest ? "true" : "",
            "preferences": t.preferences.map(choice).joined(separator: "; "),
        ]
    }

    public static func traineePath(_ provider: OrganisationID, _ trainee: UUID) -> String {
        "\(path(provider))/\(trainee.uuidString.lowercased())"
    }

    /// Changing a trainee's details.
    public static func edit(
        provider: Organisation, year: AcademicYear, trainee: Trainee, form f: [String: String],
        problems: [ValidationError.Problem], offering: [OfferingSchool], chrome: Chrome
    ) -> HTML {
        let list = path(provider.id) + "?year=\(year)"
        return Layout.page(
            title: (problems.isEmpty ? "" : "Error: ") + "Change \(trainee.name)'s details", section: .placements,
            chrome: chrome, breadcrumbs: [.init("Trainees \(year)", list)],
            content: [
                Form.errorSummary(problems),
                .span(.class("app-caption-l"), .text(provider.name)),
                .h1(.text("Change \(trainee.name)'s details")),
                .p(
                    .text(
                        "The next allocation run uses these details; runs already made keep the details they were made with."
                    )),
                schoolChoices(offering),
                .form(
                    .method(.post),
                    .action(Escape.attribute(traineePath(provider.id, trainee.id) + "?year=\(year)")),
                    .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    .group(fields(f, problems: problems)),
                    Form.submit("Save changes")),
                .p(.a(.href(Escape.attribute(list)), .text("Cancel: back to the trainees"))),
            ])
    }

    /// "Are you sure?" before a trainee is withdrawn.
    public static func confirmWithdraw(
        provider: Organisation, year: AcademicYear, trainee: Trainee, allocated: String?, chrome: Chrome
    ) -> HTML {
        let list = path(provider.id) + "?year=\(year)"
        return Layout.page(
            title: "Withdraw \(trainee.name)", section: .placements, chrome: chrome,
            breadcrumbs: [.init("Trainees \(year)", list)],
            content: [
                .span(.class("app-caption-l"), .text(provider.name)),
                .h1(.text("Withdraw \(trainee.name)?")),
                .p(
                    .text(
                        "\(trainee.name) (\(trainee.subject.label), \(trainee.placement == 1 ? "first" : "second") placement) will not be in the next allocation run, so their place can go to another trainee. Runs already made, and a published allocation, keep them until the next run is published."
                    )),
                .unwrap(allocated) { .p(.text("In the published allocation: \($0).")) },
                .p(.text("You can reinstate them from the list of withdrawn trainees.")),
                Form.button(
                    "Withdraw \(trainee.name)",
                    action: traineePath(provider.id, trainee.id) + "/withdraw?year=\(year)", csrf: chrome.csrfToken,
                    warning: true),
                .p(.a(.href(Escape.attribute(list)), .text("Cancel: back to the trainees"))),
            ])
    }

    public static func page(_ m: Model, chrome: Chrome) -> HTML {
        let base = path(m.provider.id)
        let f = m.form
        return Layout.page(
            title: m.problems.isEmpty && m.uploadProblems.isEmpty ? "Trainees \(m.year)" : "Error: Trainees \(m.year)",
            section: .placements, chrome: chrome,
            content: [
                Form.errorSummary(m.problems),
                .if(
                    !m.uploadProblems.isEmpty,
                    .div(
                        .class("app-error-summary"), .attribute(named: "role", value: "alert"), .id("upload-problems"),
                        .h2(.text("The file was not loaded: nothing has been saved")),
                        .p(.text("Correct these rows and upload the whole file again.")),
                        .ul(.forEach(m.uploadProblems) { .li(.text($0)) }))),
                .unwrap(m.notice) {
                    .div(
                        .class("app-notification app-notification--success"),
                        .attribute(named: "role", value: "status"), .p(.text($0)))
                },
                .span(.class("app-caption-l"), .text(m.provider.name)),
                .h1(.text("Trainees for \(m.year)")),
                .p(.id("trainee-count"), .text("\(m.trainees.count) trainee\(m.trainees.count == 1 ? "" : "s").")),
                .p(
                    .a(.href(Escape.attribute(RecruitPages.path(m.provider.id))), .text("Recruited candidates")),
                    .text(": add candidates recruited through Apply as trainees, without typing them in again.")),
                .if(
                    !m.trainees.isEmpty,
                    .table(
                        .class("app-table"), .id("trainees"),
                        .caption(.class("app-visually-hidden"), .text("Trainees")),
                        .thead(
                            .tr(
                                .th(.text("Name")), .th(.text("Subject")), .th(.text("Route")), .th(.text("Placement")),
                                .th(.text("Home postcode")), .th(.text("Travel limit")),
                                .if(!m.allocated.isEmpty, .th(.text("Placement school"))),
                                .th(.span(.class("app-visually-hidden"), .text("Actions"))))),
                        .tbody(
                            .forEach(m.trainees) { t in
                                .tr(
                                    .td(.text(t.name)), .td(.text(t.subject.label)), .td(.text(t.route.label)),
                                    .td(.text(t.placement == 1 ? "First" : "Second")), .td(.text(t.homePostcode.value)),
                                    .td(.text("\(t.travelLimitMetres / 1000) km\(t.noCar ? " (no car)" : "")")),
                                    .if(
                                        !m.allocated.isEmpty,
                                        .td(.text(m.allocated[t.id] ?? "Added after the allocation"))),
                                    .td(
                                        .a(
                                            .href(
                                                Escape.attribute(
                                                    traineePath(m.provider.id, t.id) + "/edit?year=\(m.year)")),
                                            .text("Change"), .span(.class("app-visually-hidden"), .text(" \(t.name)"))),
                                        .text(" "),
                                        .a(
                                            .href(
                                                Escape.attribute(
                                                    traineePath(m.provider.id, t.id) + "/withdraw?year=\(m.year)")),
                                            .text("Withdraw"),
                                            .span(.class("app-visually-hidden"), .text(" \(t.name)"))),
                                        .text(" "),
                                        .a(
                                            .href(Escape.attribute(traineePath(m.provider.id, t.id) + "/teacher")),
                                            .text("Teacher register"),
                                            .span(.class("app-visually-hidden"), .text(": \(t.name)")))))
                            }))),
                .if(
                    !m.withdrawn.isEmpty,
                    .table(
                        .class("app-table"), .id("withdrawn"),
                        .caption(.text("Withdrawn (not in future allocation runs)")),
                        .thead(
                            .tr(
                                .th(.text("Name")), .th(.text("Subject")),
                                .th(.span(.class("app-visually-hidden"), .text("Actions"))))),
                        .tbody(
                            .forEach(m.withdrawn) { t in
                                .tr(
                                    .td(.text(t.name)), .td(.text(t.subject.label)),
                                    .td(
                                        Form.button(
                                            "Reinstate \(t.name)",
                                            action: traineePath(m.provider.id, t.id) + "/reinstate?year=\(m.year)",
                                            csrf: chrome.csrfToken)))
                            }))),
                .if(
                    !m.offering.isEmpty,
                    .table(
                        .class("app-table"), .id("offering"),
                        .caption(.text("Schools offering places in \(m.year)")),
                        .thead(
                            .tr(
                                .th(.text("School")), .th(.text("Phase")), .th(.text("Places by subject")),
                                .th(.class("app-numeric"), .text("Usable places")),
                                .th(.class("app-numeric"), .text("Left after the published allocation")))),
                        .tbody(
                            .forEach(m.offering) { o in
                                .tr(
                                    .td(.text(o.name)), .td(.text(o.phase)), .td(.text(o.subjects)),
                                    .td(.class("app-numeric"), .text(String(o.places))),
                                    .td(
                                        .class("app-numeric"),
                                        .text(o.remaining.map(String.init) ?? "Not yet allocated")))
                            }))),
                .h2(.text("Upload a file")),
                .p(
                    .text(
                        "A CSV file with the header \(TraineeEntry.columns.joined(separator: ",")). Every row is checked; if any row is wrong nothing is saved and each problem is listed with its line. An optional \(TraineeEntry.applicationChoiceColumn) column gives the recruited application choice (Apply's reference) a trainee comes from: they are then linked to it and entered in the teacher register."
                    )),
                .form(
                    .method(.post), .action(Escape.attribute(base + "/upload?year=\(m.year)")),
                    .attribute(named: "enctype", value: "multipart/form-data"),
                    Form.csrf(chrome.csrfToken),
                    .div(
                        .class("app-form-group"),
                        .label(.class("app-label"), .for("file"), .text("Trainees file (CSV)")),
                        .input(
                            .id("file"), .name("file"), .type(.file),
                            .attribute(named: "accept", value: ".csv,text/csv"))),
                    Form.submit("Upload trainees")
                ),
                .h2(.text("Add a trainee")),
                schoolChoices(m.offering),
                .form(
                    .method(.post), .action(Escape.attribute(base + "?year=\(m.year)")),
                    .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    .group(fields(f, problems: m.problems)),
                    Form.submit("Add trainee")
                ),
            ])
    }
}

import Domain
import Foundation
import Plot

/// A provider's recruited candidates from Apply becoming its trainees: the same person carried from the
/// application to the placement allocation and the teacher register, not typed in again.
public enum RecruitPages {
    public static func path(_ provider: OrganisationID) -> String { "/providers/\(provider)/recruited" }

    public static func addPath(_ provider: OrganisationID, cycle: Int, reference: String) -> String {
        SitePath.with(path(provider) + "/add", query: [("cycle", String(cycle)), ("reference", reference)])
    }

    public struct Row: Sendable {
        public var reference: String
        public var candidate: String
        public var subject: String
        public var route: String
        public var recruitedAt: Date?
        /// The trainee the choice became: their name, and whether they have since withdrawn.
        public var trainee: (id: UUID, name: String, withdrawn: Bool)?

        public init(
            reference: String, candidate: String, subject: String, route: String, recruitedAt: Date?,
            trainee: (id: UUID, name: String, withdrawn: Bool)?
        ) {
            self.reference = reference
            self.candidate = candidate
            self.subject = subject
            self.route = route
            self.recruitedAt = recruitedAt
            self.trainee = trainee
        }
    }

    public struct Model: Sendable {
        public var provider: Organisation
        public var cycles: [Int]
        public var cycle: Int?
        public var rows: [Row]
        public var notice: String?

        public init(provider: Organisation, cycles: [Int], cycle: Int?, rows: [Row], notice: String?) {
            self.provider = provider
            self.cycles = cycles
            self.cycle = cycle
            self.rows = rows
            self.notice = notice
        }
    }

    public static func page(_ m: Model, chrome: Chrome) -> HTML {
        let waiting = m.rows.filter { $0.trainee == nil }.count
        return Layout.page(
            title: "Recruited candidates", section: .placements, chrome: chrome,
            breadcrumbs: [.init("Trainees", TraineePages.path(m.provider.id))],
            content: [
                .unwrap(m.notice) { Layout.notice($0) },
                .span(.class("app-caption-l"), .text(m.provider.name)),
                .h1(.text("Recruited candidates")),
                .p(
                    .text(
                        "Candidates whose application choice with \(m.provider.name) reached recruited in Apply, from the applications you imported. Add each as a trainee: they join the placement allocation for the year their course starts and get a record in the teacher register, linked to their Chalkface account when they have one."
                    )),
                .p(
                    .text(
                        "To add many at once, upload a trainees file for the year with an \(TraineeEntry.applicationChoiceColumn) column holding each trainee's choice reference, on "
                    ),
                    .a(.href(Escape.attribute(TraineePages.path(m.provider.id))), .text("the trainees page")),
                    .text(".")),
                .if(
                    m.cycles.count > 1,
                    .form(
                        .method(.get), .action(Escape.attribute(path(m.provider.id))),
                        Form.select(
                            "cycle", label: "Recruitment cycle",
                            options: m.cycles.map { (value: String($0), label: ApplicationPages.cycleLabel($0)) },
                            selected: m.cycle.map(String.init), problems: []),
                        Form.submit("Show", secondary: true))),
                .unwrap(m.cycle) { cycle in
                    .group(
                        .p(
                            .id("recruited-count"),
                            .text(
                                "\(m.rows.count) recruited in the \(ApplicationPages.cycleLabel(cycle)) cycle; \(waiting) not yet added as trainees."
                            )),
                        .if(
                            !m.rows.isEmpty,
                            .table(
                                .class("app-table"), .id("recruited"),
                                .caption(.class("app-visually-hidden"), .text("Recruited candidates")),
                                .thead(
                                    .tr(
                                        .th(.text("Choice")), .th(.text("Candidate")), .th(.text("Subject")),
                                        .th(.text("Route")), .th(.text("Recruited")), .th(.text("Trainee")))),
                                .tbody(
                                    .forEach(m.rows) { r in
                                        .tr(
                                            .td(.text(r.reference)), .td(.text(r.candidate)), .td(.text(r.subject)),
                                            .td(.text(r.route)),
                                            .td(.text(r.recruitedAt.map(DateText.dateTime) ?? "")),
                                            .td(
                                                r.trainee.map { t -> Node<HTML.BodyContext> in
                                                    .a(
                                                        .href(
                                                            Escape.attribute(
                                                                TraineePages.traineePath(m.provider.id, t.id)
                                                                    + "/teacher")),
                                                        .text(t.name + (t.withdrawn ? " (withdrawn)" : "")))
                                                }
                                                    ?? .a(
                                                        .href(
                                                            Escape.attribute(
                                                                addPath(
                                                                    m.provider.id, cycle: cycle,
                                                                    reference: r.reference))),
                                                        .text("Add as a trainee"),
                                                        .span(
                                                            .class("app-visually-hidden"),
                                                            .text(": choice \(r.reference)")))))
                                    })))
                    )
                },
                .if(
                    m.cycle == nil,
                    .p(
                        .text("No applications are held for \(m.provider.name) yet: "),
                        .a(.href(ApplicationPages.importPath), .text("import a cycle's applications")), .text("."))),
            ])
    }

    public struct FormModel: Sendable {
        public var provider: Organisation
        public var cycle: Int
        public var year: AcademicYear
        public var choice: ApplicationChoice
        /// The name of the Chalkface account holding the candidate's email, when there is one.
        public var account: String?
        public var offering: [TraineePages.OfferingSchool]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]

        public init(
            provider: Organisation, cycle: Int, year: AcademicYear, choice: ApplicationChoice, account: String?,
            offering: [TraineePages.OfferingSchool], form: [String: String], problems: [ValidationError.Problem]
        ) {
            self.provider = provider
            self.cycle = cycle
            self.year = year
            self.choice = choice
            self.account = account
            self.offering = offering
            self.form = form
            self.problems = problems
        }
    }

    /// The form's starting values: what the application already says.
    public static func initialForm(_ c: ApplicationChoice) -> [String: String] {
        [
            "subject": c.subject.key, "phase": c.subject == .primary ? "primary" : "secondary",
            "route": c.route.rawValue, "placement": "1", "max_travel_km": "25", "link_account": "true",
        ]
    }

    public static func form(_ m: FormModel, chrome: Chrome) -> HTML {
        let c = m.choice
        return Layout.page(
            title: (m.problems.isEmpty ? "" : "Error: ") + "Add a recruited candidate as a trainee",
            section: .placements, chrome: chrome,
            breadcrumbs: [.init("Recruited candidates", path(m.provider.id) + "?cycle=\(m.cycle)")],
            content: [
                Form.errorSummary(m.problems),
                .span(.class("app-caption-l"), .text(m.provider.name)),
                .h1(.text("Add a recruited candidate as a trainee")),
                Layout.summaryList([
                    ("Application choice", .text(c.reference)),
                    ("Candidate in Apply", .text(c.candidate)),
                    ("Course", .text("\(c.subject.label), \(c.route.label)")),
                    ("Recruited", .text(c.entered[.recruited].map(DateText.dateTime) ?? "")),
                    ("Trains in", .text(m.year.description)),
                    ("Email in the application", .text(c.email ?? "None given")),
                ]),
                .p(
                    .text(
                        "Apply's file does not carry the candidate's name or home address: give them from the candidate's application. The trainee joins the placement allocation for \(m.year), and a record starts in the teacher register (or, with a TRN the register already holds under the same name, links to it)."
                    )),
                TraineePages.schoolChoices(m.offering),
                .form(
                    .method(.post),
                    .action(Escape.attribute(addPath(m.provider.id, cycle: m.cycle, reference: c.reference))),
                    .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    .group(TraineePages.fields(m.form, problems: m.problems)),
                    Form.input(
                        "trn", label: "Teacher reference number (optional)",
                        hint: "7 digits, if the candidate already has one", value: m.form["trn"] ?? "",
                        autocomplete: "off", problems: m.problems),
                    .unwrap(m.account) { name in
                        Form.checkbox(
                            "link_account",
                            label:
                                "Link \(name)'s Chalkface account (\(c.email ?? "")) to the record, so they see their own record",
                            checked: m.form["link_account"] == "true")
                    },
                    Form.submit("Add as a trainee")),
            ])
    }
}

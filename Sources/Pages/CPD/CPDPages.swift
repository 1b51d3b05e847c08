import Domain
import Foundation
import Plot

/// The partnership's CPD catalogue: browse and filter, a programme with its cohorts and NPQ funding, a teacher's
/// enrolments, and a provider's enrolments to decide on.
public enum CPDPages {
    static func pounds(_ p: CPDProgramme) -> String {
        (p.costPounds == 0 ? "Free" : "£\(p.costPounds) a place") + (p.fundedBy.map { " (funded by \($0))" } ?? "")
    }

    static func audience(_ p: CPDProgramme) -> String {
        let phases =
            p.phases.isEmpty
            ? "All phases" : CPDPhase.allCases.filter(p.phases.contains).map(\.label).joined(separator: ", ")
        let subjects =
            p.subjects.isEmpty ? "any subject" : p.subjects.sorted().map(\.label).joined(separator: ", ")
        return "\(phases); \(subjects)"
    }

    // MARK: The catalogue

    public struct Row: Sendable {
        public var programme: CPDProgramme
        public var next: CPDCohort?
        public var venue: String?
        public init(programme: CPDProgramme, next: CPDCohort?, venue: String?) {
            self.programme = programme
            self.next = next
            self.venue = venue
        }
    }

    public struct Catalogue: Sendable {
        public var rows: [Row]
        public var total: Int
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var canManage: Bool
        public init(
            rows: [Row], total: Int, form: [String: String], problems: [ValidationError.Problem], canManage: Bool
        ) {
            self.rows = rows
            self.total = total
            self.form = form
            self.problems = problems
            self.canManage = canManage
        }
    }

    public static func catalogue(_ m: Catalogue, chrome: Chrome) -> HTML {
        let f = m.form
        let filtered = f.values.contains { !$0.isEmpty }
        return Layout.page(
            title: m.problems.isEmpty ? "CPD catalogue" : "Error: CPD catalogue", section: .cpd, chrome: chrome,
            content: [
                .h1(.text("Professional development across the partnership")),
                .p(
                    .text(
                        "One catalogue of the programmes the partnership's providers offer its teachers: national professional qualifications, subject knowledge and specialism training, networks, research and evidence, mentoring, leadership and post-16."
                    )),
                .if(
                    m.canManage || chrome.person != nil,
                    .p(
                        .if(
                            chrome.person != nil,
                            .a(.id("my-enrolments"), .href("/cpd/enrolments"), .text("Your enrolments"))),
                        .if(
                            m.canManage,
                            .group(
                                .text(" · "),
                                .a(.id("manage-cpd"), .href("/cpd/manage"), .text("Manage programmes and enrolments")),
                                .text(" · "), .a(.id("cpd-take-up"), .href("/cpd/take-up"), .text("Take-up")),
                                .text(" · "), .a(.id("post16-review"), .href("/post16"), .text("Post-16 review"))))
                    )),
                Form.errorSummary(m.problems),
                .div(
                    .class("app-grid-row"),
                    Layout.filterPanel(
                        action: "/cpd", filtered: filtered,
                        Form.input("q", label: "Search", value: f["q"] ?? "", problems: m.problems),
                        Form.select(
                            "subject", label: "Subject", options: Form.anyOptions(TeachingSubject.self, \.label),
                            selected: f["subject"], problems: m.problems),
                        Form.select(
                            "phase", label: "Phase", options: Form.anyOptions(CPDPhase.self, \.label),
                            selected: f["phase"], problems: m.problems),
                        Form.select(
                            "stage", label: "Career stage", options: Form.anyOptions(CareerStage.self, \.label),
                            selected: f["stage"], problems: m.problems),
                        Form.select(
                            "kind", label: "Kind", options: Form.anyOptions(CPDKind.self, \.label),
                            selected: f["kind"], problems: m.problems),
                        Form.select(
                            "format", label: "Format", options: Form.anyOptions(CPDFormat.self, \.label),
                            selected: f["format"], problems: m.problems),
                        Form.input(
                            "postcode", label: "Near postcode", hint: "Online programmes are always shown",
                            value: f["postcode"] ?? "", problems: m.problems),
                        Form.input(
                            "within", label: "Within (km)", value: f["within"] ?? "20", kind: .number,
                            problems: m.problems),
                        Form.input(
                            "from", label: "Starting from", hint: "For example 2027-01-01",
                            value: f["from"] ?? "", kind: .date, problems: m.problems),
                        Form.input(
                            "to", label: "Starting by", value: f["to"] ?? "", kind: .date,
                            problems: m.problems),
                        Form.checkbox("free", label: "Free or funded only", checked: f["free"] == "true")),
                    .div(
                        .class("app-grid-column-two-thirds"),
                        .h2(
                            .id("results-count"),
                            .text(
                                "\(m.rows.count) programme\(m.rows.count == 1 ? "" : "s")\(filtered ? " of \(m.total)" : "")"
                            )),
                        .if(m.rows.isEmpty, .p(.text("No programme matches these filters. Try removing some."))),
                        .ul(
                            .class("app-list"), .id("programmes"),
                            .forEach(m.rows) { r in
                                let p = r.programme
                                return .li(
                                    .class("app-result"),
                                    .h3(.a(.href("/cpd/\(p.id.uuidString.lowercased())"), .text(p.title))),
                                    .p(
                                        .class("app-hint"), .text("\(p.provider) · \(p.kind.label) · \(p.format.label)")
                                    ),
                                    .p(.text(p.summary)),
                                    .p(
                                        .text(
                                            [
                                                audience(p), pounds(p),
                                                r.next.flatMap { c in
                                                    c.startsOn.map {
                                                        "next cohort starts \($0.longDescription) (\(c.placesLeft) place\(c.placesLeft == 1 ? "" : "s") left)"
                                                    }
                                                } ?? "no cohort scheduled",
                                            ].joined(separator: " · ") + (r.venue.map { " · at \($0)" } ?? ""))))
                            })),
                ),
            ])
    }

    // MARK: One programme

    public struct CohortView: Sendable {
        public var cohort: CPDCohort
        /// The viewer's enrolment on it.
        public var mine: CPDEnrolment?
        public init(cohort: CPDCohort, mine: CPDEnrolment?) {
            self.cohort = cohort
            self.mine = mine
        }
    }

    public struct Detail: Sendable {
        public var programme: CPDProgramme
        public var cohorts: [CohortView]
        public var venue: String?
        public var funding: NPQFunding.Decision?
        public var fundingSchool: String?
        /// The viewer can enrol (a teacher or mentor).
        public var canEnrol: Bool
        public var canManage: Bool
        /// Teachers and mentors the viewer (school staff) can ask for a place for: (person id, name).
        public var colleagues: [(id: String, name: String)]
        public var notice: String?
        public var problems: [ValidationError.Problem]
        public init(
            programme: CPDProgramme, cohorts: [CohortView], venue: String?, funding: NPQFunding.Decision?,
            fundingSchool: String?, canEnrol: Bool, canManage: Bool, colleagues: [(id: String, name: String)] = [],
            notice: String?, problems: [ValidationError.Problem]
        ) {
            self.colleagues = colleagues
            self.programme = programme
            self.cohorts = cohorts
            self.venue = venue
            self.funding = funding
            self.fundingSchool = fundingSchool
            self.canEnrol = canEnrol
            self.canManage = canManage
            self.notice = notice
            self.problems = problems
        }
    }

    public static func detail(_ m: Detail, chrome: Chrome) -> HTML {
        let p = m.programme
        let base = "/cpd/\(p.id.uuidString.lowercased())"
        return Layout.page(
            title: m.problems.isEmpty ? p.title : "Error: \(p.title)", section: .cpd, chrome: chrome,
            breadcrumbs: [.init("CPD catalogue", "/cpd")],
            content: [
                .span(.class("app-caption-l"), .text(p.provider)),
                .h1(.text(p.title)),
                .unwrap(m.notice) { Layout.notice($0) },
                Form.errorSummary(m.problems),
                .if(
                    p.generated,
                    .div(
                        .class("app-inset"),
                        .text(
                            p.npqCourse != nil
                                ? "The course and its lead providers are DfE's; these dates and this venue are demo data."
                                : "A demo entry, generated for the demo partnership."))),
                .p(.text(p.summary)),
                Layout.summaryList([
                    ("Kind", .text(p.kind.label)), ("For", .text(audience(p))),
                    (
                        "Career stage",
                        .text(
                            p.stages.isEmpty
                                ? "Any"
                                : CareerStage.allCases.filter(p.stages.contains).map(\.label).joined(separator: ", "))
                    ),
                    (
                        "Early Career Framework areas",
                        .text(
                            p.developsAreas.isEmpty
                                ? "None" : p.developsAreas.sorted().map(\.label).joined(separator: ", "))
                    ),
                    ("Format", .text(p.format.label)),
                    ("Venue", .text(m.venue ?? (p.format == .online ? "Online" : "Not recorded"))),
                    ("Cost", .text(pounds(p))), ("Outcomes", .text(p.outcomes.isEmpty ? "Not recorded" : p.outcomes)),
                ]),
                .unwrap(m.funding) { d in
                    .div(
                        .class("app-inset"), .id("npq-funding"),
                        .h2(.text("Is it funded\(m.fundingSchool.map { " at \($0)" } ?? "")? \(d.answer.label)")),
                        .p(.text(d.reason)),
                        .p(
                            .text("Teachers register for an NPQ, and apply for its funding, through DfE's "),
                            .a(
                                .href("https://register-national-professional-qualifications.education.gov.uk/"),
                                .text("Register for a national professional qualification")),
                            .text(" service; a cohort here is the lead provider's local group.")),
                        .p(.class("app-hint"), .text("Source: \(NPQFunding.source)")))
                },
                .h2(.text("Cohorts")),
                .p(
                    .a(
                        .id("programme-calendar"), .href("\(base)/calendar.ics"),
                        .text("Add every session to your calendar (.ics)"))),
                .if(m.cohorts.isEmpty, .p(.text("No cohort is scheduled yet."))),
                .table(
                    .class("app-table"), .id("cohorts"),
                    .caption(.class("app-visually-hidden"), .text("Cohorts")),
                    .thead(
                        .tr(
                            .th(.text("Sessions")), .th(.class("app-numeric"), .text("Places left")),
                            .th(.text("Your place")))),
                    .tbody(
                        .forEach(m.cohorts) { v in
                            let c = v.cohort
                            return .tr(
                                .td(
                                    .ul(
                                        .class("app-list"),
                                        .forEach(c.sessions) { s in .li(.text("\(s.day.longDescription), \(s.times)")) }
                                    )),
                                .td(.class("app-numeric"), .text("\(c.placesLeft) of \(c.places)")),
                                .td(
                                    .unwrap(
                                        v.mine,
                                        { e in .text(e.status.label + (e.reason.map { ": \($0)" } ?? "")) },
                                        else: m.canEnrol
                                            ? (c.placesLeft > 0
                                                ? Form.button(
                                                    "Enrol",
                                                    action: "\(base)/cohorts/\(c.id.uuidString.lowercased())/enrol",
                                                    csrf: chrome.csrfToken)
                                                : .text("Full"))
                                            : .text(chrome.person == nil ? "Sign in as a teacher to enrol" : "")))
                            )
                        })),
                .if(
                    !m.colleagues.isEmpty && m.cohorts.contains { $0.cohort.placesLeft > 0 },
                    .div(
                        .id("enrol-for"),
                        .h2(.text("Ask for a place for a member of your staff")),
                        .p(
                            .text(
                                "The request is in their name: it appears in their enrolments and on their timeline, and the provider accepts or declines it."
                            )),
                        .form(
                            .method(.post), .action("\(base)/enrol-for"),
                            Form.csrf(chrome.csrfToken),
                            Form.select(
                                "person", label: "Teacher or mentor",
                                options: [("", "Choose a person")] + m.colleagues.map { ($0.id, $0.name) },
                                selected: nil, problems: m.problems),
                            Form.select(
                                "cohort", label: "Cohort",
                                options: m.cohorts.filter { $0.cohort.placesLeft > 0 }.map {
                                    (
                                        $0.cohort.id.uuidString.lowercased(),
                                        "Starting \($0.cohort.startsOn?.longDescription ?? "") (\($0.cohort.placesLeft) places left)"
                                    )
                                }, selected: nil, problems: m.problems),
                            Form.submit("Ask for a place", secondary: true)))),
                .if(
                    m.canManage,
                    .p(.a(.id("programme-enrolments"), .href("\(base)/enrolments"), .text("Enrolments and cohorts")))),
            ])
    }

    // MARK: A teacher's enrolments

    public struct MineRow: Sendable {
        public var enrolment: CPDEnrolment
        public var programme: CPDProgramme
        public var cohort: CPDCohort
        public init(enrolment: CPDEnrolment, programme: CPDProgramme, cohort: CPDCohort) {
            self.enrolment = enrolment
            self.programme = programme
            self.cohort = cohort
        }
    }

    public static func mine(_ rows: [MineRow], notice: String?, chrome: Chrome) -> HTML {
        Layout.page(
            title: "Your enrolments", section: .cpd, chrome: chrome, breadcrumbs: [.init("CPD catalogue", "/cpd")],
            content: [
                .h1(.text("Your enrolments")),
                .unwrap(notice) { Layout.notice($0) },
                .if(
                    rows.isEmpty,
                    .p(.text("You have no enrolments yet. "), .a(.href("/cpd"), .text("Find a programme"))),
                    else: .group(
                        .p(
                            .a(
                                .id("my-calendar"), .href("/cpd/enrolments.ics"),
                                .text("Your sessions in your calendar (.ics)"))),
                        .table(
                            .class("app-table"), .id("enrolments"),
                            .caption(.class("app-visually-hidden"), .text("Your enrolments")),
                            .thead(
                                .tr(
                                    .th(.text("Programme")), .th(.text("Starts")), .th(.text("Status")),
                                    .th(.class("app-numeric"), .text("Sessions attended")),
                                    .th(.span(.class("app-visually-hidden"), .text("Actions"))))),
                            .tbody(
                                .forEach(rows) { r in
                                    let e = r.enrolment
                                    return .tr(
                                        .td(
                                            .a(
                                                .href("/cpd/\(r.programme.id.uuidString.lowercased())"),
                                                .text(r.programme.title))),
                                        .td(.text(r.cohort.startsOn?.longDescription ?? "")),
                                        .td(.text(e.status.label + (e.reason.map { ": \($0)" } ?? ""))),
                                        .td(
                                            .class("app-numeric"),
                                            .text("\(e.attended.count) of \(r.cohort.sessions.count)")),
                                        .td(
                                            .if(
                                                e.status == .requested || e.status == .accepted,
                                                .form(
                                                    .method(.post),
                                                    .action("/cpd/enrolments/\(e.id.uuidString.lowercased())/withdraw"),
                                                    .class("app-inline-form"),
                                                    Form.csrf(chrome.csrfToken),
                                                    .input(
                                                        .type(.hidden), .name("reason"),
                                                        .value("Withdrawn by the teacher")),
                                                    Form.submit("Withdraw", secondary: true)))))
                                })))),
            ])
    }

    // MARK: Managing

    public struct ManageRow: Sendable {
        public var programme: CPDProgramme
        public var cohorts: Int
        public var counts: [CPDEnrolment.Status: Int]
        public init(programme: CPDProgramme, cohorts: Int, counts: [CPDEnrolment.Status: Int]) {
            self.programme = programme
            self.cohorts = cohorts
            self.counts = counts
        }
    }

    public static func manage(_ rows: [ManageRow], scope: String, chrome: Chrome) -> HTML {
        Layout.page(
            title: "Manage programmes", section: .cpd, chrome: chrome, breadcrumbs: [.init("CPD catalogue", "/cpd")],
            content: [
                .h1(.text("Manage programmes")),
                .p(.text(scope)),
                .p(.a(.class("app-button"), .id("new-programme"), .href("/cpd/new"), .text("Add a programme"))),
                .table(
                    .class("app-table"), .id("managed"),
                    .caption(.class("app-visually-hidden"), .text("Programmes you manage")),
                    .thead(
                        .tr(
                            .th(.text("Programme")), .th(.class("app-numeric"), .text("Cohorts")),
                            .th(.class("app-numeric"), .text("Requested")),
                            .th(.class("app-numeric"), .text("Accepted")),
                            .th(.class("app-numeric"), .text("Completed")))),
                    .tbody(
                        .forEach(rows) { r in
                            .tr(
                                .td(
                                    .a(
                                        .href("/cpd/\(r.programme.id.uuidString.lowercased())/enrolments"),
                                        .text(r.programme.title)),
                                    .span(.class("app-hint"), .text(" \(r.programme.provider)"))),
                                .td(.class("app-numeric"), .text("\(r.cohorts)")),
                                .td(.class("app-numeric"), .text("\(r.counts[.requested] ?? 0)")),
                                .td(.class("app-numeric"), .text("\(r.counts[.accepted] ?? 0)")),
                                .td(.class("app-numeric"), .text("\(r.counts[.completed] ?? 0)")))
                        })),
            ])
    }

    public struct Enrolments: Sendable {
        public var programme: CPDProgramme
        public var cohorts: [(cohort: CPDCohort, enrolments: [CPDEnrolment])]
        /// Names are shown to the managing provider's staff, and to coordinators where individual records are
        /// shared; otherwise counts only.
        public var showNames: Bool
        public var schoolNames: [Int: String]
        public var notice: String?
        public var problems: [ValidationError.Problem]
        public var form: [String: String]
        public init(
            programme: CPDProgramme, cohorts: [(cohort: CPDCohort, enrolments: [CPDEnrolment])], showNames: Bool,
            schoolNames: [Int: String], notice: String?, problems: [ValidationError.Problem], form: [String: String]
        ) {
            self.programme = programme
            self.cohorts = cohorts
            self.showNames = showNames
            self.schoolNames = schoolNames
            self.notice = notice
            self.problems = problems
            self.form = form
        }
    }

    public static func enrolments(_ m: Enrolments, chrome: Chrome) -> HTML {
        let p = m.programme
        let base = "/cpd/\(p.id.uuidString.lowercased())"
        return Layout.page(
            title: m.problems.isEmpty ? "Enrolments: \(p.title)" : "Error: Enrolments: \(p.title)", section: .cpd,
            chrome: chrome, breadcrumbs: [.init("Manage programmes", "/cpd/manage"), .init(p.title, base)],
            content: [
                .span(.class("app-caption-l"), .text(p.title)),
                .h1(.text("Enrolments")),
                .unwrap(m.notice) { Layout.notice($0) },
                Form.errorSummary(m.problems),
                .forEach(Array(m.cohorts.enumerated())) { i, entry in
                    let c = entry.cohort
                    let holding = entry.enrolments.filter(\.status.holdsPlace).count
                    return .div(
                        .class("app-cohort"), .id("cohort-\(i + 1)"),
                        .h2(
                            .text(
                                "Cohort starting \(c.startsOn?.longDescription ?? "unscheduled"): \(holding) of \(c.places) places taken"
                            )),
                        .if(
                            !m.showNames,
                            .p(
                                .text(
                                    "\(entry.enrolments.count) enrolments. Names are shown to the provider's staff, and to coordinators where the partnership shares individual records."
                                )),
                            else: entry.enrolments.isEmpty
                                ? .p(.text("No one has asked for a place yet."))
                                : .table(
                                    .class("app-table"),
                                    .caption(.class("app-visually-hidden"), .text("Enrolments")),
                                    .thead(
                                        .tr(
                                            .th(.text("Teacher")), .th(.text("School")), .th(.text("Status")),
                                            .th(.text("Attendance")), .th(.text("Decide")))),
                                    .tbody(
                                        .forEach(entry.enrolments) { e in
                                            enrolmentRow(e, cohort: c, schoolNames: m.schoolNames, chrome: chrome)
                                        }))))
                },
                .h2(.text("Add a cohort")),
                .form(
                    .method(.post), .action("\(base)/cohorts"), .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    Form.textarea(
                        "sessions", label: "Sessions",
                        hint: "One per line, like 2027-01-14 16:00-17:30", value: m.form["sessions"] ?? "",
                        problems: m.problems),
                    Form.input(
                        "places", label: "Places", value: m.form["places"] ?? "", kind: .number, problems: m.problems),
                    Form.submit("Add cohort")),
            ])
    }

    static func status(_ e: CPDEnrolment) -> String {
        let reason = e.reason.map { ": \($0)" } ?? ""
        return e.status.label + reason
    }

    static func enrolmentRow(_ e: CPDEnrolment, cohort c: CPDCohort, schoolNames: [Int: String], chrome: Chrome)
        -> Node<HTML.TableContext>
    {
        let id = e.id.uuidString.lowercased()
        let school: String = e.urn.map { schoolNames[$0] ?? "URN \($0)" } ?? "Not recorded"
        return .tr(
            .td(.text(e.name)), .td(.text(school)), .td(.text(status(e))),
            .td(attendanceForm(e, id: id, cohort: c, chrome: chrome)),
            .td(decideForm(e, id: id, chrome: chrome)))
    }

    static func attendanceForm(_ e: CPDEnrolment, id: String, cohort c: CPDCohort, chrome: Chrome)
        -> Node<HTML.BodyContext>
    {
        let boxes: [Node<HTML.FormContext>] = c.sessions.enumerated().map { j, s in
            .div(
                .class("app-checkbox"),
                .input(
                    .type(.checkbox), .id("att-\(id)-\(j)"), .name("session"), .value("\(j)"),
                    .checked(e.attended.contains(j))),
                .label(.for("att-\(id)-\(j)"), .text(s.day.longDescription)))
        }
        return .form(
            .method(.post), .action("/cpd/enrolments/\(id)/attendance"),
            Form.csrf(chrome.csrfToken),
            .fieldset(
                .class("app-fieldset"),
                .element(
                    named: "legend", nodes: [.class("app-visually-hidden"), .text("Sessions \(e.name) attended")]),
                .group(boxes)),
            Form.submit("Save attendance", secondary: true))
    }

    static func decideForm(_ e: CPDEnrolment, id: String, chrome: Chrome) -> Node<HTML.BodyContext> {
        let possible = CPDEnrolment.Action.allCases.filter { !e.next($0, reason: "a reason").isFailure }
        guard !possible.isEmpty else { return .text("Nothing to decide") }
        let needsReason = possible.contains(.decline) || possible.contains(.withdraw)
        return .form(
            .method(.post), .action("/cpd/enrolments/\(id)/decide"),
            Form.csrf(chrome.csrfToken),
            .if(
                needsReason,
                .div(
                    .class("app-form-group"),
                    .label(.class("app-label"), .for("reason-\(id)"), .text("Reason (to decline or withdraw)")),
                    .input(.class("app-input"), .id("reason-\(id)"), .name("reason"), .type(.text)))),
            .group(
                possible.map { a in
                    .button(
                        .class(a == .accept || a == .complete ? "app-button" : "app-button app-button--secondary"),
                        .type(.submit), .name("action"), .value(a.rawValue),
                        .text(a.rawValue.capitalized), .span(.class("app-visually-hidden"), .text(" \(e.name)")))
                }))
    }

    // MARK: A new programme

    public static func newProgramme(
        form f: [String: String], provider: String, problems: [ValidationError.Problem], chrome: Chrome
    ) -> HTML {
        return Layout.page(
            title: problems.isEmpty ? "Add a programme" : "Error: Add a programme", section: .cpd, chrome: chrome,
            breadcrumbs: [.init("Manage programmes", "/cpd/manage")],
            content: [
                .h1(.text("Add a programme")),
                Form.errorSummary(problems),
                .form(
                    .method(.post), .action("/cpd/new"), .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    Form.input("provider", label: "Provider", value: f["provider"] ?? provider, problems: problems),
                    Form.input("title", label: "Title", value: f["title"] ?? "", problems: problems),
                    Form.textarea(
                        "summary", label: "Summary", hint: nil, value: f["summary"] ?? "", problems: problems),
                    Form.select(
                        "kind", label: "Kind", options: CPDKind.allCases.map { ($0.rawValue, $0.label) },
                        selected: f["kind"], problems: problems),
                    Form.checkboxes("phases", "Phases", CPDPhase.self, \.label, form: f),
                    Form.checkboxes("subjects", "Subjects", TeachingSubject.self, \.label, form: f),
                    Form.checkboxes("stages", "Career stages", CareerStage.self, \.label, form: f),
                    Form.checkboxes(
                        "areas", "Early Career Framework areas it develops (for suggestions to early-career teachers)",
                        ECFArea.self, \.label, form: f,
                        hint: "Choose none to let its kind decide: subject programmes develop subject and curriculum"),
                    Form.radios(
                        "format", legend: "Format", options: CPDFormat.allCases.map { ($0.rawValue, $0.label, nil) },
                        selected: f["format"], problems: problems),
                    Form.input(
                        "venue", label: "Venue school URN", hint: "Where in-person sessions meet; empty for online",
                        value: f["venue"] ?? "", kind: .number, problems: problems),
                    Form.input(
                        "cost", label: "Cost per place (whole pounds)", hint: "0 when free", value: f["cost"] ?? "0",
                        kind: .number, problems: problems),
                    Form.input(
                        "funded_by", label: "Funded by (optional)", hint: "For example DfE scholarship",
                        value: f["funded_by"] ?? "", problems: problems),
                    Form.textarea(
                        "outcomes", label: "Outcomes (optional)", hint: nil, value: f["outcomes"] ?? "",
                        problems: problems),
                    .h2(.text("First cohort")),
                    Form.textarea(
                        "sessions", label: "Sessions", hint: "One per line, like 2027-01-14 16:00-17:30",
                        value: f["sessions"] ?? "", problems: problems),
                    Form.input("places", label: "Places", value: f["places"] ?? "", kind: .number, problems: problems),
                    Form.submit("Add programme")),
            ])
    }

    // MARK: Take-up

    public struct TakeUpRow: Sendable {
        public var label: String
        public var urn: Int?
        public var count: CPDTakeUp.Count
        public init(label: String, urn: Int?, count: CPDTakeUp.Count) {
            self.label = label
            self.urn = urn
            self.count = count
        }
    }

    public struct TakeUp: Sendable {
        public var schools: [TakeUpRow]
        public var authorities: [TakeUpRow]
        public var kinds: [TakeUpRow]
        public var subjects: [TakeUpRow]
        public var phases: [TakeUpRow]
        public var stages: [TakeUpRow]
        public var schoolsWithout: Int
        /// Every school in the partnership's area, by region, sized by places taken up.
        public var maps: [(region: String, points: [SVGMap.Point])]
        public init(
            schools: [TakeUpRow], authorities: [TakeUpRow], kinds: [TakeUpRow], subjects: [TakeUpRow],
            phases: [TakeUpRow], stages: [TakeUpRow], schoolsWithout: Int,
            maps: [(region: String, points: [SVGMap.Point])]
        ) {
            self.schools = schools
            self.authorities = authorities
            self.kinds = kinds
            self.subjects = subjects
            self.phases = phases
            self.stages = stages
            self.schoolsWithout = schoolsWithout
            self.maps = maps
        }
    }

    static func takeUpTable(_ id: String, _ caption: String, _ first: String, _ rows: [TakeUpRow])
        -> Node<HTML.BodyContext>
    {
        .table(
            .class("app-table"), .id(id),
            .caption(.text(caption)),
            .thead(
                .tr(
                    .th(.text(first)), .th(.class("app-numeric"), .text("Places taken up")),
                    .th(.class("app-numeric"), .text("Completed")))),
            .tbody(
                .forEach(rows) { r in
                    .tr(
                        .td(.text(r.urn.map { "\(r.label) (\($0))" } ?? r.label)),
                        .td(.class("app-numeric"), .text("\(r.count.enrolled)")),
                        .td(.class("app-numeric"), .text("\(r.count.completed)")))
                }))
    }

    public static func takeUp(_ m: TakeUp, chrome: Chrome) -> HTML {
        Layout.page(
            title: "CPD take-up", section: .cpd, chrome: chrome, breadcrumbs: [.init("CPD catalogue", "/cpd")],
            content: [
                .h1(.text("Who takes up CPD")),
                .p(
                    .text(
                        "Places taken up (accepted or completed enrolments) and completions on the catalogue's programmes, by the teacher's school. Counts, not rates: no individual is shown. The same numbers are the CPD take-up indicator on the cold-spots page."
                    )),
                .p(
                    .a(
                        .id("take-up-cold-spots"), .href("/coldspots?indicator=cpd-take-up"),
                        .text("Where teachers get no CPD: take-up cold spots"))),
                .group(
                    m.maps.enumerated().compactMap { i, map -> Node<HTML.BodyContext>? in
                        guard let bounds = SVGMap.Bounds.around(map.points.map(\.at)) else { return nil }
                        return .group(
                            .h2(.text("Take-up by school: \(map.region)")),
                            .raw(
                                SVGMap.render(
                                    id: "take-up-map-\(i + 1)", title: "CPD take-up by school in \(map.region)",
                                    description:
                                        "\(map.points.count) schools; larger, darker circles for more places taken up; small grey circles for none. The school table below gives the same counts.",
                                    bounds: bounds, points: map.points, width: 960)))
                    }),
                .if(!m.maps.isEmpty, .div(.class("app-map-legend"), .raw(SVGMap.countLegend()))),
                takeUpTable("take-up-kinds", "By kind of programme", "Kind", m.kinds),
                takeUpTable("take-up-authorities", "By local authority", "Local authority", m.authorities),
                takeUpTable("take-up-phases", "By the phase of the teacher's school", "Phase", m.phases),
                takeUpTable("take-up-subjects", "By the programme's subject", "Subject", m.subjects),
                takeUpTable("take-up-stages", "By the programme's career stage", "Career stage", m.stages),
                .p(
                    .class("app-hint"),
                    .text(
                        "A programme for several subjects or career stages counts under each; one for any counts under \"Any\"."
                    )),
                takeUpTable("take-up-schools", "By school", "School", m.schools),
                .p(.text("\(m.schoolsWithout) schools in the partnership's area have no take-up yet.")),
            ])
    }
}

import Domain
import Foundation
import Plot

/// School experience: candidates find and request dates; schools publish dates and answer requests.
public enum ExperiencePages {
    public struct Row: Sendable {
        public var date: ExperienceDate
        public var school: String
        public var town: String
        public var km: Double?
        public init(date: ExperienceDate, school: String, town: String, km: Double?) {
            self.date = date
            self.school = school
            self.town = town
            self.km = km
        }
    }

    static func subject(_ d: ExperienceDate) -> String { d.subject?.label ?? "Any subject" }

    static func path(_ d: ExperienceDate) -> String { "/experience/\(d.id.uuidString.lowercased())" }

    public struct Search: Sendable {
        public var rows: [Row]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var isCandidate: Bool
        public var signedIn: Bool
        public init(
            rows: [Row], form: [String: String], problems: [ValidationError.Problem], isCandidate: Bool, signedIn: Bool
        ) {
            self.rows = rows
            self.form = form
            self.problems = problems
            self.isCandidate = isCandidate
            self.signedIn = signedIn
        }
    }

    public static func search(_ m: Search, chrome: Chrome) -> HTML {
        let f = m.form
        let filtered = f.values.contains { !$0.isEmpty }
        return Layout.page(
            title: m.problems.isEmpty ? "School experience" : "Error: School experience", section: .experience,
            chrome: chrome,
            content: [
                .h1(.text("Get school experience")),
                .p(
                    .text(
                        "Spend time in a classroom at one of the partnership's schools before you apply to teach. Find a date near you, then ask for a place: the school accepts or declines, and you see its answer here."
                    )),
                .p(
                    .if(
                        m.isCandidate,
                        .group(
                            .a(.id("my-requests"), .href("/experience/requests"), .text("Your requests")), .text(" · "))
                    ),
                    .a(
                        .id("events-link"), .href("/events"),
                        .text("Events: train to teach evenings, open days and workshops"))),
                Form.errorSummary(m.problems),
                .div(
                    .class("app-grid-row"),
                    Layout.filterPanel(
                        action: "/experience", filtered: filtered,
                        Form.input(
                            "postcode", label: "Near postcode", value: f["postcode"] ?? "",
                            problems: m.problems),
                        Form.input(
                            "within", label: "Within (km)", value: f["within"] ?? "25", kind: .number,
                            problems: m.problems),
                        Form.select(
                            "subject", label: "Subject",
                            options: Form.anyOptions(TeachingSubject.self, \.label),
                            selected: f["subject"], problems: m.problems),
                        Form.select(
                            "phase", label: "Phase",
                            options: Form.anyOptions(CPDPhase.self, \.label),
                            selected: f["phase"], problems: m.problems)),
                    .div(
                        .class("app-grid-column-two-thirds"),
                        .h2(.id("results-count"), .text("\(m.rows.count) date\(m.rows.count == 1 ? "" : "s")")),
                        .if(
                            m.rows.isEmpty,
                            .p(
                                .text(
                                    "No school offers a date that matches. Try a wider distance or any subject; the partnership records searches like this one so schools know where candidates are looking."
                                ))),
                        .ul(
                            .class("app-list"), .id("dates"),
                            .forEach(m.rows) { r in
                                .li(
                                    .class("app-result"),
                                    .h3(.a(.href(path(r.date)), .text("\(r.school), \(r.date.day.longDescription)"))),
                                    .p(
                                        .class("app-hint"),
                                        .text(
                                            "\(r.town) · \(r.date.length.label) · \(r.date.phase.label) · \(subject(r.date))"
                                                + (r.km.map { String(format: " · %.1f km away", $0) } ?? ""))),
                                    .p(
                                        .text(
                                            r.date.placesLeft > 0
                                                ? "\(r.date.placesLeft) of \(r.date.places) place\(r.date.places == 1 ? "" : "s") left"
                                                : "Full")))
                            }),
                        .if(
                            !m.signedIn,
                            .p(.text("Sign in as an applicant or undergraduate to ask for a place."))))),
            ])
    }

    // MARK: One date

    public struct Detail: Sendable {
        public var row: Row
        public var mine: ExperienceRequest?
        public var isCandidate: Bool
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?
        public init(
            row: Row, mine: ExperienceRequest?, isCandidate: Bool, form: [String: String],
            problems: [ValidationError.Problem], notice: String?
        ) {
            self.row = row
            self.mine = mine
            self.isCandidate = isCandidate
            self.form = form
            self.problems = problems
            self.notice = notice
        }
    }

    public static func detail(_ m: Detail, chrome: Chrome) -> HTML {
        let d = m.row.date
        let canAsk =
            m.isCandidate && d.placesLeft > 0
            && (m.mine.map { !$0.status.holdsPlace && $0.status != .didNotAttend } ?? true)
        return Layout.page(
            title: m.problems.isEmpty ? "School experience at \(m.row.school)" : "Error: School experience",
            section: .experience, chrome: chrome, breadcrumbs: [.init("School experience", "/experience")],
            content: [
                .span(.class("app-caption-l"), .text(m.row.school)),
                .h1(.text("School experience on \(d.day.longDescription)")),
                .unwrap(m.notice) { Layout.notice($0) },
                Form.errorSummary(m.problems),
                .if(d.generated, .div(.class("app-inset"), .text("A demo date, generated for the demo partnership."))),
                Layout.summaryList([
                    ("School", .a(.href("/schools/\(d.urn)"), .text("\(m.row.school), \(m.row.town)"))),
                    ("How long", .text(d.length.label)), ("Phase", .text(d.phase.label)),
                    ("Subject", .text(subject(d))),
                    ("Places", .text(d.placesLeft > 0 ? "\(d.placesLeft) of \(d.places) left" : "Full")),
                    ("What to expect", .text(d.expectations)), ("DBS check", .text(d.dbs.label)),
                    (
                        "Access needs the school can meet",
                        .text(d.access.isEmpty ? "Not stated: ask the school" : d.access)
                    ),
                ]),
                .unwrap(m.mine) { r in
                    .p(
                        .id("your-request"),
                        .strong(.text("Your request: \(r.status.label)")),
                        .text(r.reason.map { ". \($0)" } ?? ""))
                },
                .if(
                    canAsk,
                    .form(
                        .method(.post), .action("\(path(d))/request"),
                        .attribute(named: "novalidate", value: "novalidate"),
                        Form.csrf(chrome.csrfToken),
                        .h2(.text("Ask for a place")),
                        Form.textarea(
                            "objectives", label: "What do you hope to learn from the day?",
                            hint: "The school reads this; \(ExperienceRequest.maxText) characters or fewer",
                            value: m.form["objectives"] ?? "", problems: m.problems),
                        Form.select(
                            "stage", label: "Where are you in your studies?",
                            options: [("", "Choose one")] + DegreeStage.allCases.map { ($0.rawValue, $0.label) },
                            selected: m.form["stage"], problems: m.problems),
                        Form.submit("Ask for a place"))),
                .if(
                    chrome.person == nil,
                    .p(.text("Sign in as an applicant or undergraduate to ask for a place."))),
            ])
    }

    // MARK: A candidate's requests

    public static func mine(_ rows: [(request: ExperienceRequest, row: Row)], notice: String?, chrome: Chrome) -> HTML {
        Layout.page(
            title: "Your school experience requests", section: .experience, chrome: chrome,
            breadcrumbs: [.init("School experience", "/experience")],
            content: [
                .h1(.text("Your school experience requests")),
                .unwrap(notice) { Layout.notice($0) },
                .if(
                    rows.isEmpty,
                    .p(
                        .id("no-requests"), .text("You have not asked for any dates yet. "),
                        .a(.href("/experience"), .text("Find a date")))),
                .if(
                    !rows.isEmpty,
                    .table(
                        .class("app-table"), .id("requests"),
                        .caption(.class("app-visually-hidden"), .text("Your requests")),
                        .thead(.tr(.th(.text("School and date")), .th(.text("Status")), .th(.text("Change")))),
                        .tbody(.forEach(rows) { mineRow($0.request, $0.row, csrf: chrome.csrfToken) }))),
            ])
    }

    static func mineRow(_ r: ExperienceRequest, _ row: Row, csrf: String) -> Node<HTML.TableContext> {
        let withdraw: Node<HTML.BodyContext> =
            r.status == .requested || r.status == .accepted
            ? .form(
                .method(.post), .action("/experience/requests/\(r.id.uuidString.lowercased())/withdraw"),
                .class("app-inline-form"), Form.csrf(csrf),
                Form.input("reason-\(r.id.uuidString.lowercased())", label: "Reason for withdrawing"),
                Form.submit("Withdraw", secondary: true))
            : .empty
        return .tr(
            .td(.a(.href(path(row.date)), .text("\(row.school), \(row.date.day.longDescription)"))),
            .td(.text(r.status.label + (r.reason.map { ": \($0)" } ?? ""))), .td(withdraw))
    }

    // MARK: A school's dates and requests

    public struct SchoolView: Sendable {
        public var urn: Int
        public var school: String
        public var dates: [(date: ExperienceDate, requests: [(request: ExperienceRequest, others: Int)])]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?
        public var today: Day
        public init(
            urn: Int, school: String,
            dates: [(date: ExperienceDate, requests: [(request: ExperienceRequest, others: Int)])],
            form: [String: String], problems: [ValidationError.Problem], notice: String?, today: Day
        ) {
            self.urn = urn
            self.school = school
            self.dates = dates
            self.form = form
            self.problems = problems
            self.notice = notice
            self.today = today
        }
    }

    public static func school(_ m: SchoolView, chrome: Chrome) -> HTML {
        let f = m.form
        let base = "/schools/\(m.urn)/experience"
        var content: [Node<HTML.BodyContext>] = [
            .span(.class("app-caption-l"), .text(m.school)),
            .h1(.text("School experience")),
            .unwrap(m.notice) { Layout.notice($0) },
            Form.errorSummary(m.problems),
        ]
        if m.dates.isEmpty { content.append(.p(.id("no-dates"), .text("You have not offered any dates yet."))) }
        for (d, requests) in m.dates {
            content.append(
                .section(
                    .class("app-dashboard-section"), .id("date-\(d.id.uuidString.lowercased())"),
                    .h2(
                        .text(
                            "\(d.day.longDescription): \(d.length.label.lowercased()), \(d.phase.label.lowercased()), \(subject(d).lowercased())"
                        )),
                    .p(
                        .class("app-hint"),
                        .text("\(d.placesLeft) of \(d.places) place\(d.places == 1 ? "" : "s") left")),
                    requests.isEmpty
                        ? .p(.text("No requests yet."))
                        : .table(
                            .class("app-table"),
                            .caption(.class("app-visually-hidden"), .text("Requests for \(d.day.longDescription)")),
                            .thead(
                                .tr(
                                    .th(.text("Candidate")), .th(.text("Hopes to learn")), .th(.text("Status")),
                                    .th(.text("Answer")))),
                            .tbody(
                                .forEach(requests) {
                                    requestRow(
                                        $0.request, others: $0.others, date: d, base: base, m: m, csrf: chrome.csrfToken
                                    )
                                }))))
        }
        content += [
            .h2(.id("offer-a-date"), .text("Offer a date")),
            .form(
                .method(.post), .action(base), .attribute(named: "novalidate", value: "novalidate"),
                Form.csrf(chrome.csrfToken),
                Form.input(
                    "day", label: "Date", hint: "For example \(Day(ordinal: m.today.ordinal + 30))",
                    value: f["day"] ?? "",
                    kind: .date, problems: m.problems),
                Form.select(
                    "length", label: "How long", options: ExperienceLength.allCases.map { ($0.rawValue, $0.label) },
                    selected: f["length"], problems: m.problems),
                Form.select(
                    "phase", label: "Phase", options: CPDPhase.allCases.map { ($0.rawValue, $0.label) },
                    selected: f["phase"], problems: m.problems),
                Form.select(
                    "subject", label: "Subject",
                    options: [("", "Any subject")] + TeachingSubject.allCases.map { ($0.rawValue, $0.label) },
                    selected: f["subject"], problems: m.problems),
                Form.input("places", label: "Places", value: f["places"] ?? "2", kind: .number, problems: m.problems),
                Form.textarea(
                    "expectations", label: "What a candidate can expect", hint: nil, value: f["expectations"] ?? "",
                    problems: m.problems),
                Form.select(
                    "dbs", label: "DBS check", options: DBSPolicy.allCases.map { ($0.rawValue, $0.label) },
                    selected: f["dbs"], problems: m.problems),
                Form.textarea(
                    "access", label: "Access needs you can meet (optional)",
                    hint: "For example step-free access, a quiet room", value: f["access"] ?? "", problems: m.problems),
                Form.submit("Offer the date")),
        ]
        return Layout.page(
            title: m.problems.isEmpty ? "School experience: \(m.school)" : "Error: School experience: \(m.school)",
            section: .experience, chrome: chrome, content: content)
    }

    static func requestRow(
        _ r: ExperienceRequest, others: Int, date d: ExperienceDate, base: String, m: SchoolView, csrf: String
    ) -> Node<HTML.TableContext> {
        let id = r.id.uuidString.lowercased()
        var actions: [ExperienceRequest.Action] = []
        switch r.status {
        case .requested: actions = [.accept, .decline]
        case .accepted: actions = m.today >= d.day ? [.attended, .didNotAttend, .cancel] : [.cancel]
        default: actions = []
        }
        let needsReason = actions.contains(.decline) || actions.contains(.cancel)
        let answer: Node<HTML.BodyContext> =
            actions.isEmpty
            ? .empty
            : .form(
                .method(.post), .action("\(base)/requests/\(id)"), Form.csrf(csrf),
                .if(
                    needsReason,
                    Form.input(
                        "reason", label: "Reason (to decline or cancel)",
                        problems: m.problems.filter { $0.field == "reason-\(id)" }.map {
                            .init(field: "reason", message: $0.message)
                        })),
                .group(
                    actions.map { a in
                        .button(
                            .class(a == .accept || a == .attended ? "app-button" : "app-button app-button--secondary"),
                            .type(.submit), .name("action"), .value(a.rawValue),
                            .text(label(a)), .span(.class("app-visually-hidden"), .text(" \(r.name)")))
                    }))
        return .tr(
            .td(
                .text("\(r.name) (\(r.stage.label.lowercased()))"),
                .if(
                    others > 1,
                    .p(.class("app-hint"), .text("Has asked for \(others - 1) other date\(others == 2 ? "" : "s")")))),
            .td(.text(r.objectives)), .td(.text(r.status.label + (r.reason.map { ": \($0)" } ?? ""))), .td(answer))
    }

    static func label(_ a: ExperienceRequest.Action) -> String {
        switch a {
        case .accept: "Accept"
        case .decline: "Decline"
        case .cancel: "Cancel"
        case .attended: "Attended"
        case .didNotAttend: "Did not attend"
        case .withdraw: "Withdraw"
        }
    }
}

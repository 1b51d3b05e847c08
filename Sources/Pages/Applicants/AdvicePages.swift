import Domain
import Foundation
import Plot

/// Pre-application support: a candidate asks for an adviser; advisers (providers' staff and coordinators) take
/// cases, log contacts, check eligibility, agree next steps and close cases with an outcome.
public enum AdvicePages {
    public static let path = "/advice"
    public static let casesPath = "/advice/cases"
    public static func path(_ id: UUID) -> String { "/advice/cases/\(id.uuidString.lowercased())" }

    static func contactList(_ contacts: [AdviceContact]) -> Node<HTML.BodyContext> {
        .if(
            !contacts.isEmpty,
            .table(
                .class("app-table"), .id("contacts"), .caption(.text("Contacts")),
                .thead(
                    .tr(.th(.text("Date")), .th(.text("How")), .th(.text("What was discussed")), .th(.text("Adviser")))),
                .tbody(
                    .forEach(contacts) { c in
                        .tr(
                            .td(.class("app-nowrap"), .text(c.day.longDescription)), .td(.text(c.channel.label)),
                            .td(.text(c.note)), .td(.text(c.author)))
                    })))
    }

    static func eligibilityRows(_ e: EligibilityCheck) -> [(String, Node<HTML.BodyContext>)] {
        [
            ("GCSE English", .text(e.english.label)), ("GCSE maths", .text(e.maths.label)),
            ("GCSE science (primary)", .text(e.science.label)), ("Degree", .text(e.degree.label)),
            ("Equivalency tests", .text(e.equivalency.isEmpty ? "None noted" : e.equivalency)),
            ("Next steps", .text(e.nextSteps.isEmpty ? "None agreed yet" : e.nextSteps)),
        ]
    }

    // MARK: The candidate

    public static func candidate(
        _ cases: [(AdviceCase, [AdviceContact])], form: [String: String], problems: [ValidationError.Problem],
        notice: String?, chrome: Chrome
    ) -> HTML {
        let open = cases.first { $0.0.state != .closed }
        return Layout.page(
            title: problems.isEmpty ? "Adviser support" : "Error: Adviser support", section: .experience,
            chrome: chrome,
            content: [
                .h1(.text("Adviser support")),
                .p(
                    .text(
                        "An adviser from one of the partnership's providers can talk you through routes and funding, check whether your qualifications meet the entry requirements (GCSE English and maths, science for primary, and a degree), and help you get your application ready."
                    )),
                .unwrap(m: notice),
                Form.errorSummary(problems),
                .forEach(cases) { c, contacts in
                    .section(
                        .class("app-inset"), .id("case-\(c.id.uuidString.lowercased())"),
                        .h2(.text("Your request: \(c.state.label)")),
                        Layout.summaryList(
                            [
                                ("You asked about", .text(c.interest)),
                                ("Your adviser", .text(c.adviserName ?? "Not assigned yet")),
                            ] + eligibilityRows(c.eligibility)
                                + (c.outcome.map { [("Outcome", .text($0.label))] } ?? [])),
                        contactList(contacts))
                },
                .if(
                    open == nil,
                    .group(
                        .h2(.text("Ask for an adviser")),
                        .form(
                            .method(.post), .action(path), Form.csrf(chrome.csrfToken),
                            Form.input(
                                "interest", label: "Which subject or phase are you thinking of teaching?",
                                value: form["interest"] ?? "", problems: problems),
                            Form.select(
                                "stage", label: "Where are you in your studies or career?",
                                options: [(value: "", label: "Choose")]
                                    + DegreeStage.allCases.map { (value: $0.rawValue, label: $0.label) },
                                selected: form["stage"], problems: problems),
                            Form.textarea(
                                "question", label: "What would you like help with?",
                                hint:
                                    "For example: which route suits me, whether my qualifications are enough, my personal statement.",
                                value: form["question"] ?? "", problems: problems),
                            Form.submit("Ask for an adviser")))),
            ])
    }

    // MARK: The caseload

    static func caseRow(_ c: AdviceCase, now: Date) -> Node<HTML.TableContext> {
        .tr(
            .td(.a(.href(path(c.id)), .text(c.name))), .td(.text(c.stage.label)), .td(.text(c.interest)),
            .td(.text(c.state.label + (c.outcome.map { ": \($0.label.lowercased())" } ?? ""))),
            .td(.text(c.adviserName ?? "")),
            .td(.class("app-numeric"), .text("\(c.daysWaiting(now: now))")))
    }

    public static func caseload(_ cases: [AdviceCase], state: String, now: Date, chrome: Chrome) -> HTML {
        let waiting = cases.filter { $0.state == .waiting }
        let shown = state.isEmpty ? cases.filter { $0.state != .closed } : cases.filter { $0.state.rawValue == state }
        let counts = AdviceCase.State.allCases.map { s in
            "\(cases.filter { $0.state == s }.count) \(s.label.lowercased())"
        }
        return Layout.page(
            title: "Adviser caseload", section: .experience, chrome: chrome,
            content: [
                .h1(.text("Adviser caseload")),
                .p(.id("caseload-summary"), .text(counts.joined(separator: " · ") + ".")),
                .if(
                    !waiting.isEmpty,
                    .p(
                        .text(
                            "The longest wait for an adviser is \(waiting.map { $0.daysWaiting(now: now) }.max() ?? 0) days."
                        ))),
                .div(
                    .class("app-grid-row"),
                    Layout.filterPanel(
                        action: casesPath, filtered: !state.isEmpty,
                        Form.select(
                            "state", label: "State",
                            options: [(value: "", label: "Not closed")]
                                + AdviceCase.State.allCases.map { (value: $0.rawValue, label: $0.label) },
                            selected: state)),
                    .div(
                        .class("app-grid-column-two-thirds"),
                        .table(
                            .class("app-table"), .id("cases"), .caption(.text("\(shown.count) cases")),
                            .thead(
                                .tr(
                                    .th(.text("Candidate")), .th(.text("Stage")), .th(.text("Interested in")),
                                    .th(.text("State")), .th(.text("Adviser")),
                                    .th(.class("app-numeric"), .text("Days waiting")))),
                            .tbody(.forEach(shown) { caseRow($0, now: now) })))),
            ])
    }

    // MARK: One case

    public struct CaseModel: Sendable {
        public var adviceCase: AdviceCase
        public var contacts: [AdviceContact]
        /// Advisers a coordinator may assign the case to.
        public var advisers: [(value: String, label: String)]
        /// The viewer may change the case: its adviser, or a coordinator.
        public var canAct: Bool
        public var canTake: Bool
        public var primary: Bool
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?
        public var today: Day
        public var now: Date

        public init(
            adviceCase: AdviceCase, contacts: [AdviceContact], advisers: [(value: String, label: String)],
            canAct: Bool, canTake: Bool, primary: Bool, form: [String: String], problems: [ValidationError.Problem],
            notice: String?, today: Day, now: Date
        ) {
            self.adviceCase = adviceCase
            self.contacts = contacts
            self.advisers = advisers
            self.canAct = canAct
            self.canTake = canTake
            self.primary = primary
            self.form = form
            self.problems = problems
            self.notice = notice
            self.today = today
            self.now = now
        }
    }

    static func checkSelect(_ id: String, _ label: String, _ value: QualificationCheck, _ m: CaseModel)
        -> Node<HTML.FormContext>
    {
        Form.select(
            id, label: label, options: QualificationCheck.allCases.map { (value: $0.rawValue, label: $0.label) },
            selected: m.form[id] ?? value.rawValue, problems: m.problems)
    }

    static func actions(_ m: CaseModel, chrome: Chrome) -> Node<HTML.BodyContext> {
        let c = m.adviceCase
        let base = path(c.id)
        let e = c.eligibility
        return .group(
            .if(
                c.state == .waiting && m.canTake,
                Form.button("Take this case", action: base + "/take", csrf: chrome.csrfToken)),
            .if(
                c.state == .waiting && !m.advisers.isEmpty,
                .form(
                    .method(.post), .action(base + "/assign"), Form.csrf(chrome.csrfToken),
                    Form.select(
                        "adviser", label: "Assign to an adviser",
                        options: [(value: "", label: "Choose")] + m.advisers, selected: m.form["adviser"],
                        problems: m.problems),
                    Form.submit("Assign", secondary: true))),
            .if(
                m.canAct && (c.state == .active || c.state == .applied),
                .group(
                    .h2(.text("Log a contact")),
                    .form(
                        .method(.post), .action(base + "/contacts"), Form.csrf(chrome.csrfToken),
                        Form.input(
                            "day", label: "Date", value: m.form["day"] ?? m.today.description, kind: .date,
                            problems: m.problems),
                        Form.select(
                            "channel", label: "How",
                            options: AdviceContact.Channel.allCases.map { (value: $0.rawValue, label: $0.label) },
                            selected: m.form["channel"], problems: m.problems),
                        Form.textarea(
                            "note", label: "What was discussed", hint: nil, value: m.form["note"] ?? "",
                            problems: m.problems),
                        Form.submit("Log the contact", secondary: true)),
                    .h2(.text("Eligibility and next steps")),
                    .form(
                        .method(.post), .action(base + "/eligibility"), Form.csrf(chrome.csrfToken),
                        checkSelect("english", "GCSE English", e.english, m),
                        checkSelect("maths", "GCSE maths", e.maths, m),
                        checkSelect("science", "GCSE science (needed for primary)", e.science, m),
                        Form.select(
                            "degree", label: "Degree",
                            options: DegreeCheck.allCases.map { (value: $0.rawValue, label: $0.label) },
                            selected: m.form["degree"] ?? e.degree.rawValue, problems: m.problems),
                        Form.textarea(
                            "equivalency", label: "Equivalency tests needed", hint: nil,
                            value: m.form["equivalency"] ?? e.equivalency, problems: m.problems),
                        Form.textarea(
                            "next_steps", label: "Next steps agreed", hint: "The candidate sees these.",
                            value: m.form["next_steps"] ?? e.nextSteps, problems: m.problems),
                        Form.submit("Save the check", secondary: true)),
                    .if(
                        c.state == .active,
                        Form.button("The candidate has applied", action: base + "/applied", csrf: chrome.csrfToken)),
                    .h2(.text("Close the case")),
                    .form(
                        .method(.post), .action(base + "/close"), Form.csrf(chrome.csrfToken),
                        Form.select(
                            "outcome", label: "Outcome",
                            options: [(value: "", label: "Choose")]
                                + AdviceCase.Outcome.allCases.map { (value: $0.rawValue, label: $0.label) },
                            selected: m.form["outcome"], problems: m.problems),
                        Form.input(
                            "close_note", label: "Note (optional)", value: m.form["close_note"] ?? "",
                            problems: m.problems),
                        Form.submit("Close the case", warning: true)))))
    }

    public static func casePage(_ m: CaseModel, chrome: Chrome) -> HTML {
        let c = m.adviceCase
        let gaps = c.eligibility.gaps(primary: m.primary)
        return Layout.page(
            title: m.problems.isEmpty ? "Adviser case: \(c.name)" : "Error: Adviser case: \(c.name)",
            section: .experience, chrome: chrome, breadcrumbs: [.init("Adviser caseload", casesPath)],
            content: [
                .h1(.text(c.name)),
                .p(.class("app-hint"), .id("case-state"), .text(c.state.label)),
                .unwrap(m: m.notice),
                Form.errorSummary(m.problems),
                Layout.summaryList(
                    [
                        ("Stage", .text(c.stage.label)), ("Interested in", .text(c.interest)),
                        ("Asked for help with", .text(c.question)),
                        ("Asked on", .text(Day.inUK(c.requestedAt).longDescription)),
                        ("Days waiting for an adviser", .text("\(c.daysWaiting(now: m.now))")),
                        ("Adviser", .text(c.adviserName ?? "Not assigned")),
                        (
                            "Still to sort out",
                            .text(gaps.isEmpty ? "Nothing: meets the entry requirements" : gaps.joined(separator: "; "))
                        ),
                    ]
                        + (c.outcome.map {
                            [("Outcome", .text($0.label + (c.outcomeNote.isEmpty ? "" : ": \(c.outcomeNote)")))]
                        } ?? [])),
                contactList(m.contacts),
                actions(m, chrome: chrome),
            ])
    }
}

extension Node where Context == HTML.BodyContext {
    /// A success notice when there is one.
    static func unwrap(m notice: String?) -> Node { .unwrap(notice) { Layout.notice($0) } }
}

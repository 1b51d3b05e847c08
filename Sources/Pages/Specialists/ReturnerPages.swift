import Domain
import Foundation
import Plot

/// Returners to maths and science: the pipeline in numbers for coordinators and recruitment partners; the people
/// in it, and the register's former teachers who could be, for coordinators.
public enum ReturnerPages {
    public struct Row: Sendable {
        public var returner: Returner
        public var area: String
        /// Where they are now: the last step, or back in post when the register shows them teaching again.
        public var stage: Returner.Stage

        public init(returner: Returner, area: String, stage: Returner.Stage) {
            self.returner = returner
            self.area = area
            self.stage = stage
        }
    }

    public struct Leaver: Sendable {
        public var teacher: UUID
        public var name: String
        public var subject: TeachingSubject
        public var lastSchool: String
        public var leftOn: Day

        public init(teacher: UUID, name: String, subject: TeachingSubject, lastSchool: String, leftOn: Day) {
            self.teacher = teacher
            self.name = name
            self.subject = subject
            self.lastSchool = lastSchool
            self.leftOn = leftOn
        }
    }

    public struct ListModel: Sendable {
        public var bySubject: ReturnerFigures
        public var byArea: ReturnerFigures
        /// The people, for those who may see them (coordinators); nil otherwise.
        public var rows: [Row]?
        public var leavers: [Leaver]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?

        public init(
            bySubject: ReturnerFigures, byArea: ReturnerFigures, rows: [Row]?, leavers: [Leaver],
            form: [String: String] = [:], problems: [ValidationError.Problem] = [], notice: String? = nil
        ) {
            self.bySubject = bySubject
            self.byArea = byArea
            self.rows = rows
            self.leavers = leavers
            self.form = form
            self.problems = problems
            self.notice = notice
        }
    }

    static func th(_ text: String, numeric: Bool = false) -> Node<HTML.TableRowContext> {
        SpecialistPages.header(text, numeric: numeric)
    }

    static func figures(_ id: String, caption: String, first: String, _ f: ReturnerFigures) -> Node<HTML.BodyContext> {
        let stages = Returner.Stage.allCases
        return .table(
            .class("app-table"), .id(id),
            .caption(.class("app-table__caption"), .text(caption)),
            .thead(.tr(th(first), .group(stages.map { th($0.label, numeric: true) }))),
            .tbody(
                .forEach(f.rows) { row in
                    .tr(
                        .th(.attribute(named: "scope", value: "row"), .text(row.name)),
                        .group(
                            stages.map { s in
                                SpecialistPages.numeric(
                                    ReturnerFigures.shown(row.counts[s] ?? 0).map(\.formatted) ?? "fewer than 10")
                            }))
                }))
    }

    static let subjectOptions = [("", "Choose a subject")] + Returner.subjects.map { ($0.rawValue, $0.label) }

    public static func list(_ m: ListModel, chrome: Chrome) -> HTML {
        let title = "Returners to maths and science"
        var content: [Node<HTML.BodyContext>] = [
            .h1(.class("app-heading-xl"), .text(title)),
            .p(
                .class("app-body-l"),
                .text(
                    "Former teachers coming back to teach maths or science: from registering interest, through a refresher course or TSST, school experience and applying, to being back in post. Someone the register shows teaching again at a school since they registered counts as back in post."
                )),
        ]
        if let n = m.notice { content.append(Layout.notice(n)) }
        content.append(Form.errorSummary(m.problems))
        content.append(.h2(.text("Where returners are now")))
        content.append(
            .p(.text("Counts of 1 to 9 people are shown as \u{201C}fewer than 10\u{201D}.")))
        content.append(figures("by-subject", caption: "Returners by subject and stage", first: "Subject", m.bySubject))
        content.append(
            figures(
                "by-area", caption: "Returners by local authority (where they live, or their last school) and stage",
                first: "Local authority", m.byArea))
        guard let rows = m.rows else {
            return Layout.page(
                title: title, section: .dashboard, chrome: chrome,
                breadcrumbs: [.init("Dashboard", SitePath.dashboard)],
                content: content)
        }
        content.append(.h2(.text("Returners")))
        if rows.isEmpty {
            content.append(.p(.id("no-returners"), .text("No one is in the pipeline yet.")))
        } else {
            content.append(
                .table(
                    .class("app-table"), .id("returners"),
                    .caption(.class("app-table__caption"), .text("Everyone in the pipeline, by name")),
                    .thead(.tr(th("Name"), th("Subject"), th("Area"), th("Stage"), th("Since"))),
                    .tbody(
                        .forEach(rows) { r in
                            .tr(
                                .td(
                                    .a(
                                        .href("/returners/\(r.returner.id.uuidString.lowercased())"),
                                        .text(r.returner.name))),
                                .td(.text(r.returner.subject.label)), .td(.text(r.area)), .td(.text(r.stage.label)),
                                .td(.text(r.returner.since?.longDescription ?? "")))
                        })))
        }
        content.append(.h2(.id("add"), .text("Record someone who registered interest")))
        content.append(
            .form(
                .method(.post), .action("/returners"), .id("add-returner"), Form.csrf(chrome.csrfToken),
                Form.input("name", label: "Full name", value: m.form["name"] ?? "", problems: m.problems),
                Form.input(
                    "email", label: "Email address", value: m.form["email"] ?? "", kind: .email, autocomplete: "off",
                    problems: m.problems),
                Form.select(
                    "subject", label: "Subject they want to teach", options: subjectOptions,
                    selected: m.form["subject"], problems: m.problems),
                Form.input(
                    "postcode", label: "Home postcode (optional)", hint: "For the figures by area.",
                    value: m.form["postcode"] ?? "", problems: m.problems),
                Form.input(
                    "on", label: "Registered interest on", hint: "For example, 2026-11-30.",
                    value: m.form["on"] ?? "", kind: .date, problems: m.problems),
                Form.submit("Add to the pipeline")))
        content.append(.h2(.id("leavers"), .text("Former maths and science teachers in the register")))
        if m.leavers.isEmpty {
            content.append(
                .p(
                    .text(
                        "No one in the register has left a school with a maths or science qualification and is not already in the pipeline."
                    )))
        } else {
            content.append(
                .p(
                    .text(
                        "Teachers with a maths or science qualification whose last period at a school has ended. Add one to the pipeline when they tell the partnership they are interested in returning; their record stays linked, not copied."
                    )))
            content.append(
                .table(
                    .class("app-table"), .id("register-leavers"),
                    .caption(
                        .class("app-table__caption"),
                        .text("Leavers with a maths or science qualification, most recent first")),
                    .thead(
                        .tr(
                            th("Name"), th("Subject"), th("Last school"), th("Left"),
                            .th(.span(.class("app-visually-hidden"), .text("Action"))))),
                    .tbody(
                        .forEach(m.leavers.prefix(100)) { l in
                            .tr(
                                .td(.text(l.name)), .td(.text(l.subject.label)), .td(.text(l.lastSchool)),
                                .td(.text(l.leftOn.longDescription)),
                                .td(
                                    .form(
                                        .method(.post), .action("/returners/from-register"),
                                        Form.csrf(chrome.csrfToken),
                                        .input(
                                            .type(.hidden), .name("teacher"), .value(l.teacher.uuidString.lowercased())),
                                        .button(
                                            .class("app-button app-button--secondary"), .type(.submit),
                                            .text("Record interest"),
                                            .span(.class("app-visually-hidden"), .text(" for \(l.name)"))))))
                        })))
        }
        return Layout.page(
            title: m.problems.isEmpty ? title : "Error: \(title)", section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }

    public struct DetailModel: Sendable {
        public var row: Row
        /// The school the register shows them back at, when it does.
        public var backAt: String?
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?

        public init(
            row: Row, backAt: String?, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
            notice: String? = nil
        ) {
            self.row = row
            self.backAt = backAt
            self.form = form
            self.problems = problems
            self.notice = notice
        }
    }

    public static func detail(_ m: DetailModel, chrome: Chrome) -> HTML {
        let r = m.row.returner
        let path = "/returners/\(r.id.uuidString.lowercased())"
        var content: [Node<HTML.BodyContext>] = [.h1(.class("app-heading-xl"), .text(r.name))]
        if let n = m.notice { content.append(Layout.notice(n)) }
        content.append(Form.errorSummary(m.problems))
        content.append(
            .dl(
                .class("app-summary-list"),
                .div(.class("app-summary-list__row"), .dt(.text("Subject")), .dd(.text(r.subject.label))),
                .div(
                    .class("app-summary-list__row"), .dt(.text("Email")),
                    .dd(.text(r.email.isEmpty ? "Not recorded" : r.email))),
                .div(.class("app-summary-list__row"), .dt(.text("Area")), .dd(.text(m.row.area))),
                .div(
                    .class("app-summary-list__row"), .dt(.text("Stage now")),
                    .dd(.id("stage-now"), .text(m.row.stage.label))),
                .unwrap(r.teacher) { t in
                    .div(
                        .class("app-summary-list__row"), .dt(.text("Teacher register")),
                        .dd(.a(.href("/teachers/\(t.uuidString.lowercased())"), .text("Their register record"))))
                }))
        if let at = m.backAt {
            content.append(
                .div(
                    .class("app-inset"), .text("The register shows them teaching at \(at) since registering interest."))
            )
        }
        content.append(
            .table(
                .class("app-table"), .id("steps"),
                .caption(.class("app-table__caption"), .text("Steps, as recorded")),
                .thead(.tr(th("Date"), th("Stage"), th("Note"), th("Recorded by"))),
                .tbody(
                    .forEach(r.steps) { s in
                        .tr(
                            .td(.text(s.on.longDescription)), .td(.text(s.stage.label)), .td(.text(s.note)),
                            .td(.text(s.author)))
                    })))
        content.append(.h2(.text("Record the next step")))
        content.append(
            .form(
                .method(.post), .action(path + "/steps"), .id("step"), Form.csrf(chrome.csrfToken),
                Form.select(
                    "stage", label: "Stage",
                    options: [("", "Choose a stage")] + Returner.Stage.allCases.map { ($0.rawValue, $0.label) },
                    selected: m.form["stage"], problems: m.problems),
                Form.input(
                    "on", label: "Date", hint: "For example, 2026-11-30.", value: m.form["on"] ?? "", kind: .date,
                    problems: m.problems),
                Form.textarea(
                    "note", label: "Note (optional)",
                    hint: "Which refresher or TSST course, which school, which post. At most 500 characters.",
                    value: m.form["note"] ?? "", problems: m.problems),
                Form.submit("Record the step")))
        return Layout.page(
            title: m.problems.isEmpty ? r.name : "Error: \(r.name)", section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard), .init("Returners", "/returners")], content: content)
    }
}

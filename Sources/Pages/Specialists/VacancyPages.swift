import Domain
import Foundation
import Plot

/// Maths and science vacancies: a school posts them and records how they closed; recruitment partners see the
/// open ones and refer candidates; coordinators see fill rates and time to fill.
public enum VacancyPages {
    static func th(_ text: String, numeric: Bool = false) -> Node<HTML.TableRowContext> {
        .th(.attribute(named: "scope", value: "col"), .if(numeric, .class("app-table__header--numeric")), .text(text))
    }

    static func summary(_ v: Vacancy) -> String {
        var parts = [
            v.subjects.map(\.label).joined(separator: ", "),
            v.keyStages.map(\.label).joined(separator: ", "),
            "\(v.workingPattern.label.lowercased()), \(v.contract.label.lowercased())", v.salary,
        ].filter { !$0.isEmpty }
        if let s = v.startsOn { parts.append("starts \(s.longDescription)") }
        return parts.joined(separator: "; ")
    }

    public struct SchoolModel: Sendable {
        public var urn: Int
        public var school: String
        public var vacancies: [Vacancy]
        public var referrals: [UUID: [VacancyReferral]]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?

        public init(
            urn: Int, school: String, vacancies: [Vacancy], referrals: [UUID: [VacancyReferral]],
            form: [String: String], problems: [ValidationError.Problem], notice: String?
        ) {
            self.urn = urn
            self.school = school
            self.vacancies = vacancies
            self.referrals = referrals
            self.form = form
            self.problems = problems
            self.notice = notice
        }
    }

    public static func school(_ m: SchoolModel, chrome: Chrome) -> HTML {
        let title = "Maths and science vacancies at \(m.school)"
        let base = "/schools/\(m.urn)/vacancies"
        var content: [Node<HTML.BodyContext>] = [
            .h1(.class("app-heading-xl"), .text(title)),
            .p(
                .class("app-body-l"),
                .text(
                    "Post your maths and science vacancies here as well as on Teaching Vacancies: the partnership's recruitment partners (Teach First, the training providers, the Maths Hub) see them and refer candidates. When a vacancy closes, record whether a specialist filled it and how you advertised it, so the partnership can see where specialists are hardest to find."
                )),
        ]
        if let n = m.notice { content.append(Layout.notice(n)) }
        content.append(Form.errorSummary(m.problems))
        for v in m.vacancies {
            let id = v.id.uuidString.lowercased()
            var rows: [(String, Node<HTML.BodyContext>)] = [
                ("Details", .text(summary(v))), ("Posted", .text(v.postedOn.longDescription)),
                ("Closes", .text(v.closesOn.longDescription)),
            ]
            if let outcome = v.outcome {
                rows.append(
                    (
                        "Outcome",
                        .text(
                            "\(outcome.label), recorded \(v.closedOn?.longDescription ?? ""); advertised through \(v.channels.map(\.label).joined(separator: ", "))"
                        )
                    ))
            }
            let referred = m.referrals[v.id] ?? []
            rows.append(
                (
                    "Referrals",
                    referred.isEmpty
                        ? .text("None yet")
                        : .ul(
                            .forEach(referred) { r in
                                .li(
                                    .text(
                                        "\(r.candidate), from \(r.partner) on \(r.referredOn.longDescription)\(r.note.isEmpty ? "" : ": \(r.note)")"
                                    ))
                            })
                ))
            content.append(.h2(.id("vacancy-\(id)"), .text(v.jobTitle)))
            content.append(Layout.summaryList(rows))
            if v.isOpen {
                content.append(
                    .form(
                        .method(.post), .action("\(base)/\(id)/close"), .id("close-\(id)"),
                        Form.csrf(chrome.csrfToken),
                        Form.radios(
                            "outcome_\(id)", legend: "How did \(v.jobTitle) close?",
                            options: Vacancy.Outcome.allCases.map { ($0.rawValue, $0.label, nil) }, selected: nil,
                            problems: m.problems),
                        Form.checkboxes(
                            "channels_\(id)", "How did you advertise it?",
                            options: Vacancy.Channel.allCases.map { ($0.rawValue, $0.label) }, form: [:],
                            hint: "Choose all that apply", problems: m.problems),
                        Form.submit("Record the outcome", secondary: true)))
            }
        }
        if m.vacancies.isEmpty {
            content.append(.p(.id("no-vacancies"), .text("You have not posted a maths or science vacancy yet.")))
        }
        content.append(.h2(.text("Post a vacancy")))
        content.append(
            .form(
                .method(.post), .action(base), .id("post"), Form.csrf(chrome.csrfToken),
                Form.input("job_title", label: "Job title", value: m.form["job_title"] ?? "", problems: m.problems),
                Form.checkboxes(
                    "subjects", "Subjects", options: Vacancy.subjects.map { ($0.rawValue, $0.label) }, form: m.form,
                    hint: "Choose one or more", problems: m.problems),
                Form.checkboxes(
                    "key_stages", "Key stages", Vacancy.KeyStage.self, \.label, form: m.form,
                    hint: "Choose all that apply", problems: m.problems),
                Form.radios(
                    "working_pattern", legend: "Working pattern",
                    options: WorkingPattern.allCases.map { ($0.rawValue, $0.label, nil) },
                    selected: m.form["working_pattern"], problems: m.problems),
                Form.radios(
                    "contract", legend: "Contract",
                    options: Vacancy.Contract.allCases.map { ($0.rawValue, $0.label, nil) },
                    selected: m.form["contract"], problems: m.problems),
                Form.input(
                    "salary", label: "Salary", hint: "For example MPS/UPS, or £31,650 to £49,084",
                    value: m.form["salary"] ?? "", problems: m.problems),
                Form.input(
                    "starts_on", label: "Start date (optional)", value: m.form["starts_on"] ?? "", kind: .date,
                    problems: m.problems),
                Form.input(
                    "closes_on", label: "Closing date", value: m.form["closes_on"] ?? "", kind: .date,
                    problems: m.problems),
                Form.submit("Post the vacancy")))
        return Layout.page(
            title: m.problems.isEmpty ? title : "Error: \(title)", section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }

    public struct OpenRow: Sendable {
        public var vacancy: Vacancy
        public var school: String
        public var area: String
        public var referrals: Int

        public init(vacancy: Vacancy, school: String, area: String, referrals: Int) {
            self.vacancy = vacancy
            self.school = school
            self.area = area
            self.referrals = referrals
        }
    }

    public struct PartnersModel: Sendable {
        public var open: [OpenRow]
        public var areas: [(code: String, name: String)]
        public var area: String?
        /// The partner organisation the viewer refers for, if they may refer.
        public var partner: String?
        public var bySubject: [VacancyFigures.Row]
        public var byArea: [VacancyFigures.Row]
        public var problems: [ValidationError.Problem]
        public var notice: String?

        public init(
            open: [OpenRow], areas: [(code: String, name: String)], area: String?, partner: String?,
            bySubject: [VacancyFigures.Row], byArea: [VacancyFigures.Row], problems: [ValidationError.Problem],
            notice: String?
        ) {
            self.open = open
            self.areas = areas
            self.area = area
            self.partner = partner
            self.bySubject = bySubject
            self.byArea = byArea
            self.problems = problems
            self.notice = notice
        }
    }

    static let smallest = 10

    static func figures(_ id: String, _ caption: String, _ first: String, _ rows: [VacancyFigures.Row])
        -> Node<HTML.BodyContext>
    {
        .table(
            .class("app-table"), .id(id), .caption(.class("app-table__caption"), .text(caption)),
            .thead(
                .tr(
                    th(first), th("Posted", numeric: true), th("Open", numeric: true), th("Closed", numeric: true),
                    th("Filled", numeric: true), th("Fill rate", numeric: true),
                    th("Filled by a specialist", numeric: true), th("Median days to fill", numeric: true),
                    th("Referrals", numeric: true))),
            .tbody(
                .forEach(rows) { r in
                    .tr(
                        .th(.attribute(named: "scope", value: "row"), .text(r.label)),
                        .td(.class("app-table__cell--numeric"), .text(String(r.posted))),
                        .td(.class("app-table__cell--numeric"), .text(String(r.open))),
                        .td(.class("app-table__cell--numeric"), .text(String(r.closed))),
                        .td(.class("app-table__cell--numeric"), .text(String(r.filled))),
                        .td(
                            .class("app-table__cell--numeric"),
                            .text(
                                r.closed >= smallest
                                    ? "\(Int((Double(r.filled) / Double(r.closed) * 100).rounded()))% (\(r.filled) of \(r.closed))"
                                    : "Not shown (\(r.closed) closed)")),
                        .td(
                            .class("app-table__cell--numeric"),
                            .text(
                                r.filled >= smallest
                                    ? "\(Int((Double(r.filledBySpecialist) / Double(r.filled) * 100).rounded()))% (\(r.filledBySpecialist) of \(r.filled))"
                                    : "Not shown (\(r.filled) filled)")),
                        .td(
                            .class("app-table__cell--numeric"),
                            .text(
                                r.daysToFill.count >= smallest
                                    ? String(format: "%.0f", r.medianDaysToFill ?? 0) : "Not shown")),
                        .td(.class("app-table__cell--numeric"), .text(String(r.referrals))))
                }))
    }

    public static func partners(_ m: PartnersModel, chrome: Chrome) -> HTML {
        let title = "Maths and science vacancies"
        var content: [Node<HTML.BodyContext>] = [
            .h1(.class("app-heading-xl"), .text(title)),
            .p(
                .class("app-body-l"),
                .text(
                    "Open maths and science vacancies in the partnership's schools. Recruitment partners refer candidates here; the school sees each referral with the vacancy."
                )),
        ]
        if let n = m.notice { content.append(Layout.notice(n)) }
        content.append(Form.errorSummary(m.problems))
        content.append(
            .form(
                .method(.get), .action("/vacancies"), .id("filter"),
                Form.select(
                    "la", label: "Local authority",
                    options: [("", "All in the partnership")] + m.areas.map { ($0.code, $0.name) },
                    selected: m.area),
                Form.submit("Show vacancies", secondary: true)))
        if m.open.isEmpty {
            content.append(.p(.id("no-open"), .text("No open maths or science vacancy here.")))
        } else {
            content.append(
                .table(
                    .class("app-table"), .id("open-vacancies"),
                    .caption(.class("app-table__caption"), .text("Open vacancies, closing soonest first")),
                    .thead(.tr(th("Vacancy"), th("School"), th("Area"), th("Closes"), th("Referrals", numeric: true))),
                    .tbody(
                        .forEach(m.open) { r in
                            .tr(
                                .td(.strong(.text(r.vacancy.jobTitle)), .br(), .text(summary(r.vacancy))),
                                .td(.text(r.school)), .td(.text(r.area)),
                                .td(.text(r.vacancy.closesOn.longDescription)),
                                .td(.class("app-table__cell--numeric"), .text(String(r.referrals))))
                        })))
            if let partner = m.partner {
                content.append(.h2(.text("Refer a candidate for \(partner)")))
                content.append(
                    .form(
                        .method(.post), .action("/vacancies/referrals"), .id("refer"), Form.csrf(chrome.csrfToken),
                        Form.select(
                            "vacancy", label: "Vacancy",
                            options: [("", "Choose a vacancy")]
                                + m.open.map {
                                    ($0.vacancy.id.uuidString.lowercased(), "\($0.vacancy.jobTitle), \($0.school)")
                                },
                            selected: nil, problems: m.problems),
                        Form.input(
                            "candidate", label: "Candidate",
                            hint:
                                "Initials or your own reference: the school contacts you for more. At most 60 characters.",
                            problems: m.problems),
                        Form.textarea(
                            "note", label: "Note for the school (optional)", hint: "At most 500 characters.", value: "",
                            problems: m.problems),
                        Form.submit("Refer the candidate")))
            }
        }
        if !m.bySubject.isEmpty {
            content.append(.h2(.text("Fill rates and time to fill")))
            content.append(
                .p(
                    .text(
                        "From the outcomes schools record when a vacancy closes. A vacancy for two subjects counts under each. Rates are shown over 10 or more closed (or filled) vacancies, never a ratio of tiny numbers."
                    )))
            content.append(figures("by-subject", "By subject", "Subject", m.bySubject))
            content.append(figures("by-area", "By local authority", "Local authority", m.byArea))
        }
        return Layout.page(
            title: m.problems.isEmpty ? title : "Error: \(title)", section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }
}

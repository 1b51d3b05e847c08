import Domain
import Foundation
import Plot

/// The application funnel: providers' application choices from Apply, by stage, with conversions, time in each
/// state, where candidates stopped in the form and why they left; and the upload.
public enum ApplicationPages {
    public static let path = "/applications"
    public static let importPath = "/applications/import"

    /// One column of the funnel: a provider's choices, or the partnership's.
    public struct Column: Sendable {
        public var name: String
        public var funnel: ApplicationFunnel
        /// The viewer's own provider: its counts are shown however small.
        public var own: Bool

        public init(name: String, funnel: ApplicationFunnel, own: Bool) {
            self.name = name
            self.funnel = funnel
            self.own = own
        }
    }

    public struct Model: Sendable {
        public var cycles: [Int]
        public var cycle: Int?
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        /// Providers the viewer may filter by (coordinators); empty for a provider's staff.
        public var providerOptions: [(value: String, label: String)]
        public var columns: [Column]
        public var support: SupportComparison?
        public var canImport: Bool
        public var notice: String?
        /// Providers whose recruited candidates the viewer may add as trainees, with the page that does it.
        public var recruited: [(name: String, path: String)] = []

        public init(
            cycles: [Int], cycle: Int?, form: [String: String], problems: [ValidationError.Problem],
            providerOptions: [(value: String, label: String)], columns: [Column], support: SupportComparison?,
            canImport: Bool, notice: String?
        ) {
            self.cycles = cycles
            self.cycle = cycle
            self.form = form
            self.problems = problems
            self.providerOptions = providerOptions
            self.columns = columns
            self.support = support
            self.canImport = canImport
            self.notice = notice
        }
    }

    public static func cycleLabel(_ cycle: Int) -> String { "\(cycle - 1) to \(cycle)" }

    /// A count as the page shows it: other providers' and the partnership's counts of 1 to 9 are not shown.
    public static func count(_ n: Int, own: Bool) -> String {
        own || n == 0 || n >= Proportion.minimumGroup ? n.formatted() : "fewer than 10"
    }

    static func rate(_ p: Proportion?, own: Bool) -> String {
        guard let p else { return "" }
        return p.described(own: own).map { "\($0) of \(p.of.formatted())" } ?? "not shown: fewer than 10"
    }

    /// The share under a count, unless the count is none or not shown.
    static func shares(_ n: Int, of: Int, own: Bool) -> String {
        n == 0 || count(n, own: own) != n.formatted() ? "" : rate(Proportion(n, of: of), own: own)
    }

    static func header(_ m: Model, first: String) -> Node<HTML.TableContext> {
        .thead(
            .tr(
                .th(.attribute(named: "scope", value: "col"), .text(first)),
                .forEach(m.columns) {
                    .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text($0.name))
                }))
    }

    static func stageRow(_ stage: ApplicationFunnel.Stage, _ m: Model) -> Node<HTML.TableContext> {
        .tr(
            .th(
                .attribute(named: "scope", value: "row"), .text(stage.label),
                .unwrap(stage.from) { .span(.class("app-hint"), .text(" (of \($0.label.lowercased()))")) }),
            .forEach(m.columns) { c in
                .td(
                    .class("app-numeric"),
                    .attribute(named: "data-stage", value: stage.rawValue),
                    .strong(.text(count(c.funnel.reached[stage] ?? 0, own: c.own))),
                    .if(
                        stage.from != nil,
                        .span(.class("app-hint app-block"), .text(rate(c.funnel.conversion[stage], own: c.own)))))
            })
    }

    static func timeRow(_ state: ApplicationState, _ m: Model) -> Node<HTML.TableContext> {
        .tr(
            .th(.attribute(named: "scope", value: "row"), .text(state.label)),
            .forEach(m.columns) { c in
                let median = c.funnel.timeIn[state]
                return .td(
                    .class("app-numeric"),
                    .text(
                        median?.days.map {
                            "\(Int($0.rounded())) days (\(median?.choices.formatted() ?? "0") moved on)"
                        }
                            ?? "not shown: fewer than 10"))
            })
    }

    static func outcomeRow(_ state: ApplicationState, _ m: Model) -> Node<HTML.TableContext> {
        .tr(
            .th(.attribute(named: "scope", value: "row"), .text(state.label)),
            .forEach(m.columns) { c in
                .td(.class("app-numeric"), .text(count(c.funnel.outcomes[state] ?? 0, own: c.own)))
            })
    }

    static func reasonRow(_ code: String, withdrawal: Bool, _ m: Model) -> Node<HTML.TableContext> {
        let top = !code.contains(".")
        return .tr(
            .th(
                .attribute(named: "scope", value: "row"),
                top
                    ? .strong(.text(ApplicationReasons.label(code)))
                    : .span(
                        .class("app-indent"),
                        .text(
                            ApplicationReasons.label(code).split(separator: ":").dropFirst()
                                .joined(separator: ":").trimmingSpaces))),
            .forEach(m.columns) { c in
                let n = (withdrawal ? c.funnel.withdrawalReasons[code] : c.funnel.rejectionReasons[code]) ?? 0
                let of = withdrawal ? c.funnel.withdrawn : c.funnel.rejected
                return .td(
                    .class("app-numeric"), .text(count(n, own: c.own)),
                    .span(.class("app-hint app-block"), .text(shares(n, of: of, own: c.own))))
            })
    }

    static func sectionRow(_ s: ApplicationSection, _ m: Model) -> Node<HTML.TableContext> {
        .tr(
            .th(.attribute(named: "scope", value: "row"), .text(s.label)),
            .forEach(m.columns) { c in
                let stopped = c.funnel.stoppedAt[s] ?? 0
                return .td(
                    .class("app-numeric"), .text(count(stopped, own: c.own)),
                    .span(
                        .class("app-hint app-block"),
                        .text(shares(stopped, of: c.funnel.unsubmittedWithSections, own: c.own))))
            })
    }

    static func reasonCodes(_ m: Model, withdrawal: Bool) -> [String] {
        let given = Set(
            m.columns.flatMap { withdrawal ? $0.funnel.withdrawalReasons.keys : $0.funnel.rejectionReasons.keys })
        return (withdrawal ? ApplicationReasons.withdrawal : ApplicationReasons.rejection).filter(given.contains)
    }

    static func filters(_ m: Model) -> Node<HTML.BodyContext> {
        let f = m.form
        return Layout.filterPanel(
            action: path, filtered: ["subject", "route", "provider"].contains { !(f[$0] ?? "").isEmpty },
            Form.select(
                "cycle", label: "Recruitment cycle",
                options: m.cycles.map { (value: String($0), label: "\($0) (\(cycleLabel($0)))") },
                selected: m.cycle.map(String.init), problems: m.problems),
            .if(
                !m.providerOptions.isEmpty,
                Form.select(
                    "provider", label: "Provider", options: [(value: "", label: "All providers")] + m.providerOptions,
                    selected: f["provider"], problems: m.problems)),
            Form.select(
                "subject", label: "Subject",
                options: [(value: "", label: "Any")]
                    + PlacementSubject.allCases.map { (value: $0.key, label: $0.label) },
                selected: f["subject"], problems: m.problems),
            Form.select(
                "route", label: "Route", options: Form.anyOptions(TrainingRoute.self, \.label), selected: f["route"],
                problems: m.problems))
    }

    static func table(
        id: String, caption: String, first: String, _ m: Model, rows: [Node<HTML.TableContext>]
    ) -> Node<HTML.BodyContext> {
        .table(
            .class("app-table"), .id(id), .caption(.text(caption)), header(m, first: first), .tbody(.group(rows)))
    }

    static func supportSection(_ s: SupportComparison?) -> Node<HTML.BodyContext> {
        .unwrap(s) { s in
            .group(
                .h2(.id("supported"), .text("Candidates the partnership supported")),
                .p(
                    .text(
                        "Choices whose candidate email matches someone who had a school experience place (accepted or attended), an event place (registered or attended) or an adviser through Chalkface, against the other choices: recruited of submitted."
                    )),
                Layout.summaryList([
                    ("Supported candidates' choices", .text(rate(s.supported, own: false))),
                    ("Other choices", .text(rate(s.others, own: false))),
                ]),
                .p(
                    .class("app-hint"),
                    .text(
                        "This compares groups; it does not show that the support caused the difference: candidates who seek school experience may already be likelier to succeed."
                    )))
        }
    }

    public static func page(_ m: Model, chrome: Chrome) -> HTML {
        let total = m.columns.last
        let showSections = (total?.funnel.unsubmittedWithSections ?? 0) > 0
        return Layout.page(
            title: m.problems.isEmpty ? "Application funnel" : "Error: Application funnel", section: .experience,
            chrome: chrome,
            content: [
                .h1(.text("Application funnel")),
                .p(
                    .text(
                        "Providers' applications from Apply for teacher training, one row per application choice, imported each cycle: how far choices got, how long they waited, where candidates stopped in the form and why they left, with the partnership's total beside each provider."
                    )),
                .if(m.canImport, .p(.a(.id("import-applications"), .href(importPath), .text("Import applications")))),
                .forEach(m.recruited) { r in
                    .p(
                        .a(
                            .class("app-recruited-link"), .href(Escape.attribute(r.path)),
                            .text("Add \(r.name)'s recruited candidates as trainees")))
                },
                .unwrap(m.notice) { Layout.notice($0) },
                Form.errorSummary(m.problems),
                .div(
                    .class("app-grid-row"),
                    filters(m),
                    .div(
                        .class("app-grid-column-two-thirds"),
                        .unwrap(
                            total,
                            { t in
                                .group(
                                    .h2(
                                        .id("summary"),
                                        .text(
                                            "\(t.funnel.choices.formatted()) application choices from \(t.funnel.candidates.formatted()) candidates"
                                        )),
                                    .p(
                                        .class("app-hint"),
                                        .text(
                                            "Recruitment cycle \(m.cycle.map { "\($0) (October \($0 - 1) to September \($0))" } ?? ""). Shares are shown with their 95% Wilson interval and the number they are out of; shares, medians and other providers' counts resting on fewer than 10 choices are not shown."
                                        )))
                            },
                            else: .p(
                                .id("no-applications"),
                                .text(
                                    m.cycles.isEmpty
                                        ? "No applications have been imported yet."
                                        : "No application choices match these filters."))))),
                .if(
                    total != nil,
                    .group(
                        table(
                            id: "funnel", caption: "How far application choices got", first: "Stage", m,
                            rows: ApplicationFunnel.Stage.allCases.map { stageRow($0, m) }),
                        .p(
                            .class("app-hint"),
                            .text(
                                "An offer is counted from submission, as providers may offer without an interview. Recruited of submitted: \(m.columns.map { "\($0.name) \(rate($0.funnel.overall, own: $0.own))" }.joined(separator: "; "))."
                            )),
                        table(
                            id: "time-in-state", caption: "Median time in each state, among choices that moved on",
                            first: "State", m,
                            rows: [.unsubmitted, .awaitingProviderDecision, .interviewing, .offer, .pendingConditions]
                                .map { timeRow($0, m) }),
                        table(
                            id: "outcomes", caption: "Where choices ended", first: "Final state", m,
                            rows: ApplicationState.allCases.filter { s in
                                m.columns.contains { ($0.funnel.outcomes[s] ?? 0) > 0 }
                            }.map { outcomeRow($0, m) }),
                        .if(
                            showSections,
                            table(
                                id: "form-sections",
                                caption:
                                    "Where candidates who never submitted stopped: the first section left incomplete",
                                first: "Section", m,
                                rows: ApplicationSection.allCases.filter { s in
                                    m.columns.contains { ($0.funnel.stoppedAt[s] ?? 0) > 0 }
                                }.map { sectionRow($0, m) })),
                        table(
                            id: "withdrawal-reasons", caption: "Why candidates withdrew (share of withdrawn choices)",
                            first: "Reason", m,
                            rows: reasonCodes(m, withdrawal: true).map { reasonRow($0, withdrawal: true, m) }),
                        table(
                            id: "rejection-reasons",
                            caption: "Why providers rejected or withdrew offers (share of those choices)",
                            first: "Reason", m,
                            rows: reasonCodes(m, withdrawal: false).map { reasonRow($0, withdrawal: false, m) }),
                        .p(
                            .class("app-hint"),
                            .text(
                                "A choice may give more than one reason, so shares add up to more than 100%. Reasons are Apply's own codes."
                            )),
                        supportSection(m.support))),
            ])
    }

    // MARK: Import

    public struct ImportModel: Sendable {
        public var providers: [(value: String, label: String)]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var fileProblems: [String]

        public init(
            providers: [(value: String, label: String)], form: [String: String], problems: [ValidationError.Problem],
            fileProblems: [String]
        ) {
            self.providers = providers
            self.form = form
            self.problems = problems
            self.fileProblems = fileProblems
        }
    }

    public static func importPage(_ m: ImportModel, chrome: Chrome) -> HTML {
        let failed = !m.problems.isEmpty || !m.fileProblems.isEmpty
        return Layout.page(
            title: failed ? "Error: Import applications" : "Import applications", section: .experience, chrome: chrome,
            breadcrumbs: [.init("Application funnel", path)],
            content: [
                .h1(.text("Import applications")),
                .p(
                    .text(
                        "Upload one provider's application choices for one recruitment cycle, as a CSV file with one row per choice. The file replaces what is held for that provider and cycle; it is all or nothing: any problem is listed by line and column and nothing is imported."
                    )),
                Form.errorSummary(m.problems),
                .if(
                    !m.fileProblems.isEmpty,
                    .div(
                        .class("app-error-summary"), .attribute(named: "role", value: "alert"), .id("file-problems"),
                        .h2(.text("The file was not imported")),
                        .ul(.forEach(m.fileProblems) { .li(.text($0)) }))),
                .form(
                    .method(.post), .action(importPath), .enctype(.multipartData),
                    Form.csrf(chrome.csrfToken),
                    Form.select(
                        "provider", label: "Provider", options: m.providers, selected: m.form["provider"],
                        problems: m.problems),
                    .div(
                        .class("app-form-group"),
                        .label(.class("app-label"), .for("file"), .text("CSV file")),
                        .div(
                            .class("app-hint"), .id("file-hint"),
                            .text(
                                "Columns: \(ApplicationFile.columns.joined(separator: ", ")). The section columns may be left out."
                            )),
                        .input(
                            .id("file"), .name("file"), .type(.file),
                            .attribute(named: "accept", value: ".csv,text/csv"),
                            .attribute(named: "aria-describedby", value: "file-hint"))),
                    Form.checkbox(
                        "replace_all", label: "Replace even if this removes more than 10% of the choices held",
                        checked: m.form["replace_all"] == "true"),
                    Form.submit("Import")),
                .h2(.text("The file")),
                .p(
                    .text(
                        "Times are ISO 8601 (2026-03-14T10:30:00Z, or a date alone). Each state's column holds when the choice entered it; a state reached before the one it follows, a recruited choice without an accepted offer, a status that does not match the history or an unknown reason code is refused. Reasons are Apply's codes separated by semicolons, like do-not-want-to-train-anymore.another-career-path-or-accepted-a-job-offer or qualifications.no_maths_gcse."
                    )),
                .p(
                    .text(
                        "Statuses: \(ApplicationState.allCases.map(\.rawValue).joined(separator: ", ")). Subjects: \(PlacementSubject.allCases.map(\.key).joined(separator: ", ")). Routes: \(TrainingRoute.allCases.map(\.rawValue).joined(separator: ", "))."
                    )),
            ])
    }
}

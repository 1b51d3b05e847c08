import Domain
import Foundation
import Plot

/// Barrier research: the coordinator's surveys (build, send, remind, results joined to the funnel) and the
/// respondent's form behind a single-use link.
public enum SurveyPages {
    public static let path = "/surveys"
    public static func path(_ id: UUID) -> String { "/surveys/\(id.uuidString.lowercased())" }

    // MARK: The list

    public struct Listed: Sendable {
        public var survey: Survey
        public var invited: Int
        public var responses: Int

        public init(survey: Survey, invited: Int, responses: Int) {
            self.survey = survey
            self.invited = invited
            self.responses = responses
        }
    }

    static func listRow(_ l: Listed) -> Node<HTML.TableContext> {
        .tr(
            .td(
                .a(.href(path(l.survey.id)), .text(l.survey.title)),
                .if(l.survey.generated, .strong(.class("app-tag app-tag--grey"), .text("Demo")))),
            .td(.text(l.survey.status.label)), .td(.text(l.survey.anonymous ? "Anonymous" : "Linked")),
            .td(.class("app-numeric"), .text(l.invited.formatted())),
            .td(.class("app-numeric"), .text(l.responses.formatted())))
    }

    public static func list(
        _ surveys: [Listed], form: [String: String], problems: [ValidationError.Problem], chrome: Chrome
    ) -> HTML {
        Layout.page(
            title: problems.isEmpty ? "Surveys" : "Error: Surveys", section: .experience, chrome: chrome,
            content: [
                .h1(.text("Barrier research: surveys")),
                .p(
                    .text(
                        "Ask applicants and trainees of every partner what stood in their way, with single-use links sent through the outbox, and join what they say to what happened to their applications."
                    )),
                Form.errorSummary(problems),
                .table(
                    .class("app-table"), .id("surveys"), .caption(.text("Surveys")),
                    .thead(
                        .tr(
                            .th(.text("Survey")), .th(.text("Status")), .th(.text("Responses")),
                            .th(.class("app-numeric"), .text("Invited")),
                            .th(.class("app-numeric"), .text("Answered")))),
                    .tbody(.forEach(surveys) { listRow($0) })),
                .h2(.text("Create a survey")),
                .form(
                    .method(.post), .action(path), Form.csrf(chrome.csrfToken),
                    Form.input("title", label: "Title", value: form["title"] ?? "", problems: problems),
                    Form.textarea(
                        "introduction", label: "Introduction", hint: "What respondents read first: why, how long.",
                        value: form["introduction"] ?? "", problems: problems),
                    Form.radios(
                        "anonymous", legend: "Are responses linked to the person?",
                        options: [
                            (
                                "true", "Anonymous",
                                "A response keeps the respondent's provider, route, subject and outcome, never who they are"
                            ),
                            ("false", "Linked", "A response is linked to the invitation, and so to the candidate"),
                        ], selected: form["anonymous"] ?? "true", problems: problems),
                    Form.submit("Create the survey")),
            ])
    }

    // MARK: One survey (the coordinator)

    public struct Model: Sendable {
        public var survey: Survey
        public var results: SurveyResults
        public var cycles: [Int]
        public var providers: [(value: String, label: String)]
        /// Free-text answers for tagging: response id, question index, text, tag.
        public var texts: [(response: UUID, question: Int, text: String, tag: String)]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?

        public init(
            survey: Survey, results: SurveyResults, cycles: [Int], providers: [(value: String, label: String)],
            texts: [(response: UUID, question: Int, text: String, tag: String)], form: [String: String],
            problems: [ValidationError.Problem], notice: String?
        ) {
            self.survey = survey
            self.results = results
            self.cycles = cycles
            self.providers = providers
            self.texts = texts
            self.form = form
            self.problems = problems
            self.notice = notice
        }
    }

    static func share(_ p: Proportion) -> String {
        p.described().map { "\($0), \(p.count) of \(p.of)" } ?? "not shown: fewer than 10 (\(p.of))"
    }

    static func pValue(_ t: ChiSquareTest?) -> String {
        guard let t else { return "counts too small to test" }
        let p = t.pValue < 0.001 ? "p < 0.001" : String(format: "p = %.3f", t.pValue)
        return String(format: "χ² = %.2f, %d df, ", t.statistic, t.degreesOfFreedom) + p
    }

    static func questionList(_ s: Survey) -> Node<HTML.BodyContext> {
        .ol(
            .class("app-list"), .id("questions"),
            .forEach(Array(s.questions.enumerated())) { i, q in
                .li(
                    .strong(.text(q.prompt)),
                    .span(
                        .class("app-hint app-block"),
                        .text(
                            "\(q.section.isEmpty ? "" : "\(q.section) · ")\(q.kind.label)\(q.required ? " · required" : " · optional")\(q.options.isEmpty ? "" : ": " + q.options.joined(separator: "; "))"
                        )))
            })
    }

    static func builder(_ m: Model, chrome: Chrome) -> Node<HTML.BodyContext> {
        let f = m.form
        return .group(
            .h2(.text("Add a question")),
            .form(
                .method(.post), .action(path(m.survey.id) + "/questions"), Form.csrf(chrome.csrfToken),
                Form.input(
                    "section", label: "Section (optional)", hint: "Questions with the same section are shown together.",
                    value: f["section"] ?? "", problems: m.problems),
                Form.input("prompt", label: "Question", value: f["prompt"] ?? "", problems: m.problems),
                Form.select(
                    "kind", label: "Kind of answer",
                    options: SurveyQuestion.Kind.allCases.map { (value: $0.rawValue, label: $0.label) },
                    selected: f["kind"], problems: m.problems),
                Form.textarea(
                    "options", label: "Answers to choose from",
                    hint: "One per line, for a list; not needed for agree-or-disagree or free text.",
                    value: f["options"] ?? "", problems: m.problems),
                Form.checkbox("required", label: "An answer is required", checked: f["required"] == "true"),
                Form.submit("Add the question", secondary: true)),
            .if(
                !m.survey.questions.isEmpty,
                Form.button("Open the survey", action: path(m.survey.id) + "/open", csrf: chrome.csrfToken)))
    }

    static func sending(_ m: Model, chrome: Chrome) -> Node<HTML.BodyContext> {
        .group(
            .h2(.id("send"), .text("Send invitations")),
            .p(
                .text(
                    "Each candidate in the chosen providers' applications for the cycle who has an email address gets one single-use link, once; candidates already invited are left out. Their provider, route, subject and outcome are those of their furthest application: ask everyone, the providers' trainees (those recruited), or those who did not get through."
                )),
            .form(
                .method(.post), .action(path(m.survey.id) + "/invitations"), Form.csrf(chrome.csrfToken),
                Form.select(
                    "cycle", label: "Recruitment cycle",
                    options: m.cycles.map { (value: String($0), label: "\($0) (\($0 - 1) to \($0))") },
                    selected: m.form["cycle"], problems: m.problems),
                Form.checkboxes(
                    "providers", "Providers", options: m.providers, form: m.form,
                    hint: "Choose none for every provider",
                    problems: m.problems),
                Form.radios(
                    "audience", legend: "Who is asked",
                    options: SurveyAudience.allCases.map { (value: $0.rawValue, label: $0.label, hint: nil) },
                    selected: m.form["audience"] ?? SurveyAudience.everyone.rawValue, problems: m.problems),
                Form.submit("Send invitations")),
            .h2(.text("Remind and close")),
            .p(
                .text(
                    "A reminder goes to everyone invited who has not answered and has not been sent anything for 7 days."
                )),
            Form.button("Send reminders", action: path(m.survey.id) + "/reminders", csrf: chrome.csrfToken),
            Form.button("Close the survey", action: path(m.survey.id) + "/close", csrf: chrome.csrfToken, warning: true)
        )
    }

    static func rateRow(_ r: SurveyResults.Rate) -> Node<HTML.TableContext> {
        .tr(.td(.text(r.provider)), .td(.class("app-numeric"), .text(share(r.responded))))
    }

    static func optionRow(_ o: SurveyResults.OptionCount) -> Node<HTML.TableContext> {
        .tr(.td(.text(o.option)), .td(.class("app-numeric"), .text(share(o.share))))
    }

    static func crossTab(_ t: SurveyResults.CrossTab, _ q: SurveyQuestion, id: String) -> Node<HTML.BodyContext> {
        .group(
            .table(
                .class("app-table"), .id(id),
                .caption(.text(t.question == nil ? "By \(t.label.lowercased())" : "By the answer to: \(t.label)")),
                .thead(
                    .tr(
                        .th(.text(t.question == nil ? t.label : "Answer to \(t.label)")),
                        .th(.class("app-numeric"), .text("Answered")),
                        .forEach(q.options) { .th(.class("app-numeric"), .text($0)) })),
                .tbody(
                    .forEach(Array(t.groups.enumerated())) { g, name in
                        .tr(
                            .th(.attribute(named: "scope", value: "row"), .text(name)),
                            .td(.class("app-numeric"), .text(t.answered[g].formatted())),
                            .forEach(q.options.indices) { c in
                                .td(
                                    .class("app-numeric"),
                                    .text(
                                        Proportion(t.counts[g][c], of: t.answered[g]).described().map {
                                            String($0.prefix { $0 != " " })
                                        } ?? "–"))
                            })
                    })),
            .p(
                .class("app-hint"),
                .text(
                    q.kind == .multiple
                        ? "Each answer tested on its own (chosen or not, by group): "
                            + zip(q.options, t.tests).map { "\($0): \(pValue($1))" }.joined(separator: "; ")
                        : "Chi-square test of independence: \(pValue(t.tests.first ?? nil))")))
    }

    static func comparisonRow(_ option: String, _ c: SurveyResults.Comparison) -> Node<HTML.TableContext> {
        .tr(
            .td(.text(option)), .td(.class("app-numeric"), .text(share(c.left))),
            .td(.class("app-numeric"), .text(share(c.recruited))), .td(.text(pValue(c.test))))
    }

    static func questionResult(_ m: Model, _ r: SurveyResults.QuestionResult) -> Node<HTML.BodyContext> {
        let q = m.survey.questions[r.index]
        let id = "q\(r.index + 1)"
        guard q.kind != .text else {
            return .section(
                .id("result-\(id)"), .h3(.text("\(r.index + 1). \(q.prompt)")),
                .p(.text("\(r.answered) answers.")),
                .table(
                    .class("app-table"), .caption(.text("Answers by tag")),
                    .thead(.tr(.th(.text("Tag")), .th(.class("app-numeric"), .text("Answers")))),
                    .tbody(
                        .forEach(r.textByTag.sorted { $0.value.count > $1.value.count }) { tag, texts in
                            .tr(
                                .td(.text(tag.isEmpty ? "Not tagged yet" : tag)),
                                .td(.class("app-numeric"), .text(texts.count.formatted())))
                        })))
        }
        return .section(
            .id("result-\(id)"), .h3(.text("\(r.index + 1). \(q.prompt)")),
            .p(.text("\(r.answered) of \(m.results.responses) respondents answered.")),
            .table(
                .class("app-table"), .id("\(id)-options"), .caption(.text("Answers, with 95% Wilson intervals")),
                .thead(.tr(.th(.text("Answer")), .th(.class("app-numeric"), .text("Share of those who answered")))),
                .tbody(.forEach(r.options) { optionRow($0) })),
            .forEach(r.crossTabs.filter { $0.breakdown != .outcome }) {
                crossTab($0, q, id: "\(id)-by-\($0.breakdown?.rawValue ?? "q\(($0.question ?? 0) + 1)")")
            },
            .if(
                !r.leftVersusRecruited.isEmpty,
                .table(
                    .class("app-table"), .id("\(id)-left"),
                    .caption(.text("Joined to the funnel: those who withdrew or declined against those recruited")),
                    .thead(
                        .tr(
                            .th(.text("Answer")), .th(.class("app-numeric"), .text("Withdrew or declined")),
                            .th(.class("app-numeric"), .text("Recruited or accepted")), .th(.text("Test")))),
                    .tbody(.forEach(Array(zip(q.options, r.leftVersusRecruited))) { comparisonRow($0.0, $0.1) }))))
    }

    static func tagRow(_ t: (response: UUID, question: Int, text: String, tag: String), _ m: Model, chrome: Chrome)
        -> Node<HTML.TableContext>
    {
        let field = "tag-\(t.response.uuidString.lowercased())-\(t.question)"
        return .tr(
            .td(.text("\(t.question + 1)")), .td(.text(t.text)),
            .td(
                .form(
                    .method(.post),
                    .action(path(m.survey.id) + "/responses/\(t.response.uuidString.lowercased())/tag"),
                    .class("app-inline-form"), Form.csrf(chrome.csrfToken),
                    .input(.type(.hidden), .name("question"), .value(String(t.question))),
                    .label(.class("app-visually-hidden"), .for(field), .text("Tag for this answer")),
                    .input(.class("app-input"), .id(field), .name("tag"), .value(Escape.attribute(t.tag))),
                    Form.submit("Tag", secondary: true))))
    }

    public static func page(_ m: Model, chrome: Chrome) -> HTML {
        let s = m.survey
        let r = m.results
        return Layout.page(
            title: m.problems.isEmpty ? s.title : "Error: \(s.title)", section: .experience, chrome: chrome,
            breadcrumbs: [.init("Surveys", path)],
            content: [
                .h1(.text(s.title)),
                .p(
                    .class("app-hint"),
                    .text("\(s.status.label) · \(s.anonymous ? "anonymous" : "linked to the person")")),
                .p(.text(s.introduction)),
                .unwrap(m.notice) { Layout.notice($0) },
                Form.errorSummary(m.problems),
                .h2(.text("Questions")),
                questionList(s),
                .if(s.status == .draft, builder(m, chrome: chrome)),
                .if(s.status == .open, sending(m, chrome: chrome)),
                .if(
                    s.status != .draft,
                    .group(
                        .h2(.id("results"), .text("Results")),
                        .p(
                            .id("response-count"),
                            .text("\(r.responses.formatted()) responses from \(r.invited.formatted()) invited.")),
                        .p(
                            .a(.href(path(s.id) + "/responses.csv"), .text("Download the anonymised responses (CSV)"))),
                        .table(
                            .class("app-table"), .id("rates"), .caption(.text("Response rates by provider")),
                            .thead(
                                .tr(.th(.text("Provider")), .th(.class("app-numeric"), .text("Answered of invited")))),
                            .tbody(.forEach(r.rates) { rateRow($0) })),
                        .p(
                            .class("app-hint"),
                            .text(
                                "Shares are shown with their 95% Wilson interval; shares of fewer than 10 people are not shown. Tests are Pearson's chi-square of independence, run only when every expected count is at least 5. These are associations among those who answered, who may differ from those who did not."
                            )),
                        .forEach(r.questions) { questionResult(m, $0) },
                        .if(
                            !m.texts.isEmpty,
                            .group(
                                .h2(.id("free-text"), .text("Free-text answers")),
                                .p(
                                    .text(
                                        "Tag answers to group them in the results (a short word: Money, Time, Support)."
                                    )),
                                .table(
                                    .class("app-table"), .id("texts"), .caption(.text("Free-text answers to tag")),
                                    .thead(.tr(.th(.text("Question")), .th(.text("Answer")), .th(.text("Tag")))),
                                    .tbody(.forEach(m.texts) { tagRow($0, m, chrome: chrome) })))))),
            ])
    }

    // MARK: The respondent

    static func questionField(
        _ i: Int, _ q: SurveyQuestion, form: [String: String], problems: [ValidationError.Problem]
    )
        -> Node<HTML.FormContext>
    {
        let name = Survey.field(i)
        let legend = q.prompt + (q.required ? "" : " (optional)")
        switch q.kind {
        case .text:
            return Form.textarea(name, label: legend, hint: nil, value: form[name] ?? "", problems: problems)
        case .multiple:
            return Form.checkboxes(
                name, legend, options: q.options.enumerated().map { (value: String($0.offset), label: $0.element) },
                form: form, hint: "Choose all that apply", problems: problems)
        case .single, .likert:
            return Form.radios(
                name, legend: legend,
                options: q.options.enumerated().map { (value: String($0.offset), label: $0.element, hint: nil) },
                selected: form[name], problems: problems)
        }
    }

    public static func respond(
        _ s: Survey, token: String, form: [String: String], problems: [ValidationError.Problem], chrome: Chrome
    ) -> HTML {
        var nodes: [Node<HTML.FormContext>] = [Form.csrf(chrome.csrfToken)]
        var section: String?
        for (i, q) in s.questions.enumerated() {
            if q.section != section, !q.section.isEmpty {
                nodes.append(.h2(.text(q.section)))
            }
            section = q.section
            nodes.append(questionField(i, q, form: form, problems: problems))
        }
        nodes.append(Form.submit("Send your answers"))
        return Layout.page(
            title: problems.isEmpty ? s.title : "Error: \(s.title)", section: .none, chrome: chrome,
            content: [
                .h1(.text(s.title)),
                .p(.text(s.introduction)),
                .p(
                    .class("app-hint"),
                    .text(
                        s.anonymous
                            ? "Your answers are not linked to you: the partnership sees only your provider, route, subject and how your application went."
                            : "Your answers are linked to your application, so the partnership can join them to how it went."
                    )),
                Form.errorSummary(problems),
                .form(.method(.post), .action("/survey/\(token)"), .group(nodes)),
            ])
    }

    public static func message(_ title: String, _ text: String, chrome: Chrome) -> HTML {
        Layout.page(
            title: title, section: .none, chrome: chrome,
            content: [.h1(.id("survey-message"), .text(title)), .p(.text(text))])
    }
}

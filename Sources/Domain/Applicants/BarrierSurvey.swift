import Foundation

/// A question of a partnership survey.
public struct SurveyQuestion: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case single, multiple, likert, text

        public var label: String {
            switch self {
            case .single: "One answer from a list"
            case .multiple: "Any answers from a list"
            case .likert: "Agree or disagree (five points)"
            case .text: "Free text"
            }
        }
    }

    public static let likertOptions = [
        "Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree",
    ]
    public static let maximumOptions = 20
    public static let maximumTextAnswer = 2_000

    public var section: String
    public var prompt: String
    public var kind: Kind
    /// The choices (for single and multiple; the five Likert points for likert; none for text).
    public var options: [String]
    public var required: Bool

    public init(section: String, prompt: String, kind: Kind, options: [String], required: Bool) {
        self.section = section
        self.prompt = prompt
        self.kind = kind
        self.options = kind == .likert ? Self.likertOptions : kind == .text ? [] : options
        self.required = required
    }

    /// A question from the builder's fields: options one per line.
    public static func parse(section: String, prompt: String, kind: String, options: String, required: String)
        -> Result<SurveyQuestion, ValidationError>
    {
        var problems: [ValidationError.Problem] = []
        let section = section.trimmingSpaces
        let prompt = prompt.trimmingSpaces
        if section.count > 100 || BoundedInput.hasControlCharacters(section) {
            problems.append(.init(field: "section", message: "A section name is up to 100 characters on one line"))
        }
        if prompt.isEmpty || prompt.count > 300 || BoundedInput.hasControlCharacters(prompt) {
            problems.append(.init(field: "prompt", message: "Enter the question, up to 300 characters on one line"))
        }
        let kind = Kind(rawValue: kind.trimmingSpaces)
        if kind == nil { problems.append(.init(field: "kind", message: "Choose what kind of answer it takes")) }
        let lines = options.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { String($0).trimmingSpaces }
            .filter { !$0.isEmpty }
        if kind == .single || kind == .multiple {
            if lines.count < 2 || lines.count > maximumOptions {
                problems.append(
                    .init(field: "options", message: "Give 2 to \(maximumOptions) answers to choose from, one per line")
                )
            } else if lines.contains(where: { $0.count > 200 }) {
                problems.append(.init(field: "options", message: "Each answer is up to 200 characters"))
            } else if Set(lines.map { $0.lowercased() }).count != lines.count {
                problems.append(.init(field: "options", message: "Each answer to choose from must be different"))
            }
        }
        let requiredValue: Bool
        switch required.trimmingSpaces {
        case "true", "yes": requiredValue = true
        case "", "false", "no": requiredValue = false
        default:
            requiredValue = false
            problems.append(.init(field: "required", message: "Say whether an answer is required"))
        }
        guard problems.isEmpty, let kind else { return .failure(ValidationError(problems)) }
        return .success(
            SurveyQuestion(section: section, prompt: prompt, kind: kind, options: lines, required: requiredValue))
    }
}

/// One answer to one question.
public enum SurveyAnswer: Hashable, Sendable, Codable {
    case choice(Int)
    case choices([Int])
    case text(String)

    /// The chosen options' indices (none for text).
    public var chosen: [Int] {
        switch self {
        case .choice(let i): [i]
        case .choices(let c): c
        case .text: []
        }
    }
}

/// A partnership survey: who is asked (candidates in the application funnel), whether answers are linked to them.
public struct Survey: Hashable, Sendable, Codable, Identifiable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case draft, open, closed
        public var label: String { rawValue.capitalized }
    }

    public var id: UUID
    public var title: String
    public var introduction: String
    /// Anonymous: a response keeps the respondent's group (provider, route, subject, outcome) but no link to the
    /// invitation or the person.
    public var anonymous: Bool
    public var questions: [SurveyQuestion]
    public var status: Status
    public var createdAt: Date
    public var generated: Bool

    public init(
        id: UUID = UUID(), title: String, introduction: String, anonymous: Bool, questions: [SurveyQuestion] = [],
        status: Status = .draft, createdAt: Date, generated: Bool = false
    ) {
        self.id = id
        self.title = title
        self.introduction = introduction
        self.anonymous = anonymous
        self.questions = questions
        self.status = status
        self.createdAt = createdAt
        self.generated = generated
    }

    public static let maximumQuestions = 40

    /// The form field of question `index` (0-based): `q1`, `q2`...
    public static func field(_ index: Int) -> String { "q\(index + 1)" }

    /// Reads a respondent's answers: every required question answered, every choice one of the question's options.
    /// `values(name)` gives every value submitted under the name.
    public func parseAnswers(_ values: (String) -> [String]) -> Result<[Int: SurveyAnswer], ValidationError> {
        var problems: [ValidationError.Problem] = []
        var answers: [Int: SurveyAnswer] = [:]
        for (i, q) in questions.enumerated() {
            let field = Self.field(i)
            let given = values(field).map(\.trimmingSpaces).filter { !$0.isEmpty }
            if given.isEmpty {
                if q.required { problems.append(.init(field: field, message: "Answer: \(q.prompt)")) }
                continue
            }
            switch q.kind {
            case .text:
                let text = given.joined(separator: " ")
                if text.count > SurveyQuestion.maximumTextAnswer {
                    problems.append(
                        .init(
                            field: field, message: "Your answer is up to \(SurveyQuestion.maximumTextAnswer) characters"
                        ))
                } else {
                    answers[i] = .text(text)
                }
            case .single, .likert, .multiple:
                let indices = given.map { BoundedInput.wholeNumber($0, in: 0...(q.options.count - 1)) }
                if indices.contains(nil) || (q.kind != .multiple && indices.count > 1)
                    || Set(indices.compactMap { $0 }).count != indices.count
                {
                    problems.append(.init(field: field, message: "Choose from the answers given: \(q.prompt)"))
                } else {
                    let chosen = indices.compactMap { $0 }.sorted()
                    answers[i] = q.kind == .multiple ? .choices(chosen) : .choice(chosen[0])
                }
            }
        }
        return problems.isEmpty ? .success(answers) : .failure(ValidationError(problems))
    }
}

/// Who a response came from, at group level: what the analysis breaks results down by.
public struct RespondentGroup: Hashable, Sendable, Codable {
    public var provider: String
    public var route: TrainingRoute
    public var subject: PlacementSubject
    /// The final state of the candidate's furthest choice when invited.
    public var outcome: ApplicationState

    public init(provider: String, route: TrainingRoute, subject: PlacementSubject, outcome: ApplicationState) {
        self.provider = provider
        self.route = route
        self.subject = subject
        self.outcome = outcome
    }

    /// Withdrew (or declined), recruited, or neither: the comparison the research asks for.
    public var left: Bool? {
        switch outcome {
        case .withdrawn, .declined: true
        case .recruited, .pendingConditions, .offerDeferred: false
        default: nil
        }
    }
}

/// A submitted response.
public struct SurveyResponse: Hashable, Sendable, Codable {
    public var group: RespondentGroup
    public var answers: [Int: SurveyAnswer]
    /// The coordinator's tags on free-text answers, by question index.
    public var tags: [Int: String]

    public init(group: RespondentGroup, answers: [Int: SurveyAnswer], tags: [Int: String] = [:]) {
        self.group = group
        self.answers = answers
        self.tags = tags
    }
}

/// A survey's results: response rates by provider, each option's frequency with its Wilson interval, cross-tabs
/// with a chi-square test where the counts allow, free-text answers by tag, and (joined to the funnel) which
/// answers those who withdrew gave more than those recruited.
public struct SurveyResults: Hashable, Sendable, Codable {
    public struct Rate: Hashable, Sendable, Codable {
        public var provider: String
        public var responded: Proportion
    }

    public struct OptionCount: Hashable, Sendable, Codable {
        public var option: String
        /// Respondents who chose it, of those who answered the question.
        public var share: Proportion
    }

    public enum Breakdown: String, Sendable, Codable, CaseIterable {
        case provider, route, subject, outcome
        public var label: String {
            switch self {
            case .provider: "Provider"
            case .route: "Route"
            case .subject: "Subject"
            case .outcome: "Outcome in the funnel"
            }
        }

        public func value(_ g: RespondentGroup) -> String {
            switch self {
            case .provider: g.provider
            case .route: g.route.label
            case .subject: g.subject.label
            case .outcome:
                switch g.left {
                case true: "Withdrew or declined"
                case false: "Recruited or accepted"
                default: "Other"
                }
            }
        }
    }

    /// A question's answers broken down by a respondent group: rows are groups, columns are options (for a
    /// multiple-choice question, chosen against not chosen for each option, tested one option at a time).
    public struct CrossTab: Hashable, Sendable, Codable {
        /// The respondent group it breaks the answers down by; nil when it is by the answer to another question.
        public var breakdown: Breakdown?
        /// The single-choice question (by index) whose answer groups the respondents: a characteristic the
        /// respondent gives (career changer or graduate, for instance), which the funnel does not hold.
        public var question: Int?
        /// What the rows are: the breakdown's label, or the grouping question's prompt.
        public var label: String
        public var groups: [String]
        /// counts[group][option]: respondents in the group who chose the option.
        public var counts: [[Int]]
        /// Respondents in each group who answered.
        public var answered: [Int]
        /// For single and Likert questions, the one test of the whole table; for multiple, one per option.
        public var tests: [ChiSquareTest?]
    }

    public struct QuestionResult: Hashable, Sendable, Codable {
        public var index: Int
        public var answered: Int
        public var options: [OptionCount]
        public var crossTabs: [CrossTab]
        /// Share choosing each option among those who withdrew and among those recruited, with the test of the
        /// difference.
        public var leftVersusRecruited: [Comparison]
        /// Free-text answers grouped by the coordinator's tag ("" for untagged).
        public var textByTag: [String: [String]]
    }

    public struct Comparison: Hashable, Sendable, Codable {
        public var left: Proportion
        public var recruited: Proportion
        public var test: ChiSquareTest?
    }

    public var invited: Int
    public var responses: Int
    public var rates: [Rate]
    public var questions: [QuestionResult]

    public static func build(
        _ survey: Survey, responses: [SurveyResponse], invitedByProvider: [String: Int],
        respondedByProvider: [String: Int]
    ) -> SurveyResults {
        let rates = invitedByProvider.keys.sorted().map {
            Rate(provider: $0, responded: Proportion(respondedByProvider[$0] ?? 0, of: invitedByProvider[$0] ?? 0))
        }
        var results: [QuestionResult] = []
        for (i, q) in survey.questions.enumerated() {
            let answering = responses.filter { $0.answers[i] != nil }
            var result = QuestionResult(
                index: i, answered: answering.count, options: [], crossTabs: [], leftVersusRecruited: [],
                textByTag: [:])
            if q.kind == .text {
                for r in answering {
                    if case .text(let t) = r.answers[i] { result.textByTag[r.tags[i] ?? "", default: []].append(t) }
                }
                results.append(result)
                continue
            }
            let width = q.options.count
            var totals = Array(repeating: 0, count: width)
            for r in answering { for c in r.answers[i]?.chosen ?? [] where c < width { totals[c] += 1 } }
            result.options = q.options.enumerated().map {
                OptionCount(option: $0.element, share: Proportion(totals[$0.offset], of: answering.count))
            }
            /// The question's answers by the group `of` puts each respondent in (nil: left out), with the tests.
            func crossTab(
                breakdown: Breakdown?, question: Int?, label: String, order: [String], of: (SurveyResponse) -> String?
            ) -> CrossTab? {
                let present = Set(answering.compactMap(of))
                let groups = order.filter { present.contains($0) }
                guard groups.count >= 2 else { return nil }
                var counts = Array(repeating: Array(repeating: 0, count: width), count: groups.count)
                var answered = Array(repeating: 0, count: groups.count)
                for r in answering {
                    guard let name = of(r), let g = groups.firstIndex(of: name) else { continue }
                    answered[g] += 1
                    for c in r.answers[i]?.chosen ?? [] where c < width { counts[g][c] += 1 }
                }
                let tests: [ChiSquareTest?] =
                    q.kind == .multiple
                    ? (0..<width).map { c in
                        ChiSquareTest.run(groups.indices.map { [counts[$0][c], answered[$0] - counts[$0][c]] })
                    }
                    : [ChiSquareTest.run(counts)]
                return CrossTab(
                    breakdown: breakdown, question: question, label: label, groups: groups, counts: counts,
                    answered: answered, tests: tests)
            }
            for breakdown in Breakdown.allCases {
                let order = Array(Set(answering.map { breakdown.value($0.group) })).sorted()
                if let t = crossTab(
                    breakdown: breakdown, question: nil, label: breakdown.label, order: order,
                    of: { breakdown.value($0.group) })
                {
                    result.crossTabs.append(t)
                }
            }
            // Characteristics respondents give: every other single-choice question, its options in order.
            for (j, other) in survey.questions.enumerated() where j != i && other.kind == .single {
                let t = crossTab(
                    breakdown: nil, question: j, label: other.prompt, order: other.options,
                    of: { r in
                        guard let c = r.answers[j]?.chosen.first, c < other.options.count else { return nil }
                        return other.options[c]
                    })
                if let t { result.crossTabs.append(t) }
            }
            let left = answering.filter { $0.group.left == true }
            let recruited = answering.filter { $0.group.left == false }
            result.leftVersusRecruited = (0..<width).map { c in
                let l = left.filter { $0.answers[i]?.chosen.contains(c) == true }.count
                let r = recruited.filter { $0.answers[i]?.chosen.contains(c) == true }.count
                return Comparison(
                    left: Proportion(l, of: left.count), recruited: Proportion(r, of: recruited.count),
                    test: ChiSquareTest.run([[l, left.count - l], [r, recruited.count - r]]))
            }
            results.append(result)
        }
        return SurveyResults(
            invited: invitedByProvider.values.reduce(0, +), responses: responses.count, rates: rates,
            questions: results)
    }
}

/// Who a survey's invitations go to, by the outcome of each candidate's furthest application choice in the cycle:
/// so the partnership can ask its trainees what nearly stopped them, or those who did not get through what did.
public enum SurveyAudience: String, CaseIterable, Sendable {
    case everyone
    /// Candidates recruited: the providers' trainees.
    case trainees
    /// Candidates whose applications ended without recruitment, or who never submitted one.
    case notRecruited = "not-recruited"

    public var label: String {
        switch self {
        case .everyone: "Every candidate with an email address"
        case .trainees: "Trainees: candidates who were recruited"
        case .notRecruited: "Candidates who were not recruited: withdrew, rejected, declined, or never submitted"
        }
    }

    public func includes(_ outcome: ApplicationState) -> Bool {
        switch self {
        case .everyone: true
        case .trainees: outcome == .recruited
        case .notRecruited: outcome == .unsubmitted || ApplicationState.endings.contains(outcome)
        }
    }
}

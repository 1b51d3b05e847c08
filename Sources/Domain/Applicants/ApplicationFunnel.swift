import Foundation

/// The state of one application choice, as DfE's Apply for teacher training names it.
public enum ApplicationState: String, Codable, Sendable, CaseIterable {
    case unsubmitted
    case awaitingProviderDecision = "awaiting_provider_decision"
    case interviewing
    case offer
    case pendingConditions = "pending_conditions"
    case recruited
    case rejected
    case withdrawn
    case declined
    case offerWithdrawn = "offer_withdrawn"
    case conditionsNotMet = "conditions_not_met"
    case offerDeferred = "offer_deferred"

    public var label: String {
        switch self {
        case .unsubmitted: "Not submitted"
        case .awaitingProviderDecision: "Awaiting provider decision"
        case .interviewing: "Interviewing"
        case .offer: "Offer made"
        case .pendingConditions: "Offer accepted, conditions pending"
        case .recruited: "Recruited"
        case .rejected: "Rejected"
        case .withdrawn: "Withdrawn by the candidate"
        case .declined: "Offer declined"
        case .offerWithdrawn: "Offer withdrawn by the provider"
        case .conditionsNotMet: "Conditions not met"
        case .offerDeferred: "Offer deferred"
        }
    }

    /// The states along the way to recruitment, in order; the others end a choice.
    public static let path: [ApplicationState] = [
        .unsubmitted, .awaitingProviderDecision, .interviewing, .offer, .pendingConditions, .recruited,
    ]
    /// States that end a choice without recruitment.
    public static let endings: [ApplicationState] = [
        .rejected, .withdrawn, .declined, .offerWithdrawn, .conditionsNotMet,
    ]

    /// The file's column for the moment the choice entered the state (`created_at` for unsubmitted).
    public var column: String { self == .unsubmitted ? "created_at" : "\(rawValue)_at" }
}

/// The sections of Apply's application form, in the order the form lists them.
public enum ApplicationSection: String, Codable, Sendable, CaseIterable {
    case personalDetails = "personal_details"
    case contactDetails = "contact_details"
    case trainingWithADisability = "training_with_a_disability"
    case workHistory = "work_history"
    case volunteering
    case degrees
    case mathsGCSE = "maths_gcse"
    case englishGCSE = "english_gcse"
    case scienceGCSE = "science_gcse"
    case otherQualifications = "other_qualifications"
    case englishForeignLanguage = "efl"
    case personalStatement = "becoming_a_teacher"
    case interviewPreferences = "interview_preferences"
    case references
    case safeguarding = "safeguarding_issues"
    case equalityAndDiversity = "equality_and_diversity"

    public var label: String {
        switch self {
        case .personalDetails: "Personal information"
        case .contactDetails: "Contact information"
        case .trainingWithADisability: "Ask for support if you're disabled"
        case .workHistory: "Work history"
        case .volunteering: "Unpaid experience"
        case .degrees: "Degree"
        case .mathsGCSE: "Maths GCSE or equivalent"
        case .englishGCSE: "English GCSE or equivalent"
        case .scienceGCSE: "Science GCSE or equivalent (primary)"
        case .otherQualifications: "A levels and other qualifications"
        case .englishForeignLanguage: "English as a foreign language"
        case .personalStatement: "Personal statement"
        case .interviewPreferences: "Interview availability"
        case .references: "References"
        case .safeguarding: "Declaring any safeguarding issues"
        case .equalityAndDiversity: "Equality and diversity questions"
        }
    }

    public var column: String { "\(rawValue)_completed_at" }
}

/// Apply's structured reasons: withdrawal reasons are `level-one.level-two[.level-three]` (hyphenated; Apply's
/// older exports wrote the lower levels with underscores, read the same), rejection reasons `category.reason` or a
/// category alone.
public enum ApplicationReasons {
    /// Every withdrawal reason Apply offers, as full codes.
    public static let withdrawal: [String] = {
        let circumstances = [
            "concerns-about-cost-of-doing-course", "concerns-about-having-enough-time-to-train",
            "concerns-about-training-with-a-disability-or-health-condition", "other",
        ].map { "personal-circumstances-have-changed.\($0)" }
        let tree: [(String, [String])] = [
            (
                "applying-to-another-provider",
                [
                    "accepted-another-offer", "seen-a-course-that-suits-me-better", "provider-has-not-replied-to-me",
                    "location-is-too-far-away", "personal-circumstances-have-changed", "course-no-longer-available",
                    "other",
                ] + circumstances
            ),
            (
                "change-or-update-application-with-this-provider",
                [
                    "update-my-application-correct-an-error-or-add-information", "change-study-pattern",
                    "apply-for-a-different-subject-with-the-same-provider", "other",
                ]
            ),
            (
                "apply-in-the-future",
                ["personal-circumstances-have-changed", "gain-more-experience", "improve-qualifications", "other"]
                    + circumstances
            ),
            (
                "do-not-want-to-train-anymore",
                ["personal-circumstances-have-changed", "another-career-path-or-accepted-a-job-offer", "other"]
                    + circumstances
            ),
            ("other", []),
        ]
        return tree.flatMap { top, lower in [top] + lower.map { "\(top).\($0)" } }
    }()

    /// Every rejection reason Apply offers, as `category` or `category.reason`.
    public static let rejection: [String] = {
        let tree: [(String, [String])] = [
            (
                "qualifications",
                [
                    "no_maths_gcse", "no_english_gcse", "no_science_gcse", "no_degree", "unsuitable_a_levels",
                    "unsuitable_degree", "unsuitable_degree_subject", "unverified_qualifications",
                    "unverified_equivalency_qualifications", "already_qualified", "qualifications_other",
                ]
            ),
            ("personal_statement", ["quality_of_writing", "personal_statement_other"]),
            (
                "teaching_knowledge",
                [
                    "subject_knowledge", "safeguarding_knowledge", "teaching_method_knowledge",
                    "teaching_role_knowledge", "teaching_demonstration", "teaching_knowledge_other",
                ]
            ),
            (
                "communication_and_scheduling",
                [
                    "did_not_reply", "did_not_attend_interview", "could_not_arrange_interview",
                    "english_below_standard", "communication_and_scheduling_other",
                ]
            ),
            ("references", []), ("safeguarding", []), ("visa_sponsorship", []),
            ("course_full", ["salary_course_full"]),
            ("school_placement", ["no_placements", "no_suitable_placements", "placements_other"]),
            ("other", []),
        ]
        return tree.flatMap { top, lower in [top] + lower.map { "\(top).\($0)" } }
    }()

    static let withdrawalSet = Set(withdrawal)
    static let rejectionSet = Set(rejection)

    /// The withdrawal code in its canonical (hyphenated) form, or nil when Apply has no such reason.
    public static func withdrawalCode(_ text: String) -> String? {
        let code = text.trimmingSpaces.lowercased().replacingOccurrences(of: "_", with: "-")
        return withdrawalSet.contains(code) ? code : nil
    }

    /// The rejection code as given, or nil when Apply has no such reason.
    public static func rejectionCode(_ text: String) -> String? {
        let code = text.trimmingSpaces.lowercased()
        return rejectionSet.contains(code) ? code : nil
    }

    /// A reason code in words: "Do not want to train anymore: another career path or accepted a job offer".
    public static func label(_ code: String) -> String {
        let parts = code.split(separator: ".").map {
            $0.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
        }
        guard let first = parts.first else { return code }
        let text = ([first.prefix(1).uppercased() + first.dropFirst()] + parts.dropFirst()).joined(separator: ": ")
        return text.replacingOccurrences(of: "gcse", with: "GCSE").replacingOccurrences(of: "english", with: "English")
    }
}

/// One application choice (a candidate's application to one course), as a provider's import gives it.
public struct ApplicationChoice: Hashable, Sendable, Codable {
    /// The choice's id in the provider's system (Apply's application choice id).
    public var reference: String
    /// The candidate's id in Apply, the same across their choices.
    public var candidate: String
    /// The candidate's email, lower-cased, when the provider gives it: links the choice to the partnership's own
    /// school experience and events.
    public var email: String?
    /// Apply's recruitment cycle year: the year the course starts (2026 is the cycle from October 2025).
    public var cycle: Int
    public var subject: PlacementSubject
    public var route: TrainingRoute
    public var status: ApplicationState
    /// When the choice entered each state it reached.
    public var entered: [ApplicationState: Date]
    public var withdrawalReasons: [String]
    public var rejectionReasons: [String]
    /// The form's sections the candidate had completed; nil when the file did not give them.
    public var sectionsCompleted: Set<ApplicationSection>?

    public init(
        reference: String, candidate: String, email: String?, cycle: Int, subject: PlacementSubject,
        route: TrainingRoute, status: ApplicationState, entered: [ApplicationState: Date],
        withdrawalReasons: [String] = [], rejectionReasons: [String] = [],
        sectionsCompleted: Set<ApplicationSection>? = nil
    ) {
        self.reference = reference
        self.candidate = candidate
        self.email = email
        self.cycle = cycle
        self.subject = subject
        self.route = route
        self.status = status
        self.entered = entered
        self.withdrawalReasons = withdrawalReasons
        self.rejectionReasons = rejectionReasons
        self.sectionsCompleted = sectionsCompleted
    }

    public func reached(_ state: ApplicationState) -> Bool { entered[state] != nil }

    /// How far along the path the choice got (0 started ... 5 recruited): which of a candidate's choices speaks
    /// for them in a survey's breakdown.
    public var progress: Int { ApplicationState.path.lastIndex(where: { entered[$0] != nil }) ?? 0 }

    /// Each candidate's furthest choice (with its provider), by email, among choices that give one.
    public static func furthestByEmail<P>(_ choices: [(P, ApplicationChoice)]) -> [String: (P, ApplicationChoice)] {
        var best: [String: (P, ApplicationChoice)] = [:]
        for (p, c) in choices {
            guard let email = c.email else { continue }
            if let b = best[email], b.1.progress >= c.progress { continue }
            best[email] = (p, c)
        }
        return best
    }

    /// Which state a history ends in: its ending, else a deferral, else the furthest state along the path.
    public static func finalState(_ entered: [ApplicationState: Date]) -> ApplicationState {
        if let end = ApplicationState.endings.first(where: { entered[$0] != nil }) { return end }
        if entered[.offerDeferred] != nil { return .offerDeferred }
        return ApplicationState.path.last(where: { entered[$0] != nil }) ?? .unsubmitted
    }

    /// Why a history is impossible, as (column, message) pairs; empty when it could have happened in Apply.
    public static func historyProblems(_ entered: [ApplicationState: Date], status: ApplicationState) -> [(
        String, String
    )] {
        var problems: [(String, String)] = []
        func needs(_ state: ApplicationState, _ before: ApplicationState, _ why: String) {
            if entered[state] != nil, entered[before] == nil {
                problems.append((state.column, "\(why): \(before.column) is empty"))
            }
        }
        if entered[.unsubmitted] == nil { problems.append(("created_at", "Enter when the application was started")) }
        needs(.awaitingProviderDecision, .unsubmitted, "A submitted choice must have been started")
        needs(.interviewing, .awaitingProviderDecision, "An interview needs a submitted application")
        needs(.offer, .awaitingProviderDecision, "An offer needs a submitted application")
        needs(.pendingConditions, .offer, "Accepting needs an offer")
        needs(.recruited, .pendingConditions, "A recruited choice needs an accepted offer")
        needs(.offerDeferred, .pendingConditions, "A deferred offer needs an accepted offer")
        needs(.rejected, .awaitingProviderDecision, "A rejection needs a submitted application")
        needs(.withdrawn, .awaitingProviderDecision, "Only a submitted application can be withdrawn")
        needs(.declined, .offer, "Declining needs an offer")
        needs(.offerWithdrawn, .offer, "Withdrawing an offer needs an offer")
        needs(.conditionsNotMet, .pendingConditions, "Conditions not met needs an accepted offer")
        if entered[.rejected] != nil, entered[.offer] != nil {
            problems.append(("rejected_at", "A choice with an offer ends with the offer withdrawn, not rejected"))
        }
        if entered[.declined] != nil, entered[.pendingConditions] != nil {
            problems.append(("declined_at", "An accepted offer cannot then be declined; it is withdrawn"))
        }
        if entered[.conditionsNotMet] != nil, entered[.recruited] != nil {
            problems.append(("conditions_not_met_at", "A recruited candidate met their conditions"))
        }
        let endings = ApplicationState.endings.filter { entered[$0] != nil }
        if endings.count > 1 {
            problems.append(
                (
                    endings[1].column,
                    "A choice ends once: \(endings.map(\.column).joined(separator: " and ")) are both set"
                ))
        }
        // Each state is entered no earlier than the one it follows.
        var previous: (ApplicationState, Date)?
        for state in ApplicationState.path {
            guard let at = entered[state] else { continue }
            if let (p, pAt) = previous, at < pAt {
                problems.append(
                    (state.column, "\(state.column) is before \(p.column): a state reached before the one it follows"))
            }
            previous = (state, at)
        }
        let latestPath = ApplicationState.path.compactMap { s in entered[s].map { (s, $0) } }.max { $0.1 < $1.1 }
        for state in ApplicationState.endings + [.offerDeferred] {
            guard let at = entered[state], let (p, pAt) = latestPath, at < pAt else { continue }
            problems.append(
                (state.column, "\(state.column) is before \(p.column): a choice cannot move on after it ended"))
        }
        if problems.isEmpty, status != finalState(entered) {
            problems.append(
                ("status", "The history ends in \(finalState(entered).rawValue), but the status is \(status.rawValue)"))
        }
        return problems
    }
}

/// Reads a provider's application choices (one row per choice, in the shape of DfE's Apply); all or nothing.
public enum ApplicationFile {
    public static let required = [
        "id", "candidate_id", "candidate_email", "recruitment_cycle_year", "subject", "route", "status",
    ]
    /// The state columns, in order.
    public static let stateColumns = (ApplicationState.path + ApplicationState.endings + [.offerDeferred]).map(
        \.column)
    public static let reasonColumns = ["withdrawal_reasons", "rejection_reasons"]
    /// Every column; the section columns may be left out (then the form's sections are not analysed).
    public static let columns =
        required + stateColumns + reasonColumns + ApplicationSection.allCases.map(\.column)

    public static let maximumRows = 50_000

    /// The choices as a file this reader reads back (times in UTC, to the second).
    public static func csv(_ choices: [ApplicationChoice]) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .gmt
        var text = columns.joined(separator: ",") + "\n"
        for c in choices {
            var row = [
                c.reference, c.candidate, c.email ?? "", String(c.cycle), c.subject.key, c.route.rawValue,
                c.status.rawValue,
            ]
            row += (ApplicationState.path + ApplicationState.endings + [.offerDeferred]).map {
                c.entered[$0].map { formatter.string(from: $0) } ?? ""
            }
            row += [c.withdrawalReasons.joined(separator: ";"), c.rejectionReasons.joined(separator: ";")]
            row += ApplicationSection.allCases.map { s in
                c.sectionsCompleted?.contains(s) == true
                    ? (c.entered[.unsubmitted].map { formatter.string(from: $0) } ?? "") : ""
            }
            text += row.map(SchoolCSVExport.escapeQuoted).joined(separator: ",") + "\n"
        }
        return text
    }

    /// A moment: `YYYY-MM-DD` (the start of that day, UTC) or `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z` or an offset
    /// like `+01:00`, from 2000 on.
    public static func moment(_ text: String) -> Date? {
        let text = text.trimmingSpaces
        guard text.count >= 10, text.count <= 35, text.allSatisfy(\.isASCII) else { return nil }
        let dayPart = String(text.prefix(10))
        guard let day = Day(dayPart), dayPart.first != nil, dayPart.split(separator: "-").first?.count == 4,
            day.year >= 2000
        else { return nil }
        var seconds = 0
        var offset = 0
        let rest = text.dropFirst(10)
        if !rest.isEmpty {
            guard rest.first == "T" || rest.first == " " else { return nil }
            var time = rest.dropFirst()
            if time.hasSuffix("Z") {
                time = time.dropLast()
            } else if time.count > 6, let sign = time.dropLast(5).last, sign == "+" || sign == "-" {
                let zone = time.suffix(5)
                let zoneParts = zone.split(separator: ":")
                guard zone.count == 5, zoneParts.count == 2, let h = BoundedInput.wholeNumber(zoneParts[0], in: 0...14),
                    let m = BoundedInput.wholeNumber(zoneParts[1], in: 0...59)
                else { return nil }
                offset = (sign == "+" ? 1 : -1) * (h * 3600 + m * 60)
                time = time.dropLast(6)
            } else {
                return nil
            }
            if let dot = time.firstIndex(of: ".") {
                guard time[time.index(after: dot)...].allSatisfy({ $0.isNumber }) else { return nil }
                time = time[..<dot]
            }
            let parts = time.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
                let h = BoundedInput.wholeNumber(parts[0], in: 0...23),
                let m = BoundedInput.wholeNumber(parts[1], in: 0...59)
            else { return nil }
            let s = parts.count == 3 ? BoundedInput.wholeNumber(parts[2], in: 0...59) : 0
            guard let s else { return nil }
            seconds = h * 3600 + m * 60 + s
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        guard let midnight = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
        else { return nil }
        return midnight.addingTimeInterval(TimeInterval(seconds - offset))
    }

    /// Reads one row; every problem names its column.
    public static func parse(_ value: (String) -> String, now: Date, sections: Bool) -> Result<
        ApplicationChoice, ValidationError
    > {
        var problems: [ValidationError.Problem] = []
        func problem(_ field: String, _ message: String) { problems.append(.init(field: field, message: message)) }
        func identifier(_ field: String, _ what: String) -> String? {
            let text = value(field).trimmingSpaces
            guard !text.isEmpty else {
                problem(field, "Enter the \(what)")
                return nil
            }
            guard text.count <= 64, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) })
            else {
                problem(
                    field, "The \(what) must be up to 64 letters, digits, - or _; \(BoundedInput.quote(text)) is not")
                return nil
            }
            return text
        }
        let reference = identifier("id", "application choice id")
        let candidate = identifier("candidate_id", "candidate id")
        let emailText = value("candidate_email").trimmingSpaces.lowercased()
        var email: String?
        if !emailText.isEmpty {
            let parts = emailText.split(separator: "@", omittingEmptySubsequences: false)
            if emailText.count > 254 || parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".")
                || BoundedInput.hasControlCharacters(emailText) || emailText.contains(" ")
            {
                problem("candidate_email", "Enter an email address like name@example.com, or leave it empty")
            } else {
                email = emailText
            }
        }
        let cycleText = value("recruitment_cycle_year").trimmingSpaces
        let cycle = BoundedInput.wholeNumber(cycleText, in: 2000...2100)
        if cycle == nil {
            problem("recruitment_cycle_year", "Enter the recruitment cycle as a year from 2000 to 2100, like 2026")
        }
        /// The column's value as one of a list of keys, or a problem that lists them.
        func oneOf<T>(_ field: String, _ noun: String, _ keys: [String], _ make: (String) -> T?) -> T? {
            let text = value(field).trimmingSpaces.lowercased()
            if let v = make(text) { return v }
            problem(field, "\(BoundedInput.quote(text)) is not \(noun); use one of \(keys.joined(separator: ", "))")
            return nil
        }
        let subject = oneOf("subject", "a subject", PlacementSubject.allCases.map(\.key)) { PlacementSubject(key: $0) }
        let route = oneOf("route", "a route", TrainingRoute.allCases.map(\.rawValue)) { TrainingRoute(rawValue: $0) }
        let status = oneOf("status", "an Apply status", ApplicationState.allCases.map(\.rawValue)) {
            ApplicationState(rawValue: $0)
        }
        let latest = now.addingTimeInterval(86_400)
        var entered: [ApplicationState: Date] = [:]
        var timesReadable = true
        for state in ApplicationState.allCases {
            let text = value(state.column).trimmingSpaces
            guard !text.isEmpty else { continue }
            guard let at = moment(text) else {
                timesReadable = false
                problem(
                    state.column,
                    "\(BoundedInput.quote(text)) is not a date and time; write 2026-03-14T10:30:00Z or 2026-03-14")
                continue
            }
            if at > latest {
                timesReadable = false
                problem(state.column, "\(BoundedInput.quote(text)) is in the future")
                continue
            }
            entered[state] = at
        }
        if timesReadable, let status {
            for (field, message) in ApplicationChoice.historyProblems(entered, status: status) {
                problem(field, message)
            }
        }
        func reasons(_ field: String, allowedWhen states: [ApplicationState], code: (String) -> String?) -> [String] {
            let parts = value(field).split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
            guard !parts.isEmpty else { return [] }
            if let status, !states.contains(status) {
                problem(
                    field, "Only a choice that is \(states.map(\.rawValue).joined(separator: " or ")) has \(field)")
                return []
            }
            var codes: [String] = []
            for part in parts.prefix(20) {
                if let c = code(part) {
                    if !codes.contains(c) { codes.append(c) }
                } else {
                    problem(field, "\(BoundedInput.quote(part)) is not one of Apply's reason codes")
                }
            }
            return codes
        }
        let withdrawal = reasons(
            "withdrawal_reasons", allowedWhen: [.withdrawn], code: ApplicationReasons.withdrawalCode)
        let rejection = reasons(
            "rejection_reasons", allowedWhen: [.rejected, .offerWithdrawn], code: ApplicationReasons.rejectionCode)
        var completed: Set<ApplicationSection>? = sections ? [] : nil
        if sections {
            for section in ApplicationSection.allCases {
                let text = value(section.column).trimmingSpaces
                guard !text.isEmpty else { continue }
                if let at = moment(text), at <= latest {
                    completed?.insert(section)
                } else {
                    problem(section.column, "\(BoundedInput.quote(text)) is not a date and time in the past, or empty")
                }
            }
        }
        guard problems.isEmpty, let reference, let candidate, let cycle, let subject, let route, let status else {
            return .failure(ValidationError(problems))
        }
        return .success(
            ApplicationChoice(
                reference: reference, candidate: candidate, email: email, cycle: cycle, subject: subject, route: route,
                status: status, entered: entered, withdrawalReasons: withdrawal, rejectionReasons: rejection,
                sectionsCompleted: completed))
    }

    /// Reads a whole file: every row must be good, ids unique, and one cycle throughout.
    public static func read(_ bytes: [UInt8], file: String, now: Date) throws(ImportFileError) -> [ApplicationChoice] {
        let table = try CSVTable(bytes: bytes, file: file, encoding: nil)
        let missing = (required + stateColumns + reasonColumns).filter { !table.header.contains($0) }
        if !missing.isEmpty {
            throw ImportFileError(
                file: file,
                problems: [
                    .init(
                        line: 1,
                        message:
                            "missing columns: \(missing.joined(separator: ", ")); the header is \(columns.joined(separator: ","))"
                    )
                ])
        }
        let sectionColumns = ApplicationSection.allCases.map(\.column)
        let presentSections = sectionColumns.filter { table.header.contains($0) }
        if !presentSections.isEmpty, presentSections.count < sectionColumns.count {
            let absent = sectionColumns.filter { !table.header.contains($0) }
            throw ImportFileError(
                file: file,
                problems: [
                    .init(
                        line: 1,
                        message:
                            "give all of the form's section columns or none; missing: \(absent.joined(separator: ", "))"
                    )
                ])
        }
        if table.rows.isEmpty {
            throw ImportFileError(file: file, problems: [.init(message: "has no application choices")])
        }
        if table.rows.count > maximumRows {
            throw ImportFileError(
                file: file,
                problems: [.init(message: "has \(table.rows.count) rows; import at most \(maximumRows) at a time")])
        }
        var choices: [ApplicationChoice] = []
        var problems: [ImportFileError.Problem] = []
        var seen: [String: Int] = [:]
        var cycleLine: (Int, Int)?
        for row in table.rows {
            switch parse({ row[$0] }, now: now, sections: !presentSections.isEmpty) {
            case .failure(let error):
                problems += error.problems.map { .init(line: row.line, field: $0.field, message: $0.message) }
            case .success(let choice):
                if let first = seen[choice.reference] {
                    problems.append(
                        .init(
                            line: row.line, field: "id",
                            message: "\(BoundedInput.quote(choice.reference)) is also on line \(first)"))
                } else {
                    seen[choice.reference] = row.line
                }
                if let (cycle, line) = cycleLine, cycle != choice.cycle {
                    problems.append(
                        .init(
                            line: row.line, field: "recruitment_cycle_year",
                            message: "one file holds one cycle: line \(line) is \(cycle), this is \(choice.cycle)"))
                } else if cycleLine == nil {
                    cycleLine = (choice.cycle, row.line)
                }
                choices.append(choice)
            }
        }
        guard problems.isEmpty else { throw ImportFileError(file: file, problems: problems) }
        return choices
    }
}

/// What happened to a set of application choices: how many reached each stage, conversions with intervals, time
/// in each state, where candidates stopped in the form and why they left. Pure: the page, the API and the CLI call it.
public struct ApplicationFunnel: Hashable, Sendable, Codable {
    /// The funnel's stages, and which stage each one's conversion is counted from.
    public enum Stage: String, Codable, Sendable, CaseIterable {
        case started, submitted, interviewing, offer, accepted, recruited

        public var state: ApplicationState {
            switch self {
            case .started: .unsubmitted
            case .submitted: .awaitingProviderDecision
            case .interviewing: .interviewing
            case .offer: .offer
            case .accepted: .pendingConditions
            case .recruited: .recruited
            }
        }

        /// The stage a conversion is counted from. An offer is counted from submission, because providers may
        /// offer without an interview.
        public var from: Stage? {
            switch self {
            case .started: nil
            case .submitted: .started
            case .interviewing, .offer: .submitted
            case .accepted: .offer
            case .recruited: .accepted
            }
        }

        public var label: String {
            switch self {
            case .started: "Started"
            case .submitted: "Submitted"
            case .interviewing: "Interviewed"
            case .offer: "Offered a place"
            case .accepted: "Accepted an offer"
            case .recruited: "Recruited"
            }
        }
    }

    public struct Median: Hashable, Sendable, Codable {
        /// Days, or nil when fewer than `Proportion.minimumGroup` choices left the state.
        public var days: Double?
        public var choices: Int
    }

    public var choices: Int
    public var candidates: Int
    /// Choices that reached each stage.
    public var reached: [Stage: Int]
    /// Each stage's conversion from the stage it is counted from (choices that reached both, of those that reached
    /// the earlier one).
    public var conversion: [Stage: Proportion]
    /// Recruited of submitted.
    public var overall: Proportion
    /// The median days spent in each state before the choice moved on or ended, among those that left it.
    public var timeIn: [ApplicationState: Median]
    /// Choices in each final state.
    public var outcomes: [ApplicationState: Int]
    /// How often each reason was given, by full code and by its first level; `withdrawn` and `rejected` are the
    /// choices they are counted among.
    public var withdrawalReasons: [String: Int]
    public var rejectionReasons: [String: Int]
    public var withdrawn: Int
    public var rejected: Int
    /// Of choices never submitted (with the form's sections given): the first section left incomplete, and how
    /// many had completed each section.
    public var unsubmittedWithSections: Int
    public var stoppedAt: [ApplicationSection: Int]
    public var completedUnsubmitted: [ApplicationSection: Int]

    public static func build(_ choices: [ApplicationChoice]) -> ApplicationFunnel {
        var reached: [Stage: Int] = [:]
        var both: [Stage: Int] = [:]
        var outcomes: [ApplicationState: Int] = [:]
        var durations: [ApplicationState: [Double]] = [:]
        var withdrawal: [String: Int] = [:]
        var rejection: [String: Int] = [:]
        var unsubmittedWithSections = 0
        var stoppedAt: [ApplicationSection: Int] = [:]
        var completed: [ApplicationSection: Int] = [:]
        let measured: [ApplicationState] = [
            .unsubmitted, .awaitingProviderDecision, .interviewing, .offer, .pendingConditions,
        ]
        for c in choices {
            for stage in Stage.allCases where c.reached(stage.state) {
                reached[stage, default: 0] += 1
                if let from = stage.from, c.reached(from.state) { both[stage, default: 0] += 1 }
            }
            outcomes[c.status, default: 0] += 1
            for state in measured {
                guard let at = c.entered[state] else { continue }
                let i = ApplicationState.path.firstIndex(of: state) ?? 0
                let after = ApplicationState.path[(i + 1)...] + ApplicationState.endings + [.offerDeferred]
                if let next = after.compactMap({ c.entered[$0] }).filter({ $0 >= at }).min() {
                    durations[state, default: []].append(next.timeIntervalSince(at) / 86_400)
                }
            }
            if c.status == .withdrawn {
                for code in c.withdrawalReasons { withdrawal[code, default: 0] += 1 }
                for top in Set(c.withdrawalReasons.map { String($0.split(separator: ".")[0]) })
                where !c.withdrawalReasons.contains(top) {
                    withdrawal[top, default: 0] += 1
                }
            }
            if c.status == .rejected || c.status == .offerWithdrawn {
                for code in c.rejectionReasons { rejection[code, default: 0] += 1 }
                for top in Set(c.rejectionReasons.map { String($0.split(separator: ".")[0]) })
                where !c.rejectionReasons.contains(top) {
                    rejection[top, default: 0] += 1
                }
            }
            if !c.reached(.awaitingProviderDecision), let done = c.sectionsCompleted {
                unsubmittedWithSections += 1
                for s in done { completed[s, default: 0] += 1 }
                if let first = ApplicationSection.allCases.first(where: { !done.contains($0) }) {
                    stoppedAt[first, default: 0] += 1
                }
            }
        }
        var conversion: [Stage: Proportion] = [:]
        for stage in Stage.allCases {
            guard let from = stage.from else { continue }
            conversion[stage] = Proportion(both[stage] ?? 0, of: reached[from] ?? 0)
        }
        var timeIn: [ApplicationState: Median] = [:]
        for state in measured {
            let values = (durations[state] ?? []).sorted()
            timeIn[state] = Median(
                days: values.count >= Proportion.minimumGroup ? Self.median(values) : nil, choices: values.count)
        }
        return ApplicationFunnel(
            choices: choices.count, candidates: Set(choices.map(\.candidate)).count, reached: reached,
            conversion: conversion,
            overall: Proportion(
                choices.filter { $0.reached(.recruited) && $0.reached(.awaitingProviderDecision) }.count,
                of: reached[.submitted] ?? 0),
            timeIn: timeIn, outcomes: outcomes, withdrawalReasons: withdrawal, rejectionReasons: rejection,
            withdrawn: outcomes[.withdrawn] ?? 0,
            rejected: (outcomes[.rejected] ?? 0) + (outcomes[.offerWithdrawn] ?? 0),
            unsubmittedWithSections: unsubmittedWithSections, stoppedAt: stoppedAt, completedUnsubmitted: completed)
    }

    /// The middle value of sorted values (the mean of the two middle ones for an even count).
    static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}

/// Choices of candidates the partnership supported (school experience, events) against the others: recruited of
/// submitted, each with its interval.
public struct SupportComparison: Hashable, Sendable, Codable {
    public var supported: Proportion
    public var others: Proportion

    public static func build(_ choices: [ApplicationChoice], supportedEmails: Set<String>) -> SupportComparison {
        var s = Proportion(0, of: 0)
        var o = Proportion(0, of: 0)
        for c in choices where c.reached(.awaitingProviderDecision) {
            let recruited = c.reached(.recruited) ? 1 : 0
            if let e = c.email, supportedEmails.contains(e) {
                s.count += recruited
                s.of += 1
            } else {
                o.count += recruited
                o.of += 1
            }
        }
        return SupportComparison(supported: s, others: o)
    }
}

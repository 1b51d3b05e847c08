import Foundation

/// A school's maths or science vacancy, with the fields of DfE's Teaching Vacancies, and what happened when it
/// closed: the record Teaching Vacancies does not keep.
public struct Vacancy: Hashable, Sendable, Identifiable {
    public enum Contract: String, Sendable, CaseIterable, Codable {
        case permanent
        case fixedTerm = "fixed-term"
        public var label: String { self == .permanent ? "Permanent" : "Fixed term" }
    }

    public enum KeyStage: String, Sendable, CaseIterable, Codable, Comparable {
        case ks3, ks4, ks5
        public var label: String { "Key stage \(rawValue.dropFirst(2))" }
        public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }
    }

    public enum Outcome: String, Sendable, CaseIterable, Codable {
        case specialist = "filled-specialist"
        case nonSpecialist = "filled-non-specialist"
        case notFilled = "not-filled"

        public var label: String {
            switch self {
            case .specialist: "Filled by a specialist (a relevant post-A-level qualification)"
            case .nonSpecialist: "Filled by a teacher without a relevant qualification"
            case .notFilled: "Not filled"
            }
        }
        public var filled: Bool { self != .notFilled }
    }

    public enum Channel: String, Sendable, CaseIterable, Codable {
        case teachingVacancies = "teaching-vacancies"
        case partnerReferral = "partner-referral"
        case schoolWebsite = "school-website"
        case trustOrAuthority = "trust-or-authority"
        case agency
        case other

        public var label: String {
            switch self {
            case .teachingVacancies: "DfE Teaching Vacancies"
            case .partnerReferral: "A recruitment partner's referral"
            case .schoolWebsite: "The school's own website"
            case .trustOrAuthority: "The trust's or local authority's job board"
            case .agency: "An agency"
            case .other: "Other"
            }
        }
    }

    /// The subjects a maths and science vacancy can be for.
    public static let subjects: [TeachingSubject] = [.mathematics, .physics, .chemistry, .biology, .combinedScience]

    public var id: UUID
    public var urn: Int
    public var jobTitle: String
    public var subjects: [TeachingSubject]
    public var keyStages: [KeyStage]
    public var workingPattern: WorkingPattern
    public var contract: Contract
    public var salary: String
    public var startsOn: Day?
    public var postedOn: Day
    public var closesOn: Day
    /// Set when the school records how it closed.
    public var closedOn: Day?
    public var outcome: Outcome?
    public var channels: [Channel]

    public init(
        id: UUID = UUID(), urn: Int, jobTitle: String, subjects: [TeachingSubject], keyStages: [KeyStage],
        workingPattern: WorkingPattern, contract: Contract, salary: String, startsOn: Day?, postedOn: Day,
        closesOn: Day, closedOn: Day? = nil, outcome: Outcome? = nil, channels: [Channel] = []
    ) {
        self.id = id
        self.urn = urn
        self.jobTitle = jobTitle
        self.subjects = subjects
        self.keyStages = keyStages
        self.workingPattern = workingPattern
        self.contract = contract
        self.salary = salary
        self.startsOn = startsOn
        self.postedOn = postedOn
        self.closesOn = closesOn
        self.closedOn = closedOn
        self.outcome = outcome
        self.channels = channels
    }

    public var isOpen: Bool { outcome == nil }

    /// Days from posting to the outcome, for a filled vacancy.
    public var daysToFill: Int? {
        guard let closedOn, outcome?.filled == true else { return nil }
        return closedOn.ordinal - postedOn.ordinal
    }

    static func text(_ s: String?) -> String {
        (s ?? "").trimmingSpaces
    }

    /// A vacancy from the school's form: job_title (1-150), subjects (one or more of the maths and science
    /// subjects), key_stages, working_pattern, contract, salary (1-100), starts_on (optional), closes_on (after
    /// today, within a year).
    public static func parse(
        _ one: (String) -> String, all: (String) -> [String], urn: Int, today: Day
    ) -> Result<Vacancy, ValidationError> {
        var problems: [ValidationError.Problem] = []
        let title = text(one("job_title"))
        if title.isEmpty || title.count > 150 || BoundedInput.hasControlCharacters(title) {
            problems.append(.init(field: "job_title", message: "Enter the job title, at most 150 characters"))
        }
        var subjects: [TeachingSubject] = []
        for key in all("subjects") {
            guard let s = TeachingSubject(rawValue: key), Self.subjects.contains(s) else {
                problems.append(.init(field: "subjects", message: "Choose subjects from the list"))
                break
            }
            if !subjects.contains(s) { subjects.append(s) }
        }
        if subjects.isEmpty, !problems.contains(where: { $0.field == "subjects" }) {
            problems.append(.init(field: "subjects", message: "Choose at least one subject"))
        }
        var stages: [KeyStage] = []
        for key in all("key_stages") {
            guard let k = KeyStage(rawValue: key) else {
                problems.append(.init(field: "key_stages", message: "Choose key stages from the list"))
                break
            }
            if !stages.contains(k) { stages.append(k) }
        }
        let pattern = WorkingPattern(rawValue: one("working_pattern"))
        if pattern == nil { problems.append(.init(field: "working_pattern", message: "Choose full time or part time")) }
        let contract = Contract(rawValue: one("contract"))
        if contract == nil { problems.append(.init(field: "contract", message: "Choose permanent or fixed term")) }
        let salary = text(one("salary"))
        if salary.isEmpty || salary.count > 100 || BoundedInput.hasControlCharacters(salary) {
            problems.append(
                .init(field: "salary", message: "Enter the salary or range, such as MPS/UPS, at most 100 characters"))
        }
        var starts: Day?
        let startsText = text(one("starts_on"))
        if !startsText.isEmpty {
            starts = Day(startsText)
            if starts == nil || starts! < today || starts!.year > today.year + 2 {
                problems.append(
                    .init(
                        field: "starts_on",
                        message: "Enter the start as a date from today, YYYY-MM-DD, or leave it blank"))
                starts = nil
            }
        }
        let closes = Day(text(one("closes_on")))
        let latest = Day(ordinal: today.ordinal + 366)
        if closes == nil || closes! <= today || closes! > latest {
            problems.append(
                .init(field: "closes_on", message: "Enter the closing date after today and within a year, YYYY-MM-DD"))
        }
        guard problems.isEmpty, let pattern, let contract, let closes else {
            return .failure(ValidationError(problems))
        }
        return .success(
            Vacancy(
                urn: urn, jobTitle: title, subjects: subjects, keyStages: stages.sorted(), workingPattern: pattern,
                contract: contract, salary: salary, startsOn: starts, postedOn: today, closesOn: closes))
    }
}

/// A candidate a recruitment partner (Teach First, a provider, the Maths Hub) put forward for a vacancy.
public struct VacancyReferral: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var vacancy: UUID
    public var partner: String
    /// How the partner refers to the candidate (initials or their own reference): no more than they need.
    public var candidate: String
    public var note: String
    public var referredOn: Day
    public var referredBy: String

    public init(
        id: UUID = UUID(), vacancy: UUID, partner: String, candidate: String, note: String, referredOn: Day,
        referredBy: String
    ) {
        self.id = id
        self.vacancy = vacancy
        self.partner = partner
        self.candidate = candidate
        self.note = note
        self.referredOn = referredOn
        self.referredBy = referredBy
    }
}

/// Fill rates and time to fill, by subject and by area.
public enum VacancyFigures {
    public struct Row: Hashable, Sendable {
        public var label: String
        public var posted = 0
        public var open = 0
        public var closed = 0
        public var filled = 0
        public var filledBySpecialist = 0
        public var referrals = 0
        /// Days from posting to filling, for each filled vacancy.
        public var daysToFill: [Int] = []

        public init(label: String) { self.label = label }

        /// The median days to fill, when there are any.
        public var medianDaysToFill: Double? {
            guard !daysToFill.isEmpty else { return nil }
            let s = daysToFill.sorted()
            return s.count % 2 == 1 ? Double(s[s.count / 2]) : Double(s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
    }

    /// One row per key `key` gives a vacancy (a vacancy for two subjects counts in each).
    public static func rows(
        _ vacancies: [Vacancy], referrals: [UUID: Int], keys: (Vacancy) -> [String]
    ) -> [String: Row] {
        var out: [String: Row] = [:]
        for v in vacancies {
            for k in keys(v) {
                var r = out[k] ?? Row(label: k)
                r.posted += 1
                r.referrals += referrals[v.id] ?? 0
                if let outcome = v.outcome {
                    r.closed += 1
                    if outcome.filled { r.filled += 1 }
                    if outcome == .specialist { r.filledBySpecialist += 1 }
                    if let d = v.daysToFill { r.daysToFill.append(d) }
                } else {
                    r.open += 1
                }
                out[k] = r
            }
        }
        return out
    }
}

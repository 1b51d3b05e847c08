import Foundation

/// Where a teacher wants their career to go next.
public enum CareerAspiration: String, Codable, Sendable, CaseIterable {
    case expertTeacher = "expert-teacher"
    case subjectLeadership = "subject-leadership"
    case phaseLeadership = "phase-leadership"
    case behaviourAndPastoral = "behaviour-and-pastoral"
    case send
    case mentoring
    case seniorLeadership = "senior-leadership"
    case undecided

    public var label: String {
        switch self {
        case .expertTeacher: "Stay in the classroom as an expert teacher"
        case .subjectLeadership: "Lead a subject or department"
        case .phaseLeadership: "Lead a phase or key stage"
        case .behaviourAndPastoral: "Lead behaviour or pastoral care (such as head of year)"
        case .send: "Special educational needs (towards SENCO)"
        case .mentoring: "Mentor trainees and early-career teachers"
        case .seniorLeadership: "Senior leadership"
        case .undecided: "Not decided yet"
        }
    }

    /// DfE's NPQs that prepare for the step (course identifiers, npq_courses.csv), most relevant first.
    public func npqs(primary: Bool) -> [String] {
        switch self {
        case .expertTeacher: ["npq-leading-teaching"]
        case .subjectLeadership:
            primary
                ? ["npq-leading-teaching", "npq-leading-primary-mathematics", "npq-leading-literacy"]
                : ["npq-leading-teaching", "npq-leading-literacy"]
        case .phaseLeadership: ["npq-leading-teaching", "npq-leading-behaviour-culture"]
        case .behaviourAndPastoral: ["npq-leading-behaviour-culture"]
        case .send: ["npq-senco"]
        case .mentoring: ["npq-leading-teaching-development"]
        case .seniorLeadership: ["npq-senior-leadership"]
        case .undecided: []
        }
    }
}

public enum CareerTimescale: String, Codable, Sendable, CaseIterable {
    case withinAYear = "within-a-year"
    case oneToThreeYears = "one-to-three-years"
    case threeToFiveYears = "three-to-five-years"
    case notSure = "not-sure"

    public var label: String {
        switch self {
        case .withinAYear: "Within a year"
        case .oneToThreeYears: "In one to three years"
        case .threeToFiveYears: "In three to five years"
        case .notSure: "Not sure"
        }
    }
}

/// A career-planning conversation, as the teacher records it.
public struct CareerConversation: Hashable, Sendable {
    public var teacher: UUID
    public var on: Day
    public var aspiration: CareerAspiration
    public var nextStep: String
    public var timescale: CareerTimescale
    /// Who the conversation was with (a mentor, a leader), as the teacher writes it.
    public var with: String
    public var recordedBy: String

    public static let textLimit = 500

    public init(
        teacher: UUID, on: Day, aspiration: CareerAspiration, nextStep: String, timescale: CareerTimescale,
        with: String, recordedBy: String
    ) {
        self.teacher = teacher
        self.on = on
        self.aspiration = aspiration
        self.nextStep = nextStep
        self.timescale = timescale
        self.with = with
        self.recordedBy = recordedBy
    }

    /// Reads the conversation form, each problem named by field.
    public static func parse(_ form: [String: String], teacher: UUID, today: Day, by author: String) -> Result<
        CareerConversation, ValidationError
    > {
        var problems: [ValidationError.Problem] = []
        let aspiration = CareerAspiration(rawValue: form["aspiration"] ?? "")
        if aspiration == nil {
            problems.append(.init(field: "aspiration", message: "Choose where you want to go next"))
        }
        let timescale = CareerTimescale(rawValue: form["timescale"] ?? "")
        if timescale == nil { problems.append(.init(field: "timescale", message: "Choose when")) }
        let next = (form["next_step"] ?? "").trimmingSpaces
        if next.isEmpty { problems.append(.init(field: "next_step", message: "Enter the next step you agreed")) }
        if next.unicodeScalars.count > textLimit {
            problems.append(
                .init(field: "next_step", message: "The next step must be \(textLimit) characters or fewer"))
        }
        let with = (form["with"] ?? "").trimmingSpaces
        if with.unicodeScalars.count > 200 {
            problems.append(.init(field: "with", message: "Who it was with must be 200 characters or fewer"))
        }
        guard problems.isEmpty, let aspiration, let timescale else { return .failure(ValidationError(problems)) }
        return .success(
            CareerConversation(
                teacher: teacher, on: today, aspiration: aspiration, nextStep: next, timescale: timescale, with: with,
                recordedBy: author))
    }
}

/// What became of early-career teachers in the partnership: from the register, by how many years after their
/// early-career period started, aggregated, with any figure resting on fewer than `smallest` people withheld.
public enum CareerPaths {
    public static let smallest = 10

    /// Who counts as a similar start.
    public enum Basis: Hashable, Sendable {
        case subject(TeachingSubject)
        case phase(primary: Bool)
        case everyone

        public var label: String {
            switch self {
            case .subject(.primary): "primary early-career teachers"
            case .subject(let s): "early-career teachers of \(s.label.lowercased())"
            case .phase(let primary): "\(primary ? "primary" : "secondary") early-career teachers"
            case .everyone: "early-career teachers"
            }
        }
    }

    public struct Row: Hashable, Sendable {
        public var years: Int
        /// Whose start was at least `years` ago, so the outcome can be seen.
        public var people: Int
        public var teaching: Int
        public var leading: Int
        public var mentoring: Int
        public var movedSchool: Int

        /// Whether the row's shares may be shown.
        public var shown: Bool { people >= CareerPaths.smallest }
    }

    /// The first early-career period of each teacher who has one.
    static func start(_ r: TeacherRecord) -> ServicePeriod? {
        r.periods.filter { $0.role == .ect }.min { $0.startedOn < $1.startedOn }
    }

    public static func open(_ p: ServicePeriod, on day: Day) -> Bool {
        p.startedOn <= day && (p.finishedOn.map { $0 >= day } ?? true)
    }

    static func matches(_ r: TeacherRecord, _ basis: Basis) -> Bool {
        switch basis {
        case .subject(let s): r.specialisms.first == s
        case .phase(let primary): (r.specialisms.first == .primary) == primary
        case .everyone: true
        }
    }

    /// The narrowest basis with at least `smallest` people whose start was at least three years ago: the teacher's
    /// subject, else their phase, else everyone.
    public static func basis(for subject: TeachingSubject, register: [TeacherRecord], today: Day) -> Basis {
        for b in [Basis.subject(subject), .phase(primary: subject == .primary)] {
            let n = register.count { r in
                guard matches(r, b), let s = start(r) else { return false }
                return s.startedOn.ordinal + 3 * 365 <= today.ordinal
            }
            if n >= smallest { return b }
        }
        return .everyone
    }

    /// For each number of years: of those who started at least that long ago, how many were teaching in the
    /// partnership on that anniversary, in a leadership role (middle or senior leader, headteacher), mentoring,
    /// or at a school other than the one they started at.
    public static func rows(register: [TeacherRecord], basis: Basis, years: [Int] = [1, 3, 5], today: Day) -> [Row] {
        years.map { n in
            var row = Row(years: n, people: 0, teaching: 0, leading: 0, mentoring: 0, movedSchool: 0)
            for r in register where matches(r, basis) {
                guard let s = start(r) else { continue }
                let anniversary = Day(ordinal: s.startedOn.ordinal + n * 365)
                guard anniversary <= today else { continue }
                row.people += 1
                let then = r.periods.filter { open($0, on: anniversary) }
                if !then.isEmpty { row.teaching += 1 }
                if then.contains(where: { [.middleLeader, .seniorLeader, .headteacher].contains($0.role) }) {
                    row.leading += 1
                }
                if then.contains(where: { $0.role == .mentor }) { row.mentoring += 1 }
                if then.contains(where: { $0.urn != s.urn }) { row.movedSchool += 1 }
            }
            return row
        }
    }
}

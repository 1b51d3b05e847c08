import Foundation

/// What kind of professional development a programme is.
public enum CPDKind: String, Codable, Sendable, CaseIterable {
    case npq
    case subjectKnowledge = "subject-knowledge"
    case tsst
    case subjectNetwork = "subject-network"
    case leadership
    case research = "research-and-evidence"
    case mentoring
    case post16 = "post-16"

    public var label: String {
        switch self {
        case .npq: "National professional qualification (NPQ)"
        case .subjectKnowledge: "Subject knowledge"
        case .tsst: "Teacher subject specialism training (TSST)"
        case .subjectNetwork: "Subject network or work group"
        case .leadership: "Leadership"
        case .research: "Research and evidence"
        case .mentoring: "Mentoring"
        case .post16: "Post-16"
        }
    }
}

public enum CPDFormat: String, Codable, Sendable, CaseIterable {
    case inPerson = "in-person"
    case online
    case blended

    public var label: String {
        switch self {
        case .inPerson: "In person"
        case .online: "Online"
        case .blended: "Blended (in person and online)"
        }
    }
}

/// Where a teacher is in their career, for whom a programme is meant.
public enum CareerStage: String, Codable, Sendable, CaseIterable {
    case trainee
    case earlyCareer = "early-career"
    case teacher
    case middleLeader = "middle-leader"
    case seniorLeader = "senior-leader"
    case headteacher

    public var label: String {
        switch self {
        case .trainee: "Trainee"
        case .earlyCareer: "Early-career teacher"
        case .teacher: "Teacher"
        case .middleLeader: "Middle leader"
        case .seniorLeader: "Senior leader"
        case .headteacher: "Headteacher"
        }
    }
}

/// The phases a programme serves.
public enum CPDPhase: String, Codable, Sendable, CaseIterable {
    case earlyYears = "early-years"
    case primary
    case secondary
    case post16 = "post-16"

    public var label: String {
        switch self {
        case .earlyYears: "Early years"
        case .primary: "Primary"
        case .secondary: "Secondary"
        case .post16: "Post-16"
        }
    }
}

/// One programme in the partnership's catalogue, from any provider.
public struct CPDProgramme: Hashable, Sendable, Codable, Identifiable {
    public var id: UUID
    /// The provider as teachers know it ("Ambition Institute", "STEM Learning").
    public var provider: String
    /// The partnership organisation whose staff manage the entry; nil for entries only coordinators manage.
    public var managedBy: UUID?
    public var title: String
    public var summary: String
    public var kind: CPDKind
    /// Empty: every phase.
    public var phases: Set<CPDPhase>
    /// Empty: any subject.
    public var subjects: Set<TeachingSubject>
    /// Empty: any career stage.
    public var stages: Set<CareerStage>
    public var format: CPDFormat
    /// The school where in-person sessions meet.
    public var venueURN: Int?
    /// What a place costs the school, in whole pounds; 0 when free.
    public var costPounds: Int
    /// Who pays for it when the school does not ("DfE scholarship", "The partnership").
    public var fundedBy: String?
    public var outcomes: String
    /// For NPQs: DfE's course identifier (`npq-headship`), which decides the funding rule.
    public var npqCourse: String?
    /// Generated for the demo partnership.
    public var generated: Bool
    /// The Early Career Framework areas the programme develops, as its manager chose them (see `developsAreas`).
    public var ecfAreas: Set<ECFArea>

    public init(
        id: UUID = UUID(), provider: String, managedBy: UUID? = nil, title: String, summary: String, kind: CPDKind,
        phases: Set<CPDPhase> = [], subjects: Set<TeachingSubject> = [], stages: Set<CareerStage> = [],
        format: CPDFormat, venueURN: Int? = nil, costPounds: Int = 0, fundedBy: String? = nil, outcomes: String = "",
        npqCourse: String? = nil, generated: Bool = false, ecfAreas: Set<ECFArea> = []
    ) {
        self.id = id
        self.provider = provider
        self.managedBy = managedBy
        self.title = title
        self.summary = summary
        self.kind = kind
        self.phases = phases
        self.subjects = subjects
        self.stages = stages
        self.format = format
        self.venueURN = venueURN
        self.costPounds = costPounds
        self.fundedBy = fundedBy
        self.outcomes = outcomes
        self.npqCourse = npqCourse
        self.generated = generated
        self.ecfAreas = ecfAreas
    }

    /// Free to the school, or paid for by someone else.
    public var isFreeOrFunded: Bool { costPounds == 0 || fundedBy != nil }

    /// Problems with the programme's own fields, by form field.
    public var problems: [ValidationError.Problem] {
        var out: [ValidationError.Problem] = []
        func check(_ field: String, _ text: String, _ name: String, max: Int, required: Bool = true) {
            if required && text.trimmingSpaces.isEmpty { out.append(.init(field: field, message: "Enter the \(name)")) }
            if text.unicodeScalars.count > max {
                out.append(.init(field: field, message: "The \(name) must be \(max) characters or fewer"))
            }
        }
        check("provider", provider, "provider", max: 200)
        check("title", title, "title", max: 200)
        check("summary", summary, "summary", max: 2_000)
        check("outcomes", outcomes, "outcomes", max: 2_000, required: false)
        if !(0...100_000).contains(costPounds) {
            out.append(.init(field: "cost", message: "Enter the cost in whole pounds, from 0 to 100000"))
        }
        if format != .online && venueURN == nil {
            out.append(.init(field: "venue", message: "Enter the URN of the school where sessions meet"))
        }
        return out
    }
}

/// One session of a cohort: a day and its times (UK local time).
public struct CPDSession: Hashable, Sendable, Codable, Comparable {
    public var day: Day
    /// Minutes after midnight.
    public var start: Int
    public var end: Int

    public init(day: Day, start: Int, end: Int) {
        self.day = day
        self.start = start
        self.end = end
    }

    public static func < (l: Self, r: Self) -> Bool { (l.day, l.start) < (r.day, r.start) }

    /// Minutes after midnight as HH:MM.
    public static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
    public var times: String { "\(Self.clock(start)) to \(Self.clock(end))" }

    /// Parses "2027-01-14 16:00-17:30" (one session).
    public init?(_ text: String) {
        let parts = text.trimmingSpaces.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let day = Day(String(parts[0])) else { return nil }
        let times = parts[1].split(separator: "-")
        func minutes(_ s: Substring) -> Int? {
            let hm = s.split(separator: ":")
            guard hm.count == 2, hm[0].count <= 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]),
                (0...23).contains(h), (0...59).contains(m)
            else { return nil }
            return h * 60 + m
        }
        guard times.count == 2, let a = minutes(times[0]), let b = minutes(times[1]) else { return nil }
        self.init(day: day, start: a, end: b)
    }

    public var text: String { "\(day) \(Self.clock(start))-\(Self.clock(end))" }
}

/// A cohort of a programme: its sessions and places.
public struct CPDCohort: Hashable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var programme: UUID
    public var sessions: [CPDSession]
    public var places: Int
    /// Places held by requested, accepted and completed enrolments.
    public var taken: Int

    public init(id: UUID = UUID(), programme: UUID, sessions: [CPDSession], places: Int, taken: Int = 0) {
        self.id = id
        self.programme = programme
        self.sessions = sessions.sorted()
        self.places = places
        self.taken = taken
    }

    public var startsOn: Day? { sessions.first?.day }
    public var endsOn: Day? { sessions.last?.day }
    public var placesLeft: Int { max(0, places - taken) }

    /// Reads the sessions field of a form or file: one session per line, "YYYY-MM-DD HH:MM-HH:MM". Backward
    /// times, overlapping sessions and more than 100 sessions are refused, each named.
    public static func sessions(_ text: String, field: String = "sessions") -> Result<[CPDSession], ValidationError> {
        var out: [CPDSession] = []
        var problems: [ValidationError.Problem] = []
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        if lines.isEmpty { problems.append(.init(field: field, message: "Enter at least one session")) }
        if lines.count > 100 { problems.append(.init(field: field, message: "Enter at most 100 sessions")) }
        for (i, line) in lines.prefix(100).enumerated() {
            guard let s = CPDSession(line) else {
                problems.append(
                    .init(
                        field: field,
                        message:
                            "Session \(i + 1) (\(BoundedInput.quote(String(line.prefix(40))))) must look like 2027-01-14 16:00-17:30"
                    ))
                continue
            }
            if s.end <= s.start {
                problems.append(
                    .init(field: field, message: "Session \(i + 1) ends (\(CPDSession.clock(s.end))) before it starts"))
            }
            out.append(s)
        }
        out.sort()
        for (a, b) in zip(out, out.dropFirst()) where a.day == b.day && b.start < a.end {
            problems.append(
                .init(field: field, message: "Sessions on \(a.day.longDescription) overlap (\(a.times) and \(b.times))")
            )
        }
        return problems.isEmpty ? .success(out) : .failure(ValidationError(problems))
    }
}

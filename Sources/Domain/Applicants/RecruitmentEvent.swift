import Foundation

/// What kind of recruitment event it is.
public enum RecruitmentEventKind: String, Sendable, Hashable, CaseIterable, Codable {
    case trainToTeach = "train-to-teach"
    case openDay = "open-day"
    case online
    case workshop

    public var label: String {
        switch self {
        case .trainToTeach: "Train to teach evening"
        case .openDay: "Provider open day"
        case .online: "Online information session"
        case .workshop: "Application workshop"
        }
    }
}

/// A recruitment event for would-be teachers: when and where, and how many it can take.
public struct RecruitmentEvent: Hashable, Sendable, Identifiable {
    public static let maxTitle = 200
    public static let maxText = 2_000
    public static let maxCapacity = 1_000

    public var id: UUID
    public var organiser: String
    /// The organisation whose staff manage it (nil: coordinators only).
    public var organisedBy: UUID?
    public var title: String
    public var kind: RecruitmentEventKind
    public var summary: String
    public var session: CPDSession
    /// An address, or "Online".
    public var venue: String
    public var capacity: Int
    public var taken: Int
    public var generated: Bool

    public init(
        id: UUID = UUID(), organiser: String, organisedBy: UUID?, title: String, kind: RecruitmentEventKind,
        summary: String, session: CPDSession, venue: String, capacity: Int, taken: Int = 0, generated: Bool = false
    ) {
        self.id = id
        self.organiser = organiser
        self.organisedBy = organisedBy
        self.title = title
        self.kind = kind
        self.summary = summary
        self.session = session
        self.venue = venue
        self.capacity = capacity
        self.taken = taken
        self.generated = generated
    }

    public var placesLeft: Int { max(0, capacity - taken) }

    /// Reads the organiser's form: a title, kind, summary, one session "YYYY-MM-DD HH:MM-HH:MM" after today
    /// and within two years, a venue, 1 to 1,000 places.
    public static func parse(
        organiser: String, organisedBy: UUID?, title: String, kind: String, summary: String, when: String,
        venue: String, capacity: String, today: Day
    ) -> Result<RecruitmentEvent, ValidationError> {
        var problems: [ValidationError.Problem] = []
        let title = title.trimmingSpaces
        if title.isEmpty { problems.append(.init(field: "title", message: "Enter a title")) }
        if title.count > maxTitle {
            problems.append(.init(field: "title", message: "Title must be \(maxTitle) characters or fewer"))
        }
        let kind = RecruitmentEventKind(rawValue: kind)
        if kind == nil { problems.append(.init(field: "kind", message: "Choose the kind of event")) }
        let summary = summary.trimmingSpaces
        if summary.isEmpty { problems.append(.init(field: "summary", message: "Say what happens at the event")) }
        if summary.count > maxText {
            problems.append(.init(field: "summary", message: "Summary must be \(maxText) characters or fewer"))
        }
        var session: CPDSession?
        switch CPDCohort.sessions(when, field: "when") {
        case .failure(let e): problems += e.problems
        case .success(let s) where s.count != 1:
            problems.append(.init(field: "when", message: "Enter one date and time, like 2027-02-10 18:00-19:30"))
        case .success(let s):
            if s[0].day.ordinal <= today.ordinal || s[0].day.ordinal > today.ordinal + 730 {
                problems.append(.init(field: "when", message: "The event must be after today and within two years"))
            } else {
                session = s[0]
            }
        }
        let venue = venue.trimmingSpaces
        if venue.isEmpty { problems.append(.init(field: "venue", message: "Enter the venue, or Online")) }
        if venue.count > maxTitle {
            problems.append(.init(field: "venue", message: "Venue must be \(maxTitle) characters or fewer"))
        }
        let capacity = BoundedInput.wholeNumber(capacity.trimmingSpaces, in: 1...maxCapacity)
        if capacity == nil {
            problems.append(.init(field: "capacity", message: "Places must be a whole number from 1 to \(maxCapacity)"))
        }
        guard problems.isEmpty, let kind, let session, let capacity else { return .failure(ValidationError(problems)) }
        return .success(
            RecruitmentEvent(
                organiser: organiser, organisedBy: organisedBy, title: title, kind: kind, summary: summary,
                session: session, venue: venue, capacity: capacity))
    }
}

/// A person's registration for an event.
public struct EventRegistration: Hashable, Sendable, Identifiable {
    public enum Status: String, Sendable, Hashable, CaseIterable, Codable {
        case registered
        case waiting
        case cancelled
        case attended
        case noShow = "no-show"

        public var label: String {
            switch self {
            case .registered: "Registered"
            case .waiting: "On the waiting list"
            case .cancelled: "Cancelled"
            case .attended: "Attended"
            case .noShow: "Did not attend"
            }
        }
    }

    public var id: UUID
    public var event: UUID
    public var person: PersonID
    public var name: String
    public var status: Status
    public var registeredAt: Date

    public init(
        id: UUID = UUID(), event: UUID, person: PersonID, name: String, status: Status, registeredAt: Date
    ) {
        self.id = id
        self.event = event
        self.person = person
        self.name = name
        self.status = status
        self.registeredAt = registeredAt
    }
}

import Foundation

/// A teacher's place on a cohort, from request to completion.
public struct CPDEnrolment: Hashable, Sendable, Codable, Identifiable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case requested, accepted, declined, withdrawn, completed

        public var label: String {
            switch self {
            case .requested: "Requested"
            case .accepted: "Accepted"
            case .declined: "Declined"
            case .withdrawn: "Withdrawn"
            case .completed: "Completed"
            }
        }

        /// Whether the enrolment holds one of the cohort's places.
        public var holdsPlace: Bool { self == .requested || self == .accepted || self == .completed }
    }

    /// What the provider (or the teacher) does next.
    public enum Action: String, Sendable, CaseIterable {
        case accept, decline, complete, withdraw
    }

    public var id: UUID
    public var cohort: UUID
    public var person: PersonID
    public var name: String
    /// The school the teacher works at, when known: for take-up by school.
    public var urn: Int?
    public var status: Status
    public var reason: String?
    /// The indices of the sessions attended.
    public var attended: Set<Int>
    public var requestedAt: Date
    public var updatedAt: Date

    public init(
        id: UUID = UUID(), cohort: UUID, person: PersonID, name: String, urn: Int?, status: Status = .requested,
        reason: String? = nil, attended: Set<Int> = [], requestedAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.cohort = cohort
        self.person = person
        self.name = name
        self.urn = urn
        self.status = status
        self.reason = reason
        self.attended = attended
        self.requestedAt = requestedAt
        self.updatedAt = updatedAt ?? requestedAt
    }

    /// The status after `action`, or why it cannot happen. Declining and withdrawing need a reason.
    public func next(_ action: Action, reason: String?) -> Result<Status, ValidationError> {
        let reason = reason?.trimmingSpaces ?? ""
        func refuse(_ message: String) -> Result<Status, ValidationError> {
            .failure(ValidationError([.init(field: "action", message: message)]))
        }
        if (action == .decline || action == .withdraw) && reason.isEmpty {
            return .failure(ValidationError([.init(field: "reason", message: "Give the reason")]))
        }
        if reason.unicodeScalars.count > 500 {
            return .failure(
                ValidationError([.init(field: "reason", message: "The reason must be 500 characters or fewer")]))
        }
        switch (status, action) {
        case (.requested, .accept): return .success(.accepted)
        case (.requested, .decline): return .success(.declined)
        case (.accepted, .complete): return .success(.completed)
        case (.requested, .withdraw), (.accepted, .withdraw): return .success(.withdrawn)
        default:
            return refuse("\(name)'s enrolment is \(status.label.lowercased()): it cannot be \(action.pastTense)")
        }
    }
}

extension CPDEnrolment.Action {
    var pastTense: String {
        switch self {
        case .accept: "accepted"
        case .decline: "declined"
        case .complete: "completed"
        case .withdraw: "withdrawn"
        }
    }
}

/// The catalogue's filters, as the GOV.UK "filter a list" pattern offers them; all optional.
public struct CatalogueFilter: Hashable, Sendable {
    public var text: String?
    public var subject: TeachingSubject?
    public var phase: CPDPhase?
    public var stage: CareerStage?
    public var kind: CPDKind?
    public var format: CPDFormat?
    /// Near a point, within `withinKm` of the venue (online programmes always match).
    public var near: GridPoint?
    public var withinKm: Double = 20
    public var startsFrom: Day?
    public var startsTo: Day?
    public var freeOrFunded = false

    public init() {}

    /// Whether a programme (with its cohorts and its venue's position) passes every filter. A date filter keeps a
    /// programme with at least one cohort starting in the range.
    public func matches(_ p: CPDProgramme, cohorts: [CPDCohort], venue: GridPoint?) -> Bool {
        if let text, !text.isEmpty {
            let hay = "\(p.title) \(p.provider) \(p.summary)".lowercased()
            if !text.lowercased().split(separator: " ").allSatisfy({ hay.contains($0) }) { return false }
        }
        if let subject, !p.subjects.isEmpty, !p.subjects.contains(subject) { return false }
        if let phase, !p.phases.isEmpty, !p.phases.contains(phase) { return false }
        if let stage, !p.stages.isEmpty, !p.stages.contains(stage) { return false }
        if let kind, p.kind != kind { return false }
        if let format, p.format != format { return false }
        if freeOrFunded, !p.isFreeOrFunded { return false }
        if let near, p.format != .online {
            guard let venue, venue.distance(to: near) <= withinKm * 1000 else { return false }
        }
        if startsFrom != nil || startsTo != nil {
            let hit = cohorts.contains { c in
                guard let s = c.startsOn else { return false }
                return (startsFrom.map { s >= $0 } ?? true) && (startsTo.map { s <= $0 } ?? true)
            }
            if !hit { return false }
        }
        return true
    }
}

extension Result {
    /// Whether it is a failure.
    public var isFailure: Bool { if case .failure = self { true } else { false } }
}

/// Take-up of the catalogue: places taken up (accepted or completed) and completions, by the teacher's school.
public enum CPDTakeUp {
    public struct Count: Hashable, Sendable {
        public var enrolled = 0
        public var completed = 0
        public init(enrolled: Int = 0, completed: Int = 0) {
            self.enrolled = enrolled
            self.completed = completed
        }
    }

    /// Counts by school URN; enrolments without a school are left out.
    public static func bySchool(_ enrolments: [CPDEnrolment]) -> [Int: Count] {
        grouped(enrolments) { $0.urn.map { [$0] } ?? [] }
    }

    /// Counts under each key an enrolment has (none: left out; several: counted under each), taken-up
    /// enrolments only.
    public static func grouped<Key: Hashable>(_ enrolments: [CPDEnrolment], keys: (CPDEnrolment) -> [Key]) -> [Key:
        Count]
    {
        var out: [Key: Count] = [:]
        for e in enrolments where e.status == .accepted || e.status == .completed {
            for k in Set(keys(e)) {
                out[k, default: Count()].enrolled += 1
                if e.status == .completed { out[k, default: Count()].completed += 1 }
            }
        }
        return out
    }
}

import Foundation

/// How long a school experience placement lasts.
public enum ExperienceLength: String, Sendable, Hashable, CaseIterable, Codable {
    case halfDay = "half-day"
    case oneDay = "one-day"
    case twoDays = "two-days"
    case week

    public var label: String {
        switch self {
        case .halfDay: "Half a day"
        case .oneDay: "One day"
        case .twoDays: "Two days"
        case .week: "Up to a week"
        }
    }
}

/// What a school asks for about a DBS check.
public enum DBSPolicy: String, Sendable, Hashable, CaseIterable, Codable {
    case notNeeded = "not-needed"
    case needed
    case schoolArranges = "school-arranges"

    public var label: String {
        switch self {
        case .notNeeded: "No DBS check needed (you are supervised throughout)"
        case .needed: "You need a DBS certificate"
        case .schoolArranges: "The school arranges a DBS check if you need one"
        }
    }
}

/// Where a candidate is in their studies or career.
public enum DegreeStage: String, Sendable, Hashable, CaseIterable, Codable {
    case school
    case firstYear = "first-year"
    case secondYear = "second-year"
    case finalYear = "final-year"
    case graduate
    case careerChanger = "career-changer"

    public var label: String {
        switch self {
        case .school: "Still at school or college"
        case .firstYear: "First year of a degree"
        case .secondYear: "Second year of a degree"
        case .finalYear: "Final year of a degree"
        case .graduate: "I have a degree"
        case .careerChanger: "I have a degree and am changing career"
        }
    }
}

/// A date a school offers for school experience.
public struct ExperienceDate: Hashable, Sendable, Identifiable {
    public static let maxText = 1_000
    public static let maxPlaces = 30

    public var id: UUID
    public var urn: Int
    public var day: Day
    public var length: ExperienceLength
    public var phase: CPDPhase
    /// Nil: any subject.
    public var subject: TeachingSubject?
    public var places: Int
    public var taken: Int
    public var expectations: String
    public var dbs: DBSPolicy
    public var access: String
    public var generated: Bool

    public init(
        id: UUID = UUID(), urn: Int, day: Day, length: ExperienceLength, phase: CPDPhase, subject: TeachingSubject?,
        places: Int, taken: Int = 0, expectations: String, dbs: DBSPolicy, access: String, generated: Bool = false
    ) {
        self.id = id
        self.urn = urn
        self.day = day
        self.length = length
        self.phase = phase
        self.subject = subject
        self.places = places
        self.taken = taken
        self.expectations = expectations
        self.dbs = dbs
        self.access = access
        self.generated = generated
    }

    public var placesLeft: Int { max(0, places - taken) }

    /// Reads the school's form: a day from tomorrow to two years ahead, a length, a phase, a subject or any, 1 to
    /// 30 places, what to expect (required), a DBS policy, the access needs the school can meet.
    public static func parse(
        urn: Int, day: String, length: String, phase: String, subject: String, places: String, expectations: String,
        dbs: String, access: String, today: Day
    ) -> Result<ExperienceDate, ValidationError> {
        var problems: [ValidationError.Problem] = []
        var parsedDay: Day?
        if let d = Day(day.trimmingSpaces) {
            if d.ordinal <= today.ordinal {
                problems.append(.init(field: "day", message: "The date must be after today"))
            } else if d.ordinal > today.ordinal + 730 {
                problems.append(.init(field: "day", message: "The date must be within two years"))
            } else {
                parsedDay = d
            }
        } else {
            problems.append(.init(field: "day", message: "Enter a real date, like 2027-02-10"))
        }
        let length = ExperienceLength(rawValue: length)
        if length == nil { problems.append(.init(field: "length", message: "Choose how long it lasts")) }
        let phase = CPDPhase(rawValue: phase)
        if phase == nil { problems.append(.init(field: "phase", message: "Choose the phase")) }
        var chosenSubject: TeachingSubject?
        if !subject.isEmpty {
            chosenSubject = TeachingSubject(rawValue: subject)
            if chosenSubject == nil {
                problems.append(.init(field: "subject", message: "Choose a subject from the list, or any subject"))
            }
        }
        let places = BoundedInput.wholeNumber(places.trimmingSpaces, in: 1...maxPlaces)
        if places == nil {
            problems.append(.init(field: "places", message: "Places must be a whole number from 1 to \(maxPlaces)"))
        }
        let expectations = expectations.trimmingSpaces
        if expectations.isEmpty {
            problems.append(.init(field: "expectations", message: "Say what a candidate can expect on the day"))
        }
        if expectations.count > maxText {
            problems.append(
                .init(field: "expectations", message: "What to expect must be \(maxText) characters or fewer"))
        }
        let dbs = DBSPolicy(rawValue: dbs)
        if dbs == nil { problems.append(.init(field: "dbs", message: "Choose the DBS policy")) }
        let access = access.trimmingSpaces
        if access.count > maxText {
            problems.append(.init(field: "access", message: "Access needs must be \(maxText) characters or fewer"))
        }
        guard problems.isEmpty, let parsedDay, let length, let phase, let places, let dbs else {
            return .failure(ValidationError(problems))
        }
        return .success(
            ExperienceDate(
                urn: urn, day: parsedDay, length: length, phase: phase, subject: chosenSubject, places: places,
                expectations: expectations, dbs: dbs, access: access))
    }
}

/// A candidate's request for a school experience date, and what became of it.
public struct ExperienceRequest: Hashable, Sendable, Identifiable {
    public enum Status: String, Sendable, Hashable, CaseIterable, Codable {
        case requested, accepted, declined, cancelled, withdrawn, attended
        case didNotAttend = "did-not-attend"

        public var label: String {
            switch self {
            case .requested: "Requested"
            case .accepted: "Accepted"
            case .declined: "Declined"
            case .cancelled: "Cancelled by the school"
            case .withdrawn: "Withdrawn"
            case .attended: "Attended"
            case .didNotAttend: "Did not attend"
            }
        }

        /// Whether the request holds one of the date's places.
        public var holdsPlace: Bool { self == .requested || self == .accepted || self == .attended }
    }

    /// What the school (or the candidate) does next.
    public enum Action: String, Sendable, CaseIterable {
        case accept, decline, cancel, attended
        case didNotAttend = "did-not-attend"
        case withdraw
    }

    public static let maxText = 1_000

    public var id: UUID
    public var date: UUID
    public var person: PersonID
    public var name: String
    public var objectives: String
    public var stage: DegreeStage
    public var status: Status
    public var reason: String?
    public var requestedAt: Date

    public init(
        id: UUID = UUID(), date: UUID, person: PersonID, name: String, objectives: String, stage: DegreeStage,
        status: Status = .requested, reason: String? = nil, requestedAt: Date
    ) {
        self.id = id
        self.date = date
        self.person = person
        self.name = name
        self.objectives = objectives
        self.stage = stage
        self.status = status
        self.reason = reason
        self.requestedAt = requestedAt
    }

    /// The status after an action on a given day, or why it cannot happen: declining, cancelling and withdrawing
    /// need a reason; attendance is recorded on or after the day, for an accepted request; nothing follows a
    /// final state.
    public func next(_ action: Action, reason: String?, on today: Day, dateDay: Day) -> Result<Status, ValidationError>
    {
        func refuse(_ m: String) -> Result<Status, ValidationError> {
            .failure(ValidationError([.init(field: "action", message: m)]))
        }
        let reason = reason?.trimmingSpaces ?? ""
        switch (action, status) {
        case (.accept, .requested): return .success(.accepted)
        case (.decline, .requested), (.cancel, .accepted), (.withdraw, .requested), (.withdraw, .accepted):
            if reason.isEmpty { return refuse("Give the reason") }
            if reason.count > 500 { return refuse("The reason must be 500 characters or fewer") }
            return .success(action == .decline ? .declined : action == .cancel ? .cancelled : .withdrawn)
        case (.attended, .accepted), (.didNotAttend, .accepted):
            if today < dateDay { return refuse("Record attendance on or after the day") }
            return .success(action == .attended ? .attended : .didNotAttend)
        default:
            return refuse("A request that is \(status.label.lowercased()) cannot be changed that way")
        }
    }

    /// Reads the candidate's form: objectives (required, at most 1,000 characters) and degree stage.
    public static func parse(objectives: String, stage: String) -> Result<(String, DegreeStage), ValidationError> {
        var problems: [ValidationError.Problem] = []
        let objectives = objectives.trimmingSpaces
        if objectives.isEmpty {
            problems.append(.init(field: "objectives", message: "Say what you hope to learn from the day"))
        }
        if objectives.count > maxText {
            problems.append(.init(field: "objectives", message: "Objectives must be \(maxText) characters or fewer"))
        }
        let stage = DegreeStage(rawValue: stage)
        if stage == nil { problems.append(.init(field: "stage", message: "Choose where you are in your studies")) }
        guard problems.isEmpty, let stage else { return .failure(ValidationError(problems)) }
        return .success((objectives, stage))
    }
}

/// A search for school experience dates: all filters optional.
public struct ExperienceSearch: Sendable, Hashable {
    public var near: GridPoint?
    public var withinKm: Double = 25
    public var subject: TeachingSubject?
    public var phase: CPDPhase?

    public init(near: GridPoint? = nil, withinKm: Double = 25, subject: TeachingSubject? = nil, phase: CPDPhase? = nil)
    {
        self.near = near
        self.withinKm = withinKm
        self.subject = subject
        self.phase = phase
    }

    /// A date for any subject suits every subject; a full date still shows (as full).
    public func matches(_ d: ExperienceDate, at position: GridPoint?, today: Day) -> Bool {
        guard d.day > today else { return false }
        if let subject, let s = d.subject, s != subject { return false }
        if let phase, d.phase != phase { return false }
        if let near {
            guard let position, position.distance(to: near) <= withinKm * 1_000 else { return false }
        }
        return true
    }
}

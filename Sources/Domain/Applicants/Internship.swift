import Foundation

/// Undergraduate internships: schools offer places (a subject, dates, how many); undergraduates apply with up to
/// five ranked choices and a short statement; each school ranks the applicants who chose it; deferred acceptance
/// proposes a stable matching the coordinator confirms; afterwards the host records attendance and the intern says
/// whether they now plan to train to teach.
public enum Internships {
    public static let maximumChoices = 5
    public static let maximumStatement = 1_500
    public static let maximumPlaces = 20

    /// The summer the scheme is recruiting for: this year's until the end of August, then next year's.
    public static func year(on day: Day) -> Int { day.month <= 8 ? day.year : day.year + 1 }
}

/// A school's internship place(s) in one subject.
public struct InternshipOffer: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var urn: Int
    public var subject: TeachingSubject
    public var startsOn: Day
    public var endsOn: Day
    public var places: Int
    public var details: String

    public init(
        id: UUID = UUID(), urn: Int, subject: TeachingSubject, startsOn: Day, endsOn: Day, places: Int,
        details: String = ""
    ) {
        self.id = id
        self.urn = urn
        self.subject = subject
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.places = places
        self.details = details
    }

    public var year: Int { startsOn.year }

    /// How many weeks it runs, rounded up.
    public var weeks: Int { (endsOn.ordinal - startsOn.ordinal + 7) / 7 }

    /// The offer from a form: subject, starts_on, ends_on (1 to 8 weeks, starting after today), places 1-20,
    /// details at most 1,000 characters.
    public static func parse(_ form: [String: String], urn: Int, today: Day) -> Result<InternshipOffer, ValidationError>
    {
        var problems: [ValidationError.Problem] = []
        let subject = TeachingSubject(rawValue: form["subject"] ?? "")
        if subject == nil { problems.append(.init(field: "subject", message: "Choose the subject")) }
        let latest = Day(year: today.year + 2, month: 12, day: 31)!
        func day(_ field: String, _ name: String) -> Day? {
            guard let d = Day((form[field] ?? "").trimmingSpaces), d > today, d <= latest else {
                problems.append(
                    .init(field: field, message: "Enter the \(name) as a date after today and by \(latest), YYYY-MM-DD")
                )
                return nil
            }
            return d
        }
        let starts = day("starts_on", "first day")
        let ends = day("ends_on", "last day")
        if let starts, let ends {
            if ends < starts {
                problems.append(.init(field: "ends_on", message: "The last day must be on or after the first day"))
            } else if ends.ordinal - starts.ordinal > 8 * 7 {
                problems.append(.init(field: "ends_on", message: "An internship runs for at most 8 weeks"))
            }
        }
        let places = BoundedInput.wholeNumber((form["places"] ?? "").trimmingSpaces, in: 1...Internships.maximumPlaces)
        if places == nil {
            problems.append(
                .init(field: "places", message: "Enter the number of places, from 1 to \(Internships.maximumPlaces)"))
        }
        let details = (form["details"] ?? "").trimmingSpaces
        if details.count > 1_000
            || BoundedInput.hasControlCharactersBesideLineBreaks(details)
        {
            problems.append(.init(field: "details", message: "Details must be at most 1000 characters of text"))
        }
        guard problems.isEmpty, let subject, let starts, let ends, let places else {
            return .failure(ValidationError(problems))
        }
        return .success(
            InternshipOffer(
                urn: urn, subject: subject, startsOn: starts, endsOn: ends, places: places, details: details))
    }
}

/// What the intern says afterwards.
public enum TrainingIntention: String, Sendable, Hashable, CaseIterable, Codable {
    case yes
    case maybe
    case no

    public var label: String {
        switch self {
        case .yes: "Yes, I plan to train to teach"
        case .maybe: "Maybe: I am thinking about it"
        case .no: "No, I do not plan to train to teach"
        }
    }
}

/// Where an application is.
public enum InternshipStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Applied; not yet matched.
    case applied
    /// Matched to a place, confirmed by the coordinator.
    case placed
    /// The matching was confirmed and found no place for them.
    case unplaced
    /// Withdrawn by the applicant before confirmation.
    case withdrawn

    public var label: String {
        switch self {
        case .applied: "Applied"
        case .placed: "Placed"
        case .unplaced: "Not placed"
        case .withdrawn: "Withdrawn"
        }
    }
}

/// An undergraduate's application: their ranked choices of offers (most wanted first) and statement.
public struct InternshipApplication: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var person: PersonID
    public var name: String
    public var university: String?
    public var year: Int
    public var choices: [UUID]
    public var statement: String
    public var status: InternshipStatus
    /// The offer they were placed on, once confirmed.
    public var placedOffer: UUID?
    /// Recorded by the host school afterwards.
    public var attended: Bool?
    public var intention: TrainingIntention?
    public var submittedAt: Date

    public init(
        id: UUID = UUID(), person: PersonID, name: String, university: String?, year: Int, choices: [UUID],
        statement: String, status: InternshipStatus = .applied, placedOffer: UUID? = nil, attended: Bool? = nil,
        intention: TrainingIntention? = nil, submittedAt: Date
    ) {
        self.id = id
        self.person = person
        self.name = name
        self.university = university
        self.year = year
        self.choices = choices
        self.statement = statement
        self.status = status
        self.placedOffer = placedOffer
        self.attended = attended
        self.intention = intention
        self.submittedAt = submittedAt
    }

    /// Choices from `choice_1` ... `choice_5` (offer ids among `open`, no repeats, at least one, the gaps closed
    /// up) and the statement (1 to 1,500 characters).
    public static func parse(_ form: [String: String], open: Set<UUID>) -> Result<
        (choices: [UUID], statement: String), ValidationError
    > {
        var problems: [ValidationError.Problem] = []
        var choices: [UUID] = []
        for i in 1...Internships.maximumChoices {
            let field = "choice_\(i)"
            let text = (form[field] ?? "").trimmingSpaces
            if text.isEmpty { continue }
            guard let id = UUID(uuidString: text), open.contains(id) else {
                problems.append(.init(field: field, message: "Choose a place from the list"))
                continue
            }
            if choices.contains(id) {
                problems.append(.init(field: field, message: "You have already chosen this place; choose each once"))
                continue
            }
            choices.append(id)
        }
        if choices.isEmpty && problems.isEmpty {
            problems.append(.init(field: "choice_1", message: "Choose at least one place"))
        }
        let statement = (form["statement"] ?? "").trimmingSpaces
        if statement.isEmpty {
            problems.append(.init(field: "statement", message: "Say briefly why you would like an internship"))
        } else if statement.count > Internships.maximumStatement
            || BoundedInput.hasControlCharactersBesideLineBreaks(statement)
        {
            problems.append(
                .init(
                    field: "statement",
                    message: "Your statement must be at most \(Internships.maximumStatement) characters of text"))
        }
        guard problems.isEmpty else { return .failure(ValidationError(problems)) }
        return .success((choices, statement))
    }
}

/// The stable matching of applicants to offers: applicant-proposing deferred acceptance (the allocation work's
/// `StableMatching`), each offer holding up to its places less those earlier confirmed rounds filled. An offer
/// accepts only applicants its school ranked; an applicant only the offers they chose. Only applications still
/// `applied` take part.
public enum InternshipMatching {
    public struct Result: Sendable, Hashable {
        /// Application id to offer id, for those placed.
        public var placed: [UUID: UUID]
        /// Pairs (application, offer) that would both rather be together: none, by construction; checked.
        public var blockingPairs: Int
    }

    /// - Parameter rankings: each offer's ranked application ids, most preferred first.
    public static func match(
        offers: [InternshipOffer], applications: [InternshipApplication], rankings: [UUID: [UUID]]
    ) -> Result {
        let offerIndex = Dictionary(uniqueKeysWithValues: offers.enumerated().map { ($1.id, Int32($0)) })
        // Rounds: those still applying compete for the places earlier confirmed rounds left.
        let applicants = applications.filter { $0.status == .applied }
        var taken: [UUID: Int] = [:]
        for a in applications where a.status == .placed { if let o = a.placedOffer { taken[o, default: 0] += 1 } }
        let applicantIndex = Dictionary(uniqueKeysWithValues: applicants.enumerated().map { ($1.id, Int32($0)) })
        var rank = [[Int32: Int32]](repeating: [:], count: offers.count)
        for (o, offer) in offers.enumerated() {
            for (r, application) in (rankings[offer.id] ?? []).enumerated() {
                if let a = applicantIndex[application], rank[o][a] == nil { rank[o][a] = Int32(r) }
            }
        }
        let lists: [[(slot: Int32, cost: Int32)]] = applicants.enumerated().map { a, application in
            application.choices.compactMap { offerIndex[$0] }.filter { rank[Int($0)][Int32(a)] != nil }
                .map { (slot: $0, cost: 0) }
        }
        let preferences = StableMatching.Preferences(
            trainee: lists, rank: rank, capacity: offers.map { Int32(max(0, $0.places - (taken[$0.id] ?? 0))) },
            slotSchool: offers.indices.map { Int32($0) })
        let match = StableMatching.deferredAcceptance(preferences)
        var placed: [UUID: UUID] = [:]
        for (a, slot) in match.enumerated() where slot >= 0 { placed[applicants[a].id] = offers[Int(slot)].id }
        return Result(placed: placed, blockingPairs: StableMatching.blockingPairs(preferences, match).count)
    }
}

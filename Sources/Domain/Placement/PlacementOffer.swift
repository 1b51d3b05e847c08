import Foundation

/// An academic year as schools and providers name it: "2026/27", running September to August.
public struct AcademicYear: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    /// The calendar year in which it starts.
    public let start: Int

    public init?(start: Int) {
        guard (2000...2100).contains(start) else { return nil }
        self.start = start
    }

    /// Parses "2026/27" or "2026-27".
    public init?(_ text: String) {
        let parts = text.trimmingSpaces.split(whereSeparator: { $0 == "/" || $0 == "-" })
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let a = Int(parts[0]), let b = Int(parts[1]),
            (a + 1) % 100 == b
        else { return nil }
        self.init(start: a)
    }

    /// The academic year a day falls in (September to August).
    public static func containing(_ day: Day) -> AcademicYear {
        AcademicYear(start: day.month >= 9 ? day.year : day.year - 1)!
    }

    /// The year whose placements are being planned on a day: the one that starts next September. (From
    /// September the year just begun is already under way: its placements were arranged before it started.)
    public static func planning(on day: Day) -> AcademicYear {
        AcademicYear(start: containing(day).start + 1) ?? containing(day)
    }

    /// Whether the year has started by the day (and so is being delivered, not planned).
    public func isUnderWay(on day: Day) -> Bool { AcademicYear.containing(day).start >= start }

    public var description: String { String(format: "%d/%02d", start, (start + 1) % 100) }
    public static func < (l: AcademicYear, r: AcademicYear) -> Bool { l.start < r.start }
}

/// The subjects trainees train to teach, as the placement benchmark numbers them (index = subject id).
public enum PlacementSubject: Int, Codable, Sendable, CaseIterable, Comparable {
    case primary, english, mathematics, biology, chemistry, physics, computing, modernLanguages, history, geography
    case artAndDesign, physicalEducation, religiousEducation

    public var label: String {
        [
            "Primary", "English", "Mathematics", "Biology", "Chemistry", "Physics", "Computing", "Modern languages",
            "History", "Geography", "Art and design", "Physical education", "Religious education",
        ][rawValue]
    }

    /// A stable key for forms and files: "modern-languages".
    public var key: String { label.lowercased().replacingOccurrences(of: " ", with: "-") }

    public init?(key: String) {
        guard let s = Self.allCases.first(where: { $0.key == key.lowercased() }) else { return nil }
        self = s
    }

    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }

    /// The subjects a school of the phase hosts trainees in: primary for primary schools, the secondary subjects
    /// for secondary and sixth-form schools, all of them for all-through, special and unknown schools.
    public static func hosted(at phase: Phase) -> [PlacementSubject] {
        switch phase {
        case .nursery, .primary, .middleDeemedPrimary: [.primary]
        case .secondary, .sixteenPlus, .middleDeemedSecondary: allCases.filter { $0 != .primary }
        default: allCases
        }
    }
}

/// How keen a school is to host trainees this year.
public enum HostingAppetite: String, Codable, Sendable, CaseIterable {
    case activelyLooking = "actively-looking"
    case interested
    case notOpen = "not-open"
    case alreadyOrganised = "already-organised"

    public var label: String {
        switch self {
        case .activelyLooking: "Actively looking for trainees"
        case .interested: "Interested"
        case .notOpen: "Not open to hosting"
        case .alreadyOrganised: "Already organised with a provider"
        }
    }

    /// Whether the school offers places through the partnership's allocation.
    public var offersPlaces: Bool { self == .activelyLooking || self == .interested }
}

/// The terms of the academic year.
public enum Term: String, Codable, Sendable, CaseIterable, Comparable {
    case autumn, spring, summer

    public var label: String { rawValue.capitalized }

    /// The term a day falls in: autumn from September to December, spring from January to March, summer from
    /// April to August (the holidays belong to the term before them).
    public static func containing(_ day: Day) -> Term {
        day.month >= 9 ? .autumn : day.month <= 3 ? .spring : .summer
    }

    public static func < (l: Term, r: Term) -> Bool { allCases.firstIndex(of: l)! < allCases.firstIndex(of: r)! }
}

/// A mentor a school puts forward. Each takes one trainee at a time, and counts only once trained.
public struct OfferedMentor: Hashable, Codable, Sendable {
    public var name: String
    public var subject: PlacementSubject
    /// When they completed mentor training; nil if not yet trained.
    public var trainedOn: Day?

    public init(name: String, subject: PlacementSubject, trainedOn: Day?) {
        self.name = name
        self.subject = subject
        self.trainedOn = trainedOn
    }

    public var isTrained: Bool { trainedOn != nil }
}

/// What a school offers the partnership's placement allocation for one academic year.
public struct PlacementOffer: Hashable, Codable, Sendable {
    public var urn: URN
    public var year: AcademicYear
    public var appetite: HostingAppetite
    /// Why not, when the school is not hosting through the partnership.
    public var reason: String
    /// Trainees the school can host in each subject.
    public var places: [PlacementSubject: Int]
    public var terms: Set<Term>
    /// Of those places, how many are in a special-educational-needs setting.
    public var sendPlaces: Int
    public var mentors: [OfferedMentor]
    public var updatedAt: Date?

    public init(
        urn: URN, year: AcademicYear, appetite: HostingAppetite, reason: String = "",
        places: [PlacementSubject: Int] = [:], terms: Set<Term> = [], sendPlaces: Int = 0,
        mentors: [OfferedMentor] = [], updatedAt: Date? = nil
    ) {
        self.urn = urn
        self.year = year
        self.appetite = appetite
        self.reason = reason
        self.places = places
        self.terms = terms
        self.sendPlaces = sendPlaces
        self.mentors = mentors
        self.updatedAt = updatedAt
    }

    /// Trainees the school can take at once: one per trained mentor.
    public var trainedMentors: Int { mentors.count { $0.isTrained } }

    /// Places the allocation can use in a subject: none unless the school offers places and has a trained mentor.
    public func usablePlaces(_ subject: PlacementSubject) -> Int {
        appetite.offersPlaces && trainedMentors > 0 ? places[subject] ?? 0 : 0
    }

    /// SEND placements the allocation can use, on the same terms as `usablePlaces`.
    public var usableSendPlaces: Int { appetite.offersPlaces && trainedMentors > 0 ? sendPlaces : 0 }

    /// Every place the allocation can use: subject places and SEND placements.
    public var usablePlaceCount: Int {
        PlacementSubject.allCases.reduce(usableSendPlaces) { $0 + usablePlaces($1) }
    }

    /// Every place the school offers, subject places and SEND placements, usable or not (a school without a
    /// trained mentor offers places the allocation cannot use yet).
    public var offeredPlaceCount: Int {
        let (sum, overflow) = totalPlaces.addingReportingOverflow(sendPlaces)
        return overflow ? Int.max : sum
    }

    /// Offers are validated to at most 50 places a subject; the sum saturates so an unchecked offer cannot trap.
    public var totalPlaces: Int {
        places.values.reduce(0) { total, n in
            let (sum, overflow) = total.addingReportingOverflow(n)
            return overflow ? Int.max : sum
        }
    }

    /// Checks the offer as a whole; every problem names its field.
    public func validated() throws(ValidationError) -> PlacementOffer {
        var problems: [ValidationError.Problem] = []
        if !appetite.offersPlaces && reason.trimmingSpaces.isEmpty {
            problems.append(
                .init(field: "reason", message: "Say why the school is not hosting through the partnership"))
        }
        if reason.count > 500 {
            problems.append(.init(field: "reason", message: "Reason must be 500 characters or fewer"))
        }
        for (subject, n) in places where !(0...50).contains(n) {
            problems.append(.init(field: "places-\(subject.key)", message: "\(subject.label) places must be 0 to 50"))
        }
        if appetite.offersPlaces {
            if totalPlaces == 0 && sendPlaces == 0 {
                problems.append(
                    .init(
                        field: "places-primary",
                        message: "Enter how many trainees the school can host in at least one subject"))
            }
            if terms.isEmpty {
                problems.append(.init(field: "terms", message: "Choose the terms the school can host in"))
            }
        }
        if !(0...50).contains(sendPlaces) {
            problems.append(.init(field: "send_places", message: "SEND places must be 0 to 50"))
        }
        for (i, m) in mentors.enumerated() where m.name.trimmingSpaces.isEmpty || m.name.count > 200 {
            problems.append(.init(field: "mentor-\(i + 1)-name", message: "Enter mentor \(i + 1)'s name"))
        }
        guard problems.isEmpty else { throw ValidationError(problems) }
        return self
    }
}

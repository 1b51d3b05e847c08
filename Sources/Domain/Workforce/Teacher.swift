import Foundation

/// A teacher reference number: seven digits, issued by the Teaching Regulation Agency.
public struct TRN: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let value: String

    public init?(_ text: String) {
        let t = text.trimmingSpaces
        guard t.utf8.count == 7, t.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        value = t
    }

    public var description: String { value }
    public static func < (l: TRN, r: TRN) -> Bool { l.value < r.value }
}

/// Subjects a teacher holds a relevant post-A-level qualification in: the placement subjects' keys and the others
/// schools teach. One list for the whole product.
public enum TeachingSubject: String, Codable, Sendable, CaseIterable, Comparable {
    case primary, english, mathematics, biology, chemistry, physics
    case combinedScience = "combined-science"
    case computing
    case modernLanguages = "modern-languages"
    case history, geography
    case artAndDesign = "art-and-design"
    case designAndTechnology = "design-and-technology"
    case music, drama
    case physicalEducation = "physical-education"
    case religiousEducation = "religious-education"

    public var label: String {
        switch self {
        case .combinedScience: "Combined science"
        case .modernLanguages: "Modern languages"
        case .artAndDesign: "Art and design"
        case .designAndTechnology: "Design and technology"
        case .physicalEducation: "Physical education"
        case .religiousEducation: "Religious education"
        default: rawValue.prefix(1).uppercased() + rawValue.dropFirst()
        }
    }

    public init?(placement: PlacementSubject) { self.init(rawValue: placement.key) }

    public static func < (l: Self, r: Self) -> Bool {
        allCases.firstIndex(of: l)! < allCases.firstIndex(of: r)!
    }
}

/// What someone does in a period at a school.
public enum StaffRole: String, Codable, Sendable, CaseIterable {
    case teacher
    case ect
    case middleLeader = "middle-leader"
    case seniorLeader = "senior-leader"
    case headteacher
    case mentor

    public var label: String {
        switch self {
        case .teacher: "Teacher"
        case .ect: "Early-career teacher"
        case .middleLeader: "Middle leader"
        case .seniorLeader: "Senior leader"
        case .headteacher: "Headteacher"
        case .mentor: "Mentor"
        }
    }
}

public enum WorkingPattern: String, Codable, Sendable, CaseIterable {
    case fullTime = "full-time"
    case partTime = "part-time"

    public var label: String { self == .fullTime ? "Full time" : "Part time" }
}

/// Why a period at a school ended.
public enum EndReason: String, Codable, Sendable, CaseIterable {
    case movedWithinPartnership = "moved-within-partnership"
    case movedOutOfRegion = "moved-out-of-region"
    case leftTeaching = "left-teaching"
    case retired
    case careerBreak = "career-break"
    case other

    public var label: String {
        switch self {
        case .movedWithinPartnership: "Moved to another school in the partnership"
        case .movedOutOfRegion: "Moved out of the region"
        case .leftTeaching: "Left teaching"
        case .retired: "Retired"
        case .careerBreak: "Career break"
        case .other: "Other"
        }
    }
}

/// A dated period at one school in one role. `finishedOn` nil means it is going on.
public struct ServicePeriod: Hashable, Sendable, Codable {
    public var urn: Int
    public var role: StaffRole
    public var workingPattern: WorkingPattern
    /// Full-time equivalent, more than 0 and at most 1.
    public var fte: Double
    public var startedOn: Day
    public var finishedOn: Day?
    public var endReason: EndReason?

    public init(
        urn: Int, role: StaffRole, workingPattern: WorkingPattern = .fullTime, fte: Double = 1, startedOn: Day,
        finishedOn: Day? = nil, endReason: EndReason? = nil
    ) {
        self.urn = urn
        self.role = role
        self.workingPattern = workingPattern
        self.fte = fte
        self.startedOn = startedOn
        self.finishedOn = finishedOn
        self.endReason = endReason
    }

    public var isOpen: Bool { finishedOn == nil }

    /// Whether the two periods share a day (an open period runs on for ever).
    public func overlaps(_ other: ServicePeriod) -> Bool {
        let aEnd = finishedOn.map(\.ordinal) ?? Int.max
        let bEnd = other.finishedOn.map(\.ordinal) ?? Int.max
        return startedOn.ordinal <= bEnd && other.startedOn.ordinal <= aEnd
    }

    /// Problems with the period alone, as (field, message).
    public var problems: [(field: String, message: String)] {
        var out: [(String, String)] = []
        if !(fte > 0 && fte <= 1) { out.append(("fte", "must be more than 0 and at most 1")) }
        if let f = finishedOn, f < startedOn {
            out.append(("finished_on", "\(f) is before started_on \(startedOn)"))
        }
        if finishedOn == nil, endReason != nil {
            out.append(("end_reason", "is given but the period has no finished_on"))
        }
        return out
    }
}

/// Why a teacher's periods cannot be kept together.
public struct RegisterConflict: Error, Hashable, Sendable, CustomStringConvertible {
    public var existing: ServicePeriod
    public var added: ServicePeriod

    public var description: String {
        let end = existing.finishedOn.map { "to \($0)" } ?? "and still open"
        return
            "overlaps the \(existing.role.rawValue) period at URN \(existing.urn) from \(existing.startedOn) \(end): one school and role cannot hold two periods at once"
    }
}

/// One teacher: one record for life, with dated periods that are added and ended, never overwritten.
public struct TeacherRecord: Hashable, Sendable, Codable {
    public var id: UUID
    public var trn: TRN?
    public var firstName: String
    public var lastName: String
    /// For the 55-and-over split of leavers; no full birth date is kept.
    public var birthYear: Int?
    public var qtsOn: Day?
    public var ittProvider: String?
    public var route: String?
    public var specialisms: [TeachingSubject]
    public var periods: [ServicePeriod]

    public init(
        id: UUID = UUID(), trn: TRN?, firstName: String, lastName: String, birthYear: Int? = nil, qtsOn: Day? = nil,
        ittProvider: String? = nil, route: String? = nil, specialisms: [TeachingSubject] = [],
        periods: [ServicePeriod] = []
    ) {
        self.id = id
        self.trn = trn
        self.firstName = firstName
        self.lastName = lastName
        self.birthYear = birthYear
        self.qtsOn = qtsOn
        self.ittProvider = ittProvider
        self.route = route
        self.specialisms = specialisms
        self.periods = periods
    }

    public var name: String { "\(firstName) \(lastName)" }

    /// Whether the details other than the periods are the same.
    public func sameDetails(as other: TeacherRecord) -> Bool {
        trn == other.trn && firstName == other.firstName && lastName == other.lastName
            && birthYear == other.birthYear && qtsOn == other.qtsOn && ittProvider == other.ittProvider
            && route == other.route && specialisms == other.specialisms
    }

    /// Adds a period: the same period again changes nothing (returns false); an open period that the new one
    /// finishes is ended by it (the same school, role and start); one that overlaps another at the same school in
    /// the same role is refused.
    @discardableResult
    public mutating func merge(_ period: ServicePeriod) throws(RegisterConflict) -> Bool {
        if periods.contains(period) { return false }
        if let i = periods.firstIndex(where: {
            $0.urn == period.urn && $0.role == period.role && $0.startedOn == period.startedOn
        }) {
            // The same period, now with more known about it (ended, a new FTE): the record keeps the newer facts.
            let old = periods[i]
            if old.finishedOn == nil || old.finishedOn == period.finishedOn {
                periods[i] = period
                return true
            }
            if period.finishedOn == nil { return false }  // an old extract still showing it open
            throw RegisterConflict(existing: old, added: period)
        }
        if let clash = periods.first(where: { $0.urn == period.urn && $0.role == period.role && $0.overlaps(period) }) {
            throw RegisterConflict(existing: clash, added: period)
        }
        periods.append(period)
        periods.sort { ($0.startedOn, $0.urn, $0.role.rawValue) < ($1.startedOn, $1.urn, $1.role.rawValue) }
        return true
    }

    /// A change to an open period: its hours, or a new role from a day.
    public struct PeriodChange: Sendable, Hashable {
        /// The period as it was.
        public var old: ServicePeriod
        /// The same period with new hours (its dates untouched), or ended the day before the new role began.
        public var changed: ServicePeriod
        /// The period in the new role, when the role changes.
        public var started: ServicePeriod?
    }

    /// What changing the open period `old` to a role, working pattern and FTE from `from` means. The same role
    /// with new hours changes that period in place (the timeline keeps the old hours); a new role ends the
    /// period the day before `from` (not a leaving: no end reason) and starts one in the new role on `from`.
    /// Nothing is overwritten that a date depends on. Problems are named by form field.
    public func change(
        _ old: ServicePeriod, role: StaffRole, workingPattern: WorkingPattern, fte: Double, from: Day
    ) throws(ValidationError) -> PeriodChange {
        var problems: [ValidationError.Problem] = []
        guard old.isOpen, periods.contains(old) else {
            throw ValidationError([.init(field: "period", message: "Choose a period that is still open")])
        }
        if !(fte > 0 && fte <= 1) {
            problems.append(.init(field: "fte", message: "Enter an FTE more than 0 and at most 1, like 0.6"))
        } else if workingPattern == .fullTime && fte < 1 {
            problems.append(.init(field: "fte", message: "A full-time period has FTE 1: choose part time for \(fte)"))
        } else if workingPattern == .partTime && fte == 1 {
            problems.append(.init(field: "fte", message: "Enter the part-time FTE, less than 1, like 0.6"))
        }
        if role == old.role {
            if workingPattern == old.workingPattern && fte == old.fte {
                problems.append(.init(field: "fte", message: "Change the role, the working pattern or the FTE"))
            }
        } else {
            if from <= old.startedOn {
                problems.append(
                    .init(
                        field: "from",
                        message:
                            "The new role must start after the current one started (\(old.startedOn.longDescription))"
                    ))
            }
            if let clash = periods.first(where: {
                $0.urn == old.urn && $0.role == role && ($0.finishedOn.map { $0 >= from } ?? true)
            }) {
                problems.append(
                    .init(
                        field: "role",
                        message:
                            "They already have a \(role.label.lowercased()) period here from \(clash.startedOn.longDescription)"
                    ))
            }
        }
        guard problems.isEmpty else { throw ValidationError(problems) }
        if role == old.role {
            var changed = old
            changed.workingPattern = workingPattern
            changed.fte = fte
            return PeriodChange(old: old, changed: changed, started: nil)
        }
        var ended = old
        ended.finishedOn = Day(ordinal: from.ordinal - 1)
        return PeriodChange(
            old: old, changed: ended,
            started: ServicePeriod(
                urn: old.urn, role: role, workingPattern: workingPattern, fte: fte, startedOn: from))
    }

    /// The first day in post at any school.
    public var firstPost: Day? { periods.map(\.startedOn).min() }

    /// Whether any period is open.
    public var inPost: Bool { periods.contains(where: \.isOpen) }
}

extension Day {
    /// Days since 1970-01-01 (proleptic Gregorian), for differences between days.
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Monday 1 to Sunday 7 (1970-01-01 was a Thursday).
    public var isoWeekday: Int { ((ordinal % 7) + 7 + 3) % 7 + 1 }

    /// The day `ordinal` days after 1970-01-01.
    public init(ordinal: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self = Day(year: y, month: m, day: d) ?? Day(year: 1970, month: 1, day: 1)!
    }
}

/// One entry in a teacher's timeline: what happened, when, and who recorded it.
public struct TeacherEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case recordCreated = "record-created"
        case detailsChanged = "details-changed"
        case periodStarted = "period-started"
        case periodEnded = "period-ended"
        case periodChanged = "period-changed"
        case trainee
        case cpd
        case research
        /// A mentor assigned to an early-career teacher, or the mentorship ended.
        case mentorship
        /// A development profile recorded (the ECT's own or their mentor's).
        case development
        /// Statutory induction recorded, extended or ended with its outcome.
        case induction
        /// A subject qualification recorded, such as on completing subject specialism training (TSST).
        case qualification
    }

    public var kind: Kind
    /// The day it happened (a period's start or end), when it has one.
    public var on: Day?
    public var detail: String
    /// When it was recorded, and by whom (a person's name, or how it arrived: an import file).
    public var recordedAt: Date
    public var recordedBy: String

    public init(kind: Kind, on: Day?, detail: String, recordedAt: Date, recordedBy: String) {
        self.kind = kind
        self.on = on
        self.detail = detail
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }

    /// The events that adding `period` (or `changed` from `old`) to a record means.
    public static func events(
        for period: ServicePeriod, replacing old: ServicePeriod?, schoolName: String, at now: Date, by author: String
    ) -> [TeacherEvent] {
        var out: [TeacherEvent] = []
        if old == nil {
            out.append(
                TeacherEvent(
                    kind: .periodStarted, on: period.startedOn,
                    detail:
                        "Started at \(schoolName) as \(period.role.label.lowercased()), \(period.workingPattern.label.lowercased()) (FTE \(period.fte))",
                    recordedAt: now, recordedBy: author))
        } else if let old, old.workingPattern != period.workingPattern || old.fte != period.fte {
            out.append(
                TeacherEvent(
                    kind: .periodChanged, on: nil,
                    detail:
                        "At \(schoolName): \(period.workingPattern.label.lowercased()), FTE \(old.fte) to \(period.fte)",
                    recordedAt: now, recordedBy: author))
        }
        if let finished = period.finishedOn, old?.finishedOn == nil {
            out.append(
                TeacherEvent(
                    kind: .periodEnded, on: finished,
                    detail:
                        "Finished at \(schoolName) as \(period.role.label.lowercased())\(period.endReason.map { ": \($0.label.lowercased())" } ?? "")",
                    recordedAt: now, recordedBy: author))
        }
        return out
    }
}

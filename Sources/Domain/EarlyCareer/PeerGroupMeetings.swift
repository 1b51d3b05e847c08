import Foundation

/// A meeting of a peer group: when and where, and afterwards who came and what was discussed.
public struct PeerGroupMeeting: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var group: UUID
    public var session: CPDSession
    /// The school it meets at: the group's meeting school when it was planned.
    public var venueURN: Int
    /// What was discussed, at most `noteLimit` characters.
    public var note: String
    /// The members who came, once attendance is recorded.
    public var attended: Set<UUID>
    public var attendanceRecorded: Bool
    public var plannedBy: String
    public var recordedBy: String?

    public static let noteLimit = 1_000

    public init(
        id: UUID = UUID(), group: UUID, session: CPDSession, venueURN: Int, note: String = "",
        attended: Set<UUID> = [], attendanceRecorded: Bool = false, plannedBy: String, recordedBy: String? = nil
    ) {
        self.id = id
        self.group = group
        self.session = session
        self.venueURN = venueURN
        self.note = note
        self.attended = attended
        self.attendanceRecorded = attendanceRecorded
        self.plannedBy = plannedBy
        self.recordedBy = recordedBy
    }

    /// Reads the "when" field ("2027-01-14 16:00-17:30"): one session, within a year either side of today.
    public static func when(_ text: String, today: Day, field: String = "when") -> Result<CPDSession, ValidationError> {
        switch CPDCohort.sessions(text, field: field) {
        case .failure(let e): return .failure(e)
        case .success(let sessions):
            guard sessions.count == 1, let s = sessions.first else {
                return .failure(
                    ValidationError([.init(field: field, message: "Enter one meeting: a day and its times")]))
            }
            guard abs(s.day.ordinal - today.ordinal) <= 366 else {
                return .failure(
                    ValidationError([
                        .init(field: field, message: "Enter a day within a year of today (\(today.longDescription))")
                    ]))
            }
            return .success(s)
        }
    }

    /// Reads a note of what was discussed.
    public static func note(_ text: String, field: String = "note") -> Result<String, ValidationError> {
        let t = text.trimmingSpaces
        return t.unicodeScalars.count > noteLimit
            ? .failure(
                ValidationError([.init(field: field, message: "The note must be \(noteLimit) characters or fewer")]))
            : .success(t)
    }

    /// Whether attendance can be recorded: on or after the meeting's day.
    public func canRecord(on today: Day) -> Bool { session.day <= today }

    /// The first meeting still to come (today's counts until it ends), by its start.
    public static func next(_ meetings: [PeerGroupMeeting], today: Day, minute: Int) -> PeerGroupMeeting? {
        meetings.filter { $0.session.day > today || ($0.session.day == today && $0.session.end > minute) }
            .min { $0.session < $1.session }
    }
}

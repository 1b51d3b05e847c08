import Domain
import FluentKit
import Foundation
import SQLKit

struct CreatePeerGroups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("peer_groups")
            .id()
            .field("academic_year", .int, .required)
            .field("term", .string, .required)
            .field("number", .int, .required)
            .field("meeting_urn", .int, .required)
            .field("locked", .bool, .required)
            .field("minimum", .int, .required)
            .field("maximum", .int, .required)
            .field("formed_at", .datetime, .required)
            .field("formed_by", .string, .required)
            .unique(on: "academic_year", "term", "number")
            .create()
        try await database.schema("peer_group_members")
            .id()
            .field("group_id", .uuid, .required, .references("peer_groups", "id", onDelete: .cascade))
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("academic_year", .int, .required)
            .field("term", .string, .required)
            .field("urn", .int, .required)
            .unique(on: "academic_year", "term", "teacher_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("peer_group_members").delete()
        try await database.schema("peer_groups").delete()
    }
}

/// A term's peer group as stored: its members (register records) with the school each was at when grouped.
public struct StoredPeerGroup: Sendable, Hashable {
    public var id: UUID
    public var number: Int
    public var meetingURN: Int
    public var locked: Bool
    /// The sizes the coordinator asked for when it was formed.
    public var minimum: Int
    public var maximum: Int
    public var members: [(teacher: UUID, urn: Int)]
    public var formedAt: Date
    public var formedBy: String

    public static func == (l: Self, r: Self) -> Bool {
        l.id == r.id && l.number == r.number && l.meetingURN == r.meetingURN && l.locked == r.locked
            && l.members.map(\.teacher) == r.members.map(\.teacher) && l.members.map(\.urn) == r.members.map(\.urn)
    }

    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// Early-career teachers' peer groups, one set per academic year and term.
public struct PeerGroupStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public func groups(year: AcademicYear, term: Term) async throws -> [StoredPeerGroup] {
        let sql = try database.sql
        let rows = try await sql.select().column("*").from("peer_groups")
            .where("academic_year", .equal, SQLBind(year.start)).where("term", .equal, SQLBind(term.rawValue))
            .orderBy("number").all()
        var groups: [StoredPeerGroup] = try rows.map { row in
            StoredPeerGroup(
                id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: Int.self),
                meetingURN: try row.decode(column: "meeting_urn", as: Int.self),
                locked: try row.decode(column: "locked", as: Bool.self),
                minimum: try row.decode(column: "minimum", as: Int.self),
                maximum: try row.decode(column: "maximum", as: Int.self), members: [],
                formedAt: try row.decode(column: "formed_at", as: Date.self),
                formedBy: try row.decode(column: "formed_by", as: String.self))
        }
        let index = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1.id, $0) })
        let members = try await sql.select().columns("group_id", "teacher_id", "urn").from("peer_group_members")
            .where("academic_year", .equal, SQLBind(year.start)).where("term", .equal, SQLBind(term.rawValue)).all()
        for row in members {
            guard let i = index[try row.decode(column: "group_id", as: UUID.self)] else { continue }
            groups[i].members.append(
                (try row.decode(column: "teacher_id", as: UUID.self), try row.decode(column: "urn", as: Int.self)))
        }
        for i in groups.indices { groups[i].members.sort { $0.teacher.uuidString < $1.teacher.uuidString } }
        return groups
    }

    /// Replaces the term's groups that are not locked with `formed` (numbered after the locked ones), and sets the
    /// locked groups' meeting schools. Run it in a transaction.
    public func replaceUnlocked(
        year: AcademicYear, term: Term, locked: [(id: UUID, meetingURN: Int)],
        formed: [(meetingURN: Int, members: [(teacher: UUID, urn: Int)])], rules: PeerGroupRules, by author: String,
        at now: Date
    ) async throws {
        let sql = try database.sql
        let keep = locked.map(\.id)
        var delete = sql.delete(from: "peer_groups")
            .where("academic_year", .equal, SQLBind(year.start)).where("term", .equal, SQLBind(term.rawValue))
        if !keep.isEmpty { delete = delete.where("id", .notIn, SQLBind.group(keep)) }
        try await delete.run()
        // Number the locked groups 1, 2, ... first (in their old order), then the new ones.
        let existing = try await groups(year: year, term: term)
        for (i, g) in existing.enumerated() {
            // Two steps, so that no number is held twice at any moment.
            try await sql.update("peer_groups").set("number", to: SQLBind(-1 - i)).where("id", .equal, SQLBind(g.id))
                .run()
        }
        for (i, g) in existing.enumerated() {
            let meeting = locked.first { $0.id == g.id }?.meetingURN ?? g.meetingURN
            try await sql.update("peer_groups").set("number", to: SQLBind(i + 1))
                .set("meeting_urn", to: SQLBind(meeting)).where("id", .equal, SQLBind(g.id)).run()
        }
        for (i, g) in formed.enumerated() {
            let id = UUID()
            try await sql.insert(into: "peer_groups")
                .columns(
                    "id", "academic_year", "term", "number", "meeting_urn", "locked", "minimum", "maximum", "formed_at",
                    "formed_by"
                )
                .values(
                    SQLBind(id), SQLBind(year.start), SQLBind(term.rawValue), SQLBind(existing.count + i + 1),
                    SQLBind(g.meetingURN), SQLBind(false), SQLBind(rules.minimum), SQLBind(rules.maximum), SQLBind(now),
                    SQLBind(author)
                ).run()
            for m in g.members {
                try await sql.insert(into: "peer_group_members")
                    .columns("id", "group_id", "teacher_id", "academic_year", "term", "urn")
                    .values(
                        SQLBind(UUID()), SQLBind(id), SQLBind(m.teacher), SQLBind(year.start), SQLBind(term.rawValue),
                        SQLBind(m.urn)
                    ).run()
            }
        }
    }

    /// Moves a teacher into another group of the same term and sets both groups' meeting schools. Run it in a
    /// transaction.
    public func move(
        teacher: UUID, to group: UUID, year: AcademicYear, term: Term, meetings: [(group: UUID, urn: Int)]
    ) async throws {
        let sql = try database.sql
        try await sql.update("peer_group_members").set("group_id", to: SQLBind(group))
            .where("teacher_id", .equal, SQLBind(teacher)).where("academic_year", .equal, SQLBind(year.start))
            .where("term", .equal, SQLBind(term.rawValue)).run()
        for m in meetings {
            try await sql.update("peer_groups").set("meeting_urn", to: SQLBind(m.urn)).where(
                "id", .equal, SQLBind(m.group)
            )
            .run()
        }
        // A group left empty is removed.
        try await sql.raw(
            "DELETE FROM peer_groups WHERE academic_year = \(bind: year.start) AND term = \(bind: term.rawValue) AND id NOT IN (SELECT group_id FROM peer_group_members)"
        ).run()
    }

    public func setLocked(_ group: UUID, _ locked: Bool) async throws {
        try await database.sql.update("peer_groups").set("locked", to: SQLBind(locked))
            .where("id", .equal, SQLBind(group)).run()
    }

    /// The group a teacher is in for the term, if any.
    public func group(of teacher: UUID, year: AcademicYear, term: Term) async throws -> StoredPeerGroup? {
        try await groups(year: year, term: term).first { $0.members.contains { $0.teacher == teacher } }
    }
}

/// Peer groups' meetings, and who came.
struct CreatePeerGroupMeetings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("peer_group_meetings")
            .id()
            .field("group_id", .uuid, .required, .references("peer_groups", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("start_minute", .int, .required)
            .field("end_minute", .int, .required)
            .field("venue_urn", .int, .required)
            .field("note", .string, .required)
            .field("attendance_recorded", .bool, .required)
            .field("planned_by", .string, .required)
            .field("recorded_by", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.sql.raw("CREATE INDEX peer_group_meetings_group ON peer_group_meetings (group_id)").run()
        try await database.schema("peer_group_attendance")
            .id()
            .field("meeting_id", .uuid, .required, .references("peer_group_meetings", "id", onDelete: .cascade))
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .unique(on: "meeting_id", "teacher_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("peer_group_attendance").delete()
        try await database.schema("peer_group_meetings").delete()
    }
}

extension PeerGroupStore {
    /// The group's meetings, earliest first, with attendance.
    public func meetings(group: UUID) async throws -> [PeerGroupMeeting] {
        try await meetings(groups: [group])[group] ?? []
    }

    /// Meetings of several groups, by group.
    public func meetings(groups: [UUID]) async throws -> [UUID: [PeerGroupMeeting]] {
        guard !groups.isEmpty else { return [:] }
        let sql = try database.sql
        let rows = try await sql.select().column("*").from("peer_group_meetings")
            .where("group_id", .in, SQLBind.group(groups)).orderBy("day").orderBy("start_minute").all()
        var meetings: [PeerGroupMeeting] = []
        for row in rows {
            guard let day = Day(try row.decode(column: "day", as: String.self)) else { continue }
            meetings.append(
                PeerGroupMeeting(
                    id: try row.decode(column: "id", as: UUID.self),
                    group: try row.decode(column: "group_id", as: UUID.self),
                    session: CPDSession(
                        day: day, start: try row.decode(column: "start_minute", as: Int.self),
                        end: try row.decode(column: "end_minute", as: Int.self)),
                    venueURN: try row.decode(column: "venue_urn", as: Int.self),
                    note: try row.decode(column: "note", as: String.self),
                    attendanceRecorded: try row.decode(column: "attendance_recorded", as: Bool.self),
                    plannedBy: try row.decode(column: "planned_by", as: String.self),
                    recordedBy: try row.decode(column: "recorded_by", as: String?.self)))
        }
        if !meetings.isEmpty {
            let index = Dictionary(uniqueKeysWithValues: meetings.enumerated().map { ($1.id, $0) })
            for row in try await sql.select().columns("meeting_id", "teacher_id").from("peer_group_attendance")
                .where("meeting_id", .in, SQLBind.group(meetings.map(\.id))).all()
            {
                if let i = index[try row.decode(column: "meeting_id", as: UUID.self)] {
                    meetings[i].attended.insert(try row.decode(column: "teacher_id", as: UUID.self))
                }
            }
        }
        return Dictionary(grouping: meetings, by: \.group)
    }

    public func addMeeting(_ m: PeerGroupMeeting, at now: Date) async throws {
        try await database.sql.insert(into: "peer_group_meetings")
            .columns(
                "id", "group_id", "day", "start_minute", "end_minute", "venue_urn", "note", "attendance_recorded",
                "planned_by", "recorded_by", "created_at", "updated_at"
            )
            .values(
                SQLBind(m.id), SQLBind(m.group), SQLBind(m.session.day.description), SQLBind(m.session.start),
                SQLBind(m.session.end), SQLBind(m.venueURN), SQLBind(m.note), SQLBind(false), SQLBind(m.plannedBy),
                SQLLiteral.null, SQLBind(now), SQLBind(now)
            ).run()
    }

    /// Records who came and what was discussed, replacing an earlier record of the same meeting. Run it in a
    /// transaction.
    public func recordAttendance(
        meeting: UUID, attended: Set<UUID>, note: String, by author: String, at now: Date
    ) async throws {
        let sql = try database.sql
        try await sql.update("peer_group_meetings").set("attendance_recorded", to: SQLBind(true))
            .set("note", to: SQLBind(note)).set("recorded_by", to: SQLBind(author)).set("updated_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(meeting)).run()
        try await sql.delete(from: "peer_group_attendance").where("meeting_id", .equal, SQLBind(meeting)).run()
        for teacher in attended.sorted(by: { $0.uuidString < $1.uuidString }) {
            try await sql.insert(into: "peer_group_attendance").columns("id", "meeting_id", "teacher_id")
                .values(SQLBind(UUID()), SQLBind(meeting), SQLBind(teacher)).run()
        }
    }

    /// The groups of the term that have a meeting with attendance recorded.
    public func groupsThatMet(year: AcademicYear, term: Term) async throws -> Set<UUID> {
        let ids = try await groups(year: year, term: term).map(\.id)
        return Set(try await meetings(groups: ids).filter { $0.value.contains(where: \.attendanceRecorded) }.keys)
    }
}

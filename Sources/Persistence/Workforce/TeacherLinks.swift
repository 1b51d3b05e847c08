import Domain
import FluentKit
import Foundation
import SQLKit

/// Links from the teacher register to the other records that are the same person: accounts (a teacher or mentor
/// signing in) and trainee records in placements. A person or trainee links to at most one teacher; a teacher may
/// have several trainee records (a first and a second placement, a repeated year).
struct CreateTeacherLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("teacher_links")
            .id()
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("person_id", .uuid, .references("people", "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .references("trainees", "id", onDelete: .cascade))
            .field("linked_at", .datetime, .required)
            .field("linked_by", .string, .required)
            .unique(on: "person_id")
            .unique(on: "trainee_id")
            .create()
        try await database.sql.raw("CREATE INDEX teacher_links_teacher ON teacher_links (teacher_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("teacher_links").delete()
    }
}

/// A record linked to a teacher.
public struct TeacherLink: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case person(PersonID)
        case trainee(UUID)
    }
    public var teacher: UUID
    public var target: Target
    public var linkedAt: Date
    public var linkedBy: String
}

public struct TeacherLinkStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public enum LinkError: Error, Sendable, Equatable {
        /// The account or trainee is already linked to another teacher.
        case linkedElsewhere(UUID)
    }

    /// Links the account or trainee to the teacher, with a timeline event; linking it again to the same teacher
    /// changes nothing (returns false). Run it in a transaction.
    @discardableResult
    public func link(
        _ target: TeacherLink.Target, to teacher: UUID, detail: String, author: String, at now: Date
    ) async throws -> Bool {
        if let existing = try await self.teacher(for: target) {
            guard existing == teacher else { throw LinkError.linkedElsewhere(existing) }
            return false
        }
        let (person, trainee): (UUID?, UUID?) =
            switch target {
            case .person(let p): (p.rawValue, nil)
            case .trainee(let t): (nil, t)
            }
        try await database.sql.insert(into: "teacher_links")
            .columns("id", "teacher_id", "person_id", "trainee_id", "linked_at", "linked_by")
            .values(
                SQLBind(UUID()), SQLBind(teacher), bindOrNull(person), bindOrNull(trainee), SQLBind(now),
                SQLBind(author)
            ).run()
        let kind: TeacherEvent.Kind =
            if case .trainee = target { .trainee } else { .detailsChanged }
        try await TeacherStore(database).insertEvents([
            (teacher, TeacherEvent(kind: kind, on: nil, detail: detail, recordedAt: now, recordedBy: author))
        ])
        return true
    }

    /// Removes the link of an account (when its owner or a coordinator unlinks it, or the account is erased).
    public func unlink(_ target: TeacherLink.Target) async throws {
        switch target {
        case .person(let p):
            try await database.sql.delete(from: "teacher_links").where("person_id", .equal, SQLBind(p.rawValue)).run()
        case .trainee(let t):
            try await database.sql.delete(from: "teacher_links").where("trainee_id", .equal, SQLBind(t)).run()
        }
    }

    /// The teacher an account or trainee is linked to.
    public func teacher(for target: TeacherLink.Target) async throws -> UUID? {
        let query = try database.sql.select().column("teacher_id").from("teacher_links")
        switch target {
        case .person(let p): query.where("person_id", .equal, SQLBind(p.rawValue))
        case .trainee(let t): query.where("trainee_id", .equal, SQLBind(t))
        }
        return try await query.first()?.decode(column: "teacher_id", as: UUID.self)
    }

    /// The accounts linked to each of the teachers, in one query per 900 teachers.
    public func people(of teachers: [UUID]) async throws -> [UUID: [PersonID]] {
        var out: [UUID: [PersonID]] = [:]
        for chunk in Array(Set(teachers)).chunked(900) {
            for row in try await database.sql.select().column("teacher_id").column("person_id").from("teacher_links")
                .where("teacher_id", .in, SQLBind.group(chunk)).all()
            {
                guard let person = try row.decode(column: "person_id", as: UUID?.self) else { continue }
                out[try row.decode(column: "teacher_id", as: UUID.self), default: []].append(PersonID(person))
            }
        }
        return out
    }

    /// Everything linked to a teacher, oldest first.
    public func links(of teacher: UUID) async throws -> [TeacherLink] {
        try await database.sql.select().column("*").from("teacher_links")
            .where("teacher_id", .equal, SQLBind(teacher)).orderBy("linked_at").all().map { row in
                let target: TeacherLink.Target =
                    if let p = try row.decode(column: "person_id", as: UUID?.self) {
                        .person(PersonID(p))
                    } else {
                        .trainee(try row.decode(column: "trainee_id", as: UUID.self))
                    }
                return TeacherLink(
                    teacher: teacher, target: target, linkedAt: try row.decode(column: "linked_at", as: Date.self),
                    linkedBy: try row.decode(column: "linked_by", as: String.self))
            }
    }
}

extension TeacherStore {
    /// Adds a teacher with no periods yet (a trainee entering the register), with a first timeline event. Run it
    /// in a transaction.
    public func create(_ t: TeacherRecord, event: String, author: String, at now: Date) async throws {
        try await database.sql.insert(into: "teachers")
            .columns(
                "id", "trn", "first_name", "last_name", "birth_year", "qts_on", "itt_provider", "route", "specialisms",
                "generated", "created_at", "updated_at"
            )
            .values(
                SQLBind(t.id), bindOrNull(t.trn?.value), SQLBind(t.firstName), SQLBind(t.lastName),
                bindOrNull(t.birthYear), bindOrNull(t.qtsOn?.description), bindOrNull(t.ittProvider),
                bindOrNull(t.route), SQLBind(t.specialisms.map(\.rawValue).joined(separator: ";")), SQLBind(false),
                SQLBind(now), SQLBind(now)
            ).run()
        try await insertEvents([
            (t.id, TeacherEvent(kind: .recordCreated, on: nil, detail: event, recordedAt: now, recordedBy: author))
        ])
        try await DataVersions(database).bump(DataVersions.teachers)
    }

    /// Adds one event to a teacher's timeline.
    public func insertEvent(teacher: UUID, _ event: TeacherEvent) async throws {
        try await insertEvents([(teacher, event)])
    }

    /// The teacher with this TRN, if the register holds one.
    public func teacher(trn: TRN) async throws -> TeacherRecord? {
        try await records(where: { $0.where("trn", .equal, SQLBind(trn.value)) }).first
    }
}

import Domain
import FluentKit
import Foundation
import SQLKit

struct CreateRecruitmentEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("recruitment_events")
            .id()
            .field("organiser", .string, .required)
            .field("organised_by", .uuid, .references("organisations", "id", onDelete: .setNull))
            .field("title", .string, .required)
            .field("kind", .string, .required)
            .field("summary", .string, .required)
            .field("session", .string, .required)
            .field("day", .string, .required)
            .field("venue", .string, .required)
            .field("capacity", .int, .required)
            .field("taken", .int, .required)
            .field("generated", .bool, .required)
            .field("reminded_at", .datetime)
            .create()
        try await database.schema("event_registrations")
            .id()
            .field("event_id", .uuid, .required, .references("recruitment_events", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("status", .string, .required)
            .field("registered_at", .datetime, .required)
            .unique(on: "event_id", "person_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("event_registrations").delete()
        try await database.schema("recruitment_events").delete()
    }
}

/// Recruitment events and registrations, with a waiting list.
public struct EventStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public enum RegisterError: Error, Sendable, Equatable { case alreadyRegistered, noSuchEvent }

    public func add(_ events: [RecruitmentEvent]) async throws {
        try await database.sql.insertBatched(
            into: "recruitment_events",
            columns: [
                "id", "organiser", "organised_by", "title", "kind", "summary", "session", "day", "venue", "capacity",
                "taken", "generated",
            ], count: events.count
        ) { i in
            let e = events[i]
            return [
                SQLBind(e.id), SQLBind(e.organiser), bindOrNull(e.organisedBy), SQLBind(e.title),
                SQLBind(e.kind.rawValue), SQLBind(e.summary), SQLBind(e.session.text),
                SQLBind(e.session.day.description),
                SQLBind(e.venue), SQLBind(e.capacity), SQLBind(e.taken), SQLBind(e.generated),
            ]
        }
    }

    static func event(_ row: any SQLRow) throws -> RecruitmentEvent? {
        guard let kind = RecruitmentEventKind(rawValue: try row.decode(column: "kind", as: String.self)),
            let session = CPDSession(try row.decode(column: "session", as: String.self))
        else { return nil }
        return RecruitmentEvent(
            id: try row.decode(column: "id", as: UUID.self),
            organiser: try row.decode(column: "organiser", as: String.self),
            organisedBy: try row.decode(column: "organised_by", as: UUID?.self),
            title: try row.decode(column: "title", as: String.self), kind: kind,
            summary: try row.decode(column: "summary", as: String.self), session: session,
            venue: try row.decode(column: "venue", as: String.self),
            capacity: try row.decode(column: "capacity", as: Int.self),
            taken: try row.decode(column: "taken", as: Int.self),
            generated: try row.decode(column: "generated", as: Bool.self))
    }

    public func events() async throws -> [RecruitmentEvent] {
        try await database.sql.select().column("*").from("recruitment_events").orderBy("day").orderBy("session").all()
            .compactMap(Self.event)
    }

    public func event(_ id: UUID) async throws -> RecruitmentEvent? {
        try await database.sql.select().column("*").from("recruitment_events").where("id", .equal, SQLBind(id))
            .first().flatMap(Self.event)
    }

    static func registration(_ row: any SQLRow) throws -> EventRegistration {
        EventRegistration(
            id: try row.decode(column: "id", as: UUID.self), event: try row.decode(column: "event_id", as: UUID.self),
            person: PersonID(try row.decode(column: "person_id", as: UUID.self)),
            name: try row.decode(column: "name", as: String.self),
            status: EventRegistration.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .waiting,
            registeredAt: try row.decode(column: "registered_at", as: Date.self))
    }

    public func registration(_ id: UUID) async throws -> EventRegistration? {
        try await database.sql.select().column("*").from("event_registrations").where("id", .equal, SQLBind(id))
            .first().map(Self.registration)
    }

    public func registrations(event: UUID) async throws -> [EventRegistration] {
        try await database.sql.select().column("*").from("event_registrations").where(
            "event_id", .equal, SQLBind(event)
        )
        .orderBy("registered_at").all().map(Self.registration)
    }

    public func registrations(person: PersonID) async throws -> [EventRegistration] {
        try await database.sql.select().column("*").from("event_registrations")
            .where("person_id", .equal, SQLBind(person.rawValue)).orderBy("registered_at").all().map(Self.registration)
    }

    /// Registers the person: a place if one is left (taken by one conditional update, so never more than the
    /// capacity), otherwise the waiting list. A cancelled registration is reopened. Run it in a transaction.
    public func register(event: UUID, person: PersonID, name: String, at now: Date) async throws -> EventRegistration {
        let sql = try database.sql
        guard try await self.event(event) != nil else { throw RegisterError.noSuchEvent }
        let existing = try await sql.select().column("*").from("event_registrations")
            .where("event_id", .equal, SQLBind(event)).where("person_id", .equal, SQLBind(person.rawValue)).first()
            .map(Self.registration)
        if let existing, existing.status != .cancelled { throw RegisterError.alreadyRegistered }
        let took = try await sql.raw(
            "UPDATE recruitment_events SET taken = taken + 1 WHERE id = \(bind: event) AND taken < capacity RETURNING id"
        ).all()
        let status: EventRegistration.Status = took.isEmpty ? .waiting : .registered
        if let existing {
            try await sql.update("event_registrations").set("status", to: SQLBind(status.rawValue))
                .set("registered_at", to: SQLBind(now)).where("id", .equal, SQLBind(existing.id)).run()
            return EventRegistration(
                id: existing.id, event: event, person: person, name: name, status: status, registeredAt: now)
        }
        let r = EventRegistration(event: event, person: person, name: name, status: status, registeredAt: now)
        do {
            try await sql.insert(into: "event_registrations")
                .columns("id", "event_id", "person_id", "name", "status", "registered_at")
                .values(
                    SQLBind(r.id), SQLBind(event), SQLBind(person.rawValue), SQLBind(name), SQLBind(status.rawValue),
                    SQLBind(now)
                ).run()
        } catch  where LockWait.isUniqueViolation(error) {
            throw RegisterError.alreadyRegistered
        }
        return r
    }

    /// Cancels a registration; a place it held goes to the longest-waiting person, whose registration is returned
    /// (to tell them). Run it in a transaction.
    public func cancel(_ r: EventRegistration) async throws -> EventRegistration? {
        let sql = try database.sql
        try await sql.update("event_registrations").set(
            "status", to: SQLBind(EventRegistration.Status.cancelled.rawValue)
        )
        .where("id", .equal, SQLBind(r.id)).where("status", .equal, SQLBind(r.status.rawValue)).run()
        guard r.status == .registered else { return nil }
        if let next = try await sql.select().column("*").from("event_registrations")
            .where("event_id", .equal, SQLBind(r.event))
            .where("status", .equal, SQLBind(EventRegistration.Status.waiting.rawValue))
            .orderBy("registered_at").first().map(Self.registration)
        {
            try await sql.update("event_registrations")
                .set("status", to: SQLBind(EventRegistration.Status.registered.rawValue))
                .where("id", .equal, SQLBind(next.id)).run()
            var promoted = next
            promoted.status = .registered
            return promoted
        }
        try await sql.raw("UPDATE recruitment_events SET taken = taken - 1 WHERE id = \(bind: r.event) AND taken > 0")
            .run()
        return nil
    }

    public func setStatus(_ r: EventRegistration, to status: EventRegistration.Status) async throws {
        try await database.sql.update("event_registrations").set("status", to: SQLBind(status.rawValue))
            .where("id", .equal, SQLBind(r.id)).where("status", .equal, SQLBind(r.status.rawValue)).run()
    }

    /// Marks the event's reminders as sent; false when they already were (so none is sent twice).
    public func markReminded(_ event: UUID, at now: Date) async throws -> Bool {
        let rows = try await database.sql.raw(
            "UPDATE recruitment_events SET reminded_at = \(bind: now) WHERE id = \(bind: event) AND reminded_at IS NULL RETURNING id"
        ).all()
        return !rows.isEmpty
    }

    public func remindedAt(_ event: UUID) async throws -> Date? {
        try await database.sql.select().column("reminded_at").from("recruitment_events")
            .where("id", .equal, SQLBind(event)).first()?.decode(column: "reminded_at", as: Date?.self)
    }
}

import Domain
import FluentKit
import Foundation
import SQLKit

struct CreateSchoolExperience: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("experience_dates")
            .id()
            .field("urn", .int, .required)
            .field("day", .string, .required)
            .field("length", .string, .required)
            .field("phase", .string, .required)
            .field("subject", .string)
            .field("places", .int, .required)
            .field("taken", .int, .required)
            .field("expectations", .string, .required)
            .field("dbs", .string, .required)
            .field("access", .string, .required)
            .field("generated", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("experience_requests")
            .id()
            .field("date_id", .uuid, .required, .references("experience_dates", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("objectives", .string, .required)
            .field("stage", .string, .required)
            .field("status", .string, .required)
            .field("reason", .string)
            .field("requested_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "date_id", "person_id")
            .create()
        // Searches that found nothing within their distance: where candidates want experience and none is offered.
        try await database.schema("experience_unmet_searches")
            .id()
            .field("searched_at", .datetime, .required)
            .field("easting", .double, .required)
            .field("northing", .double, .required)
            .field("within_km", .double, .required)
            .field("subject", .string)
            .field("phase", .string)
            .create()
        try await database.sql.raw("CREATE INDEX experience_dates_urn ON experience_dates (urn)").run()
        try await database.sql.raw("CREATE INDEX experience_requests_person ON experience_requests (person_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("experience_unmet_searches").delete()
        try await database.schema("experience_requests").delete()
        try await database.schema("experience_dates").delete()
    }
}

/// School experience: schools' dates, candidates' requests, and searches that found nothing.
public struct ExperienceStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public enum RequestError: Error, Sendable, Equatable {
        case full, alreadyRequested, noSuchDate
    }

    // MARK: Dates

    public func add(_ dates: [ExperienceDate], at now: Date) async throws {
        try await database.sql.insertBatched(
            into: "experience_dates",
            columns: [
                "id", "urn", "day", "length", "phase", "subject", "places", "taken", "expectations", "dbs", "access",
                "generated", "created_at",
            ], count: dates.count
        ) { i in
            let d = dates[i]
            return [
                SQLBind(d.id), SQLBind(d.urn), SQLBind(d.day.description), SQLBind(d.length.rawValue),
                SQLBind(d.phase.rawValue), bindOrNull(d.subject?.rawValue), SQLBind(d.places), SQLBind(d.taken),
                SQLBind(d.expectations), SQLBind(d.dbs.rawValue), SQLBind(d.access), SQLBind(d.generated),
                SQLBind(now),
            ]
        }
    }

    static func date(_ row: any SQLRow) throws -> ExperienceDate? {
        guard let day = Day(try row.decode(column: "day", as: String.self)),
            let length = ExperienceLength(rawValue: try row.decode(column: "length", as: String.self)),
            let phase = CPDPhase(rawValue: try row.decode(column: "phase", as: String.self)),
            let dbs = DBSPolicy(rawValue: try row.decode(column: "dbs", as: String.self))
        else { return nil }
        return ExperienceDate(
            id: try row.decode(column: "id", as: UUID.self), urn: try row.decode(column: "urn", as: Int.self), day: day,
            length: length, phase: phase,
            subject: try row.decode(column: "subject", as: String?.self).flatMap(TeachingSubject.init(rawValue:)),
            places: try row.decode(column: "places", as: Int.self),
            taken: try row.decode(column: "taken", as: Int.self),
            expectations: try row.decode(column: "expectations", as: String.self), dbs: dbs,
            access: try row.decode(column: "access", as: String.self),
            generated: try row.decode(column: "generated", as: Bool.self))
    }

    /// Every date, earliest first.
    public func dates() async throws -> [ExperienceDate] {
        try await database.sql.select().column("*").from("experience_dates").orderBy("day").all().compactMap(Self.date)
    }

    public func dates(urn: Int) async throws -> [ExperienceDate] {
        try await database.sql.select().column("*").from("experience_dates").where("urn", .equal, SQLBind(urn))
            .orderBy("day").all().compactMap(Self.date)
    }

    public func date(_ id: UUID) async throws -> ExperienceDate? {
        try await database.sql.select().column("*").from("experience_dates").where("id", .equal, SQLBind(id)).first()
            .flatMap(Self.date)
    }

    // MARK: Requests

    /// Takes one of the date's places for the request by a single conditional UPDATE (`taken < places`), so the
    /// last place cannot be given twice on either database; a withdrawn, declined or cancelled request by the same
    /// person is reopened. Run it in a transaction, first. Returns the request's id.
    @discardableResult
    public func request(_ r: ExperienceRequest) async throws -> UUID {
        let sql = try database.sql
        let took = try await sql.raw(
            "UPDATE experience_dates SET taken = taken + 1 WHERE id = \(bind: r.date) AND taken < places RETURNING id"
        ).all()
        guard !took.isEmpty else {
            if try await date(r.date) == nil { throw RequestError.noSuchDate }
            throw RequestError.full
        }
        if let existing = try await request(date: r.date, person: r.person) {
            guard !existing.status.holdsPlace, existing.status != .didNotAttend else {
                throw RequestError.alreadyRequested
            }
            try await sql.update("experience_requests").set(
                "status", to: SQLBind(ExperienceRequest.Status.requested.rawValue)
            )
            .set("reason", to: SQLLiteral.null).set("objectives", to: SQLBind(r.objectives))
            .set("stage", to: SQLBind(r.stage.rawValue)).set("requested_at", to: SQLBind(r.requestedAt))
            .set("updated_at", to: SQLBind(r.requestedAt)).where("id", .equal, SQLBind(existing.id)).run()
            return existing.id
        }
        do {
            try await sql.insert(into: "experience_requests")
                .columns(
                    "id", "date_id", "person_id", "name", "objectives", "stage", "status", "reason", "requested_at",
                    "updated_at"
                )
                .values(
                    SQLBind(r.id), SQLBind(r.date), SQLBind(r.person.rawValue), SQLBind(r.name), SQLBind(r.objectives),
                    SQLBind(r.stage.rawValue), SQLBind(r.status.rawValue), bindOrNull(r.reason),
                    SQLBind(r.requestedAt), SQLBind(r.requestedAt)
                ).run()
        } catch  where LockWait.isUniqueViolation(error) {
            throw RequestError.alreadyRequested
        }
        return r.id
    }

    static func request(_ row: any SQLRow) throws -> ExperienceRequest {
        ExperienceRequest(
            id: try row.decode(column: "id", as: UUID.self), date: try row.decode(column: "date_id", as: UUID.self),
            person: PersonID(try row.decode(column: "person_id", as: UUID.self)),
            name: try row.decode(column: "name", as: String.self),
            objectives: try row.decode(column: "objectives", as: String.self),
            stage: DegreeStage(rawValue: try row.decode(column: "stage", as: String.self)) ?? .graduate,
            status: ExperienceRequest.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .requested,
            reason: try row.decode(column: "reason", as: String?.self),
            requestedAt: try row.decode(column: "requested_at", as: Date.self))
    }

    public func request(_ id: UUID) async throws -> ExperienceRequest? {
        try await database.sql.select().column("*").from("experience_requests").where("id", .equal, SQLBind(id))
            .first().map(Self.request)
    }

    public func request(date: UUID, person: PersonID) async throws -> ExperienceRequest? {
        try await database.sql.select().column("*").from("experience_requests").where("date_id", .equal, SQLBind(date))
            .where("person_id", .equal, SQLBind(person.rawValue)).first().map(Self.request)
    }

    public func requests(person: PersonID) async throws -> [ExperienceRequest] {
        try await database.sql.select().column("*").from("experience_requests")
            .where("person_id", .equal, SQLBind(person.rawValue)).orderBy("requested_at").all().map(Self.request)
    }

    public func requests(dates ids: [UUID]) async throws -> [ExperienceRequest] {
        guard !ids.isEmpty else { return [] }
        return try await database.sql.select().column("*").from("experience_requests")
            .where("date_id", .in, SQLBind.group(ids)).orderBy("requested_at").all().map(Self.request)
    }

    /// How many requests each person has made anywhere (to flag recurring candidates to a school).
    public func requestCounts(people: [PersonID]) async throws -> [PersonID: Int] {
        guard !people.isEmpty else { return [:] }
        var out: [PersonID: Int] = [:]
        for row in try await database.sql.select().column("person_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("experience_requests")
            .where("person_id", .in, SQLBind.group(people.map(\.rawValue))).groupBy("person_id").all()
        {
            out[PersonID(try row.decode(column: "person_id", as: UUID.self))] = try row.decode(
                column: "n", as: Int.self)
        }
        return out
    }

    /// Moves a request to a new status (only from the status it was read in); a place is given back when it no
    /// longer holds one. Run it in a transaction.
    public func setStatus(_ r: ExperienceRequest, to status: ExperienceRequest.Status, reason: String?, at now: Date)
        async throws
    {
        let sql = try database.sql
        try await sql.update("experience_requests").set("status", to: SQLBind(status.rawValue))
            .set("reason", to: bindOrNull(reason)).set("updated_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(r.id)).where("status", .equal, SQLBind(r.status.rawValue)).run()
        if r.status.holdsPlace && !status.holdsPlace && status != .didNotAttend {
            try await sql.raw("UPDATE experience_dates SET taken = taken - 1 WHERE id = \(bind: r.date) AND taken > 0")
                .run()
        }
    }

    // MARK: Unmet demand

    public func logUnmet(at point: GridPoint, withinKm: Double, subject: TeachingSubject?, phase: CPDPhase?, now: Date)
        async throws
    {
        try await database.sql.insert(into: "experience_unmet_searches")
            .columns("id", "searched_at", "easting", "northing", "within_km", "subject", "phase")
            .values(
                SQLBind(UUID()), SQLBind(now), SQLBind(point.easting), SQLBind(point.northing), SQLBind(withinKm),
                bindOrNull(subject?.rawValue), bindOrNull(phase?.rawValue)
            ).run()
    }

    public func unmetCount() async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("experience_unmet_searches").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

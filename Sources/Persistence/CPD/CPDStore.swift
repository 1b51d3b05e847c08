import Domain
import FluentKit
import Foundation
import SQLKit

struct CreateCPDCatalogue: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cpd_programmes")
            .id()
            .field("provider", .string, .required)
            .field("managed_by", .uuid, .references("organisations", "id", onDelete: .setNull))
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("kind", .string, .required)
            .field("phases", .string, .required)
            .field("subjects", .string, .required)
            .field("stages", .string, .required)
            .field("format", .string, .required)
            .field("venue_urn", .int)
            .field("cost_pounds", .int, .required)
            .field("funded_by", .string)
            .field("outcomes", .string, .required)
            .field("npq_course", .string)
            .field("generated", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("cpd_cohorts")
            .id()
            .field("programme_id", .uuid, .required, .references("cpd_programmes", "id", onDelete: .cascade))
            .field("sessions", .string, .required)
            .field("starts_on", .string, .required)
            .field("places", .int, .required)
            .field("taken", .int, .required)
            .create()
        try await database.schema("cpd_enrolments")
            .id()
            .field("cohort_id", .uuid, .required, .references("cpd_cohorts", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("urn", .int)
            .field("status", .string, .required)
            .field("reason", .string)
            .field("attended", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "cohort_id", "person_id")
            .create()
        try await database.sql.raw("CREATE INDEX cpd_enrolments_person ON cpd_enrolments (person_id)").run()
        try await database.sql.raw("CREATE INDEX cpd_cohorts_programme ON cpd_cohorts (programme_id)").run()
        try await database.sql.insert(into: "data_versions").columns("name", "version").values(
            SQLBind(DataVersions.cpd), SQLBind(0)
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.delete(from: "data_versions").where("name", .equal, SQLBind(DataVersions.cpd)).run()
        try await database.schema("cpd_enrolments").delete()
        try await database.schema("cpd_cohorts").delete()
        try await database.schema("cpd_programmes").delete()
    }
}

/// The CPD catalogue: programmes, their cohorts, and enrolments.
public struct CPDStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public enum EnrolError: Error, Sendable, Equatable {
        case full
        case alreadyEnrolled
        case noSuchCohort
    }

    static func join<T: RawRepresentable>(_ set: Set<T>) -> String where T.RawValue == String {
        set.map(\.rawValue).sorted().joined(separator: ";")
    }

    static func split<T: RawRepresentable>(_ text: String, as: T.Type) -> Set<T> where T.RawValue == String {
        Set(text.split(separator: ";").compactMap { T(rawValue: String($0)) })
    }

    // MARK: Programmes

    public func save(_ p: CPDProgramme, at now: Date) async throws {
        let sql = try database.sql
        let exists =
            try await sql.select().column("id").from("cpd_programmes").where("id", .equal, SQLBind(p.id))
            .first() != nil
        let values: [(String, any SQLExpression)] = [
            ("provider", SQLBind(p.provider)), ("managed_by", bindOrNull(p.managedBy)), ("title", SQLBind(p.title)),
            ("summary", SQLBind(p.summary)), ("kind", SQLBind(p.kind.rawValue)),
            ("phases", SQLBind(Self.join(p.phases))),
            ("subjects", SQLBind(Self.join(p.subjects))), ("stages", SQLBind(Self.join(p.stages))),
            ("format", SQLBind(p.format.rawValue)), ("venue_urn", bindOrNull(p.venueURN)),
            ("cost_pounds", SQLBind(p.costPounds)), ("funded_by", bindOrNull(p.fundedBy)),
            ("outcomes", SQLBind(p.outcomes)), ("npq_course", bindOrNull(p.npqCourse)),
            ("generated", SQLBind(p.generated)), ("updated_at", SQLBind(now)),
            ("ecf_areas", SQLBind(Self.join(p.ecfAreas))),
        ]
        if exists {
            let update = sql.update("cpd_programmes")
            for (k, v) in values { update.set(SQLIdentifier(k), to: v) }
            try await update.where("id", .equal, SQLBind(p.id)).run()
        } else {
            try await sql.insert(into: "cpd_programmes")
                .columns(["id", "created_at"] + values.map(\.0))
                .values([SQLBind(p.id), SQLBind(now)] + values.map(\.1)).run()
        }
        try await DataVersions(database).bump(DataVersions.cpd)
    }

    /// Programmes with many rows at once (the demo seed).
    public func insert(_ programmes: [CPDProgramme], cohorts: [CPDCohort], at now: Date) async throws {
        for p in programmes { try await save(p, at: now) }
        for c in cohorts { try await add(c) }
    }

    static func programme(_ row: any SQLRow) throws -> CPDProgramme {
        CPDProgramme(
            id: try row.decode(column: "id", as: UUID.self),
            provider: try row.decode(column: "provider", as: String.self),
            managedBy: try row.decode(column: "managed_by", as: UUID?.self),
            title: try row.decode(column: "title", as: String.self),
            summary: try row.decode(column: "summary", as: String.self),
            kind: CPDKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .subjectKnowledge,
            phases: split(try row.decode(column: "phases", as: String.self), as: CPDPhase.self),
            subjects: split(try row.decode(column: "subjects", as: String.self), as: TeachingSubject.self),
            stages: split(try row.decode(column: "stages", as: String.self), as: CareerStage.self),
            format: CPDFormat(rawValue: try row.decode(column: "format", as: String.self)) ?? .inPerson,
            venueURN: try row.decode(column: "venue_urn", as: Int?.self),
            costPounds: try row.decode(column: "cost_pounds", as: Int.self),
            fundedBy: try row.decode(column: "funded_by", as: String?.self),
            outcomes: try row.decode(column: "outcomes", as: String.self),
            npqCourse: try row.decode(column: "npq_course", as: String?.self),
            generated: try row.decode(column: "generated", as: Bool.self),
            ecfAreas: split(try row.decode(column: "ecf_areas", as: String.self), as: ECFArea.self))
    }

    public func programmes() async throws -> [CPDProgramme] {
        try await database.sql.select().column("*").from("cpd_programmes").orderBy("title").all().map(Self.programme)
    }

    public func programme(_ id: UUID) async throws -> CPDProgramme? {
        try await database.sql.select().column("*").from("cpd_programmes").where("id", .equal, SQLBind(id)).first()
            .map(Self.programme)
    }

    public func count() async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("cpd_programmes").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: Cohorts

    public func add(_ c: CPDCohort) async throws {
        try await database.sql.insert(into: "cpd_cohorts")
            .columns("id", "programme_id", "sessions", "starts_on", "places", "taken")
            .values(
                SQLBind(c.id), SQLBind(c.programme), SQLBind(c.sessions.map(\.text).joined(separator: "\n")),
                SQLBind(c.startsOn?.description ?? ""), SQLBind(c.places), SQLBind(c.taken)
            ).run()
        try await DataVersions(database).bump(DataVersions.cpd)
    }

    static func cohort(_ row: any SQLRow) throws -> CPDCohort {
        CPDCohort(
            id: try row.decode(column: "id", as: UUID.self),
            programme: try row.decode(column: "programme_id", as: UUID.self),
            sessions: try row.decode(column: "sessions", as: String.self).split(separator: "\n")
                .compactMap { CPDSession(String($0)) },
            places: try row.decode(column: "places", as: Int.self), taken: try row.decode(column: "taken", as: Int.self)
        )
    }

    /// Every cohort, by programme, earliest first.
    public func cohorts() async throws -> [UUID: [CPDCohort]] {
        var out: [UUID: [CPDCohort]] = [:]
        for row in try await database.sql.select().column("*").from("cpd_cohorts").orderBy("starts_on").all() {
            let c = try Self.cohort(row)
            out[c.programme, default: []].append(c)
        }
        return out
    }

    public func cohorts(of programme: UUID) async throws -> [CPDCohort] {
        try await database.sql.select().column("*").from("cpd_cohorts")
            .where("programme_id", .equal, SQLBind(programme)).orderBy("starts_on").all().map(Self.cohort)
    }

    public func cohort(_ id: UUID) async throws -> CPDCohort? {
        try await database.sql.select().column("*").from("cpd_cohorts").where("id", .equal, SQLBind(id)).first()
            .map(Self.cohort)
    }

    // MARK: Enrolments

    /// Takes one of the cohort's places and records the request, in one transaction: the place is taken by a
    /// single conditional UPDATE (`taken < places`), so two requests for the last place cannot both succeed on
    /// either database. Run it inside a transaction, first (SQLite then takes its write lock at once). A request
    /// the person withdrew or the provider declined is reopened (the same row, so its history stays one story);
    /// one that still holds a place is refused. Returns the enrolment's id.
    @discardableResult
    public func enrol(_ e: CPDEnrolment) async throws -> UUID {
        let sql = try database.sql
        let took = try await sql.raw(
            "UPDATE cpd_cohorts SET taken = taken + 1 WHERE id = \(bind: e.cohort) AND taken < places RETURNING id"
        ).all()
        guard !took.isEmpty else {
            if try await cohort(e.cohort) == nil { throw EnrolError.noSuchCohort }
            throw EnrolError.full
        }
        var id = e.id
        if let existing = try await enrolment(cohort: e.cohort, person: e.person) {
            guard !existing.status.holdsPlace else { throw EnrolError.alreadyEnrolled }
            id = existing.id
            try await sql.update("cpd_enrolments").set("status", to: SQLBind(CPDEnrolment.Status.requested.rawValue))
                .set("reason", to: SQLLiteral.null).set("attended", to: SQLBind("")).set("name", to: SQLBind(e.name))
                .set("urn", to: bindOrNull(e.urn)).set("requested_at", to: SQLBind(e.requestedAt))
                .set("updated_at", to: SQLBind(e.updatedAt))
                .where("id", .equal, SQLBind(existing.id)).where("status", .equal, SQLBind(existing.status.rawValue))
                .run()
        } else {
            do {
                try await sql.insert(into: "cpd_enrolments")
                    .columns(
                        "id", "cohort_id", "person_id", "name", "urn", "status", "reason", "attended", "requested_at",
                        "updated_at"
                    )
                    .values(
                        SQLBind(e.id), SQLBind(e.cohort), SQLBind(e.person.rawValue), SQLBind(e.name),
                        bindOrNull(e.urn), SQLBind(e.status.rawValue), bindOrNull(e.reason), SQLBind(""),
                        SQLBind(e.requestedAt), SQLBind(e.updatedAt)
                    ).run()
            } catch  where LockWait.isUniqueViolation(error) {
                // The same person's request committed first, between our check and our insert.
                throw EnrolError.alreadyEnrolled
            }
        }
        try await DataVersions(database).bump(DataVersions.cpd)
        return id
    }

    static func enrolment(_ row: any SQLRow) throws -> CPDEnrolment {
        CPDEnrolment(
            id: try row.decode(column: "id", as: UUID.self), cohort: try row.decode(column: "cohort_id", as: UUID.self),
            person: PersonID(try row.decode(column: "person_id", as: UUID.self)),
            name: try row.decode(column: "name", as: String.self), urn: try row.decode(column: "urn", as: Int?.self),
            status: CPDEnrolment.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .requested,
            reason: try row.decode(column: "reason", as: String?.self),
            attended: Set(
                try row.decode(column: "attended", as: String.self).split(separator: ";").compactMap { Int($0) }),
            requestedAt: try row.decode(column: "requested_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    public func enrolment(_ id: UUID) async throws -> CPDEnrolment? {
        try await database.sql.select().column("*").from("cpd_enrolments").where("id", .equal, SQLBind(id)).first()
            .map(Self.enrolment)
    }

    public func enrolment(cohort: UUID, person: PersonID) async throws -> CPDEnrolment? {
        try await database.sql.select().column("*").from("cpd_enrolments").where("cohort_id", .equal, SQLBind(cohort))
            .where("person_id", .equal, SQLBind(person.rawValue)).first().map(Self.enrolment)
    }

    public func enrolments(person: PersonID) async throws -> [CPDEnrolment] {
        try await database.sql.select().column("*").from("cpd_enrolments")
            .where("person_id", .equal, SQLBind(person.rawValue)).orderBy("requested_at").all().map(Self.enrolment)
    }

    public func enrolments(cohorts ids: [UUID]) async throws -> [CPDEnrolment] {
        guard !ids.isEmpty else { return [] }
        return try await database.sql.select().column("*").from("cpd_enrolments")
            .where("cohort_id", .in, SQLBind.group(ids)).orderBy("name").all().map(Self.enrolment)
    }

    public func allEnrolments() async throws -> [CPDEnrolment] {
        try await database.sql.select().column("*").from("cpd_enrolments").all().map(Self.enrolment)
    }

    /// Moves an enrolment to a new status; a place is given back when it no longer holds one. Run it in a
    /// transaction.
    public func setStatus(_ e: CPDEnrolment, to status: CPDEnrolment.Status, reason: String?, at now: Date)
        async throws
    {
        let sql = try database.sql
        try await sql.update("cpd_enrolments").set("status", to: SQLBind(status.rawValue))
            .set("reason", to: bindOrNull(reason)).set("updated_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(e.id)).where("status", .equal, SQLBind(e.status.rawValue)).run()
        if e.status.holdsPlace && !status.holdsPlace {
            try await sql.raw("UPDATE cpd_cohorts SET taken = taken - 1 WHERE id = \(bind: e.cohort) AND taken > 0")
                .run()
        }
        try await DataVersions(database).bump(DataVersions.cpd)
    }

    public func setAttendance(_ e: CPDEnrolment, attended: Set<Int>, at now: Date) async throws {
        try await database.sql.update("cpd_enrolments")
            .set("attended", to: SQLBind(attended.sorted().map(String.init).joined(separator: ";")))
            .set("updated_at", to: SQLBind(now)).where("id", .equal, SQLBind(e.id)).run()
    }
}

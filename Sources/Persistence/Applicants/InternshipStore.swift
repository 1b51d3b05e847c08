import Domain
import FluentKit
import Foundation
import SQLKit

struct CreateInternships: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("internship_offers")
            .id()
            .field("urn", .int, .required)
            .field("year", .int, .required)
            .field("subject", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("places", .int, .required)
            .field("details", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .create()
        try await database.schema("internship_applications")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("university", .string)
            .field("year", .int, .required)
            .field("choices", .string, .required)
            .field("statement", .string, .required)
            .field("status", .string, .required)
            .field("placed_offer", .uuid)
            .field("attended", .bool)
            .field("intention", .string)
            .field("submitted_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "person_id", "year")
            .create()
        try await database.schema("internship_rankings")
            .id()
            .field("offer_id", .uuid, .required, .references("internship_offers", "id", onDelete: .cascade))
            .field(
                "application_id", .uuid, .required, .references("internship_applications", "id", onDelete: .cascade)
            )
            .field("rank", .int, .required)
            .unique(on: "offer_id", "application_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("internship_rankings").delete()
        try await database.schema("internship_applications").delete()
        try await database.schema("internship_offers").delete()
    }
}

/// Internship offers, applications and schools' rankings, one recruitment year at a time.
public struct InternshipStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public func add(_ o: InternshipOffer, author: String, at now: Date) async throws {
        try await database.sql.insert(into: "internship_offers").columns(
            "id", "urn", "year", "subject", "starts_on", "ends_on", "places", "details", "created_at", "created_by"
        ).values(
            SQLBind(o.id), SQLBind(o.urn), SQLBind(o.year), SQLBind(o.subject.rawValue),
            SQLBind(o.startsOn.description), SQLBind(o.endsOn.description), SQLBind(o.places), SQLBind(o.details),
            SQLBind(now), SQLBind(author)
        ).run()
    }

    public func offers(year: Int, urns: Set<Int>? = nil) async throws -> [InternshipOffer] {
        var select = try database.sql.select().column("*").from("internship_offers")
            .where("year", .equal, SQLBind(year))
        if let urns {
            guard !urns.isEmpty else { return [] }
            select = select.where("urn", .in, SQLBind.group(Array(urns)))
        }
        return try await select.orderBy("starts_on").orderBy("urn").all().compactMap { row in
            guard let subject = TeachingSubject(rawValue: try row.decode(column: "subject", as: String.self)),
                let starts = Day(try row.decode(column: "starts_on", as: String.self)),
                let ends = Day(try row.decode(column: "ends_on", as: String.self))
            else { return nil }
            return InternshipOffer(
                id: try row.decode(column: "id", as: UUID.self), urn: try row.decode(column: "urn", as: Int.self),
                subject: subject, startsOn: starts, endsOn: ends,
                places: try row.decode(column: "places", as: Int.self),
                details: try row.decode(column: "details", as: String.self))
        }
    }

    /// Removes an offer no one has been placed on; its rankings go with it, and applicants' choices of it are
    /// dropped.
    public func remove(offer: UUID) async throws {
        try await database.sql.delete(from: "internship_offers").where("id", .equal, SQLBind(offer)).run()
    }

    static func application(_ row: any SQLRow) throws -> InternshipApplication? {
        guard let status = InternshipStatus(rawValue: try row.decode(column: "status", as: String.self)) else {
            return nil
        }
        return InternshipApplication(
            id: try row.decode(column: "id", as: UUID.self),
            person: PersonID(try row.decode(column: "person_id", as: UUID.self)),
            name: try row.decode(column: "name", as: String.self),
            university: try row.decode(column: "university", as: String?.self),
            year: try row.decode(column: "year", as: Int.self),
            choices: try row.decode(column: "choices", as: String.self).split(separator: ";")
                .compactMap { UUID(uuidString: String($0)) },
            statement: try row.decode(column: "statement", as: String.self), status: status,
            placedOffer: try row.decode(column: "placed_offer", as: UUID?.self),
            attended: try row.decode(column: "attended", as: Bool?.self),
            intention: try row.decode(column: "intention", as: String?.self).flatMap(TrainingIntention.init),
            submittedAt: try row.decode(column: "submitted_at", as: Date.self))
    }

    public func applications(year: Int) async throws -> [InternshipApplication] {
        try await database.sql.select().column("*").from("internship_applications")
            .where("year", .equal, SQLBind(year)).orderBy("submitted_at").all().compactMap(Self.application)
    }

    public func application(person: PersonID, year: Int) async throws -> InternshipApplication? {
        try await database.sql.select().column("*").from("internship_applications")
            .where("person_id", .equal, SQLBind(person.rawValue)).where("year", .equal, SQLBind(year)).first()
            .flatMap(Self.application)
    }

    public func application(_ id: UUID) async throws -> InternshipApplication? {
        try await database.sql.select().column("*").from("internship_applications")
            .where("id", .equal, SQLBind(id)).first().flatMap(Self.application)
    }

    /// Saves a new application, or the applicant's changed choices and statement.
    public func save(_ a: InternshipApplication, at now: Date) async throws {
        let sql = try database.sql
        let choices = a.choices.map(\.uuidString).joined(separator: ";")
        if try await application(a.id) != nil {
            try await sql.update("internship_applications").set("choices", to: SQLBind(choices))
                .set("statement", to: SQLBind(a.statement)).set("status", to: SQLBind(a.status.rawValue))
                .set("updated_at", to: SQLBind(now)).where("id", .equal, SQLBind(a.id)).run()
        } else {
            try await sql.insert(into: "internship_applications").columns(
                "id", "person_id", "name", "university", "year", "choices", "statement", "status", "submitted_at",
                "updated_at"
            ).values(
                SQLBind(a.id), SQLBind(a.person.rawValue), SQLBind(a.name), bindOrNull(a.university), SQLBind(a.year),
                SQLBind(choices), SQLBind(a.statement), SQLBind(a.status.rawValue), SQLBind(now), SQLBind(now)
            ).run()
        }
    }

    /// Each offer's ranking: application ids, most preferred first.
    public func rankings(offers: [UUID]) async throws -> [UUID: [UUID]] {
        guard !offers.isEmpty else { return [:] }
        var out: [UUID: [(Int, UUID)]] = [:]
        for row in try await database.sql.select().column("*").from("internship_rankings")
            .where("offer_id", .in, SQLBind.group(offers)).all()
        {
            out[try row.decode(column: "offer_id", as: UUID.self), default: []].append(
                (try row.decode(column: "rank", as: Int.self), try row.decode(column: "application_id", as: UUID.self)))
        }
        return out.mapValues { $0.sorted { $0.0 < $1.0 }.map(\.1) }
    }

    /// Replaces the offer's ranking. Run it in a transaction.
    public func setRanking(offer: UUID, _ ranked: [UUID]) async throws {
        let sql = try database.sql
        try await sql.delete(from: "internship_rankings").where("offer_id", .equal, SQLBind(offer)).run()
        for (i, application) in ranked.enumerated() {
            try await sql.insert(into: "internship_rankings").columns("id", "offer_id", "application_id", "rank")
                .values(SQLBind(UUID()), SQLBind(offer), SQLBind(application), SQLBind(i + 1)).run()
        }
    }

    /// Confirms a matching: the placed applications get their offer, the rest of those still in the running are
    /// not placed. Run it in a transaction.
    public func confirm(year: Int, placed: [UUID: UUID], at now: Date) async throws {
        let sql = try database.sql
        for a in try await applications(year: year) where a.status == .applied || a.status == .unplaced {
            if let offer = placed[a.id] {
                try await sql.update("internship_applications").set(
                    "status", to: SQLBind(InternshipStatus.placed.rawValue)
                )
                .set("placed_offer", to: SQLBind(offer)).set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(a.id)).run()
            } else {
                try await sql.update("internship_applications")
                    .set("status", to: SQLBind(InternshipStatus.unplaced.rawValue)).set("updated_at", to: SQLBind(now))
                    .where("id", .equal, SQLBind(a.id)).run()
            }
        }
    }

    public func setAttended(_ application: UUID, _ attended: Bool, at now: Date) async throws {
        try await database.sql.update("internship_applications").set("attended", to: SQLBind(attended))
            .set("updated_at", to: SQLBind(now)).where("id", .equal, SQLBind(application)).run()
    }

    public func setIntention(_ application: UUID, _ intention: TrainingIntention, at now: Date) async throws {
        try await database.sql.update("internship_applications").set("intention", to: SQLBind(intention.rawValue))
            .set("updated_at", to: SQLBind(now)).where("id", .equal, SQLBind(application)).run()
    }

    /// Every year's applications, for the report over years.
    public func allApplications() async throws -> [InternshipApplication] {
        try await database.sql.select().column("*").from("internship_applications").all().compactMap(Self.application)
    }
}

import Domain
import FluentKit
import Foundation
import SQLKit

/// Providers' trainees, per academic year.
public struct TraineeStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// Adds trainees; run it in a transaction so an upload is all or nothing.
    public func add(_ trainees: [Trainee], at now: Date) async throws {
        let sql = try database.sql
        for t in trainees {
            try await sql.insert(into: "trainees")
                .columns(
                    "id", "provider_id", "year", "name", "subject", "phase", "route", "placement",
                    "first_placement_urn", "home_postcode", "easting", "northing", "max_travel_km", "no_car",
                    "send_interest", "preferences", "created_at"
                )
                .values(
                    SQLBind(t.id), SQLBind(t.provider.rawValue), SQLBind(t.year.start), SQLBind(t.name),
                    SQLBind(t.subject.rawValue), SQLBind(t.phase.rawValue), SQLBind(t.route.rawValue),
                    SQLBind(t.placement), SQLBind(t.firstPlacementURN?.value), SQLBind(t.homePostcode.value),
                    SQLBind(t.home.easting), SQLBind(t.home.northing), SQLBind(t.maximumTravelKm), SQLBind(t.noCar),
                    SQLBind(t.sendInterest), SQLBind(t.preferences.map { String($0.value) }.joined(separator: ";")),
                    SQLBind(now)
                ).run()
        }
    }

    /// Which trainees to list: those training (the allocation's), those withdrawn, or both.
    public enum Status: Sendable { case training, withdrawn, all }

    /// A provider's trainees for the year (or every provider's), by name: by default those still training, as
    /// the allocation reads them.
    public func trainees(year: AcademicYear, provider: OrganisationID? = nil, status: Status = .training)
        async throws -> [Trainee]
    {
        let sql = try database.sql
        let query = sql.select().column("*").from("trainees").where("year", .equal, SQLBind(year.start))
        if let provider { query.where("provider_id", .equal, SQLBind(provider.rawValue)) }
        switch status {
        case .training: query.where("withdrawn_at", .is, SQLLiteral.null)
        case .withdrawn: query.where("withdrawn_at", .isNot, SQLLiteral.null)
        case .all: break
        }
        return try await query.orderBy("name").orderBy("id").all().map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            guard let subject = PlacementSubject(rawValue: try row.decode(column: "subject", as: Int.self)),
                let phase = PlacementPhase(rawValue: try row.decode(column: "phase", as: String.self)),
                let route = TrainingRoute(rawValue: try row.decode(column: "route", as: String.self)),
                let postcode = Postcode(try row.decode(column: "home_postcode", as: String.self))
            else { throw StoredDataError("trainee \(id) has an unknown subject, phase, route or postcode") }
            return Trainee(
                id: id, provider: OrganisationID(try row.decode(column: "provider_id", as: UUID.self)), year: year,
                name: try row.decode(column: "name", as: String.self), subject: subject, phase: phase, route: route,
                placement: try row.decode(column: "placement", as: Int.self),
                firstPlacementURN: try row.decode(column: "first_placement_urn", as: Int?.self).map(URN.init),
                homePostcode: postcode,
                home: GridPoint(
                    easting: try row.decode(column: "easting", as: Double.self),
                    northing: try row.decode(column: "northing", as: Double.self)),
                maximumTravelKm: try row.decode(column: "max_travel_km", as: Int.self),
                noCar: try row.decode(column: "no_car", as: Bool.self),
                sendInterest: try row.decode(column: "send_interest", as: Bool.self),
                preferences: try row.decode(column: "preferences", as: String.self).split(separator: ";")
                    .compactMap { URN(String($0)) })
        }
    }

    /// The provider of a trainee, whoever's it is.
    public func provider(of id: UUID) async throws -> OrganisationID? {
        guard
            let row = try await database.sql.select().column("provider_id").from("trainees")
                .where("id", .equal, SQLBind(id)).first()
        else { return nil }
        return OrganisationID(try row.decode(column: "provider_id", as: UUID.self))
    }

    /// One trainee of the provider, training or withdrawn, with when they were withdrawn.
    public func trainee(_ id: UUID, provider: OrganisationID) async throws -> (trainee: Trainee, withdrawnAt: Date?)? {
        let sql = try database.sql
        guard
            let row = try await sql.select().column("year").column("withdrawn_at").from("trainees")
                .where("id", .equal, SQLBind(id)).where("provider_id", .equal, SQLBind(provider.rawValue)).first(),
            let year = AcademicYear(start: try row.decode(column: "year", as: Int.self))
        else { return nil }
        let withdrawnAt = try row.decode(column: "withdrawn_at", as: Date?.self)
        guard
            let trainee = try await trainees(year: year, provider: provider, status: .all).first(where: { $0.id == id })
        else { return nil }
        return (trainee, withdrawnAt)
    }

    /// Saves corrected details (everything but the provider and year); false when there is no such trainee.
    public func update(_ t: Trainee, at now: Date) async throws -> Bool {
        let sql = try database.sql
        guard
            try await sql.select().column("id").from("trainees").where("id", .equal, SQLBind(t.id))
                .where("provider_id", .equal, SQLBind(t.provider.rawValue)).first() != nil
        else { return false }
        try await sql.update("trainees")
            .set("name", to: SQLBind(t.name)).set("subject", to: SQLBind(t.subject.rawValue))
            .set("phase", to: SQLBind(t.phase.rawValue)).set("route", to: SQLBind(t.route.rawValue))
            .set("placement", to: SQLBind(t.placement))
            .set("first_placement_urn", to: SQLBind(t.firstPlacementURN?.value))
            .set("home_postcode", to: SQLBind(t.homePostcode.value)).set("easting", to: SQLBind(t.home.easting))
            .set("northing", to: SQLBind(t.home.northing)).set("max_travel_km", to: SQLBind(t.maximumTravelKm))
            .set("no_car", to: SQLBind(t.noCar)).set("send_interest", to: SQLBind(t.sendInterest))
            .set("preferences", to: SQLBind(t.preferences.map { String($0.value) }.joined(separator: ";")))
            .set("updated_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(t.id)).run()
        return true
    }

    /// Withdraws (with a date) or reinstates (nil) a trainee. Stored runs keep them: they hold their own copy.
    public func setWithdrawn(_ id: UUID, provider: OrganisationID, at date: Date?) async throws {
        try await database.sql.update("trainees").set("withdrawn_at", to: SQLBind(date))
            .where("id", .equal, SQLBind(id)).where("provider_id", .equal, SQLBind(provider.rawValue)).run()
    }
}

import Domain
import FluentKit
import Foundation
import SQLKit

/// Schools' placement offers, one per school and academic year.
public struct OfferStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// Replaces the school's offer for the year with this one. Run it in a transaction (the caller audits it).
    public func save(_ offer: PlacementOffer, by person: PersonID?, at now: Date) async throws {
        let sql = try database.sql
        let existing = try await sql.select().column("id").from("placement_offers")
            .where("urn", .equal, SQLBind(offer.urn.value)).where("year", .equal, SQLBind(offer.year.start)).first()
        let id = try existing?.decode(column: "id", as: UUID.self) ?? UUID()
        let terms = Term.allCases.filter { offer.terms.contains($0) }.map(\.rawValue).joined(separator: ",")
        if existing != nil {
            try await sql.update("placement_offers")
                .set("appetite", to: SQLBind(offer.appetite.rawValue)).set("reason", to: SQLBind(offer.reason))
                .set("terms", to: SQLBind(terms)).set("send_places", to: SQLBind(offer.sendPlaces))
                .set("updated_at", to: SQLBind(now)).set("updated_by", to: SQLBind(person?.rawValue))
                .where("id", .equal, SQLBind(id)).run()
            try await sql.delete(from: "offer_places").where("offer_id", .equal, SQLBind(id)).run()
            try await sql.delete(from: "offer_mentors").where("offer_id", .equal, SQLBind(id)).run()
        } else {
            try await sql.insert(into: "placement_offers")
                .columns("id", "urn", "year", "appetite", "reason", "terms", "send_places", "updated_at", "updated_by")
                .values(
                    SQLBind(id), SQLBind(offer.urn.value), SQLBind(offer.year.start), SQLBind(offer.appetite.rawValue),
                    SQLBind(offer.reason), SQLBind(terms), SQLBind(offer.sendPlaces), SQLBind(now),
                    SQLBind(person?.rawValue)
                ).run()
        }
        for (subject, places) in offer.places.sorted(by: { $0.key < $1.key }) where places > 0 {
            try await sql.insert(into: "offer_places").columns("offer_id", "subject", "places")
                .values(SQLBind(id), SQLBind(subject.rawValue), SQLBind(places)).run()
        }
        for (i, mentor) in offer.mentors.enumerated() {
            try await sql.insert(into: "offer_mentors").columns(
                "id", "offer_id", "position", "name", "subject", "trained_on"
            )
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(i), SQLBind(mentor.name), SQLBind(mentor.subject.rawValue),
                SQLBind(mentor.trainedOn?.description)
            ).run()
        }
    }

    public func offer(urn: URN, year: AcademicYear) async throws -> PlacementOffer? {
        try await offers(year: year, urn: urn).first
    }

    /// Every offer for the year (or one school's), by URN.
    public func offers(year: AcademicYear, urn: URN? = nil) async throws -> [PlacementOffer] {
        let sql = try database.sql
        let query = sql.select().columns("id", "urn", "appetite", "reason", "terms", "send_places", "updated_at")
            .from("placement_offers").where("year", .equal, SQLBind(year.start))
        if let urn { query.where("urn", .equal, SQLBind(urn.value)) }
        let rows = try await query.orderBy("urn").all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        var places: [UUID: [PlacementSubject: Int]] = [:]
        for row in try await sql.select().columns("offer_id", "subject", "places").from("offer_places")
            .where("offer_id", .in, SQLBind.group(ids)).all()
        {
            guard let subject = PlacementSubject(rawValue: try row.decode(column: "subject", as: Int.self)) else {
                continue
            }
            places[try row.decode(column: "offer_id", as: UUID.self), default: [:]][subject] = try row.decode(
                column: "places", as: Int.self)
        }
        var mentors: [UUID: [(Int, OfferedMentor)]] = [:]
        for row in try await sql.select().columns("offer_id", "position", "name", "subject", "trained_on")
            .from("offer_mentors").where("offer_id", .in, SQLBind.group(ids)).all()
        {
            guard let subject = PlacementSubject(rawValue: try row.decode(column: "subject", as: Int.self)) else {
                continue
            }
            let trained = try row.decode(column: "trained_on", as: String?.self).flatMap(Day.init)
            mentors[try row.decode(column: "offer_id", as: UUID.self), default: []].append(
                (
                    try row.decode(column: "position", as: Int.self),
                    OfferedMentor(
                        name: try row.decode(column: "name", as: String.self), subject: subject, trainedOn: trained)
                ))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            guard let appetite = HostingAppetite(rawValue: try row.decode(column: "appetite", as: String.self)) else {
                throw StoredDataError("offer \(id) has an unknown appetite")
            }
            return PlacementOffer(
                urn: URN(try row.decode(column: "urn", as: Int.self)), year: year, appetite: appetite,
                reason: try row.decode(column: "reason", as: String.self),
                places: places[id] ?? [:],
                terms: Set(
                    try row.decode(column: "terms", as: String.self).split(separator: ",").compactMap {
                        Term(rawValue: String($0))
                    }),
                sendPlaces: try row.decode(column: "send_places", as: Int.self),
                mentors: (mentors[id] ?? []).sorted { $0.0 < $1.0 }.map(\.1),
                updatedAt: try row.decode(column: "updated_at", as: Date.self))
        }
    }
}

import Domain
import FluentKit
import Foundation
import SQLKit

struct CreateApplicationChoices: AsyncMigration {
    func prepare(on database: any Database) async throws {
        var schema = database.schema("application_choices")
            .id()
            .field("provider_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("cycle", .int, .required)
            .field("reference", .string, .required)
            .field("candidate", .string, .required)
            .field("email", .string)
            .field("subject", .string, .required)
            .field("route", .string, .required)
            .field("status", .string, .required)
            .field("withdrawal_reasons", .string, .required)
            .field("rejection_reasons", .string, .required)
            .field("sections_completed", .string)
            .field("imported_at", .datetime, .required)
        for state in ApplicationState.allCases {
            schema = schema.field(.definition(name: .key(.string(state.column)), dataType: .datetime, constraints: []))
        }
        try await schema.unique(on: "provider_id", "cycle", "reference").create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("application_choices").delete()
    }
}

/// Providers' application choices, one set per provider and recruitment cycle, replaced whole by each import.
public struct ApplicationStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public struct ReplaceResult: Sendable, Hashable {
        public var stored: Int
        public var removed: Int
    }

    /// Replaces the provider's choices for the cycle with the file's. Refused (nothing changed) when it would remove
    /// more than a small share of what is held, unless `replaceAll`. Run it in a transaction.
    public func replace(
        provider: OrganisationID, cycle: Int, with choices: [ApplicationChoice], file: String, replaceAll: Bool,
        at now: Date
    ) async throws -> ReplaceResult {
        let held = try await database.sql.select().column("reference").from("application_choices")
            .where("provider_id", .equal, SQLBind(provider.rawValue)).where("cycle", .equal, SQLBind(cycle))
            .all().map { try $0.decode(column: "reference", as: String.self) }
        let incoming = Set(choices.map(\.reference))
        let removed = held.filter { !incoming.contains($0) }.count
        try ReplacementRule(noun: "application choices of cycle \(cycle)").check(
            held: held.count, removed: removed, incoming: choices.count, file: file, allowed: replaceAll)
        try await database.sql.delete(from: "application_choices")
            .where("provider_id", .equal, SQLBind(provider.rawValue)).where("cycle", .equal, SQLBind(cycle)).run()
        let states = ApplicationState.allCases
        try await database.sql.insertBatched(
            into: "application_choices",
            columns: [
                "id", "provider_id", "cycle", "reference", "candidate", "email", "subject", "route", "status",
                "withdrawal_reasons", "rejection_reasons", "sections_completed", "imported_at",
            ] + states.map(\.column), count: choices.count
        ) { i in
            let c = choices[i]
            let sections = c.sectionsCompleted.map { done in
                ApplicationSection.allCases.filter { done.contains($0) }.map(\.rawValue).joined(separator: ";")
            }
            return [
                SQLBind(UUID()), SQLBind(provider.rawValue), SQLBind(c.cycle), SQLBind(c.reference),
                SQLBind(c.candidate), bindOrNull(c.email), SQLBind(c.subject.key), SQLBind(c.route.rawValue),
                SQLBind(c.status.rawValue), SQLBind(c.withdrawalReasons.joined(separator: ";")),
                SQLBind(c.rejectionReasons.joined(separator: ";")), bindOrNull(sections), SQLBind(now),
            ] + states.map { bindOrNull(c.entered[$0]) }
        }
        return ReplaceResult(stored: choices.count, removed: removed)
    }

    static func choice(_ row: any SQLRow) throws -> (OrganisationID, ApplicationChoice)? {
        guard let subject = PlacementSubject(key: try row.decode(column: "subject", as: String.self)),
            let route = TrainingRoute(rawValue: try row.decode(column: "route", as: String.self)),
            let status = ApplicationState(rawValue: try row.decode(column: "status", as: String.self))
        else { return nil }
        var entered: [ApplicationState: Date] = [:]
        for state in ApplicationState.allCases {
            if let at = try row.decode(column: state.column, as: Date?.self) { entered[state] = at }
        }
        func list(_ column: String) throws -> [String] {
            try row.decode(column: column, as: String.self).split(separator: ";").map(String.init)
        }
        let sections = try row.decode(column: "sections_completed", as: String?.self).map {
            Set($0.split(separator: ";").compactMap { ApplicationSection(rawValue: String($0)) })
        }
        return (
            OrganisationID(try row.decode(column: "provider_id", as: UUID.self)),
            ApplicationChoice(
                reference: try row.decode(column: "reference", as: String.self),
                candidate: try row.decode(column: "candidate", as: String.self),
                email: try row.decode(column: "email", as: String?.self),
                cycle: try row.decode(column: "cycle", as: Int.self), subject: subject, route: route, status: status,
                entered: entered, withdrawalReasons: try list("withdrawal_reasons"),
                rejectionReasons: try list("rejection_reasons"), sectionsCompleted: sections)
        )
    }

    /// The cycle's choices with their providers (one provider's when given).
    public func choices(cycle: Int, provider: OrganisationID? = nil) async throws -> [(
        provider: OrganisationID, choice: ApplicationChoice
    )] {
        let query = try database.sql.select().column("*").from("application_choices")
            .where("cycle", .equal, SQLBind(cycle))
        if let provider { query.where("provider_id", .equal, SQLBind(provider.rawValue)) }
        let rows = try await query.orderBy("reference").all()
        return try rows.compactMap { try Self.choice($0) }.map { (provider: $0.0, choice: $0.1) }
    }

    /// The cycles held, newest first.
    public func cycles() async throws -> [Int] {
        try await database.sql.select().distinct().column("cycle").from("application_choices").orderBy(
            "cycle", .descending
        )
        .all().map { try $0.decode(column: "cycle", as: Int.self) }
    }

    /// How many choices each provider holds for each cycle.
    public func counts() async throws -> [(provider: OrganisationID, cycle: Int, choices: Int)] {
        try await database.sql.raw(
            "SELECT provider_id, cycle, COUNT(*) AS n FROM application_choices GROUP BY provider_id, cycle ORDER BY cycle DESC"
        ).all().map {
            (
                OrganisationID(try $0.decode(column: "provider_id", as: UUID.self)),
                try $0.decode(column: "cycle", as: Int.self), try $0.decode(column: "n", as: Int.self)
            )
        }
    }

    /// The (lower-cased) emails of candidates who had a school-experience place (accepted or attended), an event
    /// place (registered or attended) or an adviser through Chalkface.
    public func supportedEmails() async throws -> Set<String> {
        let rows = try await database.sql.raw(
            """
            SELECT p.email AS email FROM people p WHERE p.erased_at IS NULL AND (
              EXISTS (SELECT 1 FROM experience_requests r WHERE r.person_id = p.id AND r.status IN ('accepted', 'attended'))
              OR EXISTS (SELECT 1 FROM event_registrations e WHERE e.person_id = p.id AND e.status IN ('registered', 'attended'))
              OR EXISTS (SELECT 1 FROM advice_cases a WHERE a.person_id = p.id AND a.state <> 'waiting'))
            """
        ).all()
        return Set(try rows.map { try $0.decode(column: "email", as: String.self).lowercased() })
    }
}

import Domain
import FluentKit
import Foundation
import SQLKit

/// Which of a provider's recruited application choices became which trainee: keyed by Apply's choice reference,
/// so a later import of the cycle (which replaces the choices) keeps the link.
struct CreateRecruitedTrainees: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("recruited_trainees")
            .id()
            .field("provider_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("cycle", .int, .required)
            .field("reference", .string, .required)
            .field("trainee_id", .uuid, .required, .references("trainees", "id", onDelete: .cascade))
            .field("added_at", .datetime, .required)
            .field("added_by", .string, .required)
            .unique(on: "provider_id", "cycle", "reference")
            .unique(on: "trainee_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("recruited_trainees").delete()
    }
}

public struct RecruitStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// The trainee each of the provider's choices of the cycle became, by choice reference.
    public func trainees(provider: OrganisationID, cycle: Int) async throws -> [String: UUID] {
        let rows = try await database.sql.select().columns("reference", "trainee_id").from("recruited_trainees")
            .where("provider_id", .equal, SQLBind(provider.rawValue)).where("cycle", .equal, SQLBind(cycle)).all()
        return Dictionary(
            try rows.map {
                (
                    try $0.decode(column: "reference", as: String.self),
                    try $0.decode(column: "trainee_id", as: UUID.self)
                )
            }, uniquingKeysWith: { a, _ in a })
    }

    /// Records that the choice became the trainee. A second record of the same choice fails on the unique index
    /// (two providers' staff adding one candidate at the same moment): run it in the trainee's transaction.
    public func record(
        provider: OrganisationID, cycle: Int, reference: String, trainee: UUID, by author: String, at now: Date
    ) async throws {
        try await database.sql.insert(into: "recruited_trainees")
            .columns("id", "provider_id", "cycle", "reference", "trainee_id", "added_at", "added_by")
            .values(
                SQLBind(UUID()), SQLBind(provider.rawValue), SQLBind(cycle), SQLBind(reference), SQLBind(trainee),
                SQLBind(now), SQLBind(author)
            ).run()
    }
}

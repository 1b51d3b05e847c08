import FluentKit
import SQLKit

/// A counter per kind of data, bumped in the same transaction as every change to it, so that a process holding
/// a copy (the server's response cache) can tell, cheaply and on both databases, that its copy is out of date,
/// whichever process made the change.
public struct DataVersions: Sendable {
    public static let schools = "schools"
    /// Organisations, their schools and partnership membership.
    public static let organisations = "organisations"
    /// Imported cold-spot indicators.
    public static let indicators = "indicators"
    /// The teacher register: teachers and their periods.
    public static let teachers = "teachers"
    /// The CPD catalogue and its enrolments (the take-up indicator, the public catalogue).
    public static let cpd = "cpd"
    /// The Research School's resources and teachers' research engagement.
    public static let evidence = "evidence"

    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public func current(_ name: String) async throws -> Int {
        try await database.sql.select().column("version").from("data_versions").where("name", .equal, name)
            .first(decodingColumn: "version", as: Int.self) ?? 0
    }

    /// The sum of every counter: it changes whenever any data that public pages show changes.
    public func total() async throws -> Int {
        // Summed here rather than with SQL's SUM, whose type differs between the databases (PostgreSQL gives
        // numeric for a bigint column).
        try await database.sql.select().column("version").from("data_versions")
            .all(decodingColumn: "version", as: Int.self).reduce(0, +)
    }

    /// Call inside the transaction that changes the data.
    public func bump(_ name: String) async throws {
        try await database.sql.update("data_versions")
            .set(SQLIdentifier("version"), to: SQLRaw("version + 1"))
            .where("name", .equal, name).run()
    }
}

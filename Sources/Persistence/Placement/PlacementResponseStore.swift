import Domain
import FluentKit
import Foundation
import SQLKit

/// A school's answer to a trainee allocated to it in a published run: confirmed, or a problem in words.
public struct PlacementResponse: Hashable, Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case confirmed
        case problem
    }

    public var runID: UUID
    public var trainee: UUID
    public var urn: URN
    public var status: Status
    public var note: String
    public var at: Date

    public init(runID: UUID, trainee: UUID, urn: URN, status: Status, note: String, at: Date) {
        self.runID = runID
        self.trainee = trainee
        self.urn = urn
        self.status = status
        self.note = note
        self.at = at
    }

    /// The longest note a school can write.
    public static let maximumNote = 1_000
}

public struct PlacementResponseStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// Records the school's answer, replacing an earlier one for the same run, trainee and school.
    public func respond(_ r: PlacementResponse, year: AcademicYear, by person: PersonID?) async throws {
        let sql = try database.sql
        try await sql.delete(from: "placement_responses").where("run_id", .equal, SQLBind(r.runID))
            .where("trainee_id", .equal, SQLBind(r.trainee)).where("urn", .equal, SQLBind(r.urn.value)).run()
        try await sql.insert(into: "placement_responses")
            .columns("id", "year", "run_id", "trainee_id", "urn", "status", "note", "by", "at")
            .values(
                SQLBind(UUID()), SQLBind(year.start), SQLBind(r.runID), SQLBind(r.trainee), SQLBind(r.urn.value),
                SQLBind(r.status.rawValue), SQLBind(r.note), SQLBind(person?.rawValue), SQLBind(r.at)
            ).run()
    }

    /// The answers given for a run (of one school, or all), by trainee.
    public func responses(run: UUID, urn: URN? = nil) async throws -> [UUID: PlacementResponse] {
        let sql = try database.sql
        let query = sql.select().column("*").from("placement_responses").where("run_id", .equal, SQLBind(run))
        if let urn { query.where("urn", .equal, SQLBind(urn.value)) }
        var result: [UUID: PlacementResponse] = [:]
        for row in try await query.all() {
            guard let status = PlacementResponse.Status(rawValue: try row.decode(column: "status", as: String.self))
            else { continue }
            let trainee = try row.decode(column: "trainee_id", as: UUID.self)
            result[trainee] = PlacementResponse(
                runID: run, trainee: trainee, urn: URN(try row.decode(column: "urn", as: Int.self)), status: status,
                note: try row.decode(column: "note", as: String.self), at: try row.decode(column: "at", as: Date.self))
        }
        return result
    }
}

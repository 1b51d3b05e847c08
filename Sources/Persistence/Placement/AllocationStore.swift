import Domain
import FluentKit
import Foundation
import SQLKit

/// A stored allocation run: its inputs (offers, schools, trainees) and its plan.
public struct AllocationRun: Sendable, Codable {
    public struct Inputs: Sendable, Codable {
        public var offers: [PlacementOffer]
        public var hosts: [AllocationPlan.Host]
        public var trainees: [Trainee]
        public init(offers: [PlacementOffer], hosts: [AllocationPlan.Host], trainees: [Trainee]) {
            self.offers = offers
            self.hosts = hosts
            self.trainees = trainees
        }
    }

    public var id: UUID
    public var year: AcademicYear
    public var createdAt: Date
    public var createdBy: PersonID?
    public var publishedAt: Date?
    public var inputs: Inputs
    public var plan: AllocationPlan

    public init(
        id: UUID, year: AcademicYear, createdAt: Date, createdBy: PersonID?, publishedAt: Date?, inputs: Inputs,
        plan: AllocationPlan
    ) {
        self.id = id
        self.year = year
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.publishedAt = publishedAt
        self.inputs = inputs
        self.plan = plan
    }

    /// Runs the allocation again on the stored inputs: the same plan, every time.
    public func reproduce() -> AllocationPlan {
        AllocationPlan.run(
            year: year, offers: inputs.offers,
            hosts: Dictionary(uniqueKeysWithValues: inputs.hosts.map { ($0.urn, $0) }),
            trainees: inputs.trainees)
    }
}

public struct AllocationStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    public func save(_ run: AllocationRun) async throws {
        try await database.sql.insert(into: "allocation_runs")
            .columns("id", "year", "created_at", "created_by", "published_at", "inputs", "plan")
            .values(
                SQLBind(run.id), SQLBind(run.year.start), SQLBind(run.createdAt), SQLBind(run.createdBy?.rawValue),
                SQLBind(run.publishedAt),
                SQLBind(String(decoding: try Self.encoder.encode(run.inputs), as: UTF8.self)),
                SQLBind(String(decoding: try Self.encoder.encode(run.plan), as: UTF8.self))
            ).run()
    }

    public func publish(_ id: UUID, at now: Date) async throws {
        try await database.sql.update("allocation_runs").set("published_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(id)).run()
    }

    /// The year's latest published run, which providers and schools see.
    public func published(year: AcademicYear) async throws -> AllocationRun? {
        try await runs(year: year).filter { $0.publishedAt != nil }.max { $0.publishedAt! < $1.publishedAt! }
    }

    /// The year's runs, newest first.
    public func runs(year: AcademicYear) async throws -> [AllocationRun] {
        try await database.sql.select().column("*").from("allocation_runs")
            .where("year", .equal, SQLBind(year.start)).orderBy("created_at", .descending).all().map { row in
                AllocationRun(
                    id: try row.decode(column: "id", as: UUID.self), year: year,
                    createdAt: try row.decode(column: "created_at", as: Date.self),
                    createdBy: try row.decode(column: "created_by", as: UUID?.self).map(PersonID.init),
                    publishedAt: try row.decode(column: "published_at", as: Date?.self),
                    inputs: try Self.decoder.decode(
                        AllocationRun.Inputs.self, from: Data(try row.decode(column: "inputs", as: String.self).utf8)),
                    plan: try Self.decoder.decode(
                        AllocationPlan.self, from: Data(try row.decode(column: "plan", as: String.self).utf8)))
            }
    }
}

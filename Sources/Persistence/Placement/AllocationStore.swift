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
        public var constraints: AllocationPlan.Constraints
        public init(
            offers: [PlacementOffer], hosts: [AllocationPlan.Host], trainees: [Trainee],
            constraints: AllocationPlan.Constraints = .init()
        ) {
            self.offers = offers
            self.hosts = hosts
            self.trainees = trainees
            self.constraints = constraints
        }

        enum CodingKeys: String, CodingKey { case offers, hosts, trainees, constraints }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            offers = try c.decode([PlacementOffer].self, forKey: .offers)
            hosts = try c.decode([AllocationPlan.Host].self, forKey: .hosts)
            trainees = try c.decode([Trainee].self, forKey: .trainees)
            // Runs stored before pins existed have none.
            constraints = try c.decodeIfPresent(AllocationPlan.Constraints.self, forKey: .constraints) ?? .init()
        }
    }

    public var id: UUID
    public var year: AcademicYear
    public var createdAt: Date
    public var createdBy: PersonID?
    public var publishedAt: Date?
    public var inputs: Inputs
    public var plan: AllocationPlan
    /// Its number within the year (1, 2, 3...), once stored.
    public var number: Int?
    /// Who published it, when it is published.
    public var publishedBy: PersonID?

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
            trainees: inputs.trainees, constraints: inputs.constraints)
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

    /// Saves a run as the year's next: run it in a transaction.
    public func save(_ run: AllocationRun) async throws {
        let sql = try database.sql
        let last = try await sql.select().column(SQLFunction("MAX", args: SQLColumn("number")), as: "n")
            .from("allocation_runs").where("year", .equal, SQLBind(run.year.start)).first()
        let number = (try last?.decode(column: "n", as: Int?.self) ?? nil ?? 0) + 1
        try await sql.insert(into: "allocation_runs")
            .columns("id", "year", "number", "created_at", "created_by", "published_at", "inputs", "plan")
            .values(
                SQLBind(run.id), SQLBind(run.year.start), SQLBind(number), SQLBind(run.createdAt),
                SQLBind(run.createdBy?.rawValue), SQLBind(run.publishedAt),
                SQLBind(String(decoding: try Self.encoder.encode(run.inputs), as: UTF8.self)),
                SQLBind(String(decoding: try Self.encoder.encode(run.plan), as: UTF8.self))
            ).run()
    }

    /// Publishes the run in place of any other of its year: providers and schools then see this one. Run it in a
    /// transaction.
    public func publish(_ id: UUID, year: AcademicYear, at now: Date, by person: PersonID?) async throws {
        try await withdraw(year: year)
        try await database.sql.update("allocation_runs").set("published_at", to: SQLBind(now))
            .set("published_by", to: SQLBind(person?.rawValue))
            .where("id", .equal, SQLBind(id)).run()
    }

    /// Withdraws the year's publication: providers and schools see no allocation until another is published.
    public func withdraw(year: AcademicYear) async throws {
        try await database.sql.update("allocation_runs").set("published_at", to: SQLLiteral.null)
            .set("published_by", to: SQLLiteral.null)
            .where("year", .equal, SQLBind(year.start)).run()
    }

    /// The coordinator's pins and forbidden pairs for the year.
    public func constraints(year: AcademicYear) async throws -> [(id: UUID, trainee: UUID, urn: URN, pinned: Bool)] {
        try await database.sql.select().columns("id", "trainee_id", "urn", "kind").from("allocation_constraints")
            .where("year", .equal, SQLBind(year.start)).orderBy("created_at").all().map { row in
                (
                    try row.decode(column: "id", as: UUID.self), try row.decode(column: "trainee_id", as: UUID.self),
                    URN(try row.decode(column: "urn", as: Int.self)),
                    try row.decode(column: "kind", as: String.self) == "pin"
                )
            }
    }

    /// Pins a trainee to a school (replacing any other pin of theirs) or forbids the pair.
    public func constrain(trainee: UUID, urn: URN, pin: Bool, year: AcademicYear, by person: PersonID?, at now: Date)
        async throws
    {
        let sql = try database.sql
        try await sql.delete(from: "allocation_constraints").where("year", .equal, SQLBind(year.start))
            .where("trainee_id", .equal, SQLBind(trainee)).where("urn", .equal, SQLBind(urn.value)).run()
        if pin {
            try await sql.delete(from: "allocation_constraints").where("year", .equal, SQLBind(year.start))
                .where("trainee_id", .equal, SQLBind(trainee)).where("kind", .equal, SQLBind("pin")).run()
        }
        try await sql.insert(into: "allocation_constraints")
            .columns("id", "year", "trainee_id", "urn", "kind", "created_at", "created_by")
            .values(
                SQLBind(UUID()), SQLBind(year.start), SQLBind(trainee), SQLBind(urn.value),
                SQLBind(pin ? "pin" : "forbid"),
                SQLBind(now), SQLBind(person?.rawValue)
            ).run()
    }

    public func removeConstraint(_ id: UUID, year: AcademicYear) async throws -> Bool {
        let sql = try database.sql
        let found = try await sql.select().column("id").from("allocation_constraints").where("id", .equal, SQLBind(id))
            .where("year", .equal, SQLBind(year.start)).first()
        guard found != nil else { return false }
        try await sql.delete(from: "allocation_constraints").where("id", .equal, SQLBind(id)).run()
        return true
    }

    /// The year's latest published run, which providers and schools see.
    public func published(year: AcademicYear) async throws -> AllocationRun? {
        try await select(year).where("published_at", .isNot, SQLLiteral.null).orderBy("number", .descending).limit(1)
            .all().map { try decode($0, year) }.first
    }

    /// The year's newest run.
    public func latest(year: AcademicYear) async throws -> AllocationRun? {
        try await select(year).orderBy("number", .descending).limit(1).all().map { try decode($0, year) }.first
    }

    /// One of the year's runs by id.
    public func run(_ id: UUID, year: AcademicYear) async throws -> AllocationRun? {
        try await select(year).where("id", .equal, SQLBind(id)).all().map { try decode($0, year) }.first
    }

    /// How many runs the year has had.
    public func count(year: AcademicYear) async throws -> Int {
        let row = try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("allocation_runs").where("year", .equal, SQLBind(year.start)).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The year's runs, newest first (each with its inputs and plan: for history, not for the latest alone).
    public func runs(year: AcademicYear) async throws -> [AllocationRun] {
        try await select(year).orderBy("number", .descending).all().map { try decode($0, year) }
    }

    func select(_ year: AcademicYear) throws -> SQLSelectBuilder {
        try database.sql.select().column("*").from("allocation_runs").where("year", .equal, SQLBind(year.start))
    }

    func decode(_ row: any SQLRow, _ year: AcademicYear) throws -> AllocationRun {
        var run = AllocationRun(
            id: try row.decode(column: "id", as: UUID.self), year: year,
            createdAt: try row.decode(column: "created_at", as: Date.self),
            createdBy: try row.decode(column: "created_by", as: UUID?.self).map(PersonID.init),
            publishedAt: try row.decode(column: "published_at", as: Date?.self),
            inputs: try Self.decoder.decode(
                AllocationRun.Inputs.self, from: Data(try row.decode(column: "inputs", as: String.self).utf8)),
            plan: try Self.decoder.decode(
                AllocationPlan.self, from: Data(try row.decode(column: "plan", as: String.self).utf8)))
        run.number = try row.decode(column: "number", as: Int?.self)
        run.publishedBy = try row.decode(column: "published_by", as: UUID?.self).map(PersonID.init)
        return run
    }
}

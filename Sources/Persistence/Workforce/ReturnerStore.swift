import Domain
import FluentKit
import Foundation
import SQLKit

struct CreateReturners: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("returners")
            .id()
            .field("teacher_id", .uuid)
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("subject", .string, .required)
            .field("district", .string)
            .create()
        try await database.schema("returner_steps")
            .id()
            .field("returner_id", .uuid, .required, .references("returners", "id", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("stage", .string, .required)
            .field("on_day", .string, .required)
            .field("note", .string, .required)
            .field("author", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("returner_steps").delete()
        try await database.schema("returners").delete()
    }
}

/// Former teachers on their way back to maths and science teaching: each with their steps, which are only ever
/// added to.
public struct ReturnerStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// Adds a returner with their first steps, in one transaction.
    public func add(_ r: Returner) async throws {
        try await add([r])
    }

    /// Adds returners with their first steps, all in one transaction.
    public func add(_ returners: [Returner]) async throws {
        try await database.transaction { tx in
            for r in returners { try await Self.insert(r, on: tx) }
        }
    }

    static func insert(_ r: Returner, on tx: any Database) async throws {
        try await tx.sql.insert(into: "returners").columns(
            "id", "teacher_id", "name", "email", "subject", "district"
        ).values(
            SQLBind(r.id), bindOrNull(r.teacher), SQLBind(r.name), SQLBind(r.email), SQLBind(r.subject.rawValue),
            bindOrNull(r.district)
        ).run()
        for (i, step) in r.steps.enumerated() {
            try await Self.insert(step, returner: r.id, seq: i, on: tx)
        }
    }

    static func insert(_ s: Returner.Step, returner: UUID, seq: Int, on db: any Database) async throws {
        try await db.sql.insert(into: "returner_steps").columns(
            "id", "returner_id", "seq", "stage", "on_day", "note", "author"
        ).values(
            SQLBind(UUID()), SQLBind(returner), SQLBind(seq), SQLBind(s.stage.rawValue), SQLBind(s.on.description),
            SQLBind(s.note), SQLBind(s.author)
        ).run()
    }

    /// Records the next step (after those already recorded).
    public func addStep(_ s: Returner.Step, returner: UUID) async throws {
        try await database.transaction { tx in
            let held =
                try await tx.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("returner_steps").where("returner_id", .equal, SQLBind(returner)).first()?
                .decode(column: "n", as: Int.self) ?? 0
            try await Self.insert(s, returner: returner, seq: held, on: tx)
        }
    }

    /// Every returner with their steps, by name.
    public func all() async throws -> [Returner] {
        try await load(nil)
    }

    public func returner(_ id: UUID) async throws -> Returner? {
        try await load(id).first
    }

    /// The register records already in the pipeline.
    public func teachers() async throws -> Set<UUID> {
        Set(
            try await database.sql.select().column("teacher_id").from("returners")
                .where("teacher_id", .isNot, SQLLiteral.null).all(decodingColumn: "teacher_id", as: UUID.self))
    }

    func load(_ id: UUID?) async throws -> [Returner] {
        var select = try database.sql.select().column("*").from("returners")
        var steps = try database.sql.select().column("*").from("returner_steps")
        if let id {
            select = select.where("id", .equal, SQLBind(id))
            steps = steps.where("returner_id", .equal, SQLBind(id))
        }
        var byReturner: [UUID: [(Int, Returner.Step)]] = [:]
        for row in try await steps.all() {
            guard let stage = Returner.Stage(rawValue: try row.decode(column: "stage", as: String.self)),
                let day = Day(try row.decode(column: "on_day", as: String.self))
            else { continue }
            byReturner[try row.decode(column: "returner_id", as: UUID.self), default: []].append(
                (
                    try row.decode(column: "seq", as: Int.self),
                    Returner.Step(
                        stage: stage, on: day, note: try row.decode(column: "note", as: String.self),
                        author: try row.decode(column: "author", as: String.self))
                ))
        }
        var out: [Returner] = []
        for row in try await select.all() {
            guard let subject = TeachingSubject(rawValue: try row.decode(column: "subject", as: String.self)) else {
                continue
            }
            let id = try row.decode(column: "id", as: UUID.self)
            out.append(
                Returner(
                    id: id, teacher: try row.decode(column: "teacher_id", as: UUID?.self),
                    name: try row.decode(column: "name", as: String.self),
                    email: try row.decode(column: "email", as: String.self), subject: subject,
                    district: try row.decode(column: "district", as: String?.self),
                    steps: (byReturner[id] ?? []).sorted { $0.0 < $1.0 }.map(\.1)))
        }
        return out.sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
    }
}

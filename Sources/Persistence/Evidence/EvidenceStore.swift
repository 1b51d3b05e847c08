import Domain
import FluentKit
import Foundation
import SQLKit

struct CreateEvidence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("evidence_resources")
            .id()
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("kind", .string, .required)
            .field("strands", .string, .required)
            .field("phases", .string, .required)
            .field("url", .string)
            .field("published_on", .string, .required)
            .field("generated", .bool, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("research_engagements")
            .id()
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("urn", .int)
            .field("kind", .string, .required)
            .field("strand", .string)
            .field("title", .string)
            .field("reflection", .string)
            .field("happened_on", .string, .required)
            .field("recorded_at", .datetime, .required)
            .field("generated", .bool, .required)
            .create()
        try await database.sql.raw("CREATE INDEX research_engagements_teacher ON research_engagements (teacher_id)")
            .run()
        try await database.sql.insert(into: "data_versions").columns("name", "version").values(
            SQLBind(DataVersions.evidence), SQLBind(0)
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.delete(from: "data_versions").where("name", .equal, SQLBind(DataVersions.evidence))
            .run()
        try await database.schema("research_engagements").delete()
        try await database.schema("evidence_resources").delete()
    }
}

/// The Research School's resources and teachers' research engagement.
public struct EvidenceStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    // MARK: Resources

    public func add(_ r: EvidenceResource, by author: String, at now: Date) async throws {
        try await add([r], by: author, at: now)
    }

    public func add(_ rs: [EvidenceResource], by author: String, at now: Date) async throws {
        try await database.sql.insertBatched(
            into: "evidence_resources",
            columns: [
                "id", "title", "summary", "kind", "strands", "phases", "url", "published_on", "generated", "created_by",
                "created_at",
            ], count: rs.count
        ) { i in
            let r = rs[i]
            return [
                SQLBind(r.id), SQLBind(r.title), SQLBind(r.summary), SQLBind(r.kind.rawValue),
                SQLBind(r.strands.sorted().joined(separator: ";")), SQLBind(CPDStore.join(r.phases)), bindOrNull(r.url),
                SQLBind(r.publishedOn.description), SQLBind(r.generated), SQLBind(author), SQLBind(now),
            ]
        }
        try await DataVersions(database).bump(DataVersions.evidence)
    }

    static func resource(_ row: any SQLRow) throws -> EvidenceResource {
        EvidenceResource(
            id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
            summary: try row.decode(column: "summary", as: String.self),
            kind: EvidenceKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .guidance,
            strands: Set(try row.decode(column: "strands", as: String.self).split(separator: ";").map(String.init)),
            phases: CPDStore.split(try row.decode(column: "phases", as: String.self), as: CPDPhase.self),
            url: try row.decode(column: "url", as: String?.self),
            publishedOn: Day(try row.decode(column: "published_on", as: String.self)) ?? Day(
                year: 2000, month: 1, day: 1)!,
            generated: try row.decode(column: "generated", as: Bool.self))
    }

    /// Newest first.
    public func resources() async throws -> [EvidenceResource] {
        try await database.sql.select().column("*").from("evidence_resources")
            .orderBy("published_on", .descending).orderBy("title").all().map(Self.resource)
    }

    public func resource(_ id: UUID) async throws -> EvidenceResource? {
        try await database.sql.select().column("*").from("evidence_resources").where("id", .equal, SQLBind(id))
            .first().map(Self.resource)
    }

    public func resourceCount() async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("evidence_resources").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: Engagement

    /// Records engagements (and, for those recorded by a person, an event on the teacher's timeline). Run it in
    /// a transaction.
    public func record(_ es: [ResearchEngagement]) async throws {
        try await database.sql.insertBatched(
            into: "research_engagements",
            columns: [
                "id", "teacher_id", "urn", "kind", "strand", "title", "reflection", "happened_on", "recorded_at",
                "generated",
            ], count: es.count
        ) { i in
            let e = es[i]
            return [
                SQLBind(e.id), SQLBind(e.teacher), bindOrNull(e.urn), SQLBind(e.kind.rawValue), bindOrNull(e.strand),
                bindOrNull(e.title), bindOrNull(e.reflection), SQLBind(e.on.description), SQLBind(e.recordedAt),
                SQLBind(e.generated),
            ]
        }
        try await DataVersions(database).bump(DataVersions.evidence)
    }

    static func engagement(_ row: any SQLRow) throws -> ResearchEngagement {
        ResearchEngagement(
            id: try row.decode(column: "id", as: UUID.self),
            teacher: try row.decode(column: "teacher_id", as: UUID.self),
            urn: try row.decode(column: "urn", as: Int?.self),
            kind: ResearchEngagement.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .event,
            strand: try row.decode(column: "strand", as: String?.self),
            title: try row.decode(column: "title", as: String?.self),
            reflection: try row.decode(column: "reflection", as: String?.self),
            on: Day(try row.decode(column: "happened_on", as: String.self)) ?? Day(year: 2000, month: 1, day: 1)!,
            recordedAt: try row.decode(column: "recorded_at", as: Date.self),
            generated: try row.decode(column: "generated", as: Bool.self))
    }

    /// One teacher's engagement, newest first.
    public func engagements(teacher: UUID) async throws -> [ResearchEngagement] {
        try await database.sql.select().column("*").from("research_engagements")
            .where("teacher_id", .equal, SQLBind(teacher)).orderBy("happened_on", .descending)
            .orderBy("recorded_at", .descending).all().map(Self.engagement)
    }

    /// Who engaged where and when: what the share needs and nothing more (no reflections).
    public func engagementPoints() async throws -> [(teacher: UUID, urn: Int?, on: Day)] {
        try await database.sql.select().column("teacher_id").column("urn").column("happened_on")
            .from("research_engagements").all().compactMap { row in
                guard let day = Day(try row.decode(column: "happened_on", as: String.self)) else { return nil }
                return (
                    try row.decode(column: "teacher_id", as: UUID.self), try row.decode(column: "urn", as: Int?.self),
                    day
                )
            }
    }

    /// Engagements of each strand, for the strand list (how often teachers report using each).
    public func strandUse() async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await database.sql.select().column("strand")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("research_engagements")
            .where("kind", .equal, SQLBind(ResearchEngagement.Kind.strand.rawValue)).groupBy("strand").all()
        {
            if let s = try row.decode(column: "strand", as: String?.self) {
                out[s] = try row.decode(column: "n", as: Int.self)
            }
        }
        return out
    }

    public func engagementCount() async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("research_engagements").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

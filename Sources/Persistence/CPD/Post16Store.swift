import Domain
import FluentKit
import Foundation
import SQLKit

struct CreatePost16Reviews: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("post16_reviews")
            .id()
            .field("urn", .int, .required)
            .field("academic_year", .int, .required)
            .field("teaches_16_to_19", .bool, .required)
            .field("subjects", .string, .required)
            .field("current_offer", .string, .required)
            .field("generated", .bool, .required)
            .field("submitted_by", .string, .required)
            .field("submitted_at", .datetime, .required)
            .unique(on: "urn", "academic_year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("post16_reviews").delete()
    }
}

/// Post-16 institutions' reviews: one per institution and academic year, replaced when the institution submits it
/// again (the audit log keeps who submitted each version).
public struct Post16Store: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    static func encode(_ subjects: [Post16Subject: Post16Review.SubjectReview]) throws -> String {
        let keyed = Dictionary(uniqueKeysWithValues: subjects.map { ($0.key.rawValue, $0.value) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(keyed), as: UTF8.self)
    }

    static func decode(_ text: String) -> [Post16Subject: Post16Review.SubjectReview] {
        let keyed = (try? JSONDecoder().decode([String: Post16Review.SubjectReview].self, from: Data(text.utf8))) ?? [:]
        var out: [Post16Subject: Post16Review.SubjectReview] = [:]
        for (k, v) in keyed { if let s = Post16Subject(rawValue: k) { out[s] = v } }
        return out
    }

    /// Saves the review, replacing the institution's review for the year if there is one. Run it in a transaction.
    public func save(_ reviews: [Post16Review], by author: String, at now: Date) async throws {
        let sql = try database.sql
        for r in reviews {
            try await sql.delete(from: "post16_reviews").where("urn", .equal, SQLBind(r.urn))
                .where("academic_year", .equal, SQLBind(r.year.start)).run()
        }
        var rows: [[any SQLExpression]] = []
        for r in reviews {
            rows.append([
                SQLBind(UUID()), SQLBind(r.urn), SQLBind(r.year.start), SQLBind(r.teaches16to19),
                SQLBind(try Self.encode(r.subjects)), SQLBind(r.currentOffer), SQLBind(r.generated), SQLBind(author),
                SQLBind(now),
            ])
        }
        try await sql.insertBatched(
            into: "post16_reviews",
            columns: [
                "id", "urn", "academic_year", "teaches_16_to_19", "subjects", "current_offer", "generated",
                "submitted_by", "submitted_at",
            ], count: rows.count
        ) { rows[$0] }
    }

    public struct Stored: Sendable, Hashable {
        public var review: Post16Review
        public var submittedBy: String
        public var submittedAt: Date
    }

    static func stored(_ row: any SQLRow) throws -> Stored? {
        guard let year = AcademicYear(start: try row.decode(column: "academic_year", as: Int.self)) else { return nil }
        return Stored(
            review: Post16Review(
                urn: try row.decode(column: "urn", as: Int.self), year: year,
                teaches16to19: try row.decode(column: "teaches_16_to_19", as: Bool.self),
                subjects: decode(try row.decode(column: "subjects", as: String.self)),
                currentOffer: try row.decode(column: "current_offer", as: String.self),
                generated: try row.decode(column: "generated", as: Bool.self)),
            submittedBy: try row.decode(column: "submitted_by", as: String.self),
            submittedAt: try row.decode(column: "submitted_at", as: Date.self))
    }

    public func reviews(year: AcademicYear) async throws -> [Stored] {
        try await database.sql.select().column("*").from("post16_reviews")
            .where("academic_year", .equal, SQLBind(year.start)).orderBy("urn").all().compactMap(Self.stored)
    }

    public func review(urn: Int, year: AcademicYear) async throws -> Stored? {
        try await database.sql.select().column("*").from("post16_reviews").where("urn", .equal, SQLBind(urn))
            .where("academic_year", .equal, SQLBind(year.start)).first().flatMap(Self.stored)
    }

    public func count() async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("post16_reviews").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

import Domain
import FluentKit
import Foundation
import SQLKit

/// Qualifications recorded in the register after the record was made, with where they came from (completing a
/// subject specialism training programme), so the difference the training made can be shown.
struct CreateRecordedQualifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("recorded_qualifications")
            .id()
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("programme_id", .uuid)
            .field("source", .string, .required)
            .field("recorded_on", .string, .required)
            .field("recorded_at", .datetime, .required)
            .field("recorded_by", .string, .required)
            .unique(on: "teacher_id", "subject")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("recorded_qualifications").delete()
    }
}

public struct QualificationStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// Adds `subject` to the teacher's specialisms with its source, on their timeline. Returns false (and changes
    /// nothing) when they already hold it. Run it inside a transaction.
    public func record(
        teacher: UUID, subject: TeachingSubject, programme: UUID?, source: String, author: String, at now: Date
    ) async throws -> Bool {
        let sql = try database.sql
        guard
            let row = try await sql.select().column("specialisms").from("teachers").where(
                "id", .equal, SQLBind(teacher)
            )
            .first()
        else { return false }
        var held = try row.decode(column: "specialisms", as: String.self).split(separator: ";").map(String.init)
        guard !held.contains(subject.rawValue) else { return false }
        held.append(subject.rawValue)
        try await sql.update("teachers").set("specialisms", to: SQLBind(held.joined(separator: ";")))
            .set("updated_at", to: SQLBind(now)).where("id", .equal, SQLBind(teacher)).run()
        let today = Day.inUK(now)
        try await sql.insert(into: "recorded_qualifications").columns(
            "id", "teacher_id", "subject", "programme_id", "source", "recorded_on", "recorded_at", "recorded_by"
        ).values(
            SQLBind(UUID()), SQLBind(teacher), SQLBind(subject.rawValue), bindOrNull(programme),
            SQLBind(source), SQLBind(today.description), SQLBind(now), SQLBind(author)
        ).run()
        try await TeacherStore(database).insertEvent(
            teacher: teacher,
            TeacherEvent(
                kind: .qualification, on: today,
                detail: "Qualified to teach \(subject.label.lowercased()) as a specialist: \(source)",
                recordedAt: now, recordedBy: author))
        try await DataVersions(database).bump(DataVersions.teachers)
        return true
    }

    /// The subjects recorded from training, per TRN.
    public func trained() async throws -> [TRN: Set<TeachingSubject>] {
        let rows = try await database.sql.select()
            .column(SQLColumn("trn", table: "teachers")).column(SQLColumn("subject", table: "recorded_qualifications"))
            .from("recorded_qualifications")
            .join(
                "teachers", on: SQLColumn("teacher_id", table: "recorded_qualifications"), .equal,
                SQLColumn("id", table: "teachers")
            ).all()
        var out: [TRN: Set<TeachingSubject>] = [:]
        for row in rows {
            guard let trn = TRN(try row.decode(column: "trn", as: String?.self) ?? ""),
                let subject = TeachingSubject(rawValue: try row.decode(column: "subject", as: String.self))
            else { continue }
            out[trn, default: []].insert(subject)
        }
        return out
    }
}

import Domain
import FluentKit
import Foundation
import SQLKit

/// Schools' curriculum deployment: each teacher's weekly hours per subject, replaced school by school on import.
struct CreateDeployments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("deployments")
            .id()
            .field("urn", .int, .required)
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("hundredths", .int, .required)
            .field("imported_at", .datetime, .required)
            .field("imported_by", .string, .required)
            .unique(on: "urn", "teacher_id", "subject")
            .create()
        try await database.sql.raw("CREATE INDEX deployments_urn ON deployments (urn)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("deployments").delete()
    }
}

/// A stored deployment row with the teacher it is about.
public struct StoredDeployment: Hashable, Sendable {
    public var deployment: Deployment
    public var teacherID: UUID
    public var name: String
    public var specialisms: [TeachingSubject]
}

public struct DeploymentStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// What an import did.
    public struct ImportResult: Sendable, Hashable {
        public var schools: Int
        public var rows: Int
        public var replaced: Int

        public var report: String {
            "\(rows) row\(rows == 1 ? "" : "s") for \(schools) school\(schools == 1 ? "" : "s") stored (\(replaced) held before for those schools replaced)"
        }
    }

    /// Replaces the deployment of every school the file names with the file's rows. Every TRN must be in the
    /// register and every URN a school Chalkface holds (and, when `allowedURNs` is given, one of them); otherwise
    /// nothing is written and each problem is named by line and field. Run it inside a transaction.
    public func importEntries(
        _ entries: [DeploymentFile.Entry], file: String, allowedURNs: Set<Int>? = nil, author: String, at now: Date
    ) async throws -> ImportResult {
        let sql = try database.sql
        let trns = Array(Set(entries.map(\.deployment.trn.value)))
        var teacherIDs: [String: UUID] = [:]
        for chunk in trns.chunked(900) {
            for row in try await sql.select().column("id").column("trn").from("teachers")
                .where("trn", .in, SQLBind.group(chunk)).all()
            {
                teacherIDs[try row.decode(column: "trn", as: String.self)] = try row.decode(column: "id", as: UUID.self)
            }
        }
        let urns = Array(Set(entries.map(\.deployment.urn)))
        var known = Set<Int>()
        for chunk in urns.chunked(900) {
            for row in try await sql.select().column("urn").from("schools").where("urn", .in, SQLBind.group(chunk))
                .all()
            {
                known.insert(try row.decode(column: "urn", as: Int.self))
            }
        }
        var problems: [ImportFileError.Problem] = []
        var count = 0
        for e in entries {
            let d = e.deployment
            if !known.contains(d.urn) {
                count += 1
                problems.append(.init(line: e.line, field: "urn", message: "\(d.urn) is not a school Chalkface holds"))
            } else if let allowed = allowedURNs, !allowed.contains(d.urn) {
                count += 1
                problems.append(
                    .init(
                        line: e.line, field: "urn",
                        message: "\(d.urn) is not your school; upload only your own school's deployment"))
            }
            if teacherIDs[d.trn.value] == nil {
                count += 1
                problems.append(
                    .init(
                        line: e.line, field: "trn",
                        message:
                            "\(d.trn) is not in the teacher register; add the teacher to the school's staff list (or import teachers) first"
                    ))
            }
        }
        if count > 0 { throw ImportFileError(file: file, problems: problems, problemCount: count) }
        var replaced = 0
        for chunk in urns.chunked(900) {
            replaced +=
                try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("deployments")
                .where("urn", .in, SQLBind.group(chunk)).first()?.decode(column: "n", as: Int.self) ?? 0
            try await sql.delete(from: "deployments").where("urn", .in, SQLBind.group(chunk)).run()
        }
        for chunk in entries.chunked(150) {
            var insert = sql.insert(into: "deployments").columns(
                "id", "urn", "teacher_id", "subject", "hundredths", "imported_at", "imported_by")
            for e in chunk {
                let d = e.deployment
                insert = insert.values(
                    SQLBind(UUID()), SQLBind(d.urn), SQLBind(teacherIDs[d.trn.value]!), SQLBind(d.subject.rawValue),
                    SQLBind(d.hours.hundredths), SQLBind(now), SQLBind(author))
            }
            try await insert.run()
        }
        return ImportResult(schools: urns.count, rows: entries.count, replaced: replaced)
    }

    /// Stored rows with their teachers, for the schools given (every school when nil).
    public func rows(urns: Set<Int>? = nil) async throws -> [StoredDeployment] {
        let sql = try database.sql
        var select = sql.select()
            .column(SQLColumn("urn", table: "deployments")).column(SQLColumn("subject", table: "deployments"))
            .column(SQLColumn("hundredths", table: "deployments"))
            .column(SQLColumn("teacher_id", table: "deployments"))
            .column(SQLColumn("trn", table: "teachers")).column(SQLColumn("first_name", table: "teachers"))
            .column(SQLColumn("last_name", table: "teachers")).column(SQLColumn("specialisms", table: "teachers"))
            .from("deployments")
            .join(
                "teachers", on: SQLColumn("teacher_id", table: "deployments"), .equal,
                SQLColumn("id", table: "teachers"))
        if let urns {
            guard !urns.isEmpty else { return [] }
            select = select.where(SQLColumn("urn", table: "deployments"), .in, SQLBind.group(Array(urns)))
        }
        return try await select.all().compactMap { row in
            guard let trn = TRN(try row.decode(column: "trn", as: String?.self) ?? ""),
                let subject = TeachingSubject(rawValue: try row.decode(column: "subject", as: String.self))
            else { return nil }
            return StoredDeployment(
                deployment: Deployment(
                    urn: try row.decode(column: "urn", as: Int.self), trn: trn, subject: subject,
                    hours: TeachingHours(hundredths: try row.decode(column: "hundredths", as: Int.self))),
                teacherID: try row.decode(column: "teacher_id", as: UUID.self),
                name:
                    "\(try row.decode(column: "first_name", as: String.self)) \(try row.decode(column: "last_name", as: String.self))",
                specialisms: try row.decode(column: "specialisms", as: String.self).split(separator: ";")
                    .compactMap { TeachingSubject(rawValue: String($0)) })
        }
    }

    /// The subjects any school has deployment hours in, in the product's order.
    public func subjects() async throws -> [TeachingSubject] {
        try await database.sql.select().distinct().column("subject").from("deployments").all()
            .compactMap { TeachingSubject(rawValue: try $0.decode(column: "subject", as: String.self)) }.sorted()
    }

    /// Every school's shares, from the stored rows and the register's qualifications.
    public func shares() async throws -> SpecialistShares {
        Self.shares(try await rows())
    }

    public static func shares(_ rows: [StoredDeployment]) -> SpecialistShares {
        SpecialistShares(rows.map(\.deployment), specialisms: specialisms(rows))
    }

    /// Each deployed teacher's qualifications, by TRN.
    public static func specialisms(_ rows: [StoredDeployment]) -> [TRN: [TeachingSubject]] {
        var specialisms: [TRN: [TeachingSubject]] = [:]
        for r in rows { specialisms[r.deployment.trn] = r.specialisms }
        return specialisms
    }
}

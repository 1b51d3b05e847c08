import Domain
import FluentKit
import SQLKit

/// Per-school indicator values imported by coordinators (vacancies per subject, non-specialist hours, ...).
public struct IndicatorStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// What an indicator import did.
    public struct ImportResult: Sendable, Equatable {
        public var stored: Int
        public var replaced: Int
        /// Rows whose URN Chalkface does not hold; the rest are stored.
        public var rejected: [RejectedRow]
    }

    /// Replaces every value of the named indicator with the file's, in one transaction. Refuses (changing
    /// nothing) a file none of whose URNs are held, or one that would remove more than a small share of the
    /// values held (`ReplacementRule`), unless `replaceAll`.
    public func replace(
        name: String, with values: [IndicatorValue], file: String = "the file", replaceAll: Bool = false
    )
        async throws -> ImportResult
    {
        try await database.transaction { tx in
            let sql = try tx.sql
            let held = Set(
                try await sql.select().column("urn").from("schools").all(decodingColumn: "urn", as: Int.self))
            let known = values.filter { held.contains($0.urn.value) }
            let rejected = values.filter { !held.contains($0.urn.value) }.map {
                RejectedRow(line: $0.line, urn: String($0.urn.value), reason: "no school with this URN is held")
            }
            let stored = try await sql.select().column("urn").column("subject").from("indicator_values")
                .where("name", .equal, name).all()
            let incoming = Set(known.map { "\($0.urn.value)|\($0.subject ?? "")" })
            var removed = 0
            for row in stored {
                let key =
                    "\(try row.decode(column: "urn", as: Int.self))|\(try row.decode(column: "subject", as: String.self))"
                if !incoming.contains(key) { removed += 1 }
            }
            try ReplacementRule(noun: "values of \(name)").check(
                held: stored.count, removed: removed, incoming: known.count, file: file, allowed: replaceAll)
            let replaced = stored.count
            try await DataVersions(tx).bump(DataVersions.indicators)
            try await sql.delete(from: "indicator_values").where("name", .equal, name).run()
            try await sql.insertBatched(
                into: "indicator_values", columns: ["name", "subject", "urn", "value"], count: known.count,
                row: { i in
                    let v = known[i]
                    return [SQLBind(name), SQLBind(v.subject ?? ""), SQLBind(v.urn.value), SQLBind(v.value)]
                })
            return ImportResult(stored: known.count, replaced: replaced, rejected: rejected)
        }
    }

    /// Imported indicators with their subjects, by name.
    public func indicators() async throws -> [(name: String, subjects: [String])] {
        let rows = try await database.sql.select().distinct().column("name").column("subject")
            .from("indicator_values").orderBy("name").orderBy("subject").all()
        var out: [(name: String, subjects: [String])] = []
        for row in rows {
            let name = try row.decode(column: "name", as: String.self)
            let subject = try row.decode(column: "subject", as: String.self)
            if out.last?.name != name { out.append((name, [])) }
            if !subject.isEmpty { out[out.count - 1].subjects.append(subject) }
        }
        return out
    }

    /// The values of an indicator (for one subject, or the subject-less values), by URN.
    public func values(name: String, subject: String?) async throws -> [URN: Double] {
        let rows = try await database.sql.select().column("urn").column("value").from("indicator_values")
            .where("name", .equal, name).where("subject", .equal, subject ?? "").all()
        var out: [URN: Double] = [:]
        for row in rows {
            out[URN(try row.decode(column: "urn", as: Int.self))] = try row.decode(column: "value", as: Double.self)
        }
        return out
    }
}

extension OrganisationStore {
    /// URNs of schools that belong to the partnership: member schools, and schools of member organisations.
    public func partnerSchools(of partnership: PartnershipID) async throws -> Set<URN> {
        var urns = Set<URN>()
        for member in try await members(of: partnership) {
            if let urn = member.organisation.urn { urns.insert(urn) }
            for urn in try await schools(of: member.organisation.id) { urns.insert(urn) }
        }
        return urns
    }
}

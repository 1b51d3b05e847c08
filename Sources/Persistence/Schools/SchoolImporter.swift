import Domain
import FluentKit
import SQLKit

extension SchoolRow {
    var values: [any SQLExpression] {
        [
            SQLBind(urn), SQLBind(name), SQLBind(name_search), SQLBind(status), SQLBind(phase), SQLBind(phase_source),
            bindOrNull(establishment_type), bindOrNull(statutory_low_age), bindOrNull(statutory_high_age),
            bindOrNull(number_of_pupils), bindOrNull(open_date), bindOrNull(close_date), bindOrNull(town),
            bindOrNull(postcode), bindOrNull(postcode_compact), bindOrNull(easting), bindOrNull(northing),
            bindOrNull(latitude), bindOrNull(longitude), bindOrNull(la_code), bindOrNull(la_code_dfe),
            bindOrNull(la_name),
            bindOrNull(lad_code), bindOrNull(lad_name), bindOrNull(region_code), bindOrNull(region_name),
            bindOrNull(trust_code), bindOrNull(trust_name), SQLBind(itt_lead_school), bindOrNull(npq_pp50),
            bindOrNull(npq_rise), bindOrNull(npq_high_pupil_premium_2021_22),
        ]
    }
}

/// Progress of a long import: rows written so far, of how many.
public typealias ImportProgress = @Sendable (_ done: Int, _ total: Int) -> Void

extension SchoolStore {
    /// Upserts the schools of a file by URN in one transaction: new URNs are inserted, changed schools updated,
    /// identical ones left alone. Fields the file's format does not carry are kept (see `School.merging`).
    public func importFile(_ file: SchoolFile, progress: ImportProgress? = nil) async throws -> ImportSummary {
        try await database.transaction { tx in
            let sql = try tx.sql
            let existing = try await sql.selectSchoolColumns().from("schools")
                .all(decoding: SchoolRow.self)
            var held: [URN: School] = [:]
            held.reserveCapacity(existing.count)
            for row in existing { held[URN(row.urn)] = try row.toDomain() }

            var summary = ImportSummary(rejected: file.rejected)
            var inserts: [SchoolRow] = []
            var updates: [SchoolRow] = []
            for imported in file.schools {
                if let current = held[imported.school.urn] {
                    let merged = current.merging(imported.school, from: file.format)
                    if merged == current {
                        summary.unchanged += 1
                    } else {
                        updates.append(SchoolRow(merged))
                    }
                } else {
                    inserts.append(SchoolRow(imported.school))
                }
            }
            summary.inserted = inserts.count
            summary.updated = updates.count
            let total = inserts.count + updates.count
            progress?(0, total)
            // An update is a delete and an insert of the whole row, inside the same transaction.
            let updatedURNs = updates.map(\.urn)
            var start = 0
            while start < updatedURNs.count {
                let end = min(updatedURNs.count, start + 10_000)
                try await sql.delete(from: "schools").where("urn", .in, Array(updatedURNs[start..<end])).run()
                start = end
            }
            let rows = updates + inserts
            try await sql.insertBatched(
                into: "schools", columns: SchoolRow.columns, count: rows.count, row: { rows[$0].values }
            ) { done in progress?(done, total) }
            if total > 0 { try await DataVersions(tx).bump(DataVersions.schools) }
            return summary
        }
    }
}

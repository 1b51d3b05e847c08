import Foundation

/// The peer-group file format of the shared benchmark: `id,school,phase,subject,x,y` in, `id,group,meeting_school`
/// out (x and y in British National Grid metres).
extension PeerGroupMember {
    /// The most ECTs one file may hold (a national cohort is about 30,000).
    public static let maximumRows = 200_000

    /// Parses the file; every problem is named by line and field, and nothing is returned if there is any.
    public static func read(_ bytes: [UInt8], file: String) throws(ImportFileError) -> [PeerGroupMember] {
        let table = try CSVTable(bytes: bytes, file: file, encoding: .utf8)
        try table.require(["id", "school", "phase", "subject", "x", "y"])
        guard table.rows.count <= maximumRows else {
            throw ImportFileError(
                file: file,
                problems: [.init(message: "holds \(table.rows.count) rows; at most \(maximumRows) can be grouped")])
        }
        var problems: [ImportFileError.Problem] = []
        var seen: [String: Int] = [:]
        var result: [PeerGroupMember] = []
        result.reserveCapacity(table.rows.count)
        for row in table.rows {
            let id = row["id"]
            if id.isEmpty || id.count > 64 || BoundedInput.hasControlCharacters(id) {
                problems.append(.init(line: row.line, field: "id", message: "must be 1 to 64 printable characters"))
            } else if let first = seen[id] {
                problems.append(
                    .init(line: row.line, field: "id", message: "\(BoundedInput.quote(id)) is also on line \(first)"))
            } else {
                seen[id] = row.line
            }
            let school = row["school"]
            if school.isEmpty || school.count > 20 || BoundedInput.hasControlCharacters(school) {
                problems.append(
                    .init(line: row.line, field: "school", message: "must be 1 to 20 printable characters (a URN)"))
            }
            let phase = PeerGroupPhase(rawValue: row["phase"])
            if phase == nil {
                problems.append(
                    .init(
                        line: row.line, field: "phase",
                        message: "must be primary or secondary; got \(BoundedInput.quote(row["phase"]))"))
            }
            let subject = TeachingSubject(rawValue: row["subject"])
            if subject == nil {
                problems.append(
                    .init(
                        line: row.line, field: "subject",
                        message:
                            "must be one of \(TeachingSubject.allCases.map(\.rawValue).joined(separator: ", ")); got \(BoundedInput.quote(row["subject"]))"
                    ))
            } else if phase == .secondary && subject == .primary {
                problems.append(
                    .init(line: row.line, field: "subject", message: "is primary for a secondary ECT"))
            }
            var point: [Double] = []
            for field in ["x", "y"] {
                guard let v = BoundedInput.decimal(row[field], in: 0...2_000_000) else {
                    problems.append(
                        .init(
                            line: row.line, field: field,
                            message:
                                "must be British National Grid metres from 0 to 2,000,000; got \(BoundedInput.quote(row[field]))"
                        ))
                    continue
                }
                point.append(v)
            }
            if problems.isEmpty, let phase, let subject, point.count == 2 {
                result.append(
                    PeerGroupMember(
                        id: id, school: school, phase: phase, subject: phase == .primary ? .primary : subject,
                        x: point[0], y: point[1]))
            }
        }
        guard problems.isEmpty else { throw ImportFileError(file: file, problems: problems) }
        return result
    }
}

extension PeerGrouping {
    /// `id,group,meeting_school`, members in the order they were given, groups numbered from 1.
    public func csv() -> String {
        var out = "id,group,meeting_school\n"
        var rows = [(Int, Int, String)]()
        for (g, group) in groups.enumerated() {
            for m in group.members { rows.append((m, g + 1, members[group.meeting].school)) }
        }
        rows.sort { $0.0 < $1.0 }
        for (m, g, school) in rows {
            out += "\(SchoolCSVExport.escapeQuoted(members[m].id)),\(g),\(SchoolCSVExport.escapeQuoted(school))\n"
        }
        return out
    }
}

import Foundation

/// Reads and writes the benchmark instance format ("placement-v1"): a folder with meta.json, schools.csv and
/// trainees.csv; assignments as `trainee_id,school_id` with -1 for unplaced.
extension PlacementInstance {
    struct Meta: Decodable {
        let format: String?
        let travel_limit_m: Int64
        let unassigned_penalty: Int64
        let subjects: [String]
    }

    /// The largest penalty per unplaced trainee: with costs scaled for pins (x1,000) and summed over millions of
    /// trainees, larger penalties could overflow 64-bit costs.
    public static let maximumPenalty: Int64 = 1_000_000_000

    /// Parses the three files; every problem is named by file, line and field, and nothing is returned if any.
    public static func read(meta: [UInt8], schools: [UInt8], trainees: [UInt8], folder: String) throws(ImportFileError)
        -> PlacementInstance
    {
        let metaFile = folder + "/meta.json"
        let decoded: Meta
        do {
            decoded = try JSONDecoder().decode(Meta.self, from: Data(meta))
        } catch {
            throw ImportFileError(
                file: metaFile,
                problems: [
                    .init(
                        message: "is not a placement-v1 meta.json (needs travel_limit_m, unassigned_penalty, subjects)")
                ])
        }
        if let format = decoded.format, format != "placement-v1" {
            throw ImportFileError(
                file: metaFile,
                problems: [.init(field: "format", message: "is \(BoundedInput.quote(format)), not placement-v1")])
        }
        guard decoded.travel_limit_m > 0, decoded.travel_limit_m < 3_000_000,
            (0...maximumPenalty).contains(decoded.unassigned_penalty), !decoded.subjects.isEmpty,
            decoded.subjects.count <= 64, decoded.subjects.allSatisfy({ $0.count <= 100 })
        else {
            throw ImportFileError(
                file: metaFile,
                problems: [
                    .init(
                        message:
                            "travel_limit_m must be 1 to 3,000,000 metres, unassigned_penalty 0 to \(maximumPenalty), and 1 to 64 subjects of at most 100 characters"
                    )
                ])
        }
        let k = decoded.subjects.count
        let schoolFile = folder + "/schools.csv"
        let traineeFile = folder + "/trainees.csv"
        let schoolTable = try CSVTable(bytes: schools, file: schoolFile, encoding: .utf8)
        let traineeTable = try CSVTable(bytes: trainees, file: traineeFile, encoding: .utf8)
        var problems: [(String, ImportFileError.Problem)] = []
        func integer(_ row: CSVTable.Row, _ column: String, file: String, min: Int64 = 0, max: Int64) -> Int64 {
            guard row.has(column) else {
                problems.append((file, .init(line: row.line, field: column, message: "column is missing")))
                return 0
            }
            guard let v = Int64(row[column]), v >= min, v <= max else {
                problems.append(
                    (
                        file,
                        .init(
                            line: row.line, field: column,
                            message:
                                "must be a whole number from \(min) to \(max); got \(BoundedInput.quote(row[column]))")
                    ))
                return 0
            }
            return v
        }
        /// Ids must run 0, 1, 2... in file order; only the first break is reported (the rest follow from it).
        func checkOrder(_ row: CSVTable.Row, _ i: Int, _ column: String, file: String) {
            let id = integer(row, column, file: file, max: Int64(Int32.max))
            if id != Int64(i) && problems.isEmpty {
                problems.append(
                    (file, .init(line: row.line, field: column, message: "must be \(i): ids run 0, 1, 2... in order")))
            }
        }
        var parsedSchools: [School] = []
        parsedSchools.reserveCapacity(schoolTable.rows.count)
        for (i, row) in schoolTable.rows.enumerated() {
            checkOrder(row, i, "school_id", file: schoolFile)
            let phase = row["phase"]
            if phase != "P" && phase != "S" {
                problems.append(
                    (
                        schoolFile,
                        .init(
                            line: row.line, field: "phase", message: "must be P or S; got \(BoundedInput.quote(phase))")
                    ))
            }
            parsedSchools.append(
                School(
                    x: integer(row, "x_m", file: schoolFile, max: 10_000_000),
                    y: integer(row, "y_m", file: schoolFile, max: 10_000_000), phase: phase,
                    mentors: Int32(integer(row, "mentors", file: schoolFile, max: 1_000)),
                    capacity: (0..<k).map { Int32(integer(row, "cap_\($0)", file: schoolFile, max: 1_000)) }))
        }
        var parsedTrainees: [Trainee] = []
        parsedTrainees.reserveCapacity(traineeTable.rows.count)
        for (i, row) in traineeTable.rows.enumerated() {
            checkOrder(row, i, "trainee_id", file: traineeFile)
            parsedTrainees.append(
                Trainee(
                    x: integer(row, "x_m", file: traineeFile, max: 10_000_000),
                    y: integer(row, "y_m", file: traineeFile, max: 10_000_000),
                    subject: Int(integer(row, "subject", file: traineeFile, max: Int64(k - 1)))))
        }
        if let (file, _) = problems.first {
            throw ImportFileError(
                file: file, problems: problems.filter { $0.0 == file }.map(\.1), problemCount: problems.count)
        }
        return PlacementInstance(
            schools: parsedSchools, trainees: parsedTrainees, subjects: decoded.subjects,
            travelLimit: decoded.travel_limit_m, unassignedPenalty: decoded.unassigned_penalty)
    }

    /// `trainee_id,school_id` per trainee, -1 when unplaced.
    public static func assignmentCSV(_ school: [Int32]) -> String {
        var out = "trainee_id,school_id\n"
        out.reserveCapacity(school.count * 12)
        for (t, s) in school.enumerated() { out += "\(t),\(s)\n" }
        return out
    }
}

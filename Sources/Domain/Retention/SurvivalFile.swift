import Foundation

/// A CSV of survival data: one row per person with `duration` and `event` columns (event 1 or 0, also true/false),
/// and any other columns to group by or use as covariates, as ../shared/bench/survival's cohort files are.
public struct SurvivalFile: Sendable {
    /// The longest duration accepted: a career in days is under 30,000.
    public static let maximumDuration = 1_000_000.0
    /// The largest magnitude of a covariate value.
    public static let maximumCovariate = 1e9

    public var file: String
    public var data: SurvivalData
    var table: CSVTable

    public var header: [String] { table.header }

    public static func read(_ bytes: [UInt8], file: String) throws(ImportFileError) -> SurvivalFile {
        let table = try CSVTable(bytes: bytes, file: file, encoding: .utf8)
        var problems: [ImportFileError.Problem] = []
        for column in ["duration", "event"] where !table.header.contains(column) {
            problems.append(
                .init(line: 1, field: column, message: "column is missing; the header must name duration and event"))
        }
        if !problems.isEmpty { throw ImportFileError(file: file, problems: problems) }
        guard !table.rows.isEmpty else {
            throw ImportFileError(
                file: file, problems: [.init(line: 2, message: "the file has a header but no people")])
        }
        var durations: [Double] = []
        var events: [Bool] = []
        durations.reserveCapacity(table.rows.count)
        events.reserveCapacity(table.rows.count)
        var count = 0
        for row in table.rows {
            let text = row["duration"]
            if let d = BoundedInput.decimal(text, in: 0...maximumDuration) {
                durations.append(d)
            } else {
                count += 1
                if problems.count < ImportFileError.problemsKept {
                    problems.append(
                        .init(
                            line: row.line, field: "duration",
                            message:
                                "must be a number from 0 to \(Int(maximumDuration)); got \(BoundedInput.quote(text))"))
                }
                durations.append(0)
            }
            switch row["event"] {
            case "1", "1.0", "true", "True", "TRUE": events.append(true)
            case "0", "0.0", "false", "False", "FALSE": events.append(false)
            case let other:
                count += 1
                if problems.count < ImportFileError.problemsKept {
                    problems.append(
                        .init(
                            line: row.line, field: "event",
                            message: "must be 1 (left) or 0 (still in service); got \(BoundedInput.quote(other))"))
                }
                events.append(false)
            }
        }
        if count > 0 { throw ImportFileError(file: file, problems: problems, problemCount: count) }
        return SurvivalFile(file: file, data: SurvivalData(durations: durations, events: events), table: table)
    }

    func requireColumn(_ column: String) throws(ImportFileError) {
        guard table.header.contains(column) else {
            throw ImportFileError(
                file: file,
                problems: [
                    .init(
                        line: 1, field: column,
                        message: "no such column; the header has \(table.header.joined(separator: ", "))")
                ])
        }
    }

    /// The distinct values of a column in order (numerically when all are numbers) and each person's index into them.
    public func groups(by column: String) throws(ImportFileError) -> (labels: [String], groups: [Int]) {
        try requireColumn(column)
        let values = table.rows.map { $0[column] }
        var labels = Array(Set(values))
        if labels.allSatisfy({ Double($0) != nil }) {
            labels.sort { Double($0)! < Double($1)! }
        } else {
            labels.sort()
        }
        let position = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        return (labels, values.map { position[$0]! })
    }

    /// The design matrix for a hazard model: numeric columns as they are, categorical ones as one indicator per
    /// level after the first (named `column_level`).
    public func covariates(numeric: [String], categorical: [String]) throws(ImportFileError) -> (
        names: [String], values: [Double]
    ) {
        var columns: [(String, [Double])] = []
        var problems: [ImportFileError.Problem] = []
        var count = 0
        for column in numeric {
            try requireColumn(column)
            var values: [Double] = []
            values.reserveCapacity(table.rows.count)
            for row in table.rows {
                let text = row[column]
                if let v = BoundedInput.decimal(text, in: -Self.maximumCovariate...Self.maximumCovariate) {
                    values.append(v)
                } else {
                    count += 1
                    if problems.count < ImportFileError.problemsKept {
                        problems.append(
                            .init(
                                line: row.line, field: column,
                                message: "must be a number of magnitude at most 1e9; got \(BoundedInput.quote(text))"))
                    }
                    values.append(0)
                }
            }
            columns.append((column, values))
        }
        if count > 0 { throw ImportFileError(file: file, problems: problems, problemCount: count) }
        for column in categorical {
            let (labels, groups) = try self.groups(by: column)
            for (level, label) in labels.enumerated().dropFirst() {
                columns.append(("\(column)_\(label)", groups.map { $0 == level ? 1 : 0 }))
            }
        }
        let n = table.rows.count
        let p = columns.count
        var matrix = [Double](repeating: 0, count: n * p)
        for (j, column) in columns.enumerated() { for i in 0..<n { matrix[i * p + j] = column.1[i] } }
        return (columns.map(\.0), matrix)
    }
}

/// The survival table the CLI writes and the pages download:
/// `group,t,at_risk,events,censored,survival,ci_lower_95,ci_upper_95`.
public enum SurvivalReport {
    public static let header = "group,t,at_risk,events,censored,survival,ci_lower_95,ci_upper_95"

    /// One row per time: `times` when given, otherwise every time in the group's table. A row with fewer than
    /// `minimumAtRisk` people at risk keeps its counts and leaves its estimates empty.
    public static func rows(group: String, fit: KaplanMeier, times: [Double]?, minimumAtRisk: Int = 0) -> [String] {
        let table = fit.table
        let at = times ?? table.times
        return at.map { t in
            let (events, censored) = table.counts(at: t)
            let atRisk = table.atRisk(at: t)
            let (s, lower, upper) = fit.at(t)
            let estimates = atRisk < minimumAtRisk ? ["", "", ""] : ["\(s)", "\(lower)", "\(upper)"]
            return
                ([
                    SchoolCSVExport.escape(group), number(t), String(atRisk), String(events), String(censored),
                ] + estimates).joined(separator: ",")
        }
    }

    /// A time as written: whole numbers without a decimal point.
    public static func number(_ t: Double) -> String {
        if t == t.rounded(), abs(t) < 1e15 { return String(Int64(t)) }
        return "\(t)"
    }
}

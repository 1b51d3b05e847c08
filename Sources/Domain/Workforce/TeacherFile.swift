import Foundation

/// A staff extract, one row per period at a school:
/// `trn,first_name,last_name,birth_year,qts_on,itt_provider,route,specialisms,urn,role,working_pattern,fte,
/// started_on,finished_on,end_reason`. Rows of one teacher (one TRN; without a TRN, one name and birth year) become
/// one record with its periods merged; every problem is named by line and field, and a file with any problem is
/// refused whole.
public enum TeacherFile {
    public static let columns = [
        "trn", "first_name", "last_name", "birth_year", "qts_on", "itt_provider", "route", "specialisms", "urn",
        "role", "working_pattern", "fte", "started_on", "finished_on", "end_reason",
    ]
    public static let maximumRows = 500_000
    static let maximumName = 100
    static let maximumProvider = 200

    /// A teacher read from the file, with the line each of their periods came from.
    public struct Entry: Sendable, Hashable {
        public var record: TeacherRecord
        public var lines: [ServicePeriod: Int]
        public var firstLine: Int

        public init(record: TeacherRecord, lines: [ServicePeriod: Int], firstLine: Int) {
            self.record = record
            self.lines = lines
            self.firstLine = firstLine
        }
    }

    /// Who a row is about: the TRN, or without one the name and birth year.
    public enum Key: Hashable, Sendable {
        case trn(TRN)
        case person(String, Int?)

        public init(_ record: TeacherRecord) {
            if let trn = record.trn {
                self = .trn(trn)
            } else {
                self = .person((record.firstName + " " + record.lastName).lowercased(), record.birthYear)
            }
        }
    }

    /// `thisYear` bounds birth years and dates (nothing after the end of next year).
    public static func read(_ bytes: [UInt8], file: String, thisYear: Int) throws(ImportFileError) -> [Entry] {
        let table = try CSVTable(bytes: bytes, file: file, encoding: nil)
        try table.requireHeader(columns, maximumRows: maximumRows)
        var problems: [ImportFileError.Problem] = []
        var count = 0
        func problem(_ line: Int, _ field: String, _ message: String) {
            count += 1
            if problems.count < ImportFileError.problemsKept {
                problems.append(.init(line: line, field: field, message: message))
            }
        }
        var entries: [Entry] = []
        var position: [Key: Int] = [:]
        let latest = Day(year: thisYear + 1, month: 12, day: 31)!
        func day(_ row: CSVTable.Row, _ field: String, required: Bool) -> Day? {
            let text = row[field]
            if text.isEmpty {
                if required { problem(row.line, field, "is needed (YYYY-MM-DD)") }
                return nil
            }
            guard let d = Day(text), d.year >= 1950, d <= latest else {
                problem(
                    row.line, field,
                    "must be a date from 1950 to \(latest) as YYYY-MM-DD; got \(BoundedInput.quote(text))")
                return nil
            }
            return d
        }
        for row in table.rows {
            let before = count
            let trnText = row["trn"]
            let trn = TRN(trnText)
            if !trnText.isEmpty, trn == nil {
                problem(
                    row.line, "trn",
                    "must be 7 digits, or empty for a teacher without one yet; got \(BoundedInput.quote(trnText))")
            }
            var names: [String] = []
            for field in ["first_name", "last_name"] {
                let text = row[field]
                if text.isEmpty {
                    problem(row.line, field, "is needed")
                } else if text.count > maximumName || BoundedInput.hasControlCharacters(text) {
                    problem(row.line, field, "must be at most \(maximumName) characters of text")
                }
                names.append(text)
            }
            var birthYear: Int?
            if !row["birth_year"].isEmpty {
                birthYear = BoundedInput.wholeNumber(row["birth_year"], in: 1930...(thisYear - 16))
                if birthYear == nil {
                    problem(
                        row.line, "birth_year",
                        "must be a year from 1930 to \(thisYear - 16); got \(BoundedInput.quote(row["birth_year"]))")
                }
            }
            let qts = day(row, "qts_on", required: false)
            let provider = row["itt_provider"]
            if provider.count > maximumProvider || BoundedInput.hasControlCharacters(provider) {
                problem(row.line, "itt_provider", "must be at most \(maximumProvider) characters of text")
            }
            let route = row["route"]
            if !route.isEmpty, TrainingRoute(rawValue: route) == nil, route != "other" {
                problem(
                    row.line, "route",
                    "must be one of \((TrainingRoute.allCases.map(\.rawValue) + ["other"]).joined(separator: ", ")) or empty; got \(BoundedInput.quote(route))"
                )
            }
            var specialisms: [TeachingSubject] = []
            for part in row["specialisms"].split(separator: ";") {
                let key = part.trimmingSpaces
                if key.isEmpty { continue }
                if let s = TeachingSubject(rawValue: String(key)) {
                    if !specialisms.contains(s) { specialisms.append(s) }
                } else {
                    problem(
                        row.line, "specialisms",
                        "\(BoundedInput.quote(key)) is not a subject; use \(TeachingSubject.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
            }
            let urn = BoundedInput.wholeNumber(row["urn"], in: 100_000...999_999)
            if urn == nil {
                problem(row.line, "urn", "must be a school's 6-digit URN; got \(BoundedInput.quote(row["urn"]))")
            }
            let role = StaffRole(rawValue: row["role"])
            if role == nil {
                problem(
                    row.line, "role",
                    "must be one of \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")); got \(BoundedInput.quote(row["role"]))"
                )
            }
            var fte: Double?
            if !row["fte"].isEmpty {
                fte = BoundedInput.decimal(row["fte"], in: 0...1)
                if fte == nil || fte == 0 {
                    problem(row.line, "fte", "must be more than 0 and at most 1; got \(BoundedInput.quote(row["fte"]))")
                }
            }
            var pattern: WorkingPattern?
            if !row["working_pattern"].isEmpty {
                pattern = WorkingPattern(rawValue: row["working_pattern"])
                if pattern == nil {
                    problem(
                        row.line, "working_pattern",
                        "must be full-time or part-time; got \(BoundedInput.quote(row["working_pattern"]))")
                }
            }
            let resolvedPattern = pattern ?? ((fte ?? 1) < 1 ? .partTime : .fullTime)
            if resolvedPattern == .fullTime, let f = fte, f < 1, pattern != nil {
                problem(row.line, "fte", "is \(f) but working_pattern is full-time")
            }
            if resolvedPattern == .partTime, fte == nil, row["fte"].isEmpty {
                problem(row.line, "fte", "is needed for a part-time period")
            }
            let started = day(row, "started_on", required: true)
            let finished = day(row, "finished_on", required: false)
            var reason: EndReason?
            if !row["end_reason"].isEmpty {
                reason = EndReason(rawValue: row["end_reason"])
                if reason == nil {
                    problem(
                        row.line, "end_reason",
                        "must be one of \(EndReason.allCases.map(\.rawValue).joined(separator: ", ")) or empty; got \(BoundedInput.quote(row["end_reason"]))"
                    )
                }
            }
            if finished == nil, reason != nil {
                problem(row.line, "end_reason", "is given but the period has no finished_on")
            }
            guard count == before, let urn, let role, let started else { continue }
            let period = ServicePeriod(
                urn: urn, role: role, workingPattern: resolvedPattern, fte: fte ?? 1, startedOn: started,
                finishedOn: finished, endReason: reason)
            for p in period.problems where p.field != "end_reason" { problem(row.line, p.field, p.message) }
            if count > before { continue }
            let record = TeacherRecord(
                trn: trn, firstName: names[0], lastName: names[1], birthYear: birthYear, qtsOn: qts,
                ittProvider: provider.isEmpty ? nil : provider, route: route.isEmpty ? nil : route,
                specialisms: specialisms)
            let key = Key(record)
            if let i = position[key] {
                let first = entries[i]
                if let trn, first.record.firstName != record.firstName || first.record.lastName != record.lastName {
                    problem(
                        row.line, "last_name",
                        "TRN \(trn) is \(first.record.name) on line \(first.firstLine) but \(record.name) here")
                    continue
                }
                do {
                    if try entries[i].record.merge(period) { entries[i].lines[period] = row.line }
                } catch {
                    problem(
                        row.line, "started_on",
                        "\(error.description) (line \(entries[i].lines[error.existing] ?? first.firstLine))")
                }
                // Details given on a later row fill what earlier rows left empty.
                var r = entries[i].record
                r.birthYear = r.birthYear ?? birthYear
                r.qtsOn = r.qtsOn ?? qts
                r.ittProvider = r.ittProvider ?? record.ittProvider
                r.route = r.route ?? record.route
                for s in specialisms where !r.specialisms.contains(s) { r.specialisms.append(s) }
                entries[i].record = r
            } else {
                var r = record
                try? r.merge(period)
                position[key] = entries.count
                entries.append(Entry(record: r, lines: [period: row.line], firstLine: row.line))
            }
        }
        if count > 0 { throw ImportFileError(file: file, problems: problems, problemCount: count) }
        if entries.isEmpty {
            throw ImportFileError(file: file, problems: [.init(line: 2, message: "the file has a header but no rows")])
        }
        return entries
    }
}

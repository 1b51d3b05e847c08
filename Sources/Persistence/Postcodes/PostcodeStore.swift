import Domain
import FluentKit
import SQLKit

/// The ONS postcode directory: where each postcode is, for placing people's home postcodes.
public struct PostcodeStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// Where a postcode is, or nil when the directory does not hold it.
    public func locate(_ postcode: Postcode) async throws -> PostcodeLocation? {
        guard
            let row = try await database.sql.select().column("easting").column("northing").column("lad_code")
                .from("postcodes").where("postcode", .equal, postcode.compact).first()
        else { return nil }
        return PostcodeLocation(
            postcode: postcode,
            point: GridPoint(
                easting: Double(try row.decode(column: "easting", as: Int.self)),
                northing: Double(try row.decode(column: "northing", as: Int.self))),
            districtCode: try row.decode(column: "lad_code", as: String.self))
    }

    /// Where each of these postcodes is, by compact postcode (`Postcode.compact`), in one query per thousand;
    /// postcodes the directory does not hold are left out.
    public func locate(_ postcodes: some Collection<Postcode>) async throws -> [String: PostcodeLocation] {
        let byCompact = Dictionary(postcodes.map { ($0.compact, $0) }, uniquingKeysWith: { a, _ in a })
        let keys = byCompact.keys.sorted()
        var out: [String: PostcodeLocation] = [:]
        for start in stride(from: 0, to: keys.count, by: 1_000) {
            let rows = try await database.sql.select().column("postcode").column("easting").column("northing")
                .column("lad_code").from("postcodes")
                .where("postcode", .in, Array(keys[start..<min(start + 1_000, keys.count)])).all()
            for row in rows {
                let compact = try row.decode(column: "postcode", as: String.self)
                guard let postcode = byCompact[compact] else { continue }
                out[compact] = PostcodeLocation(
                    postcode: postcode,
                    point: GridPoint(
                        easting: Double(try row.decode(column: "easting", as: Int.self)),
                        northing: Double(try row.decode(column: "northing", as: Int.self))),
                    districtCode: try row.decode(column: "lad_code", as: String.self))
            }
        }
        return out
    }

    public func count() async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("postcodes")
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// A postcode directory read and checked.
    public struct Directory: Sendable {
        public struct Entry: Sendable {
            let postcode: String
            let easting: Int
            let northing: Int
            let districtCode: String
        }

        public let entries: [Entry]
        /// The largest easting or northing accepted (the grid covers Great Britain within 0-700 km by 0-1,300 km).
        public static let gridLimit = 2_000_000

        init(entries: [Entry]) { self.entries = entries }

        /// Reads `postcode,easting,northing,lad_code` (the ONS directory as in Chalkface's data folder).
        /// Throws, naming each problem, if any row is malformed; rows without a grid reference are skipped,
        /// as the ONS directory leaves some postcodes (e.g. large users, some terminated ones) unplaced.
        public init(bytes: [UInt8], file: String) throws(ImportFileError) {
            let text: ArraySlice<UInt8>
            do {
                text = try CSVReader.textBytes(bytes)
            } catch {
                throw ImportFileError(file: file, problems: [.init(line: error.line, message: error.message)])
            }
            var header: [String: Int] = [:]
            var width = 0
            var entries: [Entry] = []
            entries.reserveCapacity(bytes.count / 30)
            var problems: [ImportFileError.Problem] = []
            var problemCount = 0
            var seen = Set<String>()
            func problem(_ p: ImportFileError.Problem) {
                problemCount += 1
                if problems.count < ImportFileError.problemsKept { problems.append(p) }
            }
            do {
                try CSVReader.read(text, encoding: .utf8) { (line, fields) throws(ImportFileError) in
                    if header.isEmpty {
                        for (i, f) in fields.enumerated() {
                            let name = f.trimmingSpaces.lowercased()
                            if let first = header[name], !name.isEmpty {
                                throw ImportFileError(
                                    file: file,
                                    problems: [
                                        .init(
                                            line: 1, field: name,
                                            message:
                                                "the header names this column twice (columns \(first + 1) and \(i + 1)); rename or remove one"
                                        )
                                    ])
                            }
                            header[name] = i
                        }
                        width = fields.count
                        let missing = ["postcode", "easting", "northing", "lad_code"].filter { header[$0] == nil }
                        if !missing.isEmpty {
                            throw ImportFileError(
                                file: file,
                                problems: [
                                    .init(line: 1, message: "missing columns: \(missing.joined(separator: ", "))")
                                ])
                        }
                        return
                    }
                    guard fields.count == width else {
                        problem(.init(line: line, message: "has \(fields.count) fields but the header has \(width)"))
                        return
                    }
                    let pc = fields[header["postcode"]!]
                    let e = fields[header["easting"]!]
                    let n = fields[header["northing"]!]
                    let lad = fields[header["lad_code"]!]
                    guard pc.count <= 10, let postcode = Postcode(pc) else {
                        problem(
                            .init(line: line, field: "postcode", message: "\(BoundedInput.quote(pc)) is not a postcode")
                        )
                        return
                    }
                    if e.isEmpty || n.isEmpty { return }
                    let grid = 0...Self.gridLimit
                    guard let easting = BoundedInput.wholeNumber(e, in: grid),
                        let northing = BoundedInput.wholeNumber(n, in: grid)
                    else {
                        let bad = BoundedInput.wholeNumber(e, in: grid) == nil
                        problem(
                            .init(
                                line: line, field: bad ? "easting" : "northing",
                                message:
                                    "\(BoundedInput.quote(bad ? e : n)) is not a whole number of metres from 0 to \(Self.gridLimit)"
                            ))
                        return
                    }
                    guard lad.count <= 12 else {
                        problem(
                            .init(
                                line: line, field: "lad_code",
                                message: "\(BoundedInput.quote(lad)) is not a district code"))
                        return
                    }
                    let compact = postcode.compact
                    guard seen.insert(compact).inserted else {
                        problem(.init(line: line, field: "postcode", message: "\(postcode) appears twice"))
                        return
                    }
                    entries.append(Entry(postcode: compact, easting: easting, northing: northing, districtCode: lad))
                }
            } catch {
                switch error {
                case .csv(let e): throw ImportFileError(file: file, problems: [.init(line: e.line, message: e.message)])
                case .visitor(let e): throw e
                }
            }
            if header.isEmpty { throw ImportFileError(file: file, problems: [.init(message: "the file is empty")]) }
            if problemCount > 0 { throw ImportFileError(file: file, problems: problems, problemCount: problemCount) }
            self.entries = entries
        }
    }

    /// Replaces the whole directory with `directory` in one transaction. Returns how many postcodes were held before.
    /// Refuses (changing nothing) an empty directory, or one that would remove more than a small share of the
    /// postcodes held (`ReplacementRule`), unless `replaceAll`.
    @discardableResult
    public func replaceAll(
        with directory: Directory, file: String = "the file", replaceAll: Bool = false,
        progress: ImportProgress? = nil
    ) async throws -> Int {
        try await database.transaction { tx in
            let sql = try tx.sql
            let held = try await sql.select().column("postcode").from("postcodes")
                .all(decodingColumn: "postcode", as: String.self)
            let before = held.count
            if !replaceAll {
                let incoming = Set(directory.entries.map(\.postcode))
                try ReplacementRule(noun: "postcodes").check(
                    held: before, removed: held.reduce(0) { $0 + (incoming.contains($1) ? 0 : 1) },
                    incoming: directory.entries.count, file: file, allowed: false)
            }
            try await sql.delete(from: "postcodes").run()
            let total = directory.entries.count
            try await sql.insertBatched(
                into: "postcodes", columns: ["postcode", "easting", "northing", "lad_code"],
                count: total,
                row: { i in
                    let e = directory.entries[i]
                    return [SQLBind(e.postcode), SQLBind(e.easting), SQLBind(e.northing), SQLBind(e.districtCode)]
                }
            ) { done in progress?(done, total) }
            return before
        }
    }
}

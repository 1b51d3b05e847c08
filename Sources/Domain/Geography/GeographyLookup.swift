/// One row of the local authority district -> local authority -> region lookup (DfE `geo_hierarchy`, 2025).
public struct DistrictGeography: Hashable, Sendable {
    public var district: District
    public var localAuthority: LocalAuthority
    public var region: Region

    public init(district: District, localAuthority: LocalAuthority, region: Region) {
        self.district = district
        self.localAuthority = localAuthority
        self.region = region
    }
}

/// Looks up local authorities and regions by district and by code.
public struct GeographyLookup: Sendable {
    public let byDistrict: [String: DistrictGeography]
    public let localAuthorities: [LocalAuthority]
    private let authorityByDfECode: [String: LocalAuthority]
    private let authorityByCode: [String: LocalAuthority]
    private let regionByAuthority: [String: Region]

    public init(_ rows: [DistrictGeography]) {
        var byDistrict: [String: DistrictGeography] = [:]
        var byDfE: [String: LocalAuthority] = [:]
        var byCode: [String: LocalAuthority] = [:]
        var regions: [String: Region] = [:]
        for row in rows {
            byDistrict[row.district.code] = row
            byDfE[row.localAuthority.dfeCode] = row.localAuthority
            byCode[row.localAuthority.code] = row.localAuthority
            regions[row.localAuthority.code] = row.region
        }
        self.byDistrict = byDistrict
        authorityByDfECode = byDfE
        authorityByCode = byCode
        regionByAuthority = regions
        localAuthorities = byCode.values.sorted { $0.name < $1.name }
    }

    /// Parses the lookup CSV (`lad_code,lad_name,la_code,la_code_dfe,la_name,region_code,region_name`).
    public init(csv bytes: [UInt8], file: String) throws(ImportFileError) {
        var rows: [DistrictGeography] = []
        let table = try CSVTable(bytes: bytes, file: file, encoding: .utf8)
        let need = ["lad_code", "lad_name", "la_code", "la_code_dfe", "la_name", "region_code", "region_name"]
        try table.require(need)
        for row in table.rows {
            rows.append(
                DistrictGeography(
                    district: District(code: row["lad_code"], name: row["lad_name"]),
                    localAuthority: LocalAuthority(
                        code: row["la_code"], dfeCode: row["la_code_dfe"], name: row["la_name"]),
                    region: Region(code: row["region_code"], name: row["region_name"])))
        }
        self.init(rows)
    }

    /// A local authority by GSS code (`E10000016`) or DfE number (`886`).
    public func localAuthority(_ code: String) -> LocalAuthority? {
        authorityByCode[code.uppercased()] ?? authorityByDfECode[code]
    }

    public func region(ofAuthority code: String) -> Region? { regionByAuthority[code] }
}

/// A whole CSV file read into memory with its header, for files small enough to hold (school lists, lookups).
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        public let line: Int
        public let fields: [String]
        let columns: [String: Int]

        /// The trimmed value of a column; empty when the column is absent.
        public subscript(_ column: String) -> String {
            guard let i = columns[column], i < fields.count else { return "" }
            return fields[i].trimmingSpaces
        }

        public func has(_ column: String) -> Bool { columns[column] != nil }
    }

    /// The longest field any importer reads; longer ones are refused before any of their text is used.
    public static let maximumFieldBytes = 10_000

    public let file: String
    public let header: [String]
    public let rows: [Row]
    let columns: [String: Int]

    /// Reads the file; every record must have as many fields as the header.
    public init(bytes: [UInt8], file: String, encoding: TextEncoding?) throws(ImportFileError) {
        self.file = file
        let text: ArraySlice<UInt8>
        do {
            text = try CSVReader.textBytes(bytes)
        } catch {
            throw ImportFileError(file: file, problems: [.init(line: error.line, message: error.message)])
        }
        let chosen = encoding ?? (CSVReader.isValidUTF8(text) ? .utf8 : .windows1252)
        var header: [String] = []
        var rows: [Row] = []
        var columns: [String: Int] = [:]
        var problems: [ImportFileError.Problem] = []
        do {
            try CSVReader.read(text, encoding: chosen) { (line, fields) throws(Never) in
                if header.isEmpty {
                    header = fields.map(\.trimmingSpaces)
                    for (i, name) in header.enumerated() {
                        if let first = columns[name], !name.isEmpty {
                            // Two columns of one name: whichever was read, the other's data would be lost.
                            problems.append(
                                .init(
                                    line: line, field: name,
                                    message:
                                        "the header names this column twice (columns \(first + 1) and \(i + 1)); rename or remove one"
                                ))
                        } else if columns[name] == nil {
                            columns[name] = i
                        }
                    }
                    return
                }
                if fields.count != header.count {
                    problems.append(
                        .init(line: line, message: "has \(fields.count) fields but the header has \(header.count)"))
                }
                if let long = fields.firstIndex(where: { $0.utf8.count > CSVTable.maximumFieldBytes }) {
                    problems.append(
                        .init(
                            line: line, field: long < header.count ? header[long] : "column \(long + 1)",
                            message:
                                "holds \(fields[long].utf8.count) bytes; no field may be longer than \(CSVTable.maximumFieldBytes)"
                        ))
                    return
                }
                rows.append(Row(line: line, fields: fields, columns: columns))
            }
        } catch {
            switch error {
            case .csv(let e): throw ImportFileError(file: file, problems: [.init(line: e.line, message: e.message)])
            }
        }
        guard !header.isEmpty else {
            throw ImportFileError(file: file, problems: [.init(message: "the file is empty")])
        }
        if !problems.isEmpty { throw ImportFileError(file: file, problems: problems) }
        self.header = header
        self.rows = rows
        self.columns = columns
        self.encoding = chosen
    }

    public let encoding: TextEncoding

    public func has(_ column: String) -> Bool { columns[column] != nil }

    /// Fails unless the header has every one of `columns` (each missing one named, with the header expected) and
    /// the file has at most `maximumRows` rows.
    public func requireHeader(_ columns: [String], maximumRows: Int) throws(ImportFileError) {
        let missing = columns.filter { self.columns[$0] == nil }
        if !missing.isEmpty {
            throw ImportFileError(
                file: file,
                problems: missing.map {
                    .init(
                        line: 1, field: $0,
                        message: "column is missing; the header must be \(columns.joined(separator: ","))")
                })
        }
        guard rows.count <= maximumRows else {
            throw ImportFileError(
                file: file,
                problems: [.init(message: "has \(rows.count) rows; at most \(maximumRows) are read at once")])
        }
    }

    /// Fails, naming every missing column, unless the header has them all.
    public func require(_ needed: [String]) throws(ImportFileError) {
        let missing = needed.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw ImportFileError(
                file: file,
                problems: [
                    .init(
                        line: 1,
                        message: "missing column\(missing.count == 1 ? "" : "s"): \(missing.joined(separator: ", "))")
                ])
        }
    }
}

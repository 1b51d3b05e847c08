/// The school file formats Chalkface reads, told apart by their header.
public enum SchoolFileFormat: String, Sendable, Codable {
    /// A full GIAS "all establishment data" download: GIAS's own column names, Windows-1252.
    case gias
    /// The GIAS-derived lists in Chalkface's data folder: `urn,name,...,easting,northing,...`, UTF-8.
    case simple

    public var label: String {
        switch self {
        case .gias: "GIAS all establishment data"
        case .simple: "school list (urn, name, easting, northing, ...)"
        }
    }
}

/// A school read from a file, with the line it came from.
public struct ImportedSchool: Hashable, Sendable {
    public var line: Int
    public var school: School

    public init(line: Int, school: School) {
        self.line = line
        self.school = school
    }
}

/// A school file read and checked: the schools to import and the rows turned away.
public struct SchoolFile: Sendable {
    public var format: SchoolFileFormat
    public var encoding: TextEncoding
    public var schools: [ImportedSchool]
    public var rejected: [RejectedRow]

    /// Columns that identify each format and must all be present.
    public static let giasRequired = [
        "URN", "EstablishmentName", "LA (code)", "LA (name)", "EstablishmentStatus (name)",
        "PhaseOfEducation (name)", "TypeOfEstablishment (name)", "EstablishmentTypeGroup (name)", "Postcode",
        "Easting", "Northing", "GSSLACode (name)", "DistrictAdministrative (code)", "DistrictAdministrative (name)",
    ]
    public static let simpleRequired = ["urn", "name", "easting", "northing", "la_code", "la_code_dfe", "la_name"]

    /// The longest text each column may hold (the longest real school name in GIAS is about 120 characters), so
    /// a runaway field cannot make every page that shows it megabytes long.
    public static let simpleLengthLimits = [
        "name": 200, "town": 100, "postcode": 10, "la_code": 12, "la_code_dfe": 5, "la_name": 100, "lad_code": 12,
        "lad_name": 100, "region_code": 12, "region_name": 100,
    ]
    public static let giasLengthLimits = [
        "EstablishmentName": 200, "Town": 100, "Postcode": 10, "LA (code)": 5, "LA (name)": 100,
        "GSSLACode (name)": 12, "DistrictAdministrative (code)": 12, "DistrictAdministrative (name)": 100,
        "Trusts (code)": 12, "Trusts (name)": 200, "TypeOfEstablishment (name)": 100,
    ]

    /// Type groups in GIAS that hold state-funded schools.
    static let stateFundedGroups: Set<String> = [
        "local authority maintained schools", "academies", "free schools", "special schools",
    ]

    /// Reads a school file in either format. Throws, naming every problem, when the file as a whole is malformed
    /// (encoding, missing columns, ragged rows, numbers or dates that do not parse, duplicate URNs); rows that are
    /// well formed but cannot be imported (out of scope, no name, outside Great Britain) are listed in `rejected`.
    public static func read(_ bytes: [UInt8], file: String, geography: GeographyLookup) throws(ImportFileError)
        -> SchoolFile
    {
        let format = try detectFormat(bytes, file: file)
        // GIAS publishes Windows-1252; accept a re-saved UTF-8 copy too. The simple lists are UTF-8 only.
        let table = try CSVTable(bytes: bytes, file: file, encoding: format == .gias ? nil : .utf8)
        switch format {
        case .gias:
            try table.require(giasRequired)
            return try readRows(table, format: format) { row, problems in
                giasSchool(row, geography: geography, problems: &problems)
            }
        case .simple:
            try table.require(simpleRequired)
            return try readRows(table, format: format) { row, problems in
                simpleSchool(row, geography: geography, problems: &problems)
            }
        }
    }

    /// Tells the format from the header line alone.
    public static func detectFormat(_ bytes: [UInt8], file: String) throws(ImportFileError) -> SchoolFileFormat {
        let text: ArraySlice<UInt8>
        do {
            text = try CSVReader.textBytes(bytes)
        } catch {
            throw ImportFileError(file: file, problems: [.init(line: error.line, message: error.message)])
        }
        let firstLine = text.prefix { $0 != 0x0A && $0 != 0x0D }
        let header = String(decoding: firstLine, as: UTF8.self).split(separator: ",").map {
            $0.trimmingSpaces.trimmingCharacters("\"")
        }
        if header.contains("URN") && header.contains("EstablishmentName") { return .gias }
        if header.contains("urn") && header.contains("name") { return .simple }
        let shown = header.prefix(6).joined(separator: ", ")
        throw ImportFileError(
            file: file,
            problems: [
                .init(
                    line: 1,
                    message:
                        "not a school file: expected a GIAS download (URN, EstablishmentName, ...) or a school list (urn, name, easting, northing, ...), found columns: \(shown)"
                )
            ])
    }

    /// Rejection reasons are returned as `.failure`, malformed fields appended to `problems`.
    typealias RowReader = (CSVTable.Row, inout [ImportFileError.Problem]) -> Result<School, RowRejection>?

    struct RowRejection: Error {
        let reason: String
    }

    static func readRows(_ table: CSVTable, format: SchoolFileFormat, _ readRow: RowReader) throws(ImportFileError)
        -> SchoolFile
    {
        var problems: [ImportFileError.Problem] = []
        var schools: [ImportedSchool] = []
        var rejected: [RejectedRow] = []
        var firstLineOfURN: [URN: Int] = [:]
        schools.reserveCapacity(table.rows.count)
        for row in table.rows {
            let before = problems.count
            let result = readRow(row, &problems)
            guard problems.count == before, let result else { continue }
            switch result {
            case .success(let school):
                if let first = firstLineOfURN[school.urn] {
                    problems.append(
                        .init(
                            line: row.line, field: format == .gias ? "URN" : "urn",
                            message: "URN \(school.urn) appears again (first on line \(first))"))
                    continue
                }
                firstLineOfURN[school.urn] = row.line
                schools.append(ImportedSchool(line: row.line, school: school))
            case .failure(let rejection):
                let urn = row[format == .gias ? "URN" : "urn"]
                rejected.append(RejectedRow(line: row.line, urn: urn.isEmpty ? nil : urn, reason: rejection.reason))
            }
        }
        if !problems.isEmpty { throw ImportFileError(file: table.file, problems: problems) }
        return SchoolFile(format: format, encoding: table.encoding, schools: schools, rejected: rejected)
    }

    // MARK: - Fields

    struct FieldReader {
        let row: CSVTable.Row
        var problems: [ImportFileError.Problem] = []

        mutating func fail(_ column: String, _ message: String) {
            problems.append(.init(line: row.line, field: column, message: message))
        }

        mutating func urn(_ column: String) -> URN? {
            let text = row[column]
            if text.isEmpty {
                fail(column, "is empty; every row needs a URN")
                return nil
            }
            guard let urn = URN(text), text.allSatisfy(\.isNumber) else {
                fail(column, "\(BoundedInput.quote(text)) is not a URN (a whole number)")
                return nil
            }
            return urn
        }

        mutating func int(_ column: String, in range: ClosedRange<Int>) -> Int? {
            let text = row[column]
            guard !text.isEmpty else { return nil }
            guard let n = BoundedInput.wholeNumber(text, in: range) else {
                fail(
                    column,
                    "\(BoundedInput.quote(text)) is not a whole number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return n
        }

        mutating func double(_ column: String, in range: ClosedRange<Double>) -> Double? {
            let text = row[column]
            guard !text.isEmpty else { return nil }
            guard let n = BoundedInput.decimal(text, in: range) else {
                fail(
                    column,
                    "\(BoundedInput.quote(text)) is not a number from \(Int(range.lowerBound)) to \(Int(range.upperBound))"
                )
                return nil
            }
            return n
        }

        mutating func bool(_ column: String) -> Bool? {
            let text = row[column]
            switch text.lowercased() {
            case "": return nil
            case "true", "yes", "1", "y": return true
            case "false", "no", "0", "n": return false
            default:
                fail(column, "\(BoundedInput.quote(text)) is not True or False")
                return nil
            }
        }

        mutating func day(_ column: String) -> Day? {
            let text = row[column]
            guard !text.isEmpty else { return nil }
            guard let day = Day(text) else {
                fail(column, "\(BoundedInput.quote(text)) is not a date (DD-MM-YYYY or YYYY-MM-DD)")
                return nil
            }
            return day
        }

        func text(_ column: String) -> String? {
            let t = row[column]
            return t.isEmpty ? nil : t
        }

        /// Fails every column of `limits` whose text is longer than its limit (names, towns, codes).
        mutating func checkLengths(_ limits: [String: Int]) {
            for (column, limit) in limits.sorted(by: { $0.key < $1.key }) where row[column].count > limit {
                fail(column, "is \(row[column].count) characters long; at most \(limit) are allowed")
            }
        }

        /// Easting and northing, both or neither.
        mutating func location(_ eastingColumn: String, _ northingColumn: String) -> GridPoint?? {
            // Wide enough to reach any grid reference a file could mean; Great Britain is checked after.
            let e = double(eastingColumn, in: -10_000_000...10_000_000)
            let n = double(northingColumn, in: -10_000_000...10_000_000)
            switch (e, n) {
            case (nil, nil): return .some(nil)
            case (let e?, let n?): return .some(GridPoint(easting: e, northing: n))
            default: return nil
            }
        }
    }

    static func simpleSchool(_ row: CSVTable.Row, geography: GeographyLookup, problems: inout [ImportFileError.Problem])
        -> Result<School, RowRejection>?
    {
        var f = FieldReader(row: row)
        let urn = f.urn("urn")
        let location = f.location("easting", "northing")
        let latitude = f.double("latitude", in: -90...90)
        let longitude = f.double("longitude", in: -180...180)
        let openDate = f.day("open_date")
        let closeDate = f.day("close_date")
        let lead = f.bool("itt_lead_school_2024") ?? f.bool("itt_lead_school_2023")
        let pp50 = f.bool("npq_pp50_school_2025")
        let rise = f.bool("npq_rise_school")
        let highPP = f.bool("npq_high_pupil_premium_2021_22")
        var phase = Phase.unknown
        if row.has("phase_from_name") {
            if let p = Phase(fromNameHeuristic: row["phase_from_name"]) {
                phase = p
            } else {
                f.fail("phase_from_name", "\(BoundedInput.quote(row["phase_from_name"])) is not a phase")
            }
        }
        f.checkLengths(SchoolFile.simpleLengthLimits)
        problems += f.problems
        guard f.problems.isEmpty, let urn else { return nil }
        guard let name = f.text("name") else { return .failure(RowRejection(reason: "no name")) }
        let point = location ?? nil
        if location == nil { return .failure(RowRejection(reason: "easting given without northing, or the reverse")) }
        if let point, !point.isWithinGreatBritain {
            return .failure(
                RowRejection(
                    reason: "easting/northing \(Int(point.easting)),\(Int(point.northing)) is outside Great Britain"))
        }
        let coordinates: LatLon? =
            if let latitude, let longitude { LatLon(latitude: latitude, longitude: longitude) } else {
                point.map(BritishNationalGrid.toWGS84)
            }
        let district = f.text("lad_code").map { District(code: $0, name: f.text("lad_name") ?? $0) }
        let region: Region? =
            if let code = f.text("region_code") { Region(code: code, name: f.text("region_name") ?? code) } else {
                f.text("la_code").flatMap(geography.region(ofAuthority:))
            }
        let authority = f.text("la_code").map {
            LocalAuthority(code: $0, dfeCode: f.text("la_code_dfe") ?? "", name: f.text("la_name") ?? $0)
        }
        return .success(
            School(
                urn: urn, name: name, status: closeDate == nil ? .open : .closed, phase: phase, phaseSource: .name,
                openDate: openDate, closeDate: closeDate, town: f.text("town"), postcode: f.text("postcode"),
                location: point, coordinates: coordinates,
                localAuthority: authority,
                district: district, region: region, isITTLeadSchool: lead ?? false, isNPQPP50: pp50, isRISE: rise,
                isHighPupilPremium202122: highPP))
    }

    static func giasSchool(_ row: CSVTable.Row, geography: GeographyLookup, problems: inout [ImportFileError.Problem])
        -> Result<School, RowRejection>?
    {
        var f = FieldReader(row: row)
        let urn = f.urn("URN")
        let location = f.location("Easting", "Northing")
        let low = f.int("StatutoryLowAge", in: 0...99)
        let high = f.int("StatutoryHighAge", in: 0...99)
        let pupils = f.int("NumberOfPupils", in: 0...100_000)
        f.checkLengths(SchoolFile.giasLengthLimits)
        let openDate = f.day("OpenDate")
        let closeDate = f.day("CloseDate")
        let statusText = row["EstablishmentStatus (name)"]
        let status = SchoolStatus(gias: statusText)
        if status == nil {
            f.fail("EstablishmentStatus (name)", "\(BoundedInput.quote(statusText)) is not a GIAS status")
        }
        let phaseText = row["PhaseOfEducation (name)"]
        let phase = Phase(gias: phaseText)
        if phase == nil { f.fail("PhaseOfEducation (name)", "\(BoundedInput.quote(phaseText)) is not a GIAS phase") }
        problems += f.problems
        guard f.problems.isEmpty, let urn, let status, let phase else { return nil }

        let type = row["TypeOfEstablishment (name)"]
        let group = row["EstablishmentTypeGroup (name)"]
        guard stateFundedGroups.contains(group.lowercased()), !type.lowercased().contains("independent"),
            !type.lowercased().contains("non-maintained")
        else {
            return .failure(RowRejection(reason: "\(type.isEmpty ? group : type) is not a state-funded school"))
        }
        guard let name = f.text("EstablishmentName") else { return .failure(RowRejection(reason: "no name")) }
        let dfeCode = row["LA (code)"]
        let gss = row["GSSLACode (name)"]
        guard
            let authority = geography.localAuthority(gss) ?? geography.localAuthority(dfeCode)
                ?? (gss.hasPrefix("E") ? LocalAuthority(code: gss, dfeCode: dfeCode, name: row["LA (name)"]) : nil)
        else {
            return .failure(
                RowRejection(reason: "not in an English local authority (LA \(dfeCode.isEmpty ? "blank" : dfeCode))"))
        }
        if location == nil { return .failure(RowRejection(reason: "Easting given without Northing, or the reverse")) }
        let point = location ?? nil
        if let point, !point.isWithinGreatBritain {
            return .failure(
                RowRejection(
                    reason: "Easting/Northing \(Int(point.easting)),\(Int(point.northing)) is outside Great Britain"))
        }
        let districtCode = row["DistrictAdministrative (code)"]
        let district =
            districtCode.hasPrefix("E") ? District(code: districtCode, name: row["DistrictAdministrative (name)"]) : nil
        let trust = f.text("Trusts (code)").map { TrustReference(code: $0, name: f.text("Trusts (name)") ?? $0) }
        return .success(
            School(
                urn: urn, name: name, status: status, phase: phase, phaseSource: .gias, establishmentType: type,
                statutoryLowAge: low, statutoryHighAge: high, numberOfPupils: pupils, openDate: openDate,
                closeDate: closeDate, town: f.text("Town"), postcode: f.text("Postcode"), location: point,
                coordinates: point.map(BritishNationalGrid.toWGS84), localAuthority: authority, district: district,
                region: geography.region(ofAuthority: authority.code), trust: trust))
    }
}

extension School {
    /// The school as held after importing `incoming` from a file of `format` over this record: what the file's
    /// format does not carry is kept (GIAS has no ITT lead-school or NPQ flags; the simple lists have no official
    /// phase, type, ages, pupils or trust).
    public func merging(_ incoming: School, from format: SchoolFileFormat) -> School {
        var merged = incoming
        switch format {
        case .gias:
            merged.isITTLeadSchool = isITTLeadSchool
            merged.isNPQPP50 = isNPQPP50
            merged.isRISE = isRISE
            merged.isHighPupilPremium202122 = isHighPupilPremium202122
        case .simple:
            if phaseSource == .gias {
                merged.phase = phase
                merged.phaseSource = .gias
            }
            merged.establishmentType = establishmentType
            merged.statutoryLowAge = statutoryLowAge
            merged.statutoryHighAge = statutoryHighAge
            merged.numberOfPupils = numberOfPupils
            merged.trust = trust
            if incoming.status == .open, status != .closed { merged.status = status }
            merged.isNPQPP50 = incoming.isNPQPP50 ?? isNPQPP50
            merged.isRISE = incoming.isRISE ?? isRISE
            merged.isHighPupilPremium202122 = incoming.isHighPupilPremium202122 ?? isHighPupilPremium202122
        }
        return merged
    }
}

extension String {
    func trimmingCharacters(_ c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return String(s)
    }
}

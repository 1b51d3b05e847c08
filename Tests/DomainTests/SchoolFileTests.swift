import Testing

@testable import Domain

@Suite("School files")
struct SchoolFileTests {
    let geography: GeographyLookup

    init() throws {
        geography = try GeographyLookup(csv: Fixtures.bytes(Fixtures.districtLookup), file: "lookup")
    }

    func read(_ text: String, file: String = "t.csv") throws(ImportFileError) -> SchoolFile {
        try SchoolFile.read(Array(text.utf8), file: file, geography: geography)
    }

    func error(_ bytes: [UInt8], file: String = "t.csv") -> ImportFileError? {
        do {
            _ = try SchoolFile.read(bytes, file: file, geography: geography)
            return nil
        } catch {
            return error
        }
    }

    static let simpleHeader =
        "urn,name,open_date,town,postcode,easting,northing,latitude,longitude,lad_code,lad_name,la_code,la_code_dfe,la_name,region_code,region_name,itt_lead_school_2024,phase_from_name"

    @Test("The bundled regional list: 1,739 schools, none rejected, a known school's fields")
    func regionalFile() throws {
        let file = try SchoolFile.read(Fixtures.bytes(Fixtures.regionalSchools), file: "regional", geography: geography)
        #expect(file.format == .simple)
        #expect(file.schools.count == 1_739)
        #expect(file.rejected.isEmpty)
        let adisham = try #require(file.schools.first { $0.school.urn == URN(141308) }?.school)
        #expect(adisham.name == "Adisham Church of England Primary School")
        #expect(adisham.localAuthority == LocalAuthority(code: "E10000016", dfeCode: "886", name: "Kent"))
        #expect(adisham.district == District(code: "E07000106", name: "Canterbury"))
        #expect(adisham.location == GridPoint(easting: 622_643, northing: 153_875))
        #expect(adisham.openDate == Day(year: 2014, month: 9, day: 1))
        #expect(adisham.phase == .primary && adisham.phaseSource == .name)
        #expect(adisham.isNPQPP50 == true)
        #expect(file.schools.filter { $0.school.localAuthority?.dfeCode == "886" }.count == 597)
        #expect(file.schools.filter(\.school.isITTLeadSchool).count == 52)
    }

    @Test("The national list: 17,673 schools, two without coordinates")
    func nationalFile() throws {
        let file = try SchoolFile.read(
            Fixtures.shared("schools/schools_state_funded_open_2025-07.csv"), file: "national", geography: geography)
        #expect(file.schools.count == 17_673)
        #expect(file.schools.filter { $0.school.location == nil }.count == 2)
    }

    @Test("The GIAS format sample: state-funded schools imported with official fields, the rest rejected with reasons")
    func giasSample() throws {
        let file = try SchoolFile.read(
            Fixtures.shared("reference/gias_all_establishment_data_format_sample.csv"), file: "gias.csv",
            geography: geography)
        #expect(file.format == .gias)
        #expect(Set(file.schools.map(\.school.urn.value)) == [100000, 100004, 137666, 124087, 126370])
        let thomasBarnes = try #require(file.schools.first { $0.school.urn == URN(124087) }?.school)
        #expect(thomasBarnes.phase == .primary && thomasBarnes.phaseSource == .gias)
        #expect(thomasBarnes.establishmentType == "Foundation school")
        #expect(thomasBarnes.statutoryLowAge == 4 && thomasBarnes.statutoryHighAge == 11)
        #expect(thomasBarnes.numberOfPupils == 106)
        #expect(thomasBarnes.trust == TrustReference(code: "1579", name: "Tame Valley Co-Operative Learning Trust"))
        #expect(thomasBarnes.localAuthority == LocalAuthority(code: "E10000028", dfeCode: "860", name: "Staffordshire"))
        #expect(thomasBarnes.region?.code == "E12000005")
        #expect(thomasBarnes.district?.name == "Lichfield")
        let coords = try #require(thomasBarnes.coordinates)
        // GIAS places the school 60 m from the ONS postcode centroid used by the school list (52.643789, -1.736831).
        #expect(abs(coords.latitude - 52.6443) < 0.0005 && abs(coords.longitude - (-1.7365)) < 0.0005)
        #expect(file.schools.first { $0.school.urn == URN(100004) }?.school.status == .closed)
        #expect(file.schools.first { $0.school.urn == URN(126370) }?.school.status == .openProposedToClose)
        #expect(
            file.rejected == [
                RejectedRow(
                    line: 4, urn: "101173", reason: "Other independent special school is not a state-funded school"),
                RejectedRow(
                    line: 5, urn: "101077", reason: "Other independent special school is not a state-funded school"),
                RejectedRow(line: 7, urn: "150516", reason: "British schools overseas is not a state-funded school"),
            ])
    }

    @Test("A GIAS download in Windows-1252 is read as such")
    func giasWindows1252() throws {
        let sample = try Fixtures.shared("reference/gias_all_establishment_data_format_sample.csv")
        let text = String(decoding: sample, as: UTF8.self).replacingOccurrences(
            of: "Thomas Barnes Primary School", with: "École Thomas Barnes – Primary")
        let bytes = try #require(Windows1252.encode(text))
        let file = try SchoolFile.read(bytes, file: "gias.csv", geography: geography)
        #expect(file.encoding == .windows1252)
        #expect(file.schools.first { $0.school.urn == URN(124087) }?.school.name == "École Thomas Barnes – Primary")
    }

    @Test("Missing columns are named and nothing is read")
    func missingColumns() {
        let e = error(Array("urn,name,easting\n1,A,1\n".utf8))
        #expect(
            e?.description
                == "t.csv:1: missing columns: northing, la_code, la_code_dfe, la_name\nNothing was imported from t.csv."
        )
    }

    @Test("A file that is neither format says what it expected")
    func unknownFormat() {
        let e = error(Array("id,title\n1,x\n".utf8))
        #expect(e?.problems.first?.message.hasPrefix("not a school file: expected a GIAS download") == true)
        #expect(e?.problems.first?.message.hasSuffix("found columns: id, title") == true)
    }

    @Test("A school list that is not UTF-8 names the line")
    func wrongEncoding() {
        var bytes = Array((Self.simpleHeader + "\n1,Ok,,,,1,1,,,,,E1,1,A,,,False,Unknown\n2,Caf").utf8)
        bytes += [0xE9] + Array(",,,,1,1,,,,,E1,1,A,,,False,Unknown\n".utf8)
        #expect(
            error(bytes)?.description
                == "t.csv:3: line 3 is not valid UTF-8 text; save the file as CSV UTF-8 and try again\nNothing was imported from t.csv."
        )
    }

    @Test("Bad numbers, bad dates, bad booleans and ragged rows are each named with line and field")
    func badValues() {
        let text =
            Self.simpleHeader + """

                x1,A,,,,1,1,,,,,E1,1,A,,,False,Unknown
                2,B,,,,east,1,,,,,E1,1,A,,,False,Unknown
                3,C,31-02-2020,,,1,1,,,,,E1,1,A,,,False,Unknown
                4,D,,,,1,1,,,,,E1,1,A,,,maybe,Unknown
                5,E,,,,1,1
                """
        let e = error(Array(text.utf8))
        #expect(
            e?.problems == [
                .init(line: 6, message: "has 7 fields but the header has 18")
            ])
        let valid = text.split(separator: "\n").dropLast().joined(separator: "\n")
        #expect(
            error(Array(valid.utf8))?.problems == [
                .init(line: 2, field: "urn", message: "'x1' is not a URN (a whole number)"),
                .init(line: 3, field: "easting", message: "'east' is not a number from -10000000 to 10000000"),
                .init(line: 4, field: "open_date", message: "'31-02-2020' is not a date (DD-MM-YYYY or YYYY-MM-DD)"),
                .init(line: 5, field: "itt_lead_school_2024", message: "'maybe' is not True or False"),
            ])
    }

    @Test("Duplicate URNs name both lines")
    func duplicates() {
        let text =
            Self.simpleHeader
            + "\n7,A,,,,1,1,,,,,E1,1,A,,,False,Unknown\n8,B,,,,1,1,,,,,E1,1,A,,,False,Unknown\n7,C,,,,1,1,,,,,E1,1,A,,,False,Unknown\n"
        #expect(
            error(Array(text.utf8))?.problems == [
                .init(line: 4, field: "urn", message: "URN 7 appears again (first on line 2)")
            ])
    }

    @Test("Well-formed rows that cannot be imported are rejected with reasons; the rest are read")
    func rejections() throws {
        let text =
            Self.simpleHeader + """

                1,,,,,500000,100000,,,,,E10000016,886,Kent,,,False,Unknown
                2,Far Away,,,,900000,100000,,,,,E10000016,886,Kent,,,False,Unknown
                3,No Authority,,,,,,,,,,,,,,,False,Unknown
                4,Good School,,,,500000,100000,,,,,E10000016,886,Kent,,,True,Primary (name)
                """
        let file = try read(text)
        #expect(file.schools.map(\.school.urn) == [URN(3), URN(4)])
        #expect(file.schools[0].school.localAuthority == nil && file.schools[0].school.location == nil)
        #expect(file.schools[1].school.coordinates != nil)
        #expect(file.schools[1].school.region?.name == "South East")
        #expect(file.rejected.map(\.line) == [2, 3])
        #expect(file.rejected.map(\.reason) == ["no name", "easting/northing 900000,100000 is outside Great Britain"])
    }

    @Test("Importing a school list over a GIAS record keeps GIAS's official fields, and the reverse keeps the flags")
    func merging() throws {
        let gias = School(
            urn: URN(1), name: "A", phase: .secondary, phaseSource: .gias, establishmentType: "Academy converter",
            numberOfPupils: 900, localAuthority: LocalAuthority(code: "E1", dfeCode: "1", name: "X"),
            trust: TrustReference(code: "9", name: "T"), isITTLeadSchool: false)
        var simple = School(
            urn: URN(1), name: "A renamed", phase: .unknown, phaseSource: .name,
            localAuthority: LocalAuthority(code: "E1", dfeCode: "1", name: "X"), isITTLeadSchool: true, isNPQPP50: true)
        let afterSimple = gias.merging(simple, from: .simple)
        #expect(afterSimple.name == "A renamed")
        #expect(afterSimple.phase == .secondary && afterSimple.phaseSource == .gias)
        #expect(afterSimple.numberOfPupils == 900 && afterSimple.trust?.code == "9")
        #expect(afterSimple.isITTLeadSchool && afterSimple.isNPQPP50 == true)
        simple.isNPQPP50 = nil
        let afterGIAS = afterSimple.merging(gias, from: .gias)
        #expect(afterGIAS.isITTLeadSchool && afterGIAS.isNPQPP50 == true)
        #expect(afterGIAS.name == "A")
    }
}

@Suite("Schools queries and export")
struct SchoolQueryTests {
    @Test("Search text is read as a URN, a postcode, a postcode start or words of a name")
    func searchKinds() {
        #expect(SchoolQuery(search: "141308").searchKind == .urn(URN(141308)))
        #expect(SchoolQuery(search: "ct3 3jw").searchKind == .postcode("CT3 3JW"))
        #expect(SchoolQuery(search: "ME1").searchKind == .postcodePrefix("ME1", name: "ME1"))
        #expect(SchoolQuery(search: " Adisham primary ").searchKind == .name("Adisham primary"))
        #expect(SchoolQuery(search: "   ").searchKind == nil)
    }

    @Test("Page numbers out of range are named")
    func validation() {
        #expect(
            throws: ValidationError([
                .init(field: "page", message: "must be a whole number from 1 to 10000"),
                .init(field: "per_page", message: "must be between 1 and 200"),
            ])
        ) {
            try SchoolQuery(page: 0, perPage: 500).validated()
        }
    }

    @Test("CSV export quotes what needs quoting and defuses spreadsheet formulas")
    func csvEscaping() {
        #expect(SchoolCSVExport.escape("St Mary's, Dover") == "\"St Mary's, Dover\"")
        #expect(SchoolCSVExport.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(SchoolCSVExport.escape("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(SchoolCSVExport.escape("-1.5") == "-1.5")
    }

    @Test("Dates read in DfE and ISO forms, and impossible dates are refused")
    func days() {
        #expect(Day("01-09-2014") == Day(year: 2014, month: 9, day: 1))
        #expect(Day("2024-02-29")?.description == "2024-02-29")
        #expect(Day("29-02-2023") == nil)
        #expect(Day("2014/09/01") == nil)
        #expect(Day("1 September 2014") == nil)
        #expect(Day(year: 2025, month: 9, day: 1)?.longDescription == "1 September 2025")
    }
}

import Domain
import Foundation
import Testing
import Vapor

@testable import Persistence
@testable import WebApp

@Suite("Importing schools and postcodes into the database")
struct ImportTests {
    func readFile(_ path: String) throws -> SchoolFile {
        try SchoolFile.read(
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), file: path, geography: BundledData.geography())
    }

    @Test("The national list loads all 17,673 schools; a second run finds them all unchanged")
    func nationalTwice() async throws {
        try await withTestApp { app in
            let file = try readFile(Paths.shared("schools/schools_state_funded_open_2025-07.csv"))
            let store = SchoolStore(app.db)
            let first = try await store.importFile(file)
            #expect(first == ImportSummary(inserted: 17_673, updated: 0, unchanged: 0, rejected: []))
            let second = try await store.importFile(file)
            #expect(second == ImportSummary(inserted: 0, updated: 0, unchanged: 17_673, rejected: []))
            #expect(try await store.count(status: .all) == 17_673)
            let maritime = try #require(try await store.find(URN(149075)))
            #expect(maritime.localAuthority == nil && maritime.location == nil && maritime.town == "Rochester")
        }
    }

    @Test("A GIAS download updates the regional schools' official fields and keeps the list's flags")
    func giasOverList() async throws {
        try await withTestApp(seed: true) { app in
            let store = SchoolStore(app.db)
            let before = try #require(try await store.find(URN(124087)))
            #expect(before.phaseSource == .name && before.isNPQPP50 == false)
            let summary = try await store.importFile(
                readFile(Paths.shared("reference/gias_all_establishment_data_format_sample.csv")))
            // Thomas Barnes (Staffordshire) is held: updated. The other four state-funded rows are new.
            #expect(summary.updated == 1 && summary.inserted == 4 && summary.unchanged == 0)
            #expect(summary.rejected.map(\.line) == [4, 5, 7])
            let after = try #require(try await store.find(URN(124087)))
            #expect(after.phaseSource == .gias && after.numberOfPupils == 106 && after.trust?.code == "1579")
            #expect(after.isNPQPP50 == false && after.isITTLeadSchool == before.isITTLeadSchool)
            // Closed schools are held but left out of the open list.
            #expect(try await store.find(URN(100004))?.status == .closed)
            #expect(try await store.list(SchoolQuery(search: "100004")).total == 0)
            #expect(try await store.list(SchoolQuery(search: "100004", status: .all)).total == 1)
        }
    }

    @Test("A malformed file changes nothing")
    func malformedChangesNothing() async throws {
        try await withTestApp(seed: true) { app in
            let store = SchoolStore(app.db)
            let before = try await store.all()
            let text =
                "urn,name,easting,northing,la_code,la_code_dfe,la_name\n141308,Renamed,1,1,E1,1,X\n141308,Again,1,1,E1,1,X\n"
            #expect(throws: ImportFileError.self) {
                _ = try SchoolFile.read(Array(text.utf8), file: "bad.csv", geography: BundledData.geography())
            }
            #expect(try await store.all() == before)
        }
    }

    @Test("A failure part-way through an import rolls the whole import back")
    func rollback() async throws {
        try await withTestApp(seed: true) { app in
            let store = SchoolStore(app.db)
            let before = try await store.count(status: .all)
            var file = try readFile(Paths.shared("reference/gias_all_establishment_data_format_sample.csv"))
            // A duplicate URN that slipped past the reader makes the insert fail on the primary key, after the
            // import has already deleted the old row of the school it updates (124087).
            file.schools.append(file.schools[0])
            await #expect(throws: (any Error).self) { _ = try await store.importFile(file) }
            #expect(try await store.count(status: .all) == before)
            #expect(try await store.find(URN(137666)) == nil)
            #expect(try await store.find(URN(124087))?.phaseSource == .name)
        }
    }

    @Test("Postcodes: the ONS file reads directly from gzip, and a loaded postcode is found in any spacing")
    func postcodes() async throws {
        let bytes = try GzipFile.read(Paths.shared("geography/postcodes_england_onspd.csv.gz"))
        let directory = try PostcodeStore.Directory(bytes: bytes, file: "onspd")
        #expect(directory.entries.count > 2_000_000)
        try await withTestApp { app in
            // Load a slice so the test stays quick; the full load is measured in Benchmarks.
            let slice = PostcodeStore.Directory(entries: Array(directory.entries.prefix(5_000)))
            let store = PostcodeStore(app.db)
            try await store.replaceAll(with: slice)
            #expect(try await store.count() == 5_000)
            let code = try #require(Postcode("al11ab"))
            let found = try #require(try await store.locate(code))
            #expect(found.point == GridPoint(easting: 517_328, northing: 206_823))
            #expect(found.districtCode == "E07000240")
            let unknown = try #require(Postcode("ZZ9 9ZZ"))
            #expect(try await store.locate(unknown) == nil)
            // Replacing is whole: a second load leaves exactly the new set.
            try await store.replaceAll(
                with: PostcodeStore.Directory(entries: Array(directory.entries.prefix(10))), replaceAll: true)
            #expect(try await store.count() == 10)
        }
    }

    @Test("A malformed postcode file names each bad row and loads nothing")
    func badPostcodes() {
        let text =
            "postcode,easting,northing,lad_code\nAL1 1AA,514600,206900,E07000240\nNOT A CODE,1,1,E1\nAL1 1AB,east,1,E1\nAL1 1AA,1,1,E1\n"
        do {
            _ = try PostcodeStore.Directory(bytes: Array(text.utf8), file: "p.csv")
            Issue.record("should have failed")
        } catch {
            #expect(
                error.description
                    == "p.csv:3: postcode: 'NOT A CODE' is not a postcode\np.csv:4: easting: 'east' is not a whole number of metres from 0 to 2000000\np.csv:5: postcode: AL1 1AA appears twice\nNothing was imported from p.csv."
            )
        }
    }
}

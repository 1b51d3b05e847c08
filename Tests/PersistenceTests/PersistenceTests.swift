import Domain
import Foundation
import Testing

@testable import Persistence

@Suite("Database location")
struct DatabaseLocationTests {
    @Test(
        "DATABASE_URL selects the database",
        arguments: [
            (nil, DatabaseLocation.sqlite(path: "chalkface.sqlite")),
            ("", .sqlite(path: "chalkface.sqlite")),
            ("sqlite:data/c.sqlite", .sqlite(path: "data/c.sqlite")),
            ("sqlite:///tmp/c.sqlite", .sqlite(path: "/tmp/c.sqlite")),
            ("/var/lib/chalkface.db", .sqlite(path: "/var/lib/chalkface.db")),
            ("postgres://u:p@db:5432/chalkface", .postgres(url: "postgres://u:p@db:5432/chalkface")),
            ("postgresql://u@localhost/c", .postgres(url: "postgresql://u@localhost/c")),
        ] as [(String?, DatabaseLocation)])
    func parses(value: String?, expected: DatabaseLocation) throws {
        #expect(try DatabaseLocation(environmentValue: value) == expected)
    }

    @Test("Unusable values say what is wrong and what is expected")
    func refuses() {
        #expect(throws: ConfigurationError("DATABASE_URL sqlite: needs a file path, e.g. sqlite:data/chalkface.sqlite"))
        {
            try DatabaseLocation(environmentValue: "sqlite:")
        }
        #expect(throws: ConfigurationError.self) { try DatabaseLocation(environmentValue: "mysql://x@y/z") }
        #expect(throws: ConfigurationError.self) { try DatabaseLocation(environmentValue: "postgres://") }
    }

    @Test("The description hides a PostgreSQL password")
    func hidesPassword() {
        #expect(
            DatabaseLocation.postgres(url: "postgres://u:secret@db:5432/c").description
                == "PostgreSQL postgres://u:***@db:5432/c")
    }
}

@Suite("Files")
struct FileTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")

    @Test("gzip is read directly, and a plain file is read unchanged")
    func gzip() throws {
        let bytes = try GzipFile.read(
            Self.shared.appendingPathComponent("geography/postcodes_england_onspd.csv.gz").path)
        #expect(bytes.starts(with: Array("postcode,easting,northing,lad_code\n".utf8)))
        #expect(bytes.count > 50_000_000)
        let plain = FileManager.default.temporaryDirectory.appendingPathComponent("plain-\(UUID()).csv")
        try Data("a,b\n1,2\n".utf8).write(to: plain)
        defer { try? FileManager.default.removeItem(at: plain) }
        #expect(try GzipFile.read(plain.path) == Array("a,b\n1,2\n".utf8))
    }

    @Test("A missing file names the path")
    func missing() {
        #expect(throws: FileReadError.self) { try GzipFile.read("/nonexistent/postcodes.csv.gz") }
        do {
            _ = try GzipFile.read("/nonexistent/postcodes.csv.gz")
        } catch {
            #expect("\(error)" == "/nonexistent/postcodes.csv.gz: no such file, or it cannot be read")
        }
    }

    @Test("The bundled data loads: the district lookup, the authority centroids and the regional schools")
    func bundled() throws {
        let geography = try BundledData.geography()
        #expect(geography.localAuthority("886")?.name == "Kent")
        #expect(geography.localAuthority("E06000021")?.dfeCode == "861")
        #expect(geography.region(ofAuthority: "E10000028")?.name == "West Midlands")
        let centroids = try BundledData.authorityCentroids()
        #expect(centroids["E10000016"] == GridPoint(easting: 590_554, northing: 154_678))
        #expect(try BundledData.bytes(BundledData.regionalSchoolsFile).count > 300_000)
    }

    @Test("Postcodes without a grid reference are skipped; a file without the columns is refused")
    func postcodeDirectory() throws {
        let text = "postcode,easting,northing,lad_code\nAL1 1AA,514600,206900,E07000240\nAL1 9ZZ,,,E07000240\n"
        let directory = try PostcodeStore.Directory(bytes: Array(text.utf8), file: "p.csv")
        #expect(directory.entries.map(\.postcode) == ["AL11AA"])
        #expect(throws: ImportFileError.self) {
            try PostcodeStore.Directory(bytes: Array("pc,e,n\nAL1 1AA,1,1\n".utf8), file: "p.csv")
        }
    }
}

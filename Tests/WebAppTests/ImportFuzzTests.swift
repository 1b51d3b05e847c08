import Foundation
import SQLKit
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

/// Mutations of the real files, from a fixed seed and in a bounded number, through every importer: none crashes,
/// and a refused file leaves the database exactly as it was. Then the command-line import killed at random moments
/// leaves the old or the new complete set, never a mix.
@Suite("Importers under mutated files and kill -9")
struct ImportFuzzTests {
    /// One mutation of a file: truncation, byte flips, a duplicated or renamed header, another encoding or line
    /// ending, an extreme number in a random cell, a NUL, a deleted or doubled line.
    static func mutate(_ original: [UInt8], _ rng: inout Xoshiro256StarStar) -> [UInt8] {
        var bytes = original
        func below(_ n: Int) -> Int { Int(rng.next(below: UInt64(max(1, n)))) }
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
        switch below(10) {
        case 0: bytes = Array(bytes.prefix(below(bytes.count)))
        case 1:
            for _ in 0..<(1 + below(8)) where !bytes.isEmpty { bytes[below(bytes.count)] ^= UInt8(1 + below(255)) }
        case 2:
            // Duplicate a header column (`name` twice, say).
            var header = lines[0].split(separator: 0x2C).map { Array($0) }
            header.append(header[below(header.count)])
            bytes =
                Array(header.joined(separator: [0x2C])) + [0x0A] + Array(lines.dropFirst().joined(separator: [0x0A]))
        case 3:
            // Rename a header column to another's name.
            var header = lines[0].split(separator: 0x2C).map { Array($0) }
            if header.count > 1 { header[below(header.count)] = header[below(header.count)] }
            bytes =
                Array(header.joined(separator: [0x2C])) + [0x0A] + Array(lines.dropFirst().joined(separator: [0x0A]))
        case 4:
            // UTF-16, with or without a byte-order mark.
            let text = String(decoding: bytes, as: UTF8.self)
            bytes = (below(2) == 0 ? [0xFF, 0xFE] : []) + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case 5:
            // CR or CR LF line ends.
            let end: [UInt8] = below(2) == 0 ? [0x0D] : [0x0D, 0x0A]
            bytes = Array(lines.joined(separator: end))
        case 6:
            // An extreme number in a random cell of a random data line.
            let extremes = ["1e308", "-1e308", "NaN", "9223372036854775808", "0x1p10", "-0", "inf", "99999999999"]
            var mutable = lines
            let i = 1 + below(max(1, lines.count - 2))
            if i < mutable.count {
                var cells = mutable[i].split(separator: 0x2C, omittingEmptySubsequences: false).map { Array($0) }
                if !cells.isEmpty { cells[below(cells.count)] = Array(extremes[below(extremes.count)].utf8) }
                mutable[i] = Array(cells.joined(separator: [0x2C]))
            }
            bytes = Array(mutable.joined(separator: [0x0A]))
        case 7: if !bytes.isEmpty { bytes.insert(0, at: below(bytes.count)) }
        case 8:
            var mutable = lines
            if mutable.count > 2 { mutable.remove(at: 1 + below(mutable.count - 2)) }
            bytes = Array(mutable.joined(separator: [0x0A]))
        default:
            var mutable = lines
            if mutable.count > 2 {
                mutable.insert(mutable[1 + below(mutable.count - 2)], at: 1 + below(mutable.count - 2))
            }
            bytes = Array(mutable.joined(separator: [0x0A]))
        }
        return bytes
    }

    @Test("Schools, indicators and postcodes: 150 mutations each; refused files change nothing, none crashes")
    func mutations() async throws {
        try await withTestApp { app in
            let geography = try BundledData.geography()
            let schoolsFile =
                Array(
                    try BundledData.bytes(BundledData.regionalSchoolsFile).split(
                        separator: 0x0A, omittingEmptySubsequences: false
                    ).prefix(120).joined(separator: [0x0A])) + [0x0A]
            let original = try SchoolFile.read(schoolsFile, file: "schools.csv", geography: geography)
            _ = try await SchoolStore(app.db).importFile(original)
            let schools = original.schools.map(\.school).prefix(100)
            let indicatorFile = Array(
                ("urn,value,subject\n"
                    + schools.enumerated().map { "\($1.urn.value),\($0 % 7),Physics" }.joined(
                        separator: "\n") + "\n").utf8)
            var postcodeText = "postcode,easting,northing,lad_code\n"
            for i in 0..<200 { postcodeText += "TN\(i / 10 + 1) \(i % 10)AB,\(560_000 + i),\(140_000 + i),E07000111\n" }
            let postcodeFile = Array(postcodeText.utf8)
            _ = try await IndicatorStore(app.db).replace(
                name: "Fuzz", with: try IndicatorValue.read(indicatorFile, file: "i.csv"))
            try await PostcodeStore(app.db).replaceAll(
                with: try PostcodeStore.Directory(bytes: postcodeFile, file: "p.csv"))

            var rng = Xoshiro256StarStar(seed: 20_261_203)
            var refused = 0
            var accepted = 0
            for _ in 0..<150 {
                // Schools: a refused file (malformed) changes nothing; an accepted one is an upsert.
                let before = try await DatabaseFingerprint.read(app.db) { $0 == "schools" }
                do {
                    let file = try SchoolFile.read(
                        Self.mutate(schoolsFile, &rng), file: "fuzz.csv", geography: geography)
                    _ = try await SchoolStore(app.db).importFile(file)
                    accepted += 1
                } catch is ImportFileError {
                    refused += 1
                    #expect(try await DatabaseFingerprint.read(app.db) { $0 == "schools" } == before)
                }
                // Indicator values and postcodes: refused at reading or for what they would remove.
                let held = try await DatabaseFingerprint.read(app.db) {
                    $0 == "indicator_values" || $0 == "postcodes"
                }
                var changed = false
                do {
                    let values = try IndicatorValue.read(Self.mutate(indicatorFile, &rng), file: "i.csv")
                    _ = try await IndicatorStore(app.db).replace(name: "Fuzz", with: values)
                    changed = true
                } catch is ImportFileError {
                } catch is ImportRefusal {}
                do {
                    let directory = try PostcodeStore.Directory(bytes: Self.mutate(postcodeFile, &rng), file: "p.csv")
                    try await PostcodeStore(app.db).replaceAll(with: directory)
                    changed = true
                } catch is ImportFileError {
                } catch is ImportRefusal {}
                if !changed {
                    #expect(
                        try await DatabaseFingerprint.read(app.db) { $0 == "indicator_values" || $0 == "postcodes" }
                            == held)
                }
                // The other readers: cold-spot points, placement instances and trainee uploads never trap.
                let points = Self.mutate(
                    Array("id,x,y,value\na,500000,100000,1\nb,501000,100000,2\nc,502000,100000,9\n".utf8), &rng)
                _ = try? ColdSpotPoints.read(points, file: "p.csv", latitudeLongitude: false)
                _ = try? PlacementInstance.read(
                    meta: Self.mutate(
                        Array(
                            #"{"format":"placement-v1","travel_limit_m":40000,"unassigned_penalty":1000000,"subjects":["Maths"]}"#
                                .utf8), &rng),
                    schools: Self.mutate(
                        Array("school_id,x_m,y_m,phase,mentors,cap_0\n0,1,1,P,1,1\n1,5,5,S,2,2\n".utf8), &rng),
                    trainees: Self.mutate(Array("trainee_id,x_m,y_m,subject\n0,1,1,0\n1,3,3,0\n".utf8), &rng),
                    folder: "i")
            }
            #expect(refused > 30 && accepted > 10, "refused \(refused), accepted \(accepted)")
        }
    }

    @Test("Curriculum deployment: 150 mutations; a refused file changes nothing, none crashes")
    func deploymentMutations() async throws {
        try await withTestApp(seed: true) { app in
            let urns = try await SchoolStore(app.db).all(SchoolQuery(status: .open)).prefix(6).map(\.urn.value)
            var staff = TeacherFile.columns.joined(separator: ",") + "\n"
            var deployment = "urn,trn,subject,hours\n"
            let subjects: [TeachingSubject] = [
                .mathematics, .physics, .chemistry, .biology, .combinedScience, .english,
            ]
            for i in 0..<60 {
                let urn = urns[i % urns.count]
                let trn = 5_200_000 + i
                staff +=
                    "\(trn),Fuzz,Teacher\(i),,,,,\(subjects[i % 6].rawValue),\(urn),teacher,full-time,1,2020-09-01,,\n"
                deployment += "\(urn),\(trn),\(subjects[(i / 6) % 6].rawValue),\(10 + i % 9).5\n"
            }
            let entries = try TeacherFile.read(Array(staff.utf8), file: "staff.csv", thisYear: 2026)
            try await app.db.transaction { tx in
                _ = try await TeacherStore(tx).importEntries(entries, file: "staff.csv", author: "Fuzz", at: Date())
            }
            let file = Array(deployment.utf8)
            var rng = Xoshiro256StarStar(seed: 20_261_207)
            var refused = 0
            var accepted = 0
            for _ in 0..<150 {
                let before = try await DatabaseFingerprint.read(app.db) { $0 == "deployments" }
                do {
                    let read = try DeploymentFile.read(Self.mutate(file, &rng), file: "fuzz.csv")
                    _ = try await app.db.transaction { tx in
                        try await DeploymentStore(tx).importEntries(read, file: "fuzz.csv", author: "Fuzz", at: Date())
                    }
                    accepted += 1
                } catch is ImportFileError {
                    refused += 1
                    #expect(try await DatabaseFingerprint.read(app.db) { $0 == "deployments" } == before)
                }
            }
            #expect(refused > 30 && accepted > 5, "refused \(refused), accepted \(accepted)")
        }
    }

    /// The command-line tool this test target was built with.
    static var binary: String { Paths.repository.appendingPathComponent(".build/debug/chalkface").path }

    @Test(
        "kill -9 during a school import leaves the old or the new complete set",
        .enabled(if: FileManager.default.isExecutableFile(atPath: ImportFuzzTests.binary)))
    func crashConsistency() async throws {
        let (location, cleanup) = try await TestDatabase.make()
        defer { Task { try? await cleanup() } }
        let url: String
        switch location {
        case .sqlite(let path): url = path
        case .postgres(let u): url = u
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Old: the national list as published; new: every name changed (but those quoted, for simplicity). A mix would hold both kinds of name.
        let national = try String(
            contentsOfFile: Paths.shared("schools/schools_state_funded_open_2025-07.csv"), encoding: .utf8)
        var lines = national.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let nameColumn = try #require(header.firstIndex(of: "name"))
        var renamedLines = 0
        for i in 1..<lines.count where !lines[i].isEmpty && !lines[i].contains("\"") {
            renamedLines += 1
            var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[nameColumn] = "Renamed-" + cells[nameColumn]
            lines[i] = cells.joined(separator: ",")
        }
        let oldFile = Paths.shared("schools/schools_state_funded_open_2025-07.csv")
        let newFile = dir.appendingPathComponent("renamed.csv").path
        try lines.joined(separator: "\n").write(toFile: newFile, atomically: true, encoding: .utf8)

        func run(_ arguments: [String], killAfter: Duration? = nil) async throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["DATABASE_URL": url]) { _, b in b }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            if let killAfter {
                try await Task.sleep(for: killAfter)
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try await run(["import", "schools", oldFile]) == 0)
        let held = 17_673

        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        app.databases.use(try location.configuration, as: location.databaseID)
        do {
            var rng = Xoshiro256StarStar(seed: 7)
            var killedMidway = 0
            for round in 0..<8 {
                let file = round % 2 == 0 ? newFile : oldFile
                let delay = Duration.milliseconds(Int(300 + rng.next(below: 3_700)))
                let status = try await run(["import", "schools", file], killAfter: delay)
                let names = try await (app.db as! any SQLDatabase).raw(
                    "SELECT COUNT(*) AS n, COUNT(CASE WHEN name LIKE 'Renamed-%' THEN 1 END) AS renamed FROM schools"
                ).first()
                let n = try #require(try names?.decode(column: "n", as: Int.self))
                let renamed = try #require(try names?.decode(column: "renamed", as: Int.self))
                #expect(n == held, "round \(round): \(n) schools")
                #expect(renamed == 0 || renamed == renamedLines, "round \(round): a mix, \(renamed) of \(n) renamed")
                if status != 0 { killedMidway += 1 }
            }
            #expect(killedMidway >= 2, "the kills must land during imports for this to mean anything")
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

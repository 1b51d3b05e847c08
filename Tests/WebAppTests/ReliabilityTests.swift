import Domain
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import Persistence
@testable import WebApp

/// Each test here reproduces a crash or a silent data loss found by trying Chalkface as an attacker and a careless
/// operator would, and fails on the code before the fix.
@Suite("Reliability: extreme input, imports that would lose data, hostile requests")
struct ReliabilityTests {
    static let extremes = [
        "9223372036854775807", "-9223372036854775808", "99999999999999999999", "1e308", "-0", "NaN", "inf",
        "0x1p10", "%00", "1%0A2", "",
    ]

    @Test("Page numbers from Int.max down: a named 400, never an overflow (schools, API, audit)")
    func pageOverflow() async throws {
        try await withTestApp(seed: true) { app in
            for value in Self.extremes {
                for path in ["/schools?page=", "/api/v1/schools?page=", "/api/v1/schools?per_page="] {
                    let res = try await app.get(path + value)
                    #expect(res.status == .badRequest, "\(path)\(value)")
                }
            }
            let far = try await app.get("/api/v1/schools?page=10000")
            #expect(far.status == .ok)
            let agent = Agent(app)
            let coordinator = try app.demo(.coordinator)
            try await agent.signIn(coordinator.email, coordinator.password)
            for value in Self.extremes {
                let res = try await agent.get("/audit?page=\(value)")
                #expect(res.status == .badRequest, "audit page \(value)")
                #expect(
                    res.body.contains(
                        value == "%00"
                            ? "field 'page' holds a NUL character" : "Page must be a whole number"),
                    "audit page \(value)")
            }
        }
    }

    @Test("Sign-in's next= accepts only a same-site path, however it is encoded")
    func nextRedirect() {
        for bad in [
            "//evil.example", "/\t/evil.example", "/%09/evil.example", "/\\evil.example", "/%5Cevil.example",
            "/%2F/evil.example", "https://evil.example", "/\r\nLocation: x", "javascript:alert(1)", "/%0d%0a",
            " /x", "/\u{0}",
        ] {
            #expect(SitePathNext.safeNext(bad) == nil, "\(bad.debugDescription)")
        }
        #expect(SitePathNext.safeNext("/schools?q=a%20b&page=2") == "/schools?q=a%20b&page=2")
        #expect(SitePathNext.safeNext("/dashboard") == "/dashboard")
    }

    @Test("The sign-in form sends a hostile next= nowhere off-site")
    func nextRedirectEndToEnd() async throws {
        try await withTestApp(seed: true) { app in
            let agent = Agent(app)
            let coordinator = try app.demo(.coordinator)
            let page = try await agent.get("/sign-in?next=/%09/evil.example")
            let reply = try await agent.request(
                .POST, "/sign-in",
                form: [
                    "email": coordinator.email, "password": coordinator.password, "next": "/\t/evil.example",
                    "csrf_token": try #require(page.csrf),
                ])
            let location = try #require(reply.location)
            #expect(location.hasPrefix("/") && !location.hasPrefix("//") && !location.contains("evil"))
        }
    }

    @Test("A POST to an unknown path is a 404 before any body is read; a large form body is refused")
    func bodies() async throws {
        try await withTestApp { app in
            let agent = Agent(app)
            let big = String(repeating: "a", count: 200_000)
            let unknown = try await agent.request(.POST, "/no/such/path", raw: big)
            #expect(unknown.status == .notFound)
            let signIn = try await agent.request(
                .POST, "/sign-in", raw: "email=" + big, contentType: "application/x-www-form-urlencoded")
            #expect(signIn.status == .payloadTooLarge)
        }
    }

    @Test("Pages for signed-in people are not stored by browsers or proxies; every response has a request id")
    func noStore() async throws {
        try await withTestApp(seed: true) { app in
            let agent = Agent(app)
            let anonymous = try await agent.get("/schools")
            #expect(anonymous.headers.first(name: .cacheControl) == nil)
            #expect(anonymous.headers.first(name: "X-Request-Id")?.isEmpty == false)
            let coordinator = try app.demo(.coordinator)
            try await agent.signIn(coordinator.email, coordinator.password)
            for path in ["/dashboard", "/account", "/audit", "/schools"] {
                #expect(try await agent.get(path).headers.first(name: .cacheControl) == "no-store", "\(path)")
            }
        }
    }

    @Test("A malformed JSON or form body is answered in words, not the decoder's text")
    func decodingErrors() {
        let missing = ErrorMiddleware.problem(
            DecodingError.keyNotFound(
                AnyCodingKey("name"), .init(codingPath: [AnyCodingKey("trainee")], debugDescription: "No value")))
        #expect(missing == .init(field: "trainee.name", message: "is missing"))
        let wrong = ErrorMiddleware.problem(
            DecodingError.typeMismatch(
                Int.self, .init(codingPath: [AnyCodingKey("places")], debugDescription: "Expected Int")))
        #expect(wrong == .init(field: "places", message: "must be a whole number"))
    }
}

struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

@Suite("Imports that would lose data are refused")
struct ImportSafetyTests {
    static func gzip(_ text: String) throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("p.csv")
        try Data(text.utf8).write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", plain.path]
        try process.run()
        process.waitUntilExit()
        return [UInt8](try Data(contentsOf: dir.appendingPathComponent("p.csv.gz")))
    }

    static func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cf-\(UUID().uuidString).csv.gz")
            .path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static var directoryText: String {
        var text = "postcode,easting,northing,lad_code\n"
        for i in 0..<3_000 {
            text +=
                "AB\(i / 100 + 10) \(i % 10)\(["AA", "AB", "BA", "BB", "CC", "DD", "EE", "FF", "GG", "HH"][i / 10 % 10]),\(400_000 + i),\(200_000 + i),E07000001\n"
        }
        return text
    }

    @Test("A truncated gzip, or one with trailing garbage, is an error; a whole one reads back exactly")
    func gzipIntegrity() throws {
        let text = Self.directoryText
        let whole = try Self.gzip(text)
        let wholePath = try Self.write(whole)
        defer { try? FileManager.default.removeItem(atPath: wholePath) }
        #expect(try GzipFile.read(wholePath) == Array(text.utf8))
        // Two members, as `cat a.gz b.gz` makes: valid gzip, read whole.
        let twice = try Self.write(whole + whole)
        #expect(try GzipFile.read(twice) == Array((text + text).utf8))
        for cut in [whole.count / 2, whole.count - 4, whole.count - 9, 12] {
            let path = try Self.write(Array(whole.prefix(cut)))
            #expect(throws: FileReadError.self, "cut at \(cut)") { try GzipFile.read(path) }
            do {
                _ = try GzipFile.read(path)
            } catch {
                #expect("\(error)".contains("truncated") || "\(error)".contains("not a readable gzip"))
            }
        }
        let garbage = try Self.write(whole + Array("trailing junk".utf8))
        #expect(throws: FileReadError.self) { try GzipFile.read(garbage) }
        var flipped = whole
        flipped[flipped.count / 2] ^= 0xFF
        #expect(throws: FileReadError.self) { try GzipFile.read(try Self.write(flipped)) }
    }

    @Test("A decompression bomb is refused at the output limit, not after filling memory")
    func bomb() throws {
        let zeros = String(repeating: "0", count: 5_000_000)
        let path = try Self.write(try Self.gzip(zeros))
        #expect(throws: FileReadError.self) { try GzipFile.read(path, maximumBytes: 1_000_000) }
        #expect(try GzipFile.read(path, maximumBytes: 5_000_000).count == 5_000_000)
    }

    @Test("A header-only postcode file, or one that drops most postcodes, is refused unless --replace-all")
    func postcodeReplacement() async throws {
        try await withTestApp { app in
            let store = PostcodeStore(app.db)
            let full = try PostcodeStore.Directory(bytes: Array(Self.directoryText.utf8), file: "p.csv")
            try await store.replaceAll(with: full)
            let fingerprint = try await DatabaseFingerprint.read(app.db)
            let headerOnly = try PostcodeStore.Directory(
                bytes: Array("postcode,easting,northing,lad_code\n".utf8), file: "h.csv")
            await #expect(throws: ImportRefusal.self) { try await store.replaceAll(with: headerOnly, file: "h.csv") }
            let half = PostcodeStore.Directory(entries: Array(full.entries.prefix(1_500)))
            do {
                try await store.replaceAll(with: half, file: "half.csv")
                Issue.record("a replacement removing half the postcodes was accepted")
            } catch let refusal as ImportRefusal {
                #expect(refusal.description.contains("would remove 1500 of the 3000 postcodes"))
                #expect(refusal.description.contains("--replace-all"))
            }
            #expect(try await DatabaseFingerprint.read(app.db) == fingerprint)
            // A small change goes through; with the flag, anything does.
            try await store.replaceAll(with: PostcodeStore.Directory(entries: Array(full.entries.prefix(2_900))))
            #expect(try await store.count() == 2_900)
            try await store.replaceAll(with: half, replaceAll: true)
            #expect(try await store.count() == 1_500)
        }
    }

    @Test("Duplicate header names are an error in every importer (a renamed column would overwrite another)")
    func duplicateHeaders() throws {
        let schools = "urn,name,name,easting,northing,la_code,la_code_dfe,la_name\n1,A,Town,1,1,E1,1,X\n"
        #expect(throws: ImportFileError.self) {
            _ = try SchoolFile.read(Array(schools.utf8), file: "s.csv", geography: BundledData.geography())
        }
        #expect(throws: ImportFileError.self) {
            _ = try IndicatorValue.read(Array("urn,value,value\n1,2,3\n".utf8), file: "i.csv")
        }
        #expect(throws: ImportFileError.self) {
            _ = try PostcodeStore.Directory(
                bytes: Array("postcode,easting,easting,lad_code\nAB1 1AA,1,2,E1\n".utf8), file: "p.csv")
        }
    }

    @Test("An indicator file whose URNs match no school, or that drops most values, is refused")
    func indicatorReplacement() async throws {
        try await withTestApp(seed: true) { app in
            let schools = try await SchoolStore(app.db).all(SchoolQuery(localAuthority: "887", status: .open))
            var text = "urn,value\n"
            for (i, s) in schools.enumerated() { text += "\(s.urn.value),\(i % 5)\n" }
            let values = try IndicatorValue.read(Array(text.utf8), file: "v.csv")
            let store = IndicatorStore(app.db)
            _ = try await store.replace(name: "Vacancies", with: values)
            let fingerprint = try await DatabaseFingerprint.read(app.db)
            let strangers = try IndicatorValue.read(Array("urn,value\n999991,1\n999992,2\n".utf8), file: "x.csv")
            await #expect(throws: ImportRefusal.self) {
                try await store.replace(name: "Vacancies", with: strangers, file: "x.csv")
            }
            await #expect(throws: ImportRefusal.self) {
                try await store.replace(name: "Vacancies", with: Array(values.prefix(5)), file: "few.csv")
            }
            #expect(try await DatabaseFingerprint.read(app.db) == fingerprint)
            let replaced = try await store.replace(name: "Vacancies", with: Array(values.prefix(5)), replaceAll: true)
            #expect(replaced.stored == 5)
        }
    }

    @Test("Extreme numbers in every column of the importers are named errors, never a trap")
    func extremeColumns() throws {
        let header = "urn,name,easting,northing,la_code,la_code_dfe,la_name,latitude,longitude"
        for column in 0..<9 {
            for value in ReliabilityTests.extremes + [String(repeating: "9", count: 400)] {
                var fields = ["141308", "A school", "500000", "150000", "E10000016", "886", "Kent", "51.2", "1.1"]
                fields[column] = value
                let text = header + "\n" + fields.joined(separator: ",") + "\n"
                // Either read (the value was acceptable) or refused with a named problem: never a crash.
                do {
                    _ = try SchoolFile.read(Array(text.utf8), file: "s.csv", geography: BundledData.geography())
                } catch let error as ImportFileError {
                    #expect(error.problems.allSatisfy { $0.message.count < 300 })
                }
            }
        }
        let long =
            "urn,name,easting,northing,la_code,la_code_dfe,la_name\n1,\(String(repeating: "N", count: 300)),500000,150000,E10000016,886,Kent\n"
        #expect(throws: ImportFileError.self) {
            _ = try SchoolFile.read(Array(long.utf8), file: "s.csv", geography: BundledData.geography())
        }
        let points = "id,x,y,value\na,1e200,1,1\nb,2,2,2\nc,3,3,3\n"
        #expect(throws: ImportFileError.self) {
            _ = try ColdSpotPoints.read(Array(points.utf8), file: "p.csv", latitudeLongitude: false)
        }
        for band in [1e-300, 0, -1, .nan, .infinity, 1e300] {
            #expect(throws: GetisOrdError.self) {
                _ = try GetisOrd.compute(
                    x: [0, 1, 2], y: [0, 1, 2], values: [1, 2, 3],
                    options: .init(neighbourhood: .distanceBand(metres: band)))
            }
        }
        let meta =
            #"{"format":"placement-v1","travel_limit_m":40000,"unassigned_penalty":1000000000000000000,"subjects":["Maths"]}"#
        #expect(throws: ImportFileError.self) {
            _ = try PlacementInstance.read(
                meta: Array(meta.utf8), schools: Array("school_id,x_m,y_m,phase,mentors,cap_0\n0,1,1,P,1,1\n".utf8),
                trainees: Array("trainee_id,x_m,y_m,subject\n0,1,1,0\n".utf8), folder: "i")
        }
    }

    @Test("CR-only line ends (old Mac files) are read as lines, not as one long row")
    func crOnly() throws {
        let values = try IndicatorValue.read(Array("urn,value\r141308,2\r118598,3\r".utf8), file: "mac.csv")
        #expect(values.map(\.line) == [2, 3])
    }
}

@Suite("Running Chalkface for a partnership")
struct OperationsTests {
    @Test("A production start creates no demo data; setup makes the partnership and its first coordinator")
    func productionStart() async throws {
        let (location, cleanup) = try await TestDatabase.make()
        defer { Task { try? await cleanup() } }
        var config = try AppConfiguration.fromEnvironment(["CHALKFACE_ENV": "production"])
        #expect(config.seedDemoData == false)
        config.database = location
        config.passwordCost = 4
        config.seedPostcodes = false
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config)
            #expect(try await SchoolStore(app.db).count(status: .all) == 0)
            #expect(try await PeopleStore(app.db).all().isEmpty)
            #expect(try await OrganisationStore(app.db).list().isEmpty)
            let year = PlacementOfferController.planningYear(Date())
            #expect(try await TraineeStore(app.db).trainees(year: year).isEmpty)
            #expect(app.demoAccounts.isEmpty)
            await #expect(throws: Domain.ValidationError.self) {
                _ = try await UserAdministration.createAdmin(app, email: "a@b.example", name: nil, organisation: nil)
            }
            let done = try await UserAdministration.setup(
                app, partnership: "Kent Teacher Partnership", organisation: "Kent County Council",
                kind: .localAuthority, localAuthorities: ["E10000016"], email: "jo@kent.example", adminName: "Jo",
                bundledData: false)
            #expect(done.admin.link.contains("/links/"))
            let people = try await PeopleStore(app.db).all()
            #expect(people.count == 1 && people[0].memberships.map(\.role) == [.coordinator])
            await #expect(throws: Domain.ValidationError.self) {
                _ = try await UserAdministration.setup(
                    app, partnership: "Again", organisation: "X", kind: .localAuthority, localAuthorities: [],
                    email: "b@b.example", adminName: nil, bundledData: false)
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test("A backup restored into a fresh database holds exactly the same rows (SQLite or PostgreSQL)")
    func backupRoundTrip() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        var original: DatabaseFingerprint?
        var source: DatabaseLocation?
        try await withTestApp(seed: true) { app in
            let location = try #require(app.configuration?.database)
            source = location
            try await Backup.write(location, database: app.db, to: file)
            original = try await DatabaseFingerprint.read(app.db)
            await #expect(throws: Backup.Failure.self) { try await Backup.write(location, database: app.db, to: file) }
        }
        let before = try #require(original)
        #expect(before.tables.count > 15 && before.tables.contains { $0.name == "schools" && $0.rows == 1_739 })
        let (target, cleanup) = try await TestDatabase.make()
        do {
            #expect(source != target)
            try await Backup.restore(target, from: file, replace: false) { true }
            let app = try await Application.make(.testing)
            app.logger.logLevel = .warning
            do {
                app.databases.use(try target.configuration, as: target.databaseID)
                let restored = try await DatabaseFingerprint.read(app.db)
                #expect(restored == before, "\(restored)")
                #expect(try await Backup.isEmpty(app.db) == false)
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
            // A database that holds data is not overwritten without --replace.
            await #expect(throws: Backup.Failure.self) {
                try await Backup.restore(target, from: file, replace: false) { false }
            }
        } catch {
            try? await cleanup()
            throw error
        }
        try await cleanup()
    }
}

@Suite("Watching it run: metrics and logs")
struct ObservabilityTests {
    @Test("/metrics: Prometheus text with requests by route pattern and status, and analysis durations")
    func metrics() async throws {
        try await withTestApp(seed: true) { app in
            let token = String(repeating: "m", count: 32)
            app.configuration?.metricsToken = token
            // In-process requests have no peer address: without the token they are refused.
            #expect(try await app.get("/metrics").status == .forbidden)
            _ = try await app.get("/schools?q=a")
            _ = try await app.get("/schools/999999999")
            _ = try await app.get("/coldspots.csv?band=9000")
            var reply: TestingHTTPResponse?
            try await app.testing().test(
                .GET, "/metrics", beforeRequest: { $0.headers.bearerAuthorization = .init(token: token) },
                afterResponse: { reply = $0 })
            let res = try #require(reply)
            #expect(res.status == .ok)
            #expect(res.headers.contentType?.subType == "plain")
            let text = res.text
            #expect(text.contains("http_requests_total{"))
            #expect(text.contains(#"path="/schools/:urn""#) && text.contains(#"status="404""#))
            #expect(text.contains("http_request_duration_seconds_bucket{"))
            #expect(text.contains(#"chalkface_analysis_duration_seconds_count{analysis="coldspots"}"#))
            var wrong: TestingHTTPResponse?
            try await app.testing().test(
                .GET, "/metrics", beforeRequest: { $0.headers.bearerAuthorization = .init(token: token + "x") },
                afterResponse: { wrong = $0 })
            #expect(wrong?.status == .forbidden)
        }
    }

    @Test("LOG_FORMAT and METRICS_TOKEN are read once and bad values are named")
    func settings() throws {
        let c = try AppConfiguration.fromEnvironment([
            "LOG_FORMAT": "json", "METRICS_TOKEN": String(repeating: "t", count: 30),
        ])
        #expect(c.logFormat == .json && c.metricsToken?.count == 30)
        #expect(throws: ConfigurationError.self) { try AppConfiguration.fromEnvironment(["LOG_FORMAT": "xml"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration.fromEnvironment(["METRICS_TOKEN": "short"]) }
    }
}

@Suite("Methods an address does not take")
struct MethodTests {
    @Test("405 with Allow for a method the address does not take; 404 where there is no such address")
    func methodNotAllowed() async throws {
        try await withTestApp { app in
            var reply: TestingHTTPResponse?
            try await app.testing().test(.DELETE, "/api/v1/schools", afterResponse: { reply = $0 })
            #expect(reply?.status == .methodNotAllowed)
            #expect(reply?.headers.first(name: .allow) == "GET, HEAD")
            try await app.testing().test(.PUT, "/schools/141308", afterResponse: { reply = $0 })
            #expect(reply?.status == .methodNotAllowed)
            try await app.testing().test(.GET, "/no/such/place", afterResponse: { reply = $0 })
            #expect(reply?.status == .notFound)
        }
    }
}

@Suite("A write lock held elsewhere")
struct LockWaitTests {
    @Test(
        "A request that must write waits a bounded time, then answers 503 with Retry-After; once released it goes through"
    )
    func boundedWait() async throws {
        try await withTestApp(seed: true) { app in
            let location = try #require(app.configuration?.database)
            let coordinator = try app.demo(.coordinator)
            let agent = Agent(app)
            let token = try #require(try await agent.get("/sign-in").csrf)
            let form = ["email": coordinator.email, "password": coordinator.password, "csrf_token": token]

            // Another process holding the write lock: here another pool on the same database, in a transaction
            // that has written (SQLite: the database's one write lock) or locked the sessions table (PostgreSQL).
            nonisolated(unsafe) let client = agent  // used only inside the transaction below, in sequence
            let holder = try await Application.make(.testing)
            holder.logger.logLevel = .warning
            do {
                holder.databases.use(try location.configuration, as: location.databaseID)
                try await holder.db.transaction { tx in
                    let sql = try #require(tx as? any SQLDatabase)
                    if location.databaseID == .sqlite {
                        try await sql.raw("UPDATE schools SET name = name WHERE urn = (SELECT MIN(urn) FROM schools)")
                            .run()
                    } else {
                        try await sql.raw("LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE").run()
                    }
                    let started = ContinuousClock.now
                    let reply = try await client.request(.POST, "/sign-in", form: form)
                    let waited = ContinuousClock.now - started
                    #expect(reply.status == .serviceUnavailable, "\(reply.status) \(reply.body.prefix(200))")
                    #expect(reply.headers.first(name: .retryAfter) == String(LockWait.seconds))
                    #expect(reply.body.contains("The database is busy with another change"))
                    #expect(waited >= .seconds(LockWait.seconds - 1) && waited < .seconds(LockWait.seconds * 3))
                }
            } catch {
                try? await holder.asyncShutdown()
                throw error
            }
            try await holder.asyncShutdown()
            // Once the lock is released the same sign-in goes through.
            let after = try await agent.signIn(coordinator.email, coordinator.password)
            #expect(after.status == .seeOther)
        }
    }
}

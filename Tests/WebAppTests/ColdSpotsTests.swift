import Foundation
import Persistence
import Testing
import Vapor

@testable import Domain
@testable import Pages
@testable import WebApp

@Suite("Cold spots")
struct ColdSpotsTests {
    func csvRows(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\r\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        return lines.dropFirst().map { line in
            // The test data have no quoted fields with commas except names; split from the right for numbers.
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields.count > header.count {
                let extra = fields.count - header.count
                fields[1] = fields[1...(1 + extra)].joined(separator: ",")
                fields.removeSubrange(2...(1 + extra))
            }
            return Dictionary(uniqueKeysWithValues: zip(header, fields))
        }
    }

    @Test("The page maps ITT lead-school cold spots over the partnership's schools and explains the method")
    func page() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/coldspots")
            #expect(res.status == .ok)
            #expect(res.text.contains("<strong>1,739</strong>schools analysed"))
            #expect(res.text.contains("Gi* classes of schools in South East"))
            #expect(res.text.contains("Most significant cold spots"))
            #expect(res.text.contains("How this is worked out"))
            #expect(
                res.text.contains(
                    "href=\"/coldspots.csv?indicator=itt-lead-schools&neighbours=band&band=10000&confidence=90\""))
        }
    }

    @Test("The CSV download gives the same numbers as Gi* run directly on the same schools, as the CLI does")
    func downloadMatchesDirectRun() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/coldspots.csv?indicator=itt-lead-schools&band=12000&la=886")
            #expect(res.status == .ok)
            #expect(res.headers.first(name: .contentDisposition) == "attachment; filename=\"coldspots.csv\"")
            let rows = csvRows(res.text)
            let kent = try await SchoolStore(app.db).all(SchoolQuery(localAuthority: "886", status: .open))
                .filter { $0.location != nil }
            #expect(rows.count == kent.count)
            let direct = try GetisOrd.compute(
                x: kent.map { $0.location!.easting }, y: kent.map { $0.location!.northing },
                values: kent.map { $0.isITTLeadSchool ? 1 : 0 },
                options: .init(neighbourhood: .distanceBand(metres: 12_000)))
            let byURN = Dictionary(uniqueKeysWithValues: rows.map { ($0["urn"]!, $0) })
            for (school, gi) in zip(kent, direct) {
                let row = try #require(byURN[String(school.urn.value)])
                #expect(Double(row["gi_z"]!) == gi.z)
                #expect(Int(row["class"]!) == gi.classification)
                #expect(Int(row["neighbours"]!) == gi.neighbours)
            }
        }
    }

    @Test("Imported indicators with subjects: import, choose a subject, download GeoJSON with WGS84 points")
    func importedIndicator() async throws {
        try await withTestApp(seed: true) { app in
            let schools = try await SchoolStore(app.db).all(SchoolQuery(localAuthority: "887", status: .open))
            var text = "urn,value,subject\n"
            for (i, s) in schools.enumerated() {
                text += "\(s.urn.value),\(i % 7),Physics\n\(s.urn.value),\(i % 3),Mathematics\n"
            }
            text += "999999,2,Physics\n"
            let values = try IndicatorValue.read(Array(text.utf8), file: "v.csv")
            let result = try await IndicatorStore(app.db).replace(name: "Vacancies", with: values)
            #expect(result.stored == schools.count * 2 && result.rejected.map(\.urn) == ["999999"])
            await #expect(throws: ImportRefusal.self) {
                try await IndicatorStore(app.db).replace(name: "Vacancies", with: Array(values.prefix(4)))
            }
            let again = try await IndicatorStore(app.db).replace(
                name: "Vacancies", with: Array(values.prefix(4)), replaceAll: true)
            #expect(again.replaced == schools.count * 2 && again.stored == 4)
            _ = try await IndicatorStore(app.db).replace(name: "Vacancies", with: values)

            let page = try await app.get("/coldspots?indicator=imported:Vacancies&subject=Physics&la=887")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h2>Vacancies: Physics</h2>"))
            #expect(page.text.contains("<strong>\(schools.count)</strong>schools analysed"))
            let geo = try await app.get("/coldspots.geojson?indicator=imported:Vacancies&subject=Mathematics&la=887")
            let features = try #require(geo.object["features"] as? [[String: Any]])
            #expect(features.count == schools.count)
            let coordinates = (features[0]["geometry"] as? [String: Any])?["coordinates"] as? [Double]
            #expect(coordinates.map { $0.count == 2 && (-3...2).contains($0[0]) && (50...54).contains($0[1]) } == true)
            let unknownSubject = try await app.get("/coldspots?indicator=imported:Vacancies&subject=Latin")
            #expect(unknownSubject.status == .badRequest)
            #expect(unknownSubject.text.contains("Choose a subject from the list: Mathematics, Physics"))
        }
    }

    @Test("Bad settings are named; a download with bad settings is a 400; an indicator with no variation says so")
    func badSettings() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/coldspots?band=abc&confidence=80&fdr=2&la=999&indicator=nope")
            #expect(res.status == .badRequest)
            // The GOV.UK pattern: "Error:" in the title, a summary linking to each field, the field's own message.
            #expect(res.text.contains("<title>Error: Cold spots"))
            #expect(res.text.contains("There is a problem"))
            for field in ["indicator", "band", "confidence", "fdr", "la"] {
                #expect(res.text.contains("href=\"#\(field)\""), "summary links to \(field)")
                #expect(res.text.contains("id=\"\(field)-error\""), "message beside \(field)")
            }
            #expect(res.text.contains("Distance band must be a number of metres from 100 to 200000"))
            // No map and no results for settings that were not applied.
            #expect(!res.text.contains("<svg") || !res.text.contains("Gi* classes of schools"))
            #expect(!res.text.contains("schools analysed"))
            for extreme in ["1e308", "NaN", "0x1p10", "-0", "9223372036854775807", "inf"] {
                #expect(try await app.get("/coldspots?band=\(extreme)").status == .badRequest, "\(extreme)")
                if extreme != "-0" {
                    #expect(try await app.get("/coldspots?permutations=\(extreme)").status == .badRequest)
                }
            }
            #expect(try await app.get("/coldspots.csv?k=0&neighbours=knn").status == .badRequest)
            let flat = try IndicatorValue.read(Array("urn,value\n141308,1\n118598,1\n101095,1\n".utf8), file: "f.csv")
            _ = try await IndicatorStore(app.db).replace(name: "Flat", with: flat)
            let page = try await app.get("/coldspots?indicator=imported:Flat")
            #expect(page.text.contains("all values are equal"))
            #expect(try await app.get("/coldspots.csv?indicator=imported:Flat").status == .unprocessableEntity)
        }
    }

    @Test("k nearest neighbours, a false discovery rate and permutations are honoured and reproducible")
    func options() async throws {
        try await withTestApp(seed: true) { app in
            let plain = csvRows(try await app.get("/coldspots.csv?neighbours=knn&k=12").text)
            #expect(plain.allSatisfy { $0["neighbours"] == "12" })
            let fdr = csvRows(try await app.get("/coldspots.csv?neighbours=knn&k=12&fdr=0.05").text)
            #expect(fdr.filter { $0["class"] != "0" }.count <= plain.filter { $0["class"] != "0" }.count)
            let a = try await app.get("/coldspots.csv?permutations=99&seed=5").text
            let b = try await app.get("/coldspots.csv?permutations=99&seed=5").text
            #expect(a == b)
            #expect(csvRows(a).allSatisfy { !($0["p_sim"] ?? "").isEmpty })
        }
    }

    @Test("The demo's lead-school indicator with 999 permutations: no school whose sum ties often is significant")
    func tiesOnTheDemo() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/coldspots.csv?permutations=999&confidence=95")
            #expect(res.status == .ok)
            let rows = Dictionary(uniqueKeysWithValues: csvRows(res.text).map { ($0["urn"]!, $0) })
            let schools = try await SchoolStore(app.db).open(inLocalAuthorities: DemoSeed.pilotAuthorities)
                .filter { $0.location != nil }
            let n = schools.count
            #expect(rows.count == n)
            let values = schools.map { $0.isITTLeadSchool ? 1.0 : 0.0 }
            let zeros = values.filter { $0 == 0 }.count
            let (counts, sums) = GetisOrd.bandSums(
                x: schools.map { $0.location!.easting }, y: schools.map { $0.location!.northing }, values: values,
                band: 10_000)
            var checked = 0
            for (i, school) in schools.enumerated() where values[i] == 0 && sums[i] == 0 {
                // Its neighbourhood sum is 0; the permutations that draw k non-lead schools match it exactly.
                // Their expected share (hypergeometric):
                let k = Int(counts[i])
                var share = 1.0
                for j in 0..<k { share *= Double(zeros - 1 - j) / Double(n - 1 - j) }
                guard share >= 0.05 else { continue }
                checked += 1
                let row = try #require(rows[String(school.urn.value)])
                #expect(abs(Int(row["class"]!)!) < 2, "URN \(school.urn): k \(k), tie share \(share)")
                #expect(Double(row["p_sim"]!)! > 0.025)
            }
            #expect(checked > 20, "the demo must have many such schools for this to mean anything")
        }
    }

    @Test("Each listed cold spot says in how many of five neighbourhoods it is cold, and the list sorts by it")
    func robustness() async throws {
        try await withTestApp(seed: true) { app in
            let page = try await app.get("/coldspots")
            #expect(page.status == .ok)
            #expect(page.text.contains("Cold in"))
            #expect(page.text.contains(" of 5</td>"))
            #expect(page.text.contains("Why the answer depends on the neighbourhood"))
            let robust = try await app.get("/coldspots?sort=robustness")
            #expect(robust.text.contains("Most robust cold spots"))
            // The counts come from the same analysis run five times.
            let schools = try await SchoolStore(app.db).open(inLocalAuthorities: DemoSeed.pilotAuthorities)
            let counts = ColdSpotAnalysis.robustness(
                schools: schools, values: { $0.isITTLeadSchool ? 1 : 0 }, options: GetisOrdOptions(), minimumLevel: 1)
            let top = try #require(counts.values.max())
            #expect(robust.text.contains("\(top) of 5</td>"))
            let cells = robust.text.components(separatedBy: " of 5</td>").dropLast().compactMap { chunk in
                chunk.split(separator: ">").last.flatMap { Int($0) }
            }
            #expect(cells == cells.sorted(by: >), "sorted by robustness: \(cells)")
            #expect(try await app.get("/coldspots?sort=sideways").status == .badRequest)
        }
    }

    @Test("Anonymous visitors get at most 999 permutations; identical requests are answered from the cache")
    func boundedWork() async throws {
        try await withTestApp(seed: true) { app in
            let many = try await app.get("/coldspots?permutations=9999")
            #expect(many.status == .badRequest)
            #expect(many.text.contains("sign in to ask for up to 9999"))
            #expect(await app.coldSpotCache.count == 0)
            let first = try await app.get("/coldspots.csv?permutations=99&seed=7")
            #expect(await app.coldSpotCache.count == 1)
            let second = try await app.get("/coldspots.csv?permutations=99&seed=7")
            #expect(first.text == second.text)
            #expect(await app.coldSpotCache.count == 1)
            _ = try await app.get("/coldspots.csv?permutations=99&seed=8")
            #expect(await app.coldSpotCache.count == 2)
        }
    }

    @Test("The heavy-work limiter runs a few at once, queues a few, and turns the rest away with Retry-After")
    func limiter() async throws {
        let limiter = HeavyWorkLimiter(running: 1, waiting: 1)
        let gate = Gate()
        async let a: Int = limiter.run {
            gate.wait()
            return 1
        }
        try await Task.sleep(for: .milliseconds(100))
        async let b: Int = limiter.run { 2 }
        try await Task.sleep(for: .milliseconds(100))
        do {
            _ = try await limiter.run { 3 }
            Issue.record("a third heavy request was accepted while one ran and one waited")
        } catch let abort as Abort {
            #expect(abort.status == .serviceUnavailable)
            #expect(abort.headers.first(name: .retryAfter) == "5")
        }
        gate.open()
        #expect(try await a == 1)
        #expect(try await b == 2)
        #expect(try await limiter.run { 4 } == 4)
    }

    @Test("The area table: places, trainees, vacancies, hours and internships by area; page, CSV and stores agree")
    func areaTable() async throws {
        try await withTestApp(seed: true) { app in
            // The test database holds no postcode directory: place each demo trainee's home postcode in the
            // district of the school nearest their home, as the directory would.
            let year = PlacementOfferController.planningYear(app.clock.now())
            var directory = "postcode,easting,northing,lad_code\n"
            var seen: Set<String> = []
            for t in try await TraineeStore(app.db).trainees(year: year)
            where seen.insert(t.homePostcode.compact).inserted {
                let school = try await SchoolStore(app.db).near(t.home, radius: 20_000, limit: 1).first
                guard let d = school?.district?.code else { continue }
                directory += "\(t.homePostcode),\(Int(t.home.easting)),\(Int(t.home.northing)),\(d)\n"
            }
            _ = try await PostcodeStore(app.db).replaceAll(with: .init(bytes: Array(directory.utf8), file: "p.csv"))
            // A plain view offers the table without working it out; its form asks for it.
            let plain = try await app.get("/coldspots")
            #expect(plain.text.contains("id=\"area-table\"") && plain.text.contains("Show the area table"))
            #expect(!plain.text.contains("id=\"area-placements\""))
            let page = try await app.get("/coldspots?area_subject=")
            #expect(page.status == .ok)
            for id in ["area-table", "area-placements", "area-specialists", "area-internships"] {
                #expect(page.text.contains("id=\"\(id)\""))
            }
            #expect(page.text.contains("fewer than 10"))
            #expect(page.text.contains("Download the area table"))
            for bad in [">nan<", ">inf<", "NaN", ">-nan<"] { #expect(!page.text.contains(bad)) }

            let res = try await app.get("/coldspots/areas.csv")
            #expect(res.status == .ok)
            #expect(res.headers.first(name: .contentDisposition) == "attachment; filename=\"areas.csv\"")
            let rows = csvRows(res.text)
            let perTable = rows.count / (1 + TeachingSubject.allCases.count)
            #expect(rows.count == perTable * (1 + TeachingSubject.allCases.count))
            #expect(perTable > 5)
            // Every count of people is 0 or at least 10; every ratio rests on at least 10 and is the ratio shown.
            for row in rows {
                for column in ["trainees_seeking", "referrals", "tsst_enrolments", "internship_applicants"] {
                    if let n = Int(row[column]!) { #expect(n == 0 || n >= 10) } else { #expect(row[column] == "") }
                }
                for (ratio, num, den) in [
                    ("places_per_trainee", "places_offered", "trainees_seeking"),
                    ("referrals_per_vacancy", "referrals", "open_vacancies"),
                    ("applicants_per_place", "internship_applicants", "internship_places"),
                ] {
                    guard let v = Double(row[ratio]!) else { continue }
                    let (n, d) = (try #require(Int(row[num]!)), try #require(Int(row[den]!)))
                    #expect(d >= 10)
                    #expect(abs(v - Double(n) / Double(d)) < 0.0005)
                }
                #expect(!row.values.contains { $0.contains("nan") || $0.contains("inf") })
            }
            // The partnership's places for all subjects are this planning year's offered places at its schools.
            let authorities = Set(try await ColdSpotsController.partnershipAuthorities(app.db).map(\.code))
            let offers = try await OfferStore(app.db).offers(year: year).filter(\.appetite.offersPlaces)
            let schools = try await SchoolStore(app.db).find(offers.map(\.urn))
            let places = offers.filter { authorities.contains(schools[$0.urn]?.localAuthority?.code ?? "") }
                .reduce(0) { $0 + $1.places.values.reduce(0, +) }
            let total = try #require(rows.first { $0["level"] == "partnership" && $0["subject"] == "" })
            #expect(places > 0)
            #expect(Int(total["places_offered"]!) == places)
            let byLA = rows.filter { $0["level"] == "la" && $0["subject"] == "" }
            #expect(byLA.reduce(0) { $0 + Int($1["places_offered"]!)! } == places)
            // At least one area has enough trainees for its ratio to show, and one has too few.
            #expect(rows.contains { $0["places_per_trainee"] != "" })
            #expect(rows.contains { $0["trainees_seeking"] == "" })

            // One subject, with DfE's national need beside it; a subject not on the list is a named error.
            let maths = try await app.get("/coldspots?area_subject=mathematics")
            #expect(maths.status == .ok)
            let need = try #require(try BundledData.traineeNeed().need(.mathematics, upTo: year))
            #expect(maths.text.contains("trainees in mathematics in \(need.year) at \(need.trainees.formatted)"))
            #expect(maths.text.contains("Placement places and trainees per area, mathematics"))
            let wrong = try await app.get("/coldspots?area_subject=alchemy")
            #expect(wrong.status == .badRequest)
            #expect(wrong.text.contains("href=\"#area_subject\""))
            #expect(wrong.text.contains("Choose a subject from the list"))
            #expect(wrong.text.contains("<title>Error: Cold spots"))
        }
    }
}

/// A one-shot gate that a background thread can wait on.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}

import Domain
import Foundation
import Persistence
import Testing
import Vapor

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
            let again = try await IndicatorStore(app.db).replace(name: "Vacancies", with: Array(values.prefix(4)))
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
            #expect(unknownSubject.text.contains("subject must be one of Mathematics, Physics"))
        }
    }

    @Test("Bad settings are named; a download with bad settings is a 400; an indicator with no variation says so")
    func badSettings() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/coldspots?band=abc&confidence=80&fdr=2&la=999&indicator=nope")
            #expect(res.status == .badRequest)
            for field in ["indicator", "band", "confidence", "fdr", "la"] {
                #expect(res.text.contains("\(field) must") || res.text.contains("\(field) '"))
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
}

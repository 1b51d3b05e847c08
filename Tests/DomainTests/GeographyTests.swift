import Testing

@testable import Domain

@Suite("British National Grid and WGS84")
struct GeographyTests {
    @Test("Every bundled school's easting/northing converts to its published latitude/longitude within 5 m")
    func schoolsFileAgrees() throws {
        // Given the regional schools file, which carries both grid and WGS84 positions (converted with PROJ)
        let table = try CSVTable(bytes: Fixtures.bytes(Fixtures.regionalSchools), file: "schools", encoding: .utf8)
        var worst = 0.0
        var checked = 0
        for row in table.rows {
            guard let e = Double(row["easting"]), let n = Double(row["northing"]), let lat = Double(row["latitude"]),
                let lon = Double(row["longitude"])
            else { continue }
            // When converted both ways
            let computed = BritishNationalGrid.toWGS84(GridPoint(easting: e, northing: n))
            let back = BritishNationalGrid.fromWGS84(LatLon(latitude: lat, longitude: lon))
            // Then both land within 5 m of the published position
            worst = max(worst, computed.distance(to: LatLon(latitude: lat, longitude: lon)))
            worst = max(worst, back.distance(to: GridPoint(easting: e, northing: n)))
            checked += 1
        }
        #expect(checked == 1_739)
        #expect(worst < 5, "worst difference \(worst) m")
    }

    @Test("The OS worked example: grid 651409.903, 313177.270 is 52°39'27.2531\"N 1°43'4.5177\"E on OSGB36")
    func ordnanceSurveyExample() {
        // The OS guide's example is on the OSGB36 datum; WGS84 differs from it by the Helmert shift (~100 m here).
        let p = BritishNationalGrid.toWGS84(GridPoint(easting: 651_409.903, northing: 313_177.270))
        #expect(abs(p.latitude - 52.6576) < 0.001)
        #expect(abs(p.longitude - 1.7164) < 0.002)
        let grid = BritishNationalGrid.fromWGS84(p)
        #expect(grid.distance(to: GridPoint(easting: 651_409.903, northing: 313_177.270)) < 0.01)
    }

    @Test("Distances on the grid and on the sphere agree for nearby points")
    func distances() {
        let a = GridPoint(easting: 530_000, northing: 180_000)
        let b = GridPoint(easting: 533_000, northing: 184_000)
        #expect(a.distance(to: b) == 5_000)
        let sphere = BritishNationalGrid.toWGS84(a).distance(to: BritishNationalGrid.toWGS84(b))
        #expect(abs(sphere - 5_000) < 15)
    }

    @Test(
        "Postcodes are normalised, and non-postcodes refused",
        arguments: [
            ("me1 1aa", "ME1 1AA"), ("B1  1AA", "B1 1AA"), ("SW1A1AA", "SW1A 1AA"), (" ec3a 5de ", "EC3A 5DE"),
        ])
    func postcodes(input: String, expected: String) {
        #expect(Postcode(input)?.value == expected)
        #expect(Postcode(input)?.compact == expected.filter { $0 != " " })
    }

    @Test(
        "Text that is not a postcode is refused",
        arguments: ["", "ME1", "12345", "ME1 AAA", "M E 1 1 A A !", "ABCDEFGH"])
    func notPostcodes(input: String) {
        #expect(Postcode(input) == nil)
    }
}

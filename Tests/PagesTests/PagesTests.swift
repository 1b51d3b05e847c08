import Domain
import Testing

@testable import Pages

@Suite("Pages as pure functions")
struct PagesTests {
    static let kent = LocalAuthority(code: "E10000016", dfeCode: "886", name: "Kent")

    static func school(_ urn: Int, _ name: String, at point: GridPoint? = nil) -> School {
        School(
            urn: URN(urn), name: name, phase: .primary, phaseSource: .name, postcode: "CT3 3JW", location: point,
            localAuthority: kent)
    }

    @Test("Text from data is escaped everywhere it appears")
    func escaping() {
        let hostile = Self.school(
            1, "<script>alert(1)</script> & \"Co\"", at: GridPoint(easting: 600_000, northing: 150_000))
        let html = SchoolPage.html(
            .init(school: hostile, organisations: [], nearby: [hostile], mapRadius: 5_000), chrome: .anonymous
        )
        .render()
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(SVGMap.escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;")
    }

    @Test("A school with no position says so instead of drawing a map")
    func noLocation() {
        let html = SchoolPage.html(
            .init(school: Self.school(2, "Nowhere School"), organisations: [], nearby: [], mapRadius: 5_000),
            chrome: .anonymous
        ).render()
        #expect(html.contains("could not be placed"))
        #expect(!html.contains("<svg"))
    }

    @Test("Pagination shows the first, last and neighbouring pages with gaps, keeping the filters")
    func pagination() {
        let query = SchoolQuery(search: "church school", localAuthority: "886", phase: .primary, page: 5)
        let results = Page(items: [Self.school(3, "A")], total: 500, page: 5, perPage: 25)
        let html = SchoolsPage.html(
            .init(query: query, results: results, authorities: [Self.kent], districts: []), chrome: .anonymous
        )
        .render()
        #expect(html.contains("Showing 101 to 125 of 500 schools"))
        for page in [1, 4, 5, 6, 20] {
            #expect(html.contains("aria-label=\"Page \(page)\""), "page \(page)")
        }
        #expect(!html.contains("aria-label=\"Page 10\""))
        #expect(html.contains("href=\"/schools?q=church%20school&la=886&phase=primary&page=6\" rel=\"next\""))
        #expect(html.contains("<li><span>…</span></li>"))
    }

    @Test("Map bounds fit the points with a margin and never collapse to nothing")
    func bounds() throws {
        let one = try #require(SVGMap.Bounds.around([GridPoint(easting: 100, northing: 200)]))
        #expect(one.maxE - one.minE >= 2_000 && one.maxN - one.minN >= 2_000)
        #expect(SVGMap.Bounds.around([]) == nil)
        let svg = SVGMap.render(
            id: "m", title: "T", description: "D",
            bounds: .centred(on: GridPoint(easting: 0, northing: 0), radius: 5_000),
            points: [.init(at: GridPoint(easting: 0, northing: 0), marker: .subject, title: "Here")])
        #expect(svg.contains("role=\"img\" aria-labelledby=\"m-title m-desc\""))
        #expect(svg.contains("<text x=\"12\""))  // the scale bar's label
        #expect(svg.contains(">2 km</text>"))
    }

    @Test("Numbers are written with thousands separators")
    func numbers() {
        #expect(17_673.formatted == "17,673")
        #expect(999.formatted == "999")
        #expect(1_000_000.formatted == "1,000,000")
    }

    @Test("The error page says what to do next")
    func errorPage() {
        let html = ErrorPage.html(status: 404, reason: "There is no school with URN 9.", chrome: .anonymous).render()
        #expect(html.contains("<h1>Page not found</h1>"))
        #expect(html.contains("There is no school with URN 9."))
    }
}

@Suite("Hostile input")
struct HostileInputTests {
    @Test("A search that tries to break out of the search box's value is escaped")
    func reflectedSearch() {
        let attack = "\"><script>alert(1)</script><input value=\""
        let query = SchoolQuery(search: attack, localAuthority: "\"><b>x")
        let html = SchoolsPage.html(
            .init(
                query: query, results: Page(items: [], total: 0, page: 1, perPage: 25),
                authorities: [LocalAuthority(code: "\"><b>x", dfeCode: "1", name: "X")], districts: []),
            chrome: .anonymous
        ).render()
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>x"))
        #expect(html.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;input value=&quot;\""))
        #expect(
            html.contains("<title>Schools matching &quot;&gt;&lt;script&gt;")
                || html.contains("<title>Schools matching \"&gt;&lt;script&gt;"))
    }
}

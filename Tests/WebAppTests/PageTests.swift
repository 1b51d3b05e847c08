import Foundation
import Testing
import Vapor

@testable import WebApp

@Suite("Pages through the server")
struct PageTests {
    @Test("Home shows the partnership, headline counts and a map per region")
    func home() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/")
            #expect(res.status == .ok)
            #expect(res.headers.contentType == .html)
            let html = res.text
            #expect(html.contains("South East and Staffordshire Teacher Partnership (demo)"))
            #expect(html.contains("<strong>1,739</strong>open state-funded schools"))
            #expect(html.contains("<strong>52</strong>ITT lead schools"))
            #expect(html.contains("id=\"region-map-1-title\">Map of open schools in South East"))
            #expect(html.contains("id=\"region-map-2-title\">Map of open schools in West Midlands"))
            #expect(res.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
        }
    }

    @Test("The schools list searches, filters and pages, keeping the filters in the page links")
    func schoolsList() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/schools?la=886&page=2")
            #expect(res.status == .ok)
            #expect(res.text.contains("Showing 26 to 50 of 597 schools"))
            #expect(res.text.contains("href=\"/schools?la=886&page=3\" aria-label=\"Page 3\""))
            #expect(res.text.contains("<option value=\"\">Any</option>"))
            #expect(res.text.contains("<option value=\"E10000016\" selected=\"selected\">Kent</option>"))
            let search = try await app.get("/schools?q=Adisham")
            #expect(search.text.contains("Showing 1 to 1 of 1 schools"))
            #expect(search.text.contains("href=\"/schools/141308\""))
            let bad = try await app.get("/schools?phase=nope")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("There is a problem"))
            #expect(bad.text.contains("phase must be one of"))
        }
    }

    @Test("A school page shows its details, trust membership and a map; unknown URNs are a 404 page")
    func schoolPage() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/schools/141308")
            #expect(res.status == .ok)
            #expect(res.text.contains("<h1>Adisham Church of England Primary School</h1>"))
            #expect(res.text.contains("guessed from the school"))
            #expect(res.text.contains("<svg"))
            #expect(res.text.contains("Nearest schools"))
            // The map's schools are links in a list after it, not inside the image; towns named for orientation.
            let svg = try #require(res.text.components(separatedBy: "<svg").dropFirst().first)
            #expect(!svg.components(separatedBy: "</svg>")[0].contains("<a "))
            #expect(res.text.contains("<summary>All ") && res.text.contains("schools on the map</summary>"))
            #expect(svg.contains("Canterbury</text>"))
            let missing = try await app.get("/schools/999999")
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("Page not found"))
            #expect(missing.text.contains("There is no school with URN 999999."))
            // A school in a demo trust lists it.
            let trusts =
                try await app.get("/api/v1/organisations?kind=multi-academy-trust").object["items"] as? [[String: Any]]
            #expect(trusts?.count == 3)
        }
    }

    @Test("The partnership page lists members by kind")
    func partnership() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/partnership")
            #expect(res.status == .ok)
            for heading in [
                "Universities", "SCITTs", "Multi-academy trusts", "Local authorities", "Teaching school hubs",
                "Maths Hubs", "Research Schools", "Schools",
            ] {
                #expect(res.text.contains(">\(heading)</h2>"), "\(heading)")
            }
            #expect(res.text.contains("Canterbury Christ Church University"))
            #expect(res.text.contains("14 schools"))
        }
    }

    @Test("Unknown pages are a 404 page; the stylesheet is served")
    func notFoundAndAssets() async throws {
        try await withTestApp { app in
            let res = try await app.get("/nowhere")
            #expect(res.status == .notFound)
            #expect(res.text.contains("Page not found"))
            let css = try await app.get("/assets/chalkface.css")
            #expect(css.status == .ok)
            #expect(css.headers.contentType?.subType == "css")
        }
    }
}

import Domain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import WebApp

@Suite("JSON API")
struct APITests {
    struct Listing: Decodable {
        struct Item: Decodable {
            let urn: Int
            let name: String
        }
        let items: [Item]
        let total: Int
        let page: Int
        let perPage: Int
        let pageCount: Int
    }

    func all(_ app: Application, _ query: String, perPage: Int = 50) async throws -> (urns: [Int], total: Int) {
        var urns: [Int] = []
        var page = 1
        var total = 0
        while true {
            let res = try await app.get("/api/v1/schools?\(query)&per_page=\(perPage)&page=\(page)")
            #expect(res.status == .ok)
            let listing = try res.json(Listing.self)
            total = listing.total
            urns += listing.items.map(\.urn)
            if page >= listing.pageCount { break }
            page += 1
        }
        return (urns, total)
    }

    @Test("A NUL byte or other control character in a text filter is a 400, on SQLite and PostgreSQL alike")
    func controlCharacters() async throws {
        try await withTestApp { app in
            for name in ["q", "la", "district"] {
                for value in ["%00", "P.P%1C_%1CZA0%0051n%09IsE"] {
                    let api = try await app.get("/api/v1/schools?\(name)=\(value)")
                    #expect(api.status == .badRequest, "\(name)")
                    let page = try await app.get("/schools?\(name)=\(value)")
                    #expect(page.status == .badRequest, "\(name)")
                }
            }
        }
    }

    @Test("A NUL in any query string, on every page and API route, is a 400 naming the field before a handler runs")
    func nulInEveryQuery() async throws {
        try await withTestApp { app in
            let paths = Set(
                app.routes.all.filter { $0.method == .GET }.map { route in
                    "/"
                        + route.path.map { c -> String in
                            switch c {
                            case .parameter: return UUID().uuidString
                            case .catchall, .anything: return "x"
                            default: return c.description
                            }
                        }.joined(separator: "/")
                })
            #expect(paths.count > 50)
            for path in paths.sorted() {
                let res = try await app.get("\(path)?page=1&cycle=a%00b")
                #expect(res.status == .badRequest, "\(path)")
                #expect(res.body.string.contains("'cycle'"), "\(path)")
            }
            #expect(NulCharacterMiddleware.field(inEncoded: "a=1&b=2") == nil)
            #expect(NulCharacterMiddleware.field(inEncoded: "x%00=1") == "a field name")
            #expect(NulCharacterMiddleware.field(inEncoded: "a=1&first+name=x%00") == "field 'first name'")
        }
    }

    @Test("Kent's 597 schools come back across pages, each exactly once, by DfE number or GSS code")
    func kentAcrossPages() async throws {
        try await withTestApp(seed: true) { app in
            for la in ["886", "E10000016", "e10000016"] {
                let (urns, total) = try await all(app, "la=\(la)", perPage: 50)
                #expect(total == 597)
                #expect(urns.count == 597)
                #expect(Set(urns).count == 597)
            }
        }
    }

    @Test("Filters: district, phase, ITT lead school, and search by name, postcode and URN")
    func filters() async throws {
        try await withTestApp(seed: true) { app in
            // Canterbury district, primary phase (from the name heuristic)
            let canterbury = try await all(app, "district=E07000106&phase=primary")
            #expect(canterbury.total > 20)
            let leads = try await all(app, "itt_lead_school=true")
            #expect(leads.total == 52)
            let medwayLeads = try await all(app, "la=887&itt_lead_school=true")
            #expect(medwayLeads.total > 0 && medwayLeads.total < 52)
            #expect(try await all(app, "q=141308").urns == [141308])
            #expect(try await all(app, "q=CT3%203JW").urns.contains(141308))
            #expect(try await all(app, "q=ct33jw").urns.contains(141308))
            #expect(try await all(app, "q=adisham%20primary").urns == [141308])
            #expect(try await all(app, "q=ADISHAM").urns == [141308])
            let ct3 = try await all(app, "q=CT3")
            #expect(ct3.urns.contains(141308) && ct3.total > 1)
            // LIKE wildcards in the search are taken literally
            #expect(try await all(app, "q=%25").total == 0)
            #expect(try await all(app, "q=_").total == 0)
        }
    }

    @Test("Pages are in a stable order: name, then URN")
    func stableOrder() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/api/v1/schools?la=886&per_page=200")
            let names = try res.json(Listing.self).items.map { ($0.name.lowercased(), $0.urn) }
            #expect(names.count == 200)
            let folded = names.map { (String($0.0.map { $0.isLetter || $0.isNumber ? $0 : " " }), $0.1) }
            #expect(folded.map(\.0) == folded.sorted { $0 < $1 }.map(\.0))
            #expect(folded.map(\.1) == folded.sorted { $0 < $1 }.map(\.1))
        }
    }

    @Test("Bad parameters are refused with every field named")
    func badParameters() async throws {
        try await withTestApp { app in
            let res = try await app.get(
                "/api/v1/schools?phase=bogus&page=0&per_page=1000&itt_lead_school=maybe&status=gone")
            #expect(res.status == .badRequest)
            let problems = (res.object["problems"] as? [[String: String]])?.compactMap { $0["field"] }
            #expect(problems == ["phase", "itt_lead_school", "status", "page", "per_page"])
            let kind = try await app.get("/api/v1/organisations?kind=club")
            #expect(kind.status == .badRequest)
            #expect((kind.object["reason"] as? String)?.contains("kind must be one of university") == true)
        }
    }

    @Test("One school by URN; unknown and malformed URNs are 404 with a reason")
    func detail() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/api/v1/schools/141308")
            #expect(res.status == .ok)
            let o = res.object
            #expect(o["name"] as? String == "Adisham Church of England Primary School")
            #expect((o["local_authority"] as? [String: String])?["dfe_code"] == "886")
            #expect(o["easting"] as? Double == 622643)
            #expect(o["npq_high_pupil_premium_2021_22"] as? Bool == false)
            let missing = try await app.get("/api/v1/schools/999999")
            #expect(missing.status == .notFound)
            #expect(missing.object["reason"] as? String == "There is no school with URN 999999.")
            #expect(try await app.get("/api/v1/schools/abc").status == .notFound)
            #expect(try await app.get("/api/v1/schools/-5").status == .notFound)
        }
    }

    @Test("Organisations: the demo partnership's members, by kind, with trusts' school counts")
    func organisations() async throws {
        try await withTestApp(seed: true) { app in
            let res = try await app.get("/api/v1/organisations")
            #expect(res.status == .ok)
            let items = try #require(res.object["items"] as? [[String: Any]])
            #expect(items.count == res.object["total"] as? Int)
            let kinds = Set(items.compactMap { $0["kind"] as? String })
            #expect(kinds == Set(OrganisationKind.allCases.map(\.rawValue)))
            let trusts =
                try await app.get("/api/v1/organisations?kind=multi-academy-trust").object["items"] as? [[String: Any]]
            #expect(trusts?.map { $0["school_count"] as? Int } == [9, 12, 14])
            #expect(trusts?.allSatisfy { ($0["partnership_ids"] as? [String])?.count == 1 } == true)
            let las =
                try await app.get("/api/v1/organisations?kind=local-authority").object["items"] as? [[String: Any]]
            #expect(las?.count == 7)
        }
    }

    @Test("Health check answers with the database kind")
    func health() async throws {
        try await withTestApp { app in
            let res = try await app.get("/healthz")
            #expect(res.status == .ok)
            #expect(res.object["status"] as? String == "ok")
            #expect(["sqlite", "postgresql"].contains(res.object["database"] as? String ?? ""))
        }
    }
}

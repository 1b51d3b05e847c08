import Foundation
import Persistence
import Testing
import Vapor

@testable import WebApp

@Suite("OpenAPI document")
struct OpenAPITests {
    func document(_ app: Application) async throws -> [String: Any] {
        try await app.get("/api/v1/openapi.json").object
    }

    @Test("Describes exactly the API routes the application registers, with their methods")
    func pathsMatchRoutes() async throws {
        try await withTestApp { app in
            let doc = try await document(app)
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, ops) in paths { for method in ops.keys { documented.insert("\(method.uppercased()) \(path)") } }
            let registered = Set(
                app.routes.all
                    .map { route in
                        "\(route.method.rawValue) /"
                            + route.path.map { c -> String in
                                if case .parameter(let name) = c { return "{\(name)}" }
                                return c.description
                            }.joined(separator: "/")
                    }
                    .filter { $0.contains(" /api/") || $0.hasSuffix(" /healthz") })
            #expect(documented == registered)
        }
    }

    @Test(
        "The schools list's text filters document the control characters the server refuses, so a client (or a fuzzer) reads the same rule"
    )
    func textFilterPattern() async throws {
        try await withTestApp { app in
            let doc = try await document(app)
            let paths = try #require(doc["paths"] as? [String: [String: [String: Any]]])
            let parameters = try #require(paths["/api/v1/schools"]?["get"]?["parameters"] as? [[String: Any]])
            let samples = [
                "Canterbury", "St Mary’s", "E10000016", "", "a\u{0}b", "\u{1C}", "x\u{84}y", "\u{7F}", "l\u{2028}",
            ]
            for name in ["q", "la", "district"] {
                let parameter = try #require(parameters.first { $0["name"] as? String == name })
                let pattern = try #require((parameter["schema"] as? [String: Any])?["pattern"] as? String, "\(name)")
                let regex = try NSRegularExpression(pattern: pattern)
                for sample in samples {
                    // The whole value must match (ICU's `$` would also match before a final line separator).
                    let whole = NSRange(sample.startIndex..., in: sample)
                    let documented = regex.firstMatch(in: sample, range: whole)?.range == whole
                    let encoded = try #require(
                        sample.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
                    let res = try await app.get("/api/v1/schools?\(name)=\(encoded)")
                    #expect(documented == (res.status == .ok), "\(name)=\(sample.debugDescription): \(res.status)")
                }
            }
        }
    }

    @Test("Operations that need credentials declare the security scheme; public ones do not")
    func security() async throws {
        try await withTestApp { app in
            let doc = try await document(app)
            let paths = try #require(doc["paths"] as? [String: [String: [String: Any]]])
            let schemes = (doc["components"] as? [String: Any])?["securitySchemes"] as? [String: [String: Any]]
            #expect(schemes?["bearerAuth"]?["scheme"] as? String == "bearer")
            for route in app.routes.all {
                let path =
                    "/"
                    + route.path.map { c -> String in
                        if case .parameter(let name) = c { return "{\(name)}" }
                        return c.description
                    }.joined(separator: "/")
                guard path.hasPrefix("/api/"), let op = paths[path]?[route.method.rawValue.lowercased()] else {
                    continue
                }
                let declared = op["security"] != nil
                #expect(declared == (route.access != .everyone), "\(path)")
                if declared {
                    let responses = op["responses"] as? [String: Any] ?? [:]
                    #expect(responses["401"] != nil, "\(path)")
                    let res = try await app.get(path.replacingOccurrences(of: "{id}", with: UUID().uuidString))
                    #expect(res.status == .unauthorized, "\(path)")
                    #expect(res.headers.first(name: "WWW-Authenticate") == "Bearer", "\(path)")
                }
            }
        }
    }

    @Test("Every list parameter the document names is one the handler reads")
    func parametersAreRead() async throws {
        try await withTestApp(seed: true) { app in
            let doc = try await document(app)
            let paths = try #require(doc["paths"] as? [String: [String: [String: Any]]])
            let params = try #require(paths["/api/v1/schools"]?["get"]?["parameters"] as? [[String: Any]])
            let names = params.compactMap { $0["name"] as? String }
            #expect(names == ["q", "la", "district", "phase", "itt_lead_school", "status", "page", "per_page"])
            // An invalid value for each is refused by name: so each is read.
            for name in names where name != "q" && name != "la" && name != "district" {
                let res = try await app.get("/api/v1/schools?\(name)=not-valid")
                #expect(res.status == .badRequest, "\(name)")
                let fields = (res.object["problems"] as? [[String: String]])?.compactMap { $0["field"] }
                #expect(fields == [name])
            }
            // And the text filters narrow the result.
            let everything = try await app.get("/api/v1/schools").object["total"] as? Int ?? 0
            for (name, value) in [("q", "academy"), ("la", "887"), ("district", "E07000106")] {
                let narrowed = try await app.get("/api/v1/schools?\(name)=\(value)").object["total"] as? Int ?? 0
                #expect(narrowed > 0 && narrowed < everything, "\(name)")
            }
        }
    }

    @Test("Responses carry only properties the schemas declare, and every required one")
    func responsesMatchSchemas() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let doc = try await document(app)
            let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            func check(_ value: [String: Any], against name: String) {
                guard let schema = schemas[name], let props = schema["properties"] as? [String: [String: Any]] else {
                    Issue.record("no schema \(name)")
                    return
                }
                let required = Set(schema["required"] as? [String] ?? [])
                #expect(
                    Set(value.keys).isSubset(of: Set(props.keys)), "\(name): \(Set(value.keys).subtracting(props.keys))"
                )
                #expect(required.isSubset(of: Set(value.keys)), "\(name) misses \(required.subtracting(value.keys))")
                for (key, v) in value {
                    if let ref = props[key]?["$ref"] as? String, let nested = v as? [String: Any] {
                        check(nested, against: String(ref.split(separator: "/").last!))
                    }
                    if let items = props[key]?["items"] as? [String: Any], let ref = items["$ref"] as? String,
                        let array = v as? [[String: Any]]
                    {
                        for element in array { check(element, against: String(ref.split(separator: "/").last!)) }
                    }
                }
            }
            check(try await app.get("/api/v1/schools?la=886").object, against: "SchoolPage")
            check(try await app.get("/api/v1/schools/141308").object, against: "School")
            check(try await app.get("/api/v1/organisations").object, against: "OrganisationList")
            let cpd = try await app.get("/api/v1/cpd").object
            check(cpd, against: "CPDCatalogue")
            let programmes = try await Persistence.CPDStore(app.db).count()
            #expect((cpd["programmes"] as? [Any])?.count == programmes)
            check(try await app.get("/healthz").object, against: "Health")
            let dates = try await app.get("/api/v1/experience").object
            check(dates, against: "ExperienceDateList")
            #expect(!((dates["dates"] as? [Any])?.isEmpty ?? true))
            let events = try await app.get("/api/v1/events").object
            check(events, against: "RecruitmentEventList")
            #expect(!((events["events"] as? [Any])?.isEmpty ?? true))
            check(try await app.get("/api/v1/events?kind=rave").object, against: "Error")
            check(try await app.get("/api/v1/schools/1").object, against: "Error")
            let coordinator = try app.demo(.coordinator)
            let school = try app.demo(.schoolStaff)
            for account in [coordinator, school] {
                let agent = Agent(app)
                _ = try await agent.signIn(account.email, account.password)
                let teachers = try await agent.get("/api/v1/teachers").object
                check(teachers, against: "TeacherList")
                #expect(account.email != school.email || !((teachers["items"] as? [Any])?.isEmpty ?? true))
                check(try await agent.get("/api/v1/retention?by=phase").object, against: "Retention")
                check(try await agent.get("/api/v1/retention?by=bogus").object, against: "Error")
            }
            check(try await app.get("/api/v1/schools?page=x").object, against: "Error")

            // Enrolments, scoped: the teacher's own; the managing provider's, with names; coordinators' counts.
            let store = Persistence.CPDStore(app.db)
            let programme = try #require(
                try await store.programmes().first { $0.title == "Mentor development: the first term" })
            let cohort = try #require(try await store.cohorts(of: programme.id).first)
            let teacherAccount = try app.demo(.teacher)
            let teacher = Agent(app)
            _ = try await teacher.signIn(teacherAccount.email, teacherAccount.password)
            let base = "/cpd/\(programme.id.uuidString.lowercased())"
            _ = try await teacher.submit("\(base)/cohorts/\(cohort.id.uuidString.lowercased())/enrol", from: base, [:])
            let own = try await teacher.get("/api/v1/cpd/enrolments").object
            check(own, against: "CPDEnrolmentList")
            #expect(own["scope"] as? String == "own" && (own["enrolments"] as? [Any])?.count == 1)
            let provider = Agent(app)
            _ = try await provider.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let managed = try await provider.get("/api/v1/cpd/enrolments").object
            check(managed, against: "CPDEnrolmentList")
            let first = (managed["enrolments"] as? [[String: Any]])?.first
            #expect(managed["scope"] as? String == "provider" && first?["name"] as? String == teacherAccount.name)
            let coordinatorAgent = Agent(app)
            _ = try await coordinatorAgent.signIn(coordinator.email, coordinator.password)
            let counts = try await coordinatorAgent.get("/api/v1/cpd/enrolments").object
            check(counts, against: "CPDEnrolmentList")
            #expect(counts["scope"] as? String == "counts" && (counts["enrolments"] as? [Any])?.isEmpty == true)
            #expect((counts["counts"] as? [String: Int])?["requested"] == 1)
            #expect(try await app.get("/api/v1/cpd/enrolments").status == .unauthorized)
            let funnel = try await provider.get("/api/v1/applications/funnel").object
            check(funnel, against: "ApplicationFunnel")
            #expect((funnel["columns"] as? [Any])?.count == 2)
            check(try await coordinatorAgent.get("/api/v1/applications/funnel").object, against: "ApplicationFunnel")
            // Early-career: the demo ECT's suggestions with reasons; the region's areas; this term's peer groups.
            let suggestions = try await teacher.get("/api/v1/ects/suggestions").object
            check(suggestions, against: "SuggestionList")
            #expect(suggestions["early_career"] as? Bool == true)
            let firstSuggestion = try #require((suggestions["suggestions"] as? [[String: Any]])?.first)
            check(firstSuggestion, against: "Suggestion")
            #expect((firstSuggestion["reason"] as? String)?.hasPrefix("Because your mentor rated assessment") == true)
            let areas = try await coordinatorAgent.get("/api/v1/ects/development-areas").object
            check(areas, against: "DevelopmentAreas")
            for area in areas["areas"] as? [[String: Any]] ?? [] { check(area, against: "DevelopmentArea") }
            #expect((areas["areas"] as? [Any])?.count == 8)
            _ = try await coordinatorAgent.submit(
                "/ects/peer-groups/form", from: "/ects/peer-groups", ["minimum": "5", "maximum": "8"])
            let groups = try await coordinatorAgent.get("/api/v1/ects/peer-groups").object
            check(groups, against: "PeerGroupList")
            #expect(!((groups["groups"] as? [Any])?.isEmpty ?? true))
            #expect(try await teacher.get("/api/v1/ects/peer-groups").status == .forbidden)
            // Specialist teaching: the generated deployment, every school for coordinators, none of another's for
            // a school's staff.
            let specialists = try await coordinatorAgent.get("/api/v1/specialists").object
            check(specialists, against: "SpecialistTeaching")
            let partnership = try #require(specialists["partnership"] as? [[String: Any]])
            #expect(!partnership.isEmpty)
            for s in partnership { check(s, against: "SpecialistSubject") }
            #expect(!((specialists["schools"] as? [Any])?.isEmpty ?? true))
            let schoolAgent = Agent(app)
            _ = try await schoolAgent.signIn(school.email, school.password)
            let ownOnly = try await schoolAgent.get("/api/v1/specialists").object
            check(ownOnly, against: "SpecialistTeaching")
            let ownURN = try await PlacementOfferTests.ownSchool(app).value
            #expect((ownOnly["schools"] as? [[String: Any]])?.allSatisfy { $0["urn"] as? Int == ownURN } == true)
            #expect(try await teacher.get("/api/v1/specialists").status == .forbidden)
            // Vacancies: every open one for coordinators, a school's own for its staff, closed ones with outcomes.
            let open = try await coordinatorAgent.get("/api/v1/vacancies").object
            check(open, against: "VacancyList")
            let openItems = try #require(open["vacancies"] as? [[String: Any]])
            #expect(!openItems.isEmpty && openItems.allSatisfy { $0["outcome"] == nil })
            let ownVacancies = try await schoolAgent.get("/api/v1/vacancies").object
            check(ownVacancies, against: "VacancyList")
            #expect((ownVacancies["vacancies"] as? [[String: Any]])?.allSatisfy { $0["urn"] as? Int == ownURN } == true)
            #expect(try await teacher.get("/api/v1/vacancies").status == .forbidden)
            // Internship places for the coming summer, for anyone signed in; a year that is not one is a 400.
            let offers = try await teacher.get("/api/v1/internships").object
            check(offers, against: "InternshipOfferList")
            #expect(!((offers["offers"] as? [Any])?.isEmpty ?? true))
            #expect(try await teacher.get("/api/v1/internships?year=99999999999999999999").status == .badRequest)
        }
    }
}

import Foundation
import PropertyBased
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

/// Every query parameter of every GET route and every field of every form a staff member can reach, fed extreme
/// values: the answer is always a page or a 4xx with words, never a crash or a 5xx, and a refused form writes
/// nothing.
@Suite("Extreme values in every route and form")
struct ExtremeInputTests {
    static let extremes: [String] = [
        "9223372036854775807", "-9223372036854775808", "1e308", "-1e308", "-0", "NaN", "inf", "-inf", "0x1p10",
        "\u{0}\u{1B}[31m\r\n", "%00", String(repeating: "9", count: 400), String(repeating: "é", count: 5_000),
        "'; DROP TABLE schools; --", "<script>alert(1)</script>", "../../etc/passwd", "2026/27", "",
    ]

    /// Every query parameter any route reads.
    static let parameters = [
        "page", "per_page", "q", "la", "district", "phase", "status", "itt_lead_school", "year", "run", "indicator",
        "subject", "band", "k", "neighbours", "confidence", "fdr", "permutations", "seed", "sort", "actor",
        "person", "action", "from", "to", "kind", "added", "saved", "invited", "next", "signed_out", "compare",
        "trainee", "first", "second", "changed", "withdrawn", "responded", "cycle", "route", "provider", "imported",
        "area_subject",
    ]

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    struct IDs {
        var urn: String
        var provider: String
        var organisation: String
        var person: String
        /// One of the provider's trainees in the year being planned, so its pages and forms are reached too.
        var trainee: String
        /// A CPD programme the provider manages, so its page's forms (cohorts, asking for a place) are reached.
        var programme: String
        /// A post-16 institution, for its review form.
        var post16: String
    }

    static func path(_ route: Route, _ ids: IDs) -> String {
        let first = route.path.first.map { "\($0)" } ?? ""
        return "/"
            + route.path.map { component -> String in
                guard case .parameter(let name) = component else { return "\(component)" }
                switch name {
                case "urn" where first == "post16": return ids.post16
                case "urn": return ids.urn
                case "programme": return ids.programme
                case "id" where first == "providers": return ids.provider
                case "id" where first == "organisations": return ids.organisation
                case "id" where first == "accounts" || first == "people": return ids.person
                case "trainee": return ids.trainee
                default: return UUID().uuidString.lowercased()
                }
            }.joined(separator: "/")
    }

    /// Rows that a refused form must leave as they were (the audit log and sessions change on every request).
    /// The demo's application choices and survey invitations and responses are left out of this read: the swept
    /// forms cannot write them (they change only by a file upload and on a survey's own pages, which have their
    /// own tests), and reading them after every one of a thousand submissions would double the sweep's time.
    static func state(_ app: Application) async throws -> DatabaseFingerprint {
        try await DatabaseFingerprint.read(app.db) { name in
            ![
                "audit_events", "sessions", "sign_in_failures", "_fluent_migrations", "outbox", "data_versions",
                "schools", "postcodes", "application_choices", "survey_invitations", "survey_responses",
            ].contains(name)
        }
    }

    @Test("GET routes: every parameter at once with each extreme, then random parameters and strings")
    func getRoutes() async throws {
        try await withTestApp(seed: true) { app in
            let agent = Agent(app)
            let coordinator = try app.demo(.coordinator)
            try await agent.signIn(coordinator.email, coordinator.password)
            let ids = try await Self.ids(app)
            let routes = app.routes.all.filter { $0.method == .GET && $0.path.first != "metrics" }
            var failures: [String] = []
            for route in routes {
                let base = Self.path(route, ids)
                for value in Self.extremes {
                    let query = Self.parameters.map { "\($0)=\(Self.encode(value))" }.joined(separator: "&")
                    let reply = try await agent.get(base + "?" + query)
                    if reply.status.code >= 500 { failures.append("\(base) with \(value.prefix(20)): \(reply.status)") }
                }
                // Extreme values in the path itself.
                if route.path.contains(where: { if case .parameter = $0 { true } else { false } }) {
                    for value in Self.extremes where !value.isEmpty {
                        let path =
                            "/"
                            + route.path.map { c -> String in
                                if case .parameter = c { return Self.encode(value) }
                                return "\(c)"
                            }.joined(separator: "/")
                        let reply = try await agent.get(path)
                        if reply.status.code >= 500 { failures.append("\(path.prefix(60)): \(reply.status)") }
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
            let paths = routes.map { Self.path($0, ids) }
            await propertyCheck(
                count: 300,
                input: Gen.int(in: 0...(paths.count - 1)), Gen.int(in: 0...(Self.parameters.count - 1)),
                Gen.int(in: 0...(Self.extremes.count - 1)), Gen.ascii.string(of: 0...30), Gen.bool
            ) { p, q, e, random, useRandom in
                let value = useRandom ? random : Self.extremes[e]
                let url = "\(paths[p])?\(Self.parameters[q])=\(Self.encode(value))"
                let reply = try? await agent.get(url)
                #expect((reply?.status.code ?? 500) < 500, "\(url)")
            }
        }
    }

    @Test("Forms: every field of every form staff can open, with each extreme; a refused form writes nothing")
    func forms() async throws {
        try await withTestApp(seed: true) { app in
            let ids = try await Self.ids(app)
            // A published run, so that schools' answer forms for their allocated trainees are on their pages.
            let year = PlacementOfferController.planningYear(app.clock.now())
            let inputs = try await AllocationController.inputs(year, app.db)
            var run = AllocationRun(
                id: UUID(), year: year, createdAt: Date(), createdBy: nil, publishedAt: nil, inputs: inputs,
                plan: AllocationPlan.run(
                    year: year, offers: inputs.offers,
                    hosts: Dictionary(uniqueKeysWithValues: inputs.hosts.map { ($0.urn, $0) }),
                    trainees: inputs.trainees, constraints: inputs.constraints))
            // The demo school staff's own school takes the first trainee, whatever the optimum says.
            run.plan.outcomes[0].school = URN(try #require(Int(ids.urn)))
            try await AllocationStore(app.db).save(run)
            try await AllocationStore(app.db).publish(run.id, year: year, at: Date(), by: nil)
            let values = [
                "9223372036854775807", "-1", "1e308", "0x1p10", "\u{0}\r\n", String(repeating: "x", count: 3_000),
            ]
            // Forms whose success ends the session, removes the account or sends mail are left out: their
            // effects are tested on their own.
            let skipped = ["/sign-out", "/account/erase", "/password-reset", "/deactivate", "/links/", "/sign-in"]
            var failures: [String] = []
            var submitted = 0
            var answered = 0
            var known = try await Self.state(app)
            // The teacher's account is linked to a register record, so the research-engagement form is reached.
            let teacherRecord = TeacherRecord(trn: TRN("2099003"), firstName: "Chloe", lastName: "Bennett")
            try await TeacherStore(app.db).create(teacherRecord, event: "Test record", author: "Test", at: Date())
            try await TeacherLinkStore(app.db).link(
                .person(try await app.person(email: try app.demo(.teacher).email).id), to: teacherRecord.id,
                detail: "linked", author: "Test", at: Date())
            for role in [Role.coordinator, .providerStaff, .schoolStaff, .teacher, .undergraduate] {
                let agent = Agent(app)
                let account = try app.demo(role)
                try await agent.signIn(account.email, account.password)
                known = try await Self.state(app)
                let pages = app.routes.all.filter { $0.method == .GET && $0.path.first != "metrics" }.map {
                    Self.path($0, ids)
                }
                for page in Set(pages).sorted() {
                    let reply = try await agent.get(page)
                    guard reply.status == .ok else { continue }
                    for form in HTMLForm.all(in: reply.body)
                    where form.method == "post" && !skipped.contains(where: { form.action.contains($0) }) {
                        for field in form.fields.keys.sorted() where field != "csrf_token" {
                            for value in values {
                                var fields = form.fields
                                fields[field] = value
                                let result = try await agent.request(.POST, form.action, form: fields)
                                submitted += 1
                                if form.action.contains("/respond") { answered += 1 }
                                let after = try await Self.state(app)
                                if result.status.code >= 500 {
                                    failures.append(
                                        "\(role) \(form.action) \(field)=\(value.prefix(12)): \(result.status)")
                                } else if (400..<500).contains(result.status.code), after != known {
                                    failures.append("\(role) \(form.action) \(field): refused but wrote")
                                }
                                known = after
                            }
                        }
                    }
                }
            }
            #expect(submitted > 300, "\(submitted) submissions")
            #expect(answered > 0, "the school's answer forms were not reached")
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        }
    }

    static func ids(_ app: Application) async throws -> IDs {
        let providerStaff = try await PeopleStore(app.db).record(
            try await app.person(email: try app.demo(.providerStaff).email).id)
        let schoolStaff = try await PeopleStore(app.db).record(
            try await app.person(email: try app.demo(.schoolStaff).email).id)
        let school = try #require(schoolStaff?.memberships.first?.organisation)
        let urn = try #require(try await OrganisationStore(app.db).find(school)?.urn)
        let provider = try #require(providerStaff?.memberships.first?.organisation)
        let year = PlacementOfferController.planningYear(app.clock.now())
        let trainee = try #require(try await TraineeStore(app.db).trainees(year: year, provider: provider).first)
        return IDs(
            urn: String(urn.value), provider: provider.description, organisation: school.description,
            person: try await app.person(email: try app.demo(.teacher).email).id.description,
            trainee: trainee.id.uuidString.lowercased(),
            programme: try #require(
                try await CPDStore(app.db).programmes().first { $0.managedBy == provider.rawValue }?.id.uuidString
                    .lowercased()),
            post16: String(
                try #require(
                    try await SchoolStore(app.db).all(SchoolQuery(status: .open)).first(
                        where: Post16Review.isCandidate)?.urn.value)))
    }
}

/// The forms of a page, with their fields' current values: enough HTML reading to submit them as a browser would.
struct HTMLForm {
    var method: String
    var action: String
    var fields: [String: String]

    static func all(in html: String) -> [HTMLForm] {
        var forms: [HTMLForm] = []
        var rest = html[...]
        while let start = rest.range(of: "<form"), let end = rest[start.upperBound...].range(of: "</form>") {
            let body = rest[start.lowerBound..<end.upperBound]
            let tag = body[..<(body.firstIndex(of: ">") ?? body.endIndex)]
            let method = attribute("method", in: tag)?.lowercased() ?? "get"
            let action = attribute("action", in: tag) ?? ""
            var fields: [String: String] = [:]
            for kind in ["<input", "<select", "<textarea"] {
                var scan = body
                while let r = scan.range(of: kind) {
                    let element = scan[r.lowerBound..<(scan[r.upperBound...].firstIndex(of: ">") ?? scan.endIndex)]
                    if let name = attribute("name", in: element) {
                        let type = attribute("type", in: element)
                        if type != "checkbox" && type != "radio" || element.contains("checked") {
                            fields[name] = attribute("value", in: element).map(unescape) ?? fields[name] ?? ""
                        }
                    }
                    scan = scan[r.upperBound...]
                }
            }
            forms.append(HTMLForm(method: method, action: unescape(action), fields: fields))
            rest = rest[end.upperBound...]
        }
        return forms
    }

    static func attribute(_ name: String, in tag: Substring) -> String? {
        guard let r = tag.range(of: " \(name)=\"") else { return nil }
        let value = tag[r.upperBound...]
        return value.firstIndex(of: "\"").map { String(value[..<$0]) }
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Application funnel rules: Apply's histories, reasons and the funnel's arithmetic")
struct ApplicationFunnelRuleTests {
    let now = ApplicationFile.moment("2026-12-07T12:00:00Z")!

    @Test("Wilson intervals equal scipy's binomtest(k, n).proportion_ci(method='wilson')")
    func wilson() throws {
        // Printed by scipy 1.17.1: binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson").
        let reference: [(Int, Int, Double, Double)] = [
            (0, 10, 0.0, 0.27753279986288926), (10, 10, 0.7224672001371109, 1.0),
            (7, 23, 0.15604024453214022, 0.508657562687592), (412, 1987, 0.19009527057505726, 0.22572963358937526),
            (1, 3, 0.06149194472039626, 0.7923403991979523), (50, 100, 0.4038315303659956, 0.5961684696340044),
        ]
        for (k, n, low, high) in reference {
            let interval = try #require(Proportion(k, of: n).wilson())
            #expect(abs(interval.lowerBound - low) < 1e-12, "\(k) of \(n)")
            #expect(abs(interval.upperBound - high) < 1e-12, "\(k) of \(n)")
        }
        #expect(Proportion(0, of: 0).wilson() == nil)
        #expect(Proportion(3, of: 9).described() == nil && Proportion(3, of: 10).described() != nil)
        // Another provider's count of 3 is not shown, so neither is its share.
        #expect(Proportion(3, of: 40).described(own: false) == nil && Proportion(3, of: 40).described(own: true) != nil)
    }

    @Test("Times: ISO dates and date-times with Z or an offset; nothing else")
    func moments() {
        #expect(ApplicationFile.moment("2026-03-14") == ApplicationFile.moment("2026-03-14T00:00:00Z"))
        #expect(
            ApplicationFile.moment("2026-03-14T11:30:00+01:00") == ApplicationFile.moment("2026-03-14T10:30:00Z"))
        #expect(ApplicationFile.moment("2026-03-14T10:30:00.123Z") == ApplicationFile.moment("2026-03-14T10:30:00Z"))
        for bad in [
            "", "14-03-2026", "2026-02-30", "2026-03-14T25:00:00Z", "2026-03-14T10:30:00", "1e308", "0x1p10",
            "1999-12-31", "2026-03-14T10:30:00+99:00", String(repeating: "9", count: 100_000),
        ] {
            #expect(ApplicationFile.moment(bad) == nil, "\(bad.prefix(30))")
        }
    }

    static let header = ApplicationFile.columns.joined(separator: ",")

    /// A row with the given values; every other column empty.
    static func row(_ values: [String: String]) -> String {
        ApplicationFile.columns.map { values[$0] ?? "" }.joined(separator: ",")
    }

    static func base(_ id: String, status: String, _ more: [String: String] = [:]) -> String {
        row(
            [
                "id": id, "candidate_id": "C-\(id)", "recruitment_cycle_year": "2026", "subject": "mathematics",
                "route": "postgraduate-fee-funded", "status": status, "created_at": "2025-10-10T09:00:00Z",
            ].merging(more) { $1 })
    }

    @Test("Impossible histories, unknown codes and mismatched statuses are refused by line and column")
    func refusals() {
        let file = [
            Self.header,
            // 2: fine
            Self.base(
                "a", status: "recruited",
                [
                    "awaiting_provider_decision_at": "2025-11-01", "offer_at": "2025-11-20",
                    "pending_conditions_at": "2025-11-25", "recruited_at": "2026-09-01",
                ]),
            // 3: an offer before submission
            Self.base("b", status: "offer", ["awaiting_provider_decision_at": "2025-11-01", "offer_at": "2025-10-20"]),
            // 4: recruited without an offer
            Self.base(
                "c", status: "recruited",
                [
                    "awaiting_provider_decision_at": "2025-11-01", "recruited_at": "2026-09-01",
                ]),
            // 5: an unknown reason code
            Self.base(
                "d", status: "withdrawn",
                [
                    "awaiting_provider_decision_at": "2025-11-01", "withdrawn_at": "2025-11-03",
                    "withdrawal_reasons": "do-not-want-to-train-anymore.bored",
                ]),
            // 6: the status does not match the history
            Self.base("e", status: "offer", ["awaiting_provider_decision_at": "2025-11-01"]),
            // 7: rejection reasons on a withdrawn choice; a future time
            Self.base(
                "f", status: "withdrawn",
                [
                    "awaiting_provider_decision_at": "2025-11-01", "withdrawn_at": "2031-01-01",
                    "rejection_reasons": "course_full",
                ]),
            // 8: the same id again, another cycle, an extreme number
            Self.base("a", status: "unsubmitted", ["recruitment_cycle_year": "2027"]),
            Self.base("g", status: "unsubmitted", ["recruitment_cycle_year": "9223372036854775807"]),
        ].joined(separator: "\n")
        do {
            _ = try ApplicationFile.read(Array(file.utf8), file: "apply.csv", now: now)
            Issue.record("the file was read")
        } catch {
            let text = error.description
            for expected in [
                "apply.csv:3: offer_at: offer_at is before awaiting_provider_decision_at",
                "apply.csv:4: recruited_at: A recruited choice needs an accepted offer",
                "apply.csv:5: withdrawal_reasons: 'do-not-want-to-train-anymore.bored' is not one of Apply's reason codes",
                "apply.csv:6: status: The history ends in awaiting_provider_decision, but the status is offer",
                "apply.csv:7: withdrawn_at: '2031-01-01' is in the future",
                "apply.csv:7: rejection_reasons: Only a choice that is rejected or offer_withdrawn has rejection_reasons",
                "apply.csv:8: id: 'a' is also on line 2",
                "apply.csv:8: recruitment_cycle_year: one file holds one cycle",
                "apply.csv:9: recruitment_cycle_year: Enter the recruitment cycle",
                "Nothing was imported from apply.csv.",
            ] {
                #expect(text.contains(expected), "\(expected)\n\(text)")
            }
            #expect(!text.contains("apply.csv:2:"))
        }
        // Apply's older underscore spelling reads as the hyphenated code.
        #expect(
            ApplicationReasons.withdrawalCode(
                "do-not-want-to-train-anymore.another_career_path_or_accepted_a_job_offer")
                == "do-not-want-to-train-anymore.another-career-path-or-accepted-a-job-offer")
        // A header without the state columns, and a header-only file.
        #expect(throws: ImportFileError.self) {
            try ApplicationFile.read(Array("id,candidate_id\n1,2\n".utf8), file: "x.csv", now: now)
        }
        #expect(throws: ImportFileError.self) {
            try ApplicationFile.read(Array((Self.header + "\n").utf8), file: "x.csv", now: now)
        }
    }

    @Test("A hand-counted funnel: stages, conversions from the right stage, time in state, stops and reasons")
    func handCounted() throws {
        let t0 = ApplicationFile.moment("2025-10-01")!
        func at(_ days: Double) -> Date { t0.addingTimeInterval(days * 86_400) }
        var choices: [ApplicationChoice] = []
        // 20 submitted on day 10; 12 interviewed on day 20; 8 offered (6 after interview on day 30, 2 without on
        // day 15); 5 accepted on day 35; 4 recruited on day 300, 1 conditions not met. Of the rest: the 6
        // interviewed without offer rejected; 6 never interviewed withdrawn; 3 offers declined.
        for i in 0..<20 {
            var e: [ApplicationState: Date] = [.unsubmitted: at(0), .awaitingProviderDecision: at(10)]
            var withdrawal: [String] = []
            var rejection: [String] = []
            if i < 12 { e[.interviewing] = at(20) }
            if i < 6 { e[.offer] = at(30) }
            if i == 18 || i == 19 { e[.offer] = at(15) }
            if i < 5 { e[.pendingConditions] = at(35) }
            if i < 4 { e[.recruited] = at(300) }
            if i == 4 { e[.conditionsNotMet] = at(200) }
            if i == 5 { e[.declined] = at(31) }
            if i == 18 || i == 19 { e[.declined] = at(16) }
            if (6..<12).contains(i) {
                e[.rejected] = at(22)
                rejection = i < 9 ? ["qualifications.no_maths_gcse"] : ["course_full"]
            }
            if (12..<18).contains(i) {
                e[.withdrawn] = at(14)
                withdrawal = ["applying-to-another-provider.accepted-another-offer"]
            }
            choices.append(
                ApplicationChoice(
                    reference: "r\(i)", candidate: "c\(i)", email: nil, cycle: 2026, subject: .mathematics,
                    route: .postgraduateFeeFunded, status: ApplicationChoice.finalState(e), entered: e,
                    withdrawalReasons: withdrawal, rejectionReasons: rejection,
                    sectionsCompleted: Set(ApplicationSection.allCases)))
        }
        // 4 never submitted: two stopped at the personal statement, two at references.
        for i in 0..<4 {
            let done = Set(ApplicationSection.allCases.prefix(i < 2 ? 11 : 13))
            choices.append(
                ApplicationChoice(
                    reference: "u\(i)", candidate: "u\(i)", email: nil, cycle: 2026, subject: .mathematics,
                    route: .postgraduateFeeFunded, status: .unsubmitted, entered: [.unsubmitted: at(0)],
                    sectionsCompleted: done))
        }
        for c in choices { #expect(ApplicationChoice.historyProblems(c.entered, status: c.status).isEmpty) }
        let f = ApplicationFunnel.build(choices)
        #expect(f.choices == 24 && f.candidates == 24)
        #expect(f.reached == [.started: 24, .submitted: 20, .interviewing: 12, .offer: 8, .accepted: 5, .recruited: 4])
        #expect(f.conversion[.submitted] == Proportion(20, of: 24))
        #expect(f.conversion[.interviewing] == Proportion(12, of: 20))
        #expect(f.conversion[.offer] == Proportion(8, of: 20))
        #expect(f.conversion[.accepted] == Proportion(5, of: 8))
        #expect(f.conversion[.recruited] == Proportion(4, of: 5))
        #expect(f.overall == Proportion(4, of: 20))
        // Awaiting a decision: 12 left on day 20 (10 days), 6 withdrew on day 14 (4 days), 2 offered on day 15
        // (5 days): sorted 4×6, 5×2, 10×12, median of 20 values = mean of the 10th and 11th = 10.
        #expect(f.timeIn[.awaitingProviderDecision] == .init(days: 10, choices: 20))
        // Interviewing: 12 left, 6 on day 30 (10 days) and 6 rejected on day 22 (2 days): median 6.
        #expect(f.timeIn[.interviewing] == .init(days: 6, choices: 12))
        // Offer: 8 left, fewer than 10: not shown.
        #expect(f.timeIn[.offer] == .init(days: nil, choices: 8))
        #expect(f.outcomes[.recruited] == 4 && f.outcomes[.rejected] == 6 && f.outcomes[.withdrawn] == 6)
        #expect(f.outcomes[.declined] == 3 && f.outcomes[.conditionsNotMet] == 1 && f.outcomes[.unsubmitted] == 4)
        #expect(f.withdrawalReasons["applying-to-another-provider.accepted-another-offer"] == 6)
        #expect(f.withdrawalReasons["applying-to-another-provider"] == 6)
        #expect(f.rejectionReasons == ["qualifications.no_maths_gcse": 3, "qualifications": 3, "course_full": 3])
        #expect(f.unsubmittedWithSections == 4)
        #expect(f.stoppedAt == [.personalStatement: 2, .references: 2])
    }

    @Test("Generated demo cycles follow Apply's rules and read back from their CSV unchanged")
    func generated() throws {
        let providers = [OrganisationID(UUID()), OrganisationID(UUID()), OrganisationID(UUID())]
        let seed = UInt64.random(in: 1...UInt64.max)
        let generated = DemoApplications.generate(providers: providers, cycle: 2026, choices: 600, seed: seed)
        #expect(generated.count >= 600)
        let choices = generated.map(\.choice)
        for c in choices {
            #expect(ApplicationChoice.historyProblems(c.entered, status: c.status).isEmpty, "seed \(seed): \(c)")
        }
        let back = try ApplicationFile.read(Array(ApplicationFile.csv(choices).utf8), file: "g.csv", now: now)
        #expect(back.count == choices.count)
        for (a, b) in zip(choices, back) {
            #expect(a.reference == b.reference && a.status == b.status && a.withdrawalReasons == b.withdrawalReasons)
            #expect(a.rejectionReasons == b.rejectionReasons && a.sectionsCompleted == b.sectionsCompleted)
            #expect(
                a.entered.mapValues { $0.timeIntervalSince1970.rounded(.down) }
                    == b.entered.mapValues(\.timeIntervalSince1970))
        }
        #expect(ApplicationFunnel.build(back) == ApplicationFunnel.build(back.shuffled()))
    }
}

@Suite("The application funnel, as providers and coordinators use it", .serialized)
struct ApplicationFunnelTests {
    /// Posts a multipart upload of the file for the provider.
    static func upload(
        _ agent: Agent, provider: OrganisationID, csv: String, name: String = "apply.csv", replaceAll: Bool = false
    ) async throws -> Agent.Reply {
        let token = try #require(try await agent.get("/applications/import").csrf)
        let boundary = "----chalkface-funnel"
        func part(_ name: String, _ value: String) -> String {
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        var body = part("csrf_token", token) + part("provider", provider.rawValue.uuidString)
        if replaceAll { body += part("replace_all", "true") }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
        return try await agent.request(
            .POST, "/applications/import", raw: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Counts straight from the file's text: rows with a value in the column (and in the other when given).
    static func direct(_ csv: String) -> (rows: Int, filled: (String, String?) -> Int, status: (String) -> Int) {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = lines[0].map(String.init)
        let rows = lines.dropFirst()
        func index(_ c: String) -> Int { header.firstIndex(of: c)! }
        return (
            rows.count,
            { a, b in
                rows.filter {
                    !$0[index(a)].isEmpty && (b.map { !$0.isEmpty } ?? true) && (b == nil || !$0[index(b!)].isEmpty)
                }
                .count
            },
            { s in rows.filter { $0[index("status")] == s }.count }
        )
    }

    @Test(
        "A provider imports a cycle it was never tuned on: every count and conversion equals a direct count of the file"
    )
    func unseenFile() async throws {
        try await withTestApp(seed: true) { app in
            let staff = Agent(app)
            try await staff.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let provider = try await TraineeTests.provider(app)
            // A cycle the demo does not hold, from a seed chosen now.
            let seed = UInt64.random(in: 1...UInt64.max)
            let choices = DemoApplications.generate(
                providers: [provider], cycle: 2024, choices: 300 + Int(seed % 400), seed: seed
            ).map(\.choice)
            // No field holds a comma or a quote, so the direct count can split lines on commas.
            let csv = ApplicationFile.csv(choices)
            #expect(!csv.contains("\""))
            let reply = try await Self.upload(staff, provider: provider, csv: csv)
            #expect(reply.status == .seeOther, "seed \(seed): \(reply.body.prefix(2000))")
            let page = try await staff.get(try #require(reply.location))
            #expect(page.status == .ok && page.body.contains("\(choices.count.formatted()) application choice"))

            let json = try await staff.get("/api/v1/applications/funnel?cycle=2024").object
            let columns = try #require(json["columns"] as? [[String: Any]])
            // The provider's own column and the partnership's: here the same choices.
            #expect(columns.map { $0["name"] as? String } == ["Canterbury Christ Church University", "Partnership"])
            let d = Self.direct(csv)
            for column in columns {
                #expect(column["choices"] as? Int == d.rows, "seed \(seed)")
                let stages = try #require(column["stages"] as? [[String: Any]])
                func stage(_ s: String) -> [String: Any] { stages.first { $0["stage"] as? String == s } ?? [:] }
                let expected: [(String, String, String?)] = [
                    ("started", "created_at", nil),
                    ("submitted", "awaiting_provider_decision_at", "created_at"),
                    ("interviewing", "interviewing_at", "awaiting_provider_decision_at"),
                    ("offer", "offer_at", "awaiting_provider_decision_at"),
                    ("accepted", "pending_conditions_at", "offer_at"),
                    ("recruited", "recruited_at", "pending_conditions_at"),
                ]
                for (name, col, from) in expected {
                    #expect(stage(name)["reached"] as? Int == d.filled(col, nil), "\(name), seed \(seed)")
                    if let from {
                        let conversion = try #require(stage(name)["conversion"] as? [String: Any])
                        #expect(conversion["of"] as? Int == d.filled(from, nil), "\(name), seed \(seed)")
                        #expect(conversion["count"] as? Int == d.filled(col, from), "\(name), seed \(seed)")
                    }
                }
                let outcomes = try #require(column["outcomes"] as? [String: Int])
                for s in ApplicationState.allCases where d.status(s.rawValue) >= 10 {
                    #expect(outcomes[s.rawValue] == d.status(s.rawValue), "\(s), seed \(seed)")
                }
            }
            // The import is audited.
            let audit = try await AuditLog(app.db).events(.init(action: .applicationsImported)).events
            #expect(audit.contains { $0.detail.contains("\(choices.count) choices") })
        }
    }

    @Test("A bad file changes nothing; a file that would remove most of a cycle needs the explicit choice")
    func refusals() async throws {
        try await withTestApp(seed: true) { app in
            let staff = Agent(app)
            try await staff.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let provider = try await TraineeTests.provider(app)
            let store = ApplicationStore(app.db)
            let cycle = try #require(try await store.cycles().first)
            let held = try await store.choices(cycle: cycle, provider: provider).count
            #expect(held > 100)
            let bad =
                ApplicationFunnelRuleTests.header + "\n"
                + ApplicationFunnelRuleTests.base(
                    "x1", status: "recruited",
                    [
                        "recruitment_cycle_year": "\(cycle)", "awaiting_provider_decision_at": "2025-11-01",
                        "recruited_at": "2026-09-01",
                    ])
            let refused = try await Self.upload(staff, provider: provider, csv: bad)
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("apply.csv:2: recruited_at: A recruited choice needs an accepted offer"))
            #expect(try await store.choices(cycle: cycle, provider: provider).count == held)

            let one =
                ApplicationFunnelRuleTests.header + "\n"
                + ApplicationFunnelRuleTests.base("x1", status: "unsubmitted", ["recruitment_cycle_year": "\(cycle)"])
            let tooMuch = try await Self.upload(staff, provider: provider, csv: one)
            #expect(tooMuch.status == .badRequest && tooMuch.body.contains("would remove \(held) of the \(held)"))
            #expect(try await store.choices(cycle: cycle, provider: provider).count == held)
            let replaced = try await Self.upload(staff, provider: provider, csv: one, replaceAll: true)
            #expect(replaced.status == .seeOther)
            #expect(try await store.choices(cycle: cycle, provider: provider).count == 1)
            // Another provider's choices are untouched.
            #expect(try await store.choices(cycle: cycle).count > 300)
        }
    }

    @Test("Who sees what: a provider its own column and the partnership's; a coordinator every provider; others none")
    func access() async throws {
        try await withTestApp(seed: true) { app in
            let staff = Agent(app)
            try await staff.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let own = try await staff.get("/applications")
            #expect(own.status == .ok)
            #expect(own.body.contains("Canterbury Christ Church University") && own.body.contains("Partnership"))
            #expect(!own.body.contains("University of Brighton</th>") && !own.body.contains("Kent and Medway Training"))
            #expect(own.body.contains("id=\"import-applications\""))

            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let all = try await coordinator.get("/applications")
            for name in ["Canterbury Christ Church University", "University of Brighton", "Kent and Medway Training"] {
                #expect(all.body.contains(name))
            }
            for id in [
                "funnel", "time-in-state", "outcomes", "form-sections", "withdrawal-reasons", "rejection-reasons",
            ] {
                #expect(all.body.contains("id=\"\(id)\""), "\(id)")
            }
            // Demo sharing is aggregates only: coordinators may not import a provider's individual choices.
            #expect(!all.body.contains("id=\"import-applications\""))
            #expect(try await coordinator.get("/applications/import").status == .forbidden)
            // Filters: a narrow slice hides other providers' small counts and their shares.
            let physics = try await coordinator.get("/applications?subject=physics")
            #expect(physics.status == .ok && physics.body.contains("fewer than 10"))
            #expect(try await coordinator.get("/applications?subject=astrology").status == .badRequest)
            #expect(try await coordinator.get("/applications?cycle=9223372036854775807").status == .badRequest)
            #expect(try await coordinator.get("/api/v1/applications/funnel?route=x").status == .badRequest)

            for role in [Role.applicant, .schoolStaff, .teacher] {
                let other = Agent(app)
                try await other.signIn(try app.demo(role).email, try app.demo(role).password)
                #expect(try await other.get("/applications").status == .forbidden, "\(role)")
                #expect(try await other.get("/api/v1/applications/funnel").status == .forbidden, "\(role)")
            }
        }
    }
}

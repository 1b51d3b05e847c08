import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Adviser cases: requests, checks, contacts and outcomes")
struct AdviceRuleTests {
    @Test("A request needs an interest, a question and a stage; a contact falls between the request and today")
    func parsing() {
        func fields(_ r: Result<(String, String, DegreeStage), ValidationError>) -> [String] {
            if case .failure(let e) = r { return e.problems.map(\.field) }
            return []
        }
        #expect(fields(AdviceCase.parseRequest(interest: "Primary", question: "Which route?", stage: "graduate")) == [])
        #expect(
            fields(AdviceCase.parseRequest(interest: " ", question: String(repeating: "x", count: 2_001), stage: "phd"))
                == ["interest", "question", "stage"])
        let requested = Day("2026-11-01")!
        let today = Day("2026-12-07")!
        func contact(_ day: String, _ channel: String = "phone", _ note: String = "Talked routes") -> [String] {
            switch AdviceContact.parse(day: day, channel: channel, note: note, requested: requested, today: today) {
            case .success: []
            case .failure(let e): e.problems.map(\.field)
            }
        }
        #expect(contact("2026-11-20") == [] && contact("2026-12-07") == [])
        #expect(contact("2026-12-08") == ["day"] && contact("2026-10-31") == ["day"] && contact("1e308") == ["day"])
        #expect(contact("2026-11-20", "pigeon", "") == ["channel", "note"])
    }

    @Test("Eligibility: what still stands in the way, for primary and secondary; closing needs an outcome")
    func eligibility() throws {
        let check = try EligibilityCheck.parse {
            ["english": "met", "maths": "equivalency-needed", "science": "not-met", "degree": "predicted"][$0] ?? ""
        }.get()
        #expect(check.gaps(primary: false) == ["GCSE maths needs an equivalency test"])
        #expect(check.gaps(primary: true) == ["GCSE maths needs an equivalency test", "GCSE science not met"])
        if case .success = EligibilityCheck.parse({ ["english": "A*"][$0] ?? "" }) { Issue.record("accepted") }
        let c = AdviceCase(
            person: PersonID(UUID()), name: "A", stage: .graduate, interest: "Maths", question: "Q",
            requestedAt: Date(timeIntervalSince1970: 0))
        #expect(c.daysWaiting(now: Date(timeIntervalSince1970: 3.5 * 86_400)) == 3)
        #expect((try? c.closing(outcome: "recruited", note: "", at: Date()).get()) == nil)  // still waiting
        var active = c
        active.state = .active
        #expect(try active.closing(outcome: "not-applying", note: "Chose nursing", at: Date()).get().state == .closed)
        #expect((try? active.closing(outcome: "won", note: "", at: Date()).get()) == nil)
    }
}

@Suite("Adviser support, as candidates and advisers use it", .serialized)
struct AdviceTests {
    @Test("A candidate asks; an adviser takes the case, checks eligibility, logs a contact and closes it")
    func journey() async throws {
        try await withTestApp(seed: true) { app in
            let candidate = Agent(app)
            let account = try app.demo(.applicant)
            try await candidate.signIn(account.email, account.password)
            #expect(try await candidate.get("/dashboard").body.contains("href=\"/advice\""))
            let bad = try await candidate.submit("/advice", from: "/advice", ["interest": "", "stage": "x"])
            #expect(bad.status == .badRequest && bad.body.contains("Say which subject or phase"))
            let asked = try await candidate.submit(
                "/advice", from: "/advice",
                ["interest": "Primary", "question": "Is my GCSE science enough?", "stage": "career-changer"])
            #expect(asked.status == .seeOther)
            let twice = try await candidate.submit(
                "/advice", from: "/advice", ["interest": "Primary", "question": "Again", "stage": "graduate"])
            #expect(twice.status == .badRequest && twice.body.contains("You already have an open request"))
            let c = try #require(try await AdviceStore(app.db).cases().first { $0.name == account.name })
            #expect(c.state == .waiting)

            // An adviser sees the caseload with the time waiting, and takes the case.
            let adviser = Agent(app)
            try await adviser.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let caseload = try await adviser.get("/advice/cases")
            #expect(caseload.status == .ok && caseload.body.contains(account.name))
            let path = "/advice/cases/\(c.id.uuidString.lowercased())"
            #expect(try await adviser.submit("\(path)/take", from: path, [:]).status == .seeOther)
            // Someone else cannot take it now, nor change it.
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let late = try await coordinator.submit("\(path)/take", from: path, [:])
            #expect(late.status == .badRequest && late.body.contains("Someone else has just taken this case"))
            #expect(
                try await app.outbox().contains {
                    $0.recipient == account.email && $0.subject.hasPrefix("Your adviser")
                })

            let wrongCheck = try await adviser.submit("\(path)/eligibility", from: path, ["english": "A*"])
            #expect(wrongCheck.status == .badRequest)
            #expect(
                try await adviser.submit(
                    "\(path)/eligibility", from: path,
                    [
                        "english": "met", "maths": "met", "science": "equivalency-needed", "degree": "held",
                        "equivalency": "GCSE science equivalency", "next_steps": "Book the science equivalency test",
                    ]
                ).status == .seeOther)
            let today = Day.inUK(app.clock.now()).description
            let future = Day(ordinal: Day.inUK(app.clock.now()).ordinal + 3).description
            let early = try await adviser.submit(
                "\(path)/contacts", from: path, ["day": future, "channel": "phone", "note": "Called"])
            #expect(early.status == .badRequest && early.body.contains("between the request and today"))
            #expect(
                try await adviser.submit(
                    "\(path)/contacts", from: path, ["day": today, "channel": "phone", "note": "Talked about routes"]
                ).status == .seeOther)
            // The candidate sees the adviser, the next steps and the contact.
            let mine = try await candidate.get("/advice")
            #expect(mine.body.contains(try app.demo(.providerStaff).name))
            #expect(
                mine.body.contains("Book the science equivalency test") && mine.body.contains("Talked about routes"))

            #expect(try await adviser.submit("\(path)/applied", from: path, [:]).status == .seeOther)
            let noOutcome = try await adviser.submit("\(path)/close", from: path, ["outcome": ""])
            #expect(noOutcome.status == .badRequest)
            #expect(try await adviser.submit("\(path)/close", from: path, ["outcome": "recruited"]).status == .seeOther)
            #expect(try await AdviceStore(app.db).adviceCase(c.id)?.state == .closed)
            // Reads and changes are audited against the candidate.
            let events = try await AuditLog(app.db).events(involving: try await app.person(email: account.email).id)
            #expect(events.contains { $0.action == .adviceRead } && events.contains { $0.action == .adviceChanged })

            // Candidates never see the caseload; schools' staff do not advise.
            #expect(try await candidate.get("/advice/cases").status == .forbidden)
            let school = Agent(app)
            try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            #expect(try await school.get(path).status == .forbidden)
            #expect(try await school.get("/advice").status == .forbidden)
        }
    }
}

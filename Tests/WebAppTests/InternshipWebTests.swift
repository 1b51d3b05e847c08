import Domain
import Foundation
import Persistence
import Testing
import Vapor

@testable import WebApp

@Suite("Undergraduate internships")
struct InternshipWebTests {
    @Test("Apply, rank, match, confirm, attend, and say whether you now plan to train")
    func wholeScheme() async throws {
        try await withTestApp(seed: true) { app in
            let clock = TestClock()
            clock.install(on: app)
            let urn = try await PlacementOfferTests.ownSchool(app).value
            let store = InternshipStore(app.db)
            let offers = try await store.offers(year: 2027)
            let own = try #require(offers.first { $0.urn == urn })
            let other = try #require(offers.first { $0.urn != urn })

            // The undergraduate applies; a missing choice and an empty statement are named.
            let student = Agent(app)
            let tom = try app.demo(.undergraduate)
            _ = try await student.signIn(tom.email, tom.password)
            let page = try await student.get("/internships")
            #expect(page.status == .ok && page.body.contains("Places offered for 2027"))
            let bad = try await student.submit("/internships", from: "/internships", ["statement": ""])
            #expect(bad.status == .badRequest && bad.body.contains("Choose at least one place"))
            #expect(bad.body.contains("Say briefly why"))
            let applied = try await student.submit(
                "/internships", from: "/internships",
                [
                    "choice_1": own.id.uuidString.lowercased(), "choice_2": other.id.uuidString.lowercased(),
                    "statement": "I study mathematics and want to see whether teaching suits me.",
                ])
            #expect(applied.status == .seeOther)
            #expect(try await student.get("/internships").body.contains("Your application"))

            // The school ranks those who chose it: bad ranks are named; the ranking is saved.
            let school = Agent(app)
            _ = try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            let base = "/schools/\(urn)/internships"
            let list = try await school.get(base)
            #expect(list.body.contains(tom.name) && list.body.contains("I study mathematics"))
            let application = try #require(
                try await store.application(person: try await app.person(email: tom.email).id, year: 2027))
            let field = "rank_\(application.id.uuidString.lowercased())"
            let ranking = "\(base)/\(own.id.uuidString.lowercased())/ranking"
            let zero = try await school.submit(ranking, from: base, [field: "0"])
            #expect(zero.status == .badRequest && zero.body.contains("whole number from 1 to 1"))
            #expect(try await school.submit(ranking, from: base, [field: "1"]).status == .seeOther)
            #expect(try await store.rankings(offers: [own.id])[own.id] == [application.id])
            #expect(try await AuditLog(app.db).events(.init(action: .internshipApplicationsRead)).total >= 1)

            // The coordinator sees the stable proposal and confirms it.
            let coordinator = Agent(app)
            _ = try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let matching = try await coordinator.get("/internships/matching")
            #expect(matching.body.contains("id=\"proposal\"") && matching.body.contains("Checked: no blocking pair."))
            let confirmed = try await coordinator.submit(
                "/internships/matching/confirm", from: "/internships/matching", [:])
            #expect(confirmed.status == .seeOther)
            #expect(
                try await coordinator.get(try #require(confirmed.location)).body.contains(
                    "Matching confirmed: 1 placed"))
            #expect(try await store.application(application.id)?.placedOffer == own.id)
            #expect(try await student.get("/internships").body.contains("Placed"))
            // Once matched, the application is settled.
            let late = try await student.submit(
                "/internships", from: "/internships",
                ["choice_1": other.id.uuidString.lowercased(), "statement": "Changed my mind"])
            #expect(late.status == .conflict || late.status == .badRequest)
            #expect(try await store.application(application.id)?.choices.first == own.id)

            // After the internship: the school records attendance, the intern answers.
            clock.advance(Double(Day("2027-07-05")!.ordinal - Day.inUK(clock.now).ordinal) * 86_400)
            _ = try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            #expect(
                try await school.submit(
                    "\(base)/attendance", from: base, ["attended_\(application.id.uuidString.lowercased())": "yes"]
                ).status == .seeOther)
            #expect(try await store.application(application.id)?.attended == true)
            _ = try await student.signIn(tom.email, tom.password)
            let after = try await student.get("/internships")
            #expect(after.body.contains("Do you now plan to train to teach?"))
            #expect(
                try await student.submit("/internships/intention", from: "/internships", ["intention": "yes"]).status
                    == .seeOther)
            #expect(try await store.application(application.id)?.intention == .yes)
            let export = try await student.get("/account/export")
            #expect(export.body.contains("\"internships\"") && export.body.contains("I study mathematics"))
            _ = try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let outcomes = try await coordinator.get("/internships/matching")
            // One intern: counts under 10 are not shown.
            #expect(outcomes.body.contains("id=\"outcomes\"") && outcomes.body.contains("Fewer than 10"))
        }
    }
}

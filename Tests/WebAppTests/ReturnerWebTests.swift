import Domain
import Foundation
import Testing
import Vapor

@testable import Persistence
@testable import WebApp

@Suite("Returners to maths and science")
struct ReturnerWebTests {
    @Test("A coordinator adds returners (by form and from the register), records their steps; the register moves them")
    func pipeline() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let coordinator = Agent(app)
            _ = try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let page = try await coordinator.get("/returners")
            #expect(page.status == .ok)
            for id in ["by-subject", "by-area", "returners", "add-returner", "register-leavers"] {
                #expect(page.body.contains("id=\"\(id)\""), "\(id)")
            }
            #expect(try await AuditLog(app.db).events(.init(action: .returnersRead)).total == 1)
            // The demo's returners are plausible: each left a school with a maths or science qualification before
            // registering, and their steps are in order along the way back.
            let today = Day.inUK(app.clock.now())
            let demo = try await ReturnerStore(app.db).all()
            #expect(demo.count >= 20)
            for r in demo {
                let id = try #require(r.teacher)
                let record = try #require(try await TeacherStore(app.db).teacher(id)?.record)
                let (subject, last) = try #require(Returner.leaver(record, today: today))
                #expect(subject == r.subject)
                #expect(try #require(r.since) > last.finishedOn!)
                #expect(r.steps.map(\.on) == r.steps.map(\.on).sorted())
                #expect(r.steps.allSatisfy { $0.on <= today })
                let stages = r.steps.map(\.stage).filter { $0 != .stopped }
                #expect(stages == Array(Returner.Stage.pipeline.prefix(stages.count)))
            }
            let held = demo.count

            // Bad input is named, field by field, and nothing is written.
            let bad = try await coordinator.submit(
                "/returners", from: "/returners",
                ["name": "", "email": "x", "subject": "history", "postcode": "nowhere", "on": "2999-01-01"])
            #expect(bad.status == .badRequest)
            for message in [
                "Enter their name", "Enter an email address", "Choose maths or a science", "Enter a full UK postcode",
                "Enter the day they registered interest",
            ] {
                #expect(bad.body.contains(message), "\(message)")
            }
            #expect(try await ReturnerStore(app.db).all().count == held)
            let added = try await coordinator.submit(
                "/returners", from: "/returners",
                [
                    "name": "Ruth Okafor", "email": "ruth.okafor@example.org", "subject": "physics", "postcode": "",
                    "on": today.description,
                ])
            #expect(added.status == .seeOther)
            let ruth = try #require(try await ReturnerStore(app.db).all().first { $0.name == "Ruth Okafor" })
            #expect(ruth.subject == .physics && ruth.stage == .interest && ruth.teacher == nil)

            // From the register: a former maths or science teacher, linked, not copied.
            let leaverID = try #require(
                page.body.firstMatch(of: /name="teacher" value="([0-9a-f-]+)"/).map { String($0.1) })
            let linked = try await coordinator.submit(
                "/returners/from-register", from: "/returners", ["teacher": leaverID])
            #expect(linked.status == .seeOther)
            let returner = try #require(
                try await ReturnerStore(app.db).all().first { $0.teacher?.uuidString.lowercased() == leaverID })
            let path = "/returners/\(returner.id.uuidString.lowercased())"
            #expect(linked.location == path + "?saved=added")
            // The same teacher cannot be added twice.
            let again = try await coordinator.submit(
                "/returners/from-register", from: "/returners", ["teacher": leaverID])
            #expect(again.status == .notFound)

            let detail = try await coordinator.get(path)
            #expect(
                detail.body.contains("Former teacher in the register") && detail.body.contains("Their register record"))
            let step = try await coordinator.submit(
                path + "/steps", from: path,
                ["stage": "applying", "on": today.description, "note": "Two posts in Kent"])
            #expect(step.status == .seeOther)
            let early = try await coordinator.submit(
                path + "/steps", from: path,
                ["stage": "school-experience", "on": Day(ordinal: today.ordinal - 1).description])
            #expect(early.status == .badRequest && early.body.contains("cannot be before the last step"))
            let now = try #require(try await ReturnerStore(app.db).returner(returner.id))
            #expect(now.steps.map(\.stage) == [.interest, .applying])
            #expect(try await coordinator.get(path).body.contains("id=\"stage-now\">Applying for posts"))

            // The school records them back at work in the register: the pipeline follows.
            let urn = try await PlacementOfferTests.ownSchool(app).value
            try await TeacherStore(app.db).insertPeriods([
                (returner.teacher!, ServicePeriod(urn: urn, role: .teacher, startedOn: today))
            ])
            let back = try await coordinator.get(path)
            #expect(back.body.contains("id=\"stage-now\">Back in post"))
            #expect(back.body.contains("The register shows them teaching at"))

            // Recruitment partners see the figures, not the people; others see nothing.
            let provider = Agent(app)
            _ = try await provider.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let figures = try await provider.get("/returners")
            #expect(figures.status == .ok && figures.body.contains("id=\"by-subject\""))
            #expect(!figures.body.contains("Ruth Okafor") && !figures.body.contains("id=\"returners\""))
            #expect(try await provider.get(path).status == .forbidden)
            let applicant = Agent(app)
            _ = try await applicant.signIn(try app.demo(.applicant).email, try app.demo(.applicant).password)
            #expect(try await applicant.get("/returners").status == .forbidden)
            #expect(try await coordinator.get("/returners/\(UUID().uuidString)").status == .notFound)
        }
    }
}

import Domain
import Foundation
import Persistence
import Testing
import Vapor

@testable import WebApp

@Suite("Maths and science vacancies")
struct VacancyWebTests {
    @Test("A school posts a vacancy, a partner refers a candidate, the school records the outcome, figures follow")
    func vacancyLoop() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            let school = Agent(app)
            _ = try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            let base = "/schools/\(urn)/vacancies"
            #expect(try await school.get(base).body.contains("You have not posted"))
            let bad = try await school.submit(base, from: base, ["job_title": "", "closes_on": "2020-01-01"])
            #expect(bad.status == .badRequest)
            for message in ["Enter the job title", "Choose at least one subject", "Enter the closing date"] {
                #expect(bad.body.contains(message), "\(message)")
            }
            let token = try #require(try await school.get(base).csrf)
            let closes = Day(ordinal: Day.inUK(app.clock.now()).ordinal + 40)
            let form =
                "csrf_token=\(token)&job_title=Teacher+of+physics&subjects=physics&subjects=combined-science&key_stages=ks3&key_stages=ks4&working_pattern=full-time&contract=permanent&salary=MPS%2FUPS&starts_on=&closes_on=\(closes)"
            let posted = try await school.request(
                .POST, base, raw: form, contentType: "application/x-www-form-urlencoded")
            #expect(posted.status == .seeOther)
            let vacancy = try #require(try await VacancyStore(app.db).vacancies(urns: [urn]).first)
            #expect(vacancy.subjects == [.physics, .combinedScience] && vacancy.keyStages == [.ks3, .ks4])

            // A recruitment partner sees it and refers a candidate; bad referrals are named.
            let provider = Agent(app)
            _ = try await provider.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let open = try await provider.get("/vacancies")
            #expect(open.body.contains("Teacher of physics") && open.body.contains("id=\"refer\""))
            let noCandidate = try await provider.submit(
                "/vacancies/referrals", from: "/vacancies", ["vacancy": vacancy.id.uuidString, "candidate": ""])
            #expect(noCandidate.status == .badRequest && noCandidate.body.contains("Enter the candidate"))
            let referred = try await provider.submit(
                "/vacancies/referrals", from: "/vacancies",
                ["vacancy": vacancy.id.uuidString, "candidate": "J.M. (TF-2207)", "note": "Physics graduate"])
            #expect(referred.status == .seeOther)
            #expect(
                try await school.get(base).body.contains("J.M. (TF-2207), from Canterbury Christ Church University"))

            // The school records the outcome; it needs an outcome and a channel.
            let key = vacancy.id.uuidString.lowercased()
            let close = "\(base)/\(key)/close"
            let missing = try await school.submit(close, from: base, ["outcome_\(key)": "filled-specialist"])
            #expect(missing.status == .badRequest && missing.body.contains("Choose at least one way"))
            let closed = try await school.submit(
                close, from: base,
                ["outcome_\(key)": "filled-specialist", "channels_\(key)": "partner-referral"])
            #expect(closed.status == .seeOther)
            let after = try #require(try await VacancyStore(app.db).vacancy(vacancy.id))
            #expect(after.outcome == .specialist && after.channels == [.partnerReferral] && after.daysToFill == 0)
            #expect(try await school.submit(close, from: base, ["outcome_\(key)": "not-filled"]).status == .conflict)
            #expect(!(try await provider.get("/vacancies").body.contains(key)))

            // The coordinator's figures: the page's physics row is the stored vacancies' (the demo's and this one).
            let coordinator = Agent(app)
            _ = try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let figures = try await coordinator.get("/vacancies")
            let stored = try await VacancyStore(app.db).vacancies()
            let physics = try #require(
                VacancyFigures.rows(stored, referrals: [:]) { $0.subjects.map(\.label) }["Physics"])
            #expect(physics.filledBySpecialist >= 1)
            let cell = "<td class=\"app-table__cell--numeric\">"
            #expect(
                figures.body.contains(
                    "Physics</th>\(cell)\(physics.posted)</td>\(cell)\(physics.open)</td>\(cell)\(physics.closed)</td>")
            )
            #expect(!figures.body.contains("id=\"refer\""))
            #expect(try await coordinator.get("/vacancies?la=nowhere").status == .badRequest)
        }
    }
}

import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Recruited candidates become trainees and teacher-register records, linked not copied")
struct RecruitTests {
    static func choice(
        _ reference: String, status: ApplicationState, email: String? = nil, subject: PlacementSubject = .mathematics
    ) -> ApplicationChoice {
        let day: TimeInterval = 86_400
        let start = ApplicationFile.moment("2025-10-10T09:00:00Z")!
        var entered: [ApplicationState: Date] = [.unsubmitted: start, .awaitingProviderDecision: start + 20 * day]
        if status == .offer || status == .recruited {
            entered[.offer] = start + 40 * day
        }
        if status == .recruited {
            entered[.pendingConditions] = start + 45 * day
            entered[.recruited] = start + 320 * day
        }
        return ApplicationChoice(
            reference: reference, candidate: "C-\(reference)", email: email, cycle: 2026, subject: subject,
            route: .postgraduateFeeFunded, status: status, entered: entered)
    }

    @Test(
        "A provider adds a recruited candidate as a trainee: the allocation's trainee, a register record with the application in its timeline, and the candidate's own account linked; twice is refused"
    )
    func recruitedBecomesTrainee() async throws {
        try await withTestApp(seed: true) { app in
            _ = try await PostcodeStore(app.db).replaceAll(
                with: .init(bytes: Array(TraineeTests.postcodes.utf8), file: "postcodes.csv"))
            let provider = try await TraineeTests.provider(app)
            let applicant = try app.demo(.applicant)
            let account = try await app.person(email: applicant.email)
            try await app.db.transaction { tx in
                _ = try await ApplicationStore(tx).replace(
                    provider: provider, cycle: 2026,
                    with: [
                        Self.choice("R1", status: .recruited, email: applicant.email.uppercased()),
                        Self.choice("R&2=x", status: .recruited, subject: .physics),
                        Self.choice("O1", status: .offer),
                    ], file: "test", replaceAll: true, at: Date())
                try await TeacherStore(tx).create(
                    TeacherRecord(
                        id: UUID(), trn: TRN("7654321"), firstName: "Someone", lastName: "Else", specialisms: []),
                    event: "test", author: "test", at: Date())
            }
            let staff = Agent(app)
            try await staff.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let list = "/providers/\(provider)/recruited"
            // The trainees page and the funnel lead here.
            #expect(try await staff.get("/providers/\(provider)/trainees").body.contains("href=\"\(list)\""))
            let page = try await staff.get(list)
            #expect(page.status == .ok)
            #expect(page.body.contains("2 recruited in the 2025 to 2026 cycle; 2 not yet added as trainees."))
            #expect(page.body.contains("R1") && page.body.contains("R&amp;2=x") && !page.body.contains(">O1<"))

            let add = "/providers/\(provider)/recruited/add?cycle=2026&reference=R1"
            let form = try await staff.get(add)
            #expect(form.status == .ok)
            #expect(
                form.body.contains("Link \(account.name)&#39;s Chalkface account")
                    || form.body.contains("Link \(account.name)'s Chalkface account"))
            let fields = [
                "name": "Aisha Rahman", "subject": "mathematics", "phase": "secondary",
                "route": "postgraduate-fee-funded", "placement": "1", "home_postcode": "ZZ9 9ZZ",
                "max_travel_km": "25", "link_account": "true",
            ]
            let bad = try await staff.submit(add, from: add, fields)
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("Enter a real postcode") || bad.body.contains("not in the postcode directory"))
            let year = try #require(AcademicYear(start: 2026))
            let before = try await TraineeStore(app.db).trainees(year: year, provider: provider).count

            let good = try await staff.submit(add, from: add, fields.merging(["home_postcode": "CT3 1AA"]) { $1 })
            #expect(good.status == .seeOther)
            let trainees = try await TraineeStore(app.db).trainees(year: year, provider: provider)
            #expect(trainees.count == before + 1)
            let trainee = try #require(trainees.first { $0.name == "Aisha Rahman" })
            #expect(trainee.subject == .mathematics && trainee.homePostcode.value == "CT3 1AA")
            #expect(try await RecruitStore(app.db).trainees(provider: provider, cycle: 2026)["R1"] == trainee.id)
            let teacher = try #require(try await TeacherLinkStore(app.db).teacher(for: .trainee(trainee.id)))
            #expect(try await TeacherLinkStore(app.db).teacher(for: .person(account.id)) == teacher)
            let record = try #require(try await TeacherStore(app.db).teacher(teacher))
            #expect(record.record.name == "Aisha Rahman" && record.record.trn == nil)
            #expect(record.events.contains { $0.detail.contains("recruited application R1") })
            let done = try await staff.get(try #require(good.location))
            #expect(done.body.contains("Aisha Rahman is now a trainee for 2026/27"))
            #expect(done.body.contains("1 not yet added as trainees."))

            // The same choice again, or one that is not recruited, is refused; an unknown one is not found.
            let again = try await staff.submit(add, from: list, fields.merging(["home_postcode": "CT3 1AA"]) { $1 })
            #expect(again.status == .conflict)
            #expect(try await TraineeStore(app.db).trainees(year: year, provider: provider).count == before + 1)
            #expect(
                try await staff.get("/providers/\(provider)/recruited/add?cycle=2026&reference=O1").status == .conflict)
            #expect(
                try await staff.get("/providers/\(provider)/recruited/add?cycle=2026&reference=nope").status
                    == .notFound)
            #expect(try await staff.get("/providers/\(provider)/recruited?cycle=1999").status == .notFound)

            // A TRN the register holds under another name is named, not linked.
            let other = "/providers/\(provider)/recruited/add?cycle=2026&reference=R%262%3Dx"
            #expect(page.body.contains("reference=R%262%3Dx"))
            let clash = try await staff.submit(
                other, from: other,
                [
                    "name": "Ravi Patel", "subject": "physics", "phase": "secondary",
                    "route": "postgraduate-fee-funded", "placement": "1", "home_postcode": "CT3 1AB",
                    "max_travel_km": "20", "trn": "7654321",
                ])
            #expect(clash.status == .badRequest)
            #expect(clash.body.contains("is under another name (Someone Else)"))
            #expect(try await TraineeStore(app.db).trainees(year: year, provider: provider).count == before + 1)

            // Many at once: a trainees file naming each row's choice. A choice that is not recruited, already
            // added, or named twice is refused by line, and nothing is saved.
            let token = try #require(try await staff.get("/providers/\(provider)/trainees?year=2026/27").csrf)
            func upload(_ csv: String) async throws -> Agent.Reply {
                try await TraineeTests.upload(
                    staff, provider: provider, year: "2026/27", csv: csv, name: "recruits.csv", token: token)
            }
            let header = TraineeTests.header + ",application_choice"
            let refused = try await upload(
                """
                \(header)
                Ravi Patel,physics,secondary,postgraduate-fee-funded,1,,CT3 1AB,20,no,no,,"R&2=x"
                Dan Ode,mathematics,secondary,postgraduate-fee-funded,1,,CT3 1AB,20,no,no,,O1
                Ann Ew,mathematics,secondary,postgraduate-fee-funded,1,,CT3 1AB,20,no,no,,R1
                Bo Twice,physics,secondary,postgraduate-fee-funded,1,,CT3 1AB,20,no,no,,"R&2=x"

                """)
            #expect(refused.status == .badRequest)
            for expected in [
                "recruits.csv:3: application_choice: application choice 'O1' is offer made, not recruited",
                "recruits.csv:4: application_choice: application choice 'R1' has already been added as a trainee",
                "recruits.csv:5: application_choice: application choice 'R&amp;2=x' is named by an earlier row",
            ] {
                #expect(refused.body.contains(expected), "\(expected)")
            }
            #expect(try await TraineeStore(app.db).trainees(year: year, provider: provider).count == before + 1)
            let uploaded = try await upload(
                "\(header)\nRavi Patel,physics,secondary,postgraduate-fee-funded,1,,CT3 1AB,20,no,no,,\"R&2=x\"\n")
            #expect(uploaded.status == .seeOther)
            let ravi = try #require(
                try await TraineeStore(app.db).trainees(year: year, provider: provider).first {
                    $0.name == "Ravi Patel"
                })
            #expect(try await RecruitStore(app.db).trainees(provider: provider, cycle: 2026)["R&2=x"] == ravi.id)
            #expect(try await TeacherLinkStore(app.db).teacher(for: .trainee(ravi.id)) != nil)
            #expect(try await staff.get(list).body.contains("0 not yet added as trainees."))

            // Importing the cycle again keeps which choices became which trainees.
            try await app.db.transaction { tx in
                _ = try await ApplicationStore(tx).replace(
                    provider: provider, cycle: 2026,
                    with: [
                        Self.choice("R1", status: .recruited), Self.choice("R&2=x", status: .recruited),
                        Self.choice("O1", status: .offer),
                    ], file: "again", replaceAll: false, at: Date())
            }
            let reimported = try await staff.get(list)
            #expect(reimported.body.contains("0 not yet added as trainees."))
            #expect(reimported.body.contains(">Aisha Rahman</a>") && reimported.body.contains(">Ravi Patel</a>"))

            // The candidate, signed in, sees their own record; school staff cannot see the list.
            let candidate = Agent(app)
            try await candidate.signIn(applicant.email, applicant.password)
            let own = try await candidate.get("/teachers/\(teacher.uuidString.lowercased())")
            #expect(own.status == .ok && own.body.contains("recruited application R1"))
            let school = Agent(app)
            try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            #expect(try await school.get(list).status == .forbidden)
        }
    }
}

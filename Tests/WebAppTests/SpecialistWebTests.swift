import Domain
import Foundation
import Persistence
import Testing
import Vapor

@testable import WebApp

@Suite("Specialist teaching")
struct SpecialistWebTests {
    /// Three teachers at the school: a mathematician, a PE teacher and a biologist.
    static func staff(_ app: Application, urn: Int) async throws {
        let header = TeacherFile.columns.joined(separator: ",")
        let csv = """
            \(header)
            5100001,Asha,Kumar,1988,,,,mathematics,\(urn),teacher,full-time,1,2019-09-01,,
            5100002,Ben,Doyle,1990,,,,physical-education,\(urn),teacher,full-time,1,2020-09-01,,
            5100003,Cara,Lowe,1992,,,,biology,\(urn),teacher,full-time,1,2021-09-01,,
            """
        let entries = try TeacherFile.read(Array(csv.utf8), file: "staff.csv", thisYear: 2026)
        try await app.db.transaction { tx in
            _ = try await TeacherStore(tx).importEntries(entries, file: "staff.csv", author: "Test", at: Date())
        }
    }

    static func upload(_ agent: Agent, _ csv: String, name: String = "deployment.csv") async throws -> Agent.Reply {
        let token = try #require(try await agent.get("/specialists").csrf)
        let boundary = "----chalkface-test"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\(token)\r\n"
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
        return try await agent.request(
            .POST, "/specialists/upload", raw: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    @Test("A school uploads its deployment, sees its shares and its non-specialists; bad files change nothing")
    func schoolUpload() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            try await Self.staff(app, urn: urn)
            let other = try #require(
                try await SchoolStore(app.db).all(SchoolQuery(status: .open)).first { $0.urn.value != urn }
            ).urn.value
            let account = try app.demo(.schoolStaff)
            let school = Agent(app)
            _ = try await school.signIn(account.email, account.password)
            let empty = try await school.get("/specialists")
            #expect(empty.status == .ok && empty.body.contains("has not uploaded its curriculum deployment"))
            let store = DeploymentStore(app.db)

            // A bad number is named by line and field; then another school's row and an unknown TRN; nothing stored.
            let bad = try await Self.upload(
                school, "urn,trn,subject,hours\n\(urn),5100001,mathematics,12\n\(urn),5100003,physics,1e308\n")
            #expect(bad.status == .badRequest && bad.body.contains("deployment.csv:3: hours: must be hours a week"))
            let unknown = try await Self.upload(
                school,
                """
                urn,trn,subject,hours
                \(urn),5100001,mathematics,12
                \(other),5100002,mathematics,3
                \(urn),7654321,physics,4
                """)
            #expect(unknown.status == .badRequest)
            for message in [
                "deployment.csv:3: urn: \(other) is not your school",
                "deployment.csv:4: trn: 7654321 is not in the teacher register",
            ] {
                #expect(unknown.body.contains(message), "\(message)")
            }
            #expect(try await store.rows().isEmpty)

            // A good file: 12 hours of maths by the mathematician, 3 by the PE teacher; the biologist's 4 hours of
            // physics and 8 of combined science.
            let good = try await Self.upload(
                school,
                """
                urn,trn,subject,hours
                \(urn),5100001,mathematics,12
                \(urn),5100002,mathematics,3
                \(urn),5100003,physics,4
                \(urn),5100003,combined-science,8
                """)
            #expect(good.status == .seeOther)
            let page = try await school.get(try #require(good.location))
            #expect(page.body.contains("Deployment uploaded: 4 rows for 1 school"))
            #expect(page.body.contains("80.0%") && page.body.contains("87.2%"))  // maths 12 of 15; England's
            #expect(page.body.contains("Not shown (under 10 hours)"))  // physics: 4 hours
            #expect(page.body.contains("id=\"non-specialists\""))
            #expect(page.body.contains("Ben Doyle") && page.body.contains("Cara Lowe"))
            #expect(!page.body.contains("Asha Kumar"))
            let reads = try await AuditLog(app.db).events(.init(action: .deploymentRead)).events
            #expect(reads.contains { $0.subjectID == String(urn) })
            #expect(try await AuditLog(app.db).events(.init(action: .deploymentImported)).total == 1)

            // The CSV is the CLI's: the school's own rows.
            let csv = try await school.get("/specialists.csv")
            #expect(csv.body == (try await store.shares()).csv())
            #expect(csv.body.contains("\(urn),mathematics,15,12,0.8000") && csv.body.contains("\(urn),physics,4,0,\n"))

            // Uploading again replaces the school's rows.
            _ = try await Self.upload(school, "urn,trn,subject,hours\n\(urn),5100001,mathematics,20\n")
            #expect(try await store.rows().map(\.deployment.hours) == [TeachingHours("20")!])
        }
    }

    @Test("Coordinators see the partnership and map it; provider staff see figures without names")
    func partnership() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            try await Self.staff(app, urn: urn)
            let entries = try DeploymentFile.read(
                Array("urn,trn,subject,hours\n\(urn),5100001,mathematics,12\n\(urn),5100002,mathematics,3\n".utf8),
                file: "d.csv")
            try await app.db.transaction { tx in
                _ = try await DeploymentStore(tx).importEntries(entries, file: "d.csv", author: "Test", at: Date())
            }
            let coordinator = Agent(app)
            _ = try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let page = try await coordinator.get("/specialists")
            #expect(
                page.status == .ok && page.body.contains("id=\"partnership\"") && page.body.contains("id=\"schools\""))
            #expect(page.body.contains("80.0% (12 of 15 hours)"))
            // The demo shares aggregates only: no names, and the page says why.
            #expect(!page.body.contains("Ben Doyle") && page.body.contains("shares aggregates only"))
            #expect(page.body.contains("Upload a curriculum deployment"))
            let map = try await coordinator.get("/coldspots?indicator=specialist-teaching&subject=mathematics")
            #expect(map.status == .ok && map.body.contains("Specialist teaching"))
            let all = try await coordinator.get("/coldspots?indicator=specialist-teaching")
            #expect(all.status == .ok && all.body.contains("maths-and-science"))

            let provider = Agent(app)
            _ = try await provider.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let seen = try await provider.get("/specialists")
            #expect(seen.status == .ok && seen.body.contains("80.0% (12 of 15 hours)"))
            #expect(!seen.body.contains("Ben Doyle") && !seen.body.contains("Upload a curriculum deployment"))
            #expect(try await provider.get("/specialists.csv").body.contains("\(urn),mathematics,15,12,0.8000"))
        }
    }

    @Test("TSST on demo data: a non-specialist enrols, completes, the qualification is recorded, the share moves")
    func tsstLoop() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            try await Self.staff(app, urn: urn)
            let school = Agent(app)
            _ = try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            // The demo teacher (TRN 2099002, primary-trained) teaches 6 hours of maths beside a specialist's 10.
            let uploaded = try await Self.upload(
                school, "urn,trn,subject,hours\n\(urn),5100001,mathematics,10\n\(urn),2099002,mathematics,6\n")
            #expect(uploaded.status == .seeOther)
            let store = DeploymentStore(app.db)
            let before = try #require(try await store.shares().bySchool[urn]?[.mathematics])
            #expect(before.specialistHours == TeachingHours("10") && before.share == 0.625)
            let listed = try await school.get("/specialists")
            #expect(listed.body.contains("Chloe Bennett") && listed.body.contains("Find a mathematics TSST cohort"))
            #expect(!listed.body.contains("id=\"tsst-moved\""))

            // She finds TSST mathematics in the catalogue and asks for a place.
            let cpd = Persistence.CPDStore(app.db)
            let tsst = try #require(
                try await cpd.programmes().first { $0.kind == .tsst && $0.subjects == [.mathematics] })
            let cohort = try #require(try await cpd.cohorts(of: tsst.id).first)
            let base = "/cpd/\(tsst.id.uuidString.lowercased())"
            #expect(try await school.get("/cpd?kind=tsst&subject=mathematics").body.contains(tsst.title))
            let account = try app.demo(.teacher)
            let teacher = Agent(app)
            _ = try await teacher.signIn(account.email, account.password)
            let asked = try await teacher.submit(
                "\(base)/cohorts/\(cohort.id.uuidString.lowercased())/enrol", from: base, [:])
            #expect(asked.status == .ok)
            #expect(try await school.get("/specialists").body.contains("Asked for a place on \(tsst.title)"))

            // The university runs it: accepts, then records completion; the register gains the qualification.
            let provider = Agent(app)
            _ = try await provider.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let person = try await app.person(email: account.email)
            let enrolment = try #require(try await cpd.enrolments(person: person.id).first { $0.cohort == cohort.id })
            let decide = "/cpd/enrolments/\(enrolment.id.uuidString.lowercased())/decide"
            _ = try await provider.submit(decide, from: "\(base)/enrolments", ["action": "accept"])
            #expect(try await school.get("/specialists").body.contains("On \(tsst.title)"))
            let completed = try await provider.submit(decide, from: "\(base)/enrolments", ["action": "complete"])
            #expect(completed.status == .seeOther)
            #expect(
                try await provider.get(try #require(completed.location)).body.contains(
                    "The qualification (mathematics) now recorded in the teacher register"))
            let record = try #require(try await TeacherStore(app.db).teacher(trn: TRN("2099002")!))
            #expect(record.specialisms.contains(.mathematics))
            let events = try #require(try await TeacherStore(app.db).teacher(record.id)).events
            #expect(events.contains { $0.kind == .qualification && $0.detail.contains("completed \(tsst.title)") })

            // The school's maths share moves by exactly her 6 hours: 10 of 16 to 16 of 16.
            let after = try #require(try await store.shares().bySchool[urn]?[.mathematics])
            #expect(after.hours == before.hours)
            #expect(after.specialistHours.hundredths - before.specialistHours.hundredths == 600)
            #expect(after.share == 1)
            let page = try await school.get("/specialists")
            #expect(page.body.contains("id=\"tsst-moved\"") && page.body.contains("6 of 16"))
            #expect(page.body.contains("62.5%") && page.body.contains("100.0%"))
            #expect(!page.body.contains("Find a mathematics TSST cohort"))
            // Completing it again records nothing twice.
            #expect(
                try await QualificationStore(app.db).record(
                    teacher: record.id, subject: .mathematics, programme: tsst.id, source: "again", author: "Test",
                    at: Date()) == false)
        }
    }
}

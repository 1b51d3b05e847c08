import Foundation
import SQLKit
import Testing
import Vapor

@testable import Domain
@testable import Pages
@testable import Persistence
@testable import WebApp

@Suite("Early-career development: profiles by the ECT and their mentor, suggestions with reasons taken up, mentors")
struct DevelopmentWebTests {
    static func chloe(_ app: Application) async throws -> TeacherRecord {
        try #require(try await TeacherStore(app.db).teacher(trn: TRN("2099002")!))
    }

    static func hidden(_ name: String, in html: String) -> [String] {
        html.components(separatedBy: "name=\"\(name)\" value=\"").dropFirst().compactMap {
            $0.split(separator: "\"").first.map(String.init)
        }
    }

    @Test("A demo ECT sees suggestions with her mentor's reasons, takes one up into an enrolment, and rates herself")
    func suggestionsTakenUp() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let chloe = try await Self.chloe(app)
            let teacher = Agent(app)
            let account = try app.demo(.teacher)
            try await teacher.signIn(account.email, account.password)
            #expect(try await teacher.get("/dashboard").body.contains("href=\"/ects/development\""))
            let page = try await teacher.get("/ects/development")
            #expect(page.status == .ok)
            #expect(page.body.contains("Your mentor: James Patel"))
            // The demo mentor rated assessment as an area to develop: the first suggestion says so.
            #expect(page.body.contains("Because your mentor rated assessment as an area to develop"))
            let programmes = Self.hidden("programme", in: page.body)
            let cohorts = Self.hidden("cohort", in: page.body)
            #expect(!programmes.isEmpty && programmes.count == cohorts.count)
            let store = CPDStore(app.db)
            let firstID = try #require(UUID(uuidString: programmes[0]))
            let first = try #require(try await store.programme(firstID))
            #expect(first.developsAreas.contains(.assessment))

            // A programme that is not suggested (an NPQ is not for ECTs) cannot be taken up as one.
            let npq = try #require(try await store.programmes().first { $0.kind == .npq })
            let npqCohort = try #require(try await store.cohorts(of: npq.id).first)
            let forged = try await teacher.submit(
                "/ects/development/take-up", from: "/ects/development",
                ["programme": npq.id.uuidString, "cohort": npqCohort.id.uuidString])
            #expect(forged.status == .conflict)
            #expect(forged.body.contains("no longer suggested for you"))
            #expect(try await DevelopmentStore(app.db).takeUps(teacher: chloe.id).isEmpty)

            let taken = try await teacher.submit(
                "/ects/development/take-up", from: "/ects/development",
                ["programme": programmes[0], "cohort": cohorts[0]])
            #expect(taken.status == .seeOther)
            #expect(taken.location?.hasPrefix("/ects/development?asked=") == true)
            let person = try await app.person(email: account.email)
            let enrolments = try await store.enrolments(person: person.id)
            let enrolment = try #require(enrolments.first { $0.cohort.uuidString == cohorts[0] })
            #expect(enrolment.status == .requested)
            #expect(enrolment.urn == chloe.periods.last?.urn)
            let takeUps = try await DevelopmentStore(app.db).takeUps(teacher: chloe.id)
            #expect(takeUps.count == 1)
            #expect(takeUps.first?.enrolment == enrolment.id)
            #expect(takeUps.first?.areas.first == .assessment)
            #expect(takeUps.first?.reason.hasPrefix("Because your mentor rated assessment") == true)
            let after = try await teacher.get("/ects/development")
            #expect(after.body.contains("Suggestions you took up"))
            #expect(!Self.hidden("programme", in: after.body).contains(programmes[0]))
            // The provider sees the request like any other; the timeline says why it was asked for.
            let events = try #require(try await TeacherStore(app.db).teacher(chloe.id)).events
            #expect(events.contains { $0.kind == .cpd && $0.detail.contains("suggested for assessment") })
            // Taking it up again is refused and nothing is doubled.
            let again = try await teacher.submit(
                "/ects/development/take-up", from: "/ects/development",
                ["programme": programmes[0], "cohort": cohorts[0]])
            #expect(again.status == .conflict)
            #expect(try await DevelopmentStore(app.db).takeUps(teacher: chloe.id).count == 1)

            // Her own profile: every area must be rated, named by field; then it is saved and on her timeline.
            var form = ["area-assessment": "2", "area-adaptive-teaching": "5"]
            let bad = try await teacher.submit("/ects/development", from: "/ects/development", form)
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("href=\"#area-adaptive-teaching\""))
            #expect(bad.body.contains("href=\"#area-high-expectations\""))
            for area in ECFArea.allCases { form[DevelopmentProfile.field(area)] = "3" }
            form["area-assessment"] = "2"
            form["area-managing-behaviour"] = "1"
            let saved = try await teacher.submit("/ects/development", from: "/ects/development", form)
            #expect(saved.status == .seeOther)
            let own = try await teacher.get("/ects/development")
            #expect(own.body.contains("you and your mentor rated") || own.body.contains("you rated managing behaviour"))
            let today = Day.inUK(app.clock.now())
            let profiles = try await DevelopmentStore(app.db).profiles(
                year: .containing(today), term: .containing(today)
            )
            .filter { $0.teacher == chloe.id }
            #expect(Set(profiles.map(\.rater)) == [.ect, .mentor])
            #expect(profiles.first { $0.rater == .ect }?.ratings[.managingBehaviour] == .areaToDevelop)

            // Her download of everything held about her has both profiles and her mentorship.
            let export = try await teacher.get(SitePath.accountExport)
            #expect(export.body.contains("\"development_profiles\""))
            #expect(export.body.contains("\"relation\":\"mentored by\""))
            #expect(export.body.contains("\"teacher\":\"James Patel\""))

            // The coordinator sees the region's areas against the catalogue, and the take-up.
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            #expect(try await coordinator.get("/dashboard").body.contains("href=\"/ects/development/areas\""))
            let areas = try await coordinator.get("/ects/development/areas")
            #expect(areas.status == .ok)
            #expect(areas.body.contains("id=\"areas\""))
            #expect(areas.body.contains("asked for 1 place from a suggestion"))
            // The CSV download (and `chalkface ects areas`, the same function) gives the page's numbers.
            let csv = try await coordinator.get("/ects/development/areas.csv")
            #expect(csv.status == .ok)
            let lines = csv.body.split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
            }
            #expect(lines.first?.joined(separator: ",") == "area,ects,profiled,share,programmes,places,taken_up")
            #expect(lines.count == 9)
            for row in lines.dropFirst() where !row[1].isEmpty && Int(row[1])! >= 10 {
                #expect(areas.body.contains("(\(row[1]) of \(row[2]))"), "\(row)")
            }
            #expect(lines.first { $0.first == "assessment" }?.last == "1")
            #expect(try await teacher.get("/ects/development/areas").status == .forbidden)

            let reads = try await AuditLog(app.db).events(.init(action: .developmentRead, perPage: 500)).events
            #expect(reads.contains { $0.subjectID == chloe.id.uuidString })
        }
    }

    @Test("The mentor rates their ECT, no one else can; the school changes the mentor as a new dated mentorship")
    func mentorsAndSchools() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let chloe = try await Self.chloe(app)
            let path = "/ects/mentees/\(chloe.id.uuidString.lowercased())"
            let mentor = Agent(app)
            try await mentor.signIn(try app.demo(.mentor).email, try app.demo(.mentor).password)
            let list = try await mentor.get("/ects/mentees")
            #expect(list.body.contains("Chloe Bennett"))
            #expect(list.body.contains("href=\"\(path)\""))
            let form = try await mentor.get(path)
            #expect(form.status == .ok)
            var values: [String: String] = [:]
            for area in ECFArea.allCases { values[DevelopmentProfile.field(area)] = "4" }
            values["area-classroom-practice"] = "1"
            values["note"] = String(repeating: "x", count: 1_001)
            let long = try await mentor.submit(path, from: path, values)
            #expect(long.status == .badRequest)
            #expect(long.body.contains("The note must be 1000 characters or fewer"))
            values["note"] = "Work on transitions."
            #expect(try await mentor.submit(path, from: path, values).status == .seeOther)

            // Chloe cannot rate herself as her mentor, and the page says so.
            let teacher = Agent(app)
            try await teacher.signIn(try app.demo(.teacher).email, try app.demo(.teacher).password)
            #expect(try await teacher.get(path).status == .forbidden)
            #expect(try await teacher.get("/ects/mentees/\(UUID().uuidString)").status == .notFound)
            let suggestions = try await teacher.get("/ects/development")
            #expect(suggestions.body.contains("your mentor rated classroom practice as an area to develop"))

            // The school assigns another colleague: the first mentorship ends, a new one starts, both kept.
            let school = Agent(app)
            try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            let urn = try #require(chloe.periods.last?.urn)
            let page = try await school.get("/schools/\(urn)/ects")
            #expect(page.status == .ok)
            #expect(page.body.contains("James Patel, since"))
            let field = "mentor-\(chloe.id.uuidString.lowercased())"
            let refused = try await school.submit(
                "/schools/\(urn)/ects/mentor", from: "/schools/\(urn)/ects",
                ["teacher": chloe.id.uuidString, field: UUID().uuidString])
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("Choose a colleague at the school to mentor Chloe Bennett"))
            let staff = try await TeacherStore(app.db).staff(urn: urn)
            let colleague = try #require(
                staff.first { r in
                    r.name != "James Patel" && r.name != "Chloe Bennett"
                        && r.periods.contains { $0.urn == urn && $0.role != .ect && $0.finishedOn == nil }
                })
            let assigned = try await school.submit(
                "/schools/\(urn)/ects/mentor", from: "/schools/\(urn)/ects",
                ["teacher": chloe.id.uuidString, field: colleague.id.uuidString])
            #expect(assigned.status == .seeOther)
            let mentorships = try await DevelopmentStore(app.db).mentorships(ect: chloe.id)
            #expect(mentorships.count == 2)
            #expect(mentorships.first?.finishedOn != nil)
            #expect(mentorships.last?.mentor == colleague.id && mentorships.last?.finishedOn == nil)
            // James no longer mentors Chloe: her page is closed to him.
            #expect(try await mentor.get(path).status == .forbidden)
            let events = try #require(try await TeacherStore(app.db).teacher(chloe.id)).events
            #expect(events.filter { $0.kind == .mentorship }.count == 2)
            // Another school's staff cannot see this school's ECTs.
            #expect(try await teacher.get("/schools/\(urn)/ects").status == .forbidden)
        }
    }

    @Test(
        "A school records an ECT's induction, extends it and records the pass; the coordinator sees schools to follow up"
    )
    func induction() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let chloe = try await Self.chloe(app)
            let urn = try #require(chloe.periods.last?.urn)
            let path = "/schools/\(urn)/ects/\(chloe.id.uuidString.lowercased())/induction"
            let school = Agent(app)
            try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            let list = try await school.get("/schools/\(urn)/ects")
            #expect(list.body.contains("href=\"\(path)\""))
            #expect(list.body.contains("id=\"induction-flags\""))
            #expect(try await school.get(path).status == .ok)
            let bad = try await school.submit(
                path, from: path, ["appropriate_body_kind": "ofsted", "appropriate_body": "", "started_on": "soon"])
            #expect(bad.status == .badRequest)
            for field in ["appropriate_body_kind", "appropriate_body", "route", "tutor", "started_on"] {
                #expect(bad.body.contains("href=\"#\(field)\""), "\(field)")
            }
            #expect(try await DevelopmentStore(app.db).induction(teacher: chloe.id) == nil)
            let start = try #require(chloe.periods.last?.startedOn)
            let saved = try await school.submit(
                path, from: path,
                [
                    "appropriate_body_kind": "teaching-school-hub",
                    "appropriate_body": "Trent and Peak Teaching School Hub",
                    "route": "provider-led", "tutor": "Sarah Whitfield", "started_on": start.description,
                ])
            #expect(saved.status == .seeOther)
            let recorded = try #require(try await DevelopmentStore(app.db).induction(teacher: chloe.id))
            #expect(recorded.termsRequired == 6 && recorded.route == .providerLed)
            let extended = try await school.submit(
                "\(path)/outcome", from: path, ["outcome": "extended", "extension_terms": "2"])
            #expect(extended.status == .seeOther)
            #expect(try await DevelopmentStore(app.db).induction(teacher: chloe.id)?.termsRequired == 8)
            #expect(
                try await school.submit("\(path)/outcome", from: path, ["outcome": "extended"]).status == .badRequest)
            #expect(try await school.submit("\(path)/outcome", from: path, ["outcome": "passed"]).status == .seeOther)
            // Once passed, it cannot be changed or given another outcome.
            let again = try await school.submit("\(path)/outcome", from: path, ["outcome": "failed"])
            #expect(again.status == .badRequest)
            #expect(try await DevelopmentStore(app.db).induction(teacher: chloe.id)?.outcome == .passed)
            let events = try #require(try await TeacherStore(app.db).teacher(chloe.id)).events.filter {
                $0.kind == .induction
            }
            #expect(events.count == 3)
            #expect(events.contains { $0.detail.hasPrefix("Induction extended by 2 terms") })
            // An unknown teacher, or one who is not an ECT here, is not found.
            #expect(try await school.get("/schools/\(urn)/ects/\(UUID().uuidString)/induction").status == .notFound)

            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            #expect(try await coordinator.get("/dashboard").body.contains("href=\"/ects/induction\""))
            let overview = try await coordinator.get("/ects/induction")
            #expect(overview.status == .ok)
            #expect(overview.body.contains("id=\"induction-schools\""))
            #expect(overview.body.contains("with no induction recorded"))
        }
    }

    @Test(
        "Career planning: an ECT records a conversation, sees the NPQs that fit with funding, peers' paths and who offers"
    )
    func career() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let chloe = try await Self.chloe(app)
            let teacher = Agent(app)
            try await teacher.signIn(try app.demo(.teacher).email, try app.demo(.teacher).password)
            #expect(try await teacher.get("/dashboard").body.contains("href=\"/ects/career\""))
            let page = try await teacher.get("/ects/career")
            #expect(page.status == .ok)
            #expect(page.body.contains("id=\"career-paths\""))
            #expect(page.body.contains("James Patel"))
            let bad = try await teacher.submit("/ects/career", from: "/ects/career", ["aspiration": "astronaut"])
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("href=\"#aspiration\"") && bad.body.contains("href=\"#next_step\""))
            let saved = try await teacher.submit(
                "/ects/career", from: "/ects/career",
                [
                    "aspiration": "subject-leadership", "timescale": "one-to-three-years",
                    "next_step": "Lead a maths topic for year 4", "with": "James Patel",
                ])
            #expect(saved.status == .seeOther)
            let after = try await teacher.get("/ects/career")
            #expect(after.body.contains("Lead a subject or department, in one to three years"))
            #expect(after.body.contains("id=\"career-npqs\""))
            #expect(after.body.contains("Leading teaching"))
            let events = try #require(try await TeacherStore(app.db).teacher(chloe.id)).events
            #expect(events.contains { $0.detail.hasPrefix("Career conversation with James Patel") })
            // An ECT with no leadership or mentor role cannot offer conversations.
            #expect(
                try await teacher.submit("/ects/career/offer", from: "/ects/career", ["offer": "x"]).status == .conflict
            )
            // The mentor changes their offer, then withdraws it.
            let mentor = Agent(app)
            try await mentor.signIn(try app.demo(.mentor).email, try app.demo(.mentor).password)
            let long = try await mentor.submit(
                "/ects/career/offer", from: "/ects/career", ["offer": String(repeating: "o", count: 201)])
            #expect(long.status == .badRequest)
            #expect(
                try await mentor.submit("/ects/career/offer", from: "/ects/career", ["offer": "Becoming a mentor"])
                    .status
                    == .seeOther)
            #expect(try await teacher.get("/ects/career").body.contains("Becoming a mentor"))
            #expect(
                try await mentor.submit("/ects/career/offer", from: "/ects/career", ["offer": ""]).status == .seeOther)
            #expect(try await DevelopmentStore(app.db).advisers().isEmpty)
        }
    }
}

import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Changing a period: new hours in place, a new role as a new period")
struct PeriodChangeTests {
    let start = Day("2024-09-01")!
    var record: TeacherRecord {
        TeacherRecord(
            trn: TRN("3456789"), firstName: "Priya", lastName: "Nair",
            periods: [
                ServicePeriod(urn: 138982, role: .teacher, startedOn: start),
                ServicePeriod(urn: 138982, role: .mentor, workingPattern: .partTime, fte: 0.1, startedOn: start),
            ])
    }

    @Test("New hours keep the period's dates; a new role ends the old period the day before, with no end reason")
    func rules() throws {
        let r = record
        let teacher = try #require(r.periods.first { $0.role == .teacher })
        let hours = try r.change(teacher, role: .teacher, workingPattern: .partTime, fte: 0.6, from: Day("2026-01-05")!)
        #expect(hours.started == nil)
        #expect(hours.changed.startedOn == start && hours.changed.fte == 0.6 && hours.changed.isOpen)
        let role = try r.change(
            teacher, role: .middleLeader, workingPattern: .fullTime, fte: 1, from: Day("2026-01-05")!)
        #expect(role.changed.finishedOn == Day("2026-01-04") && role.changed.endReason == nil)
        #expect(role.started == ServicePeriod(urn: 138982, role: .middleLeader, startedOn: Day("2026-01-05")!))
    }

    @Test("Refused: no change, a role starting before the period, a role already held, FTE out of step")
    func refusals() {
        let r = record
        let teacher = r.periods[0]
        func fields(_ body: () throws -> Void) -> [String] {
            do {
                try body()
                return []
            } catch let error as ValidationError {
                return error.problems.map(\.field)
            } catch { return ["unexpected \(error)"] }
        }
        #expect(
            fields { _ = try r.change(teacher, role: .teacher, workingPattern: .fullTime, fte: 1, from: start) }
                == ["fte"])
        #expect(
            fields { _ = try r.change(teacher, role: .headteacher, workingPattern: .fullTime, fte: 1, from: start) }
                == ["from"])
        #expect(
            fields {
                _ = try r.change(teacher, role: .mentor, workingPattern: .fullTime, fte: 1, from: Day("2026-01-05")!)
            } == ["role"])
        #expect(
            fields {
                _ = try r.change(teacher, role: .teacher, workingPattern: .fullTime, fte: 0.5, from: Day("2026-01-05")!)
            } == ["fte"])
        #expect(
            fields {
                _ = try r.change(teacher, role: .teacher, workingPattern: .partTime, fte: 1, from: Day("2026-01-05")!)
            } == ["fte"])
        var ended = teacher
        ended.finishedOn = Day("2025-07-31")
        #expect(
            fields { _ = try r.change(ended, role: .teacher, workingPattern: .partTime, fte: 0.5, from: start) }
                == ["period"])
    }
}

@Suite("The register links the same person: accounts, trainees, one school's curve")
struct TeacherLinkTests {
    /// Priya Nair, teacher at the demo school since 2024, in the register.
    static func priya(_ app: Application, urn: Int) async throws -> TeacherRecord {
        let csv =
            TeacherFile.columns.joined(separator: ",")
            + "\n3456789,Priya,Nair,1994,,,,mathematics,\(urn),teacher,full-time,1,2024-09-01,,\n"
        let entries = try TeacherFile.read(Array(csv.utf8), file: "t.csv", thisYear: 2026)
        _ = try await app.db.transaction { tx in
            try await TeacherStore(tx).importEntries(entries, file: "t.csv", author: "Test", at: Date())
        }
        return try #require(try await TeacherStore(app.db).all().first { $0.trn?.value == "3456789" })
    }

    @Test("School staff change a teacher's hours and role from the staff list; the timeline tells it")
    func changeFromStaffList() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            let priya = try await Self.priya(app, urn: urn)
            let account = try app.demo(.schoolStaff)
            let staff = Agent(app)
            _ = try await staff.signIn(account.email, account.password)
            let list = try await staff.get("/schools/\(urn)/staff")
            let page = "/schools/\(urn)/staff/\(priya.id.uuidString.lowercased())/change"
            #expect(list.body.contains(page))
            let form = try await staff.get(page)
            #expect(form.status == .ok && form.body.contains("Now: Teacher, full time (FTE 1.00)"))
            let bad = try await staff.submit(
                page, from: page,
                ["period": "teacher", "role": "dean", "working_pattern": "part-time", "fte": "2", "from": "soon"])
            #expect(bad.status == .badRequest)
            for message in ["Choose a role", "Enter an FTE more than 0", "Enter the first day of the change"] {
                #expect(bad.body.contains(message), "\(message)")
            }
            let hours = try await staff.submit(
                page, from: page,
                [
                    "period": "teacher", "role": "teacher", "working_pattern": "part-time", "fte": "0.8",
                    "from": "2026-01-05",
                ])
            #expect(hours.status == .seeOther)
            #expect(
                try await staff.get(try #require(hours.location)).body.contains(
                    "change from 5 January 2026 is recorded"))
            var stored = try #require(try await TeacherStore(app.db).teacher(priya.id))
            #expect(
                stored.record.periods == [
                    ServicePeriod(
                        urn: urn, role: .teacher, workingPattern: .partTime, fte: 0.8, startedOn: Day("2024-09-01")!)
                ])
            #expect(
                stored.events.contains {
                    $0.kind == .periodChanged && $0.on == Day("2026-01-05") && $0.recordedBy == account.name
                })
            let role = try await staff.submit(
                page, from: page,
                [
                    "period": "teacher", "role": "middle-leader", "working_pattern": "full-time", "fte": "1",
                    "from": "2026-09-01",
                ])
            #expect(role.status == .seeOther)
            stored = try #require(try await TeacherStore(app.db).teacher(priya.id))
            #expect(stored.record.periods.count == 2)
            #expect(stored.record.periods.first { $0.role == .teacher }?.finishedOn == Day("2026-08-31"))
            #expect(stored.record.periods.first { $0.role == .middleLeader }?.isOpen == true)
            #expect(stored.record.inPost)
            let early = try await staff.submit(
                page, from: page,
                [
                    "period": "middle-leader", "role": "headteacher", "working_pattern": "full-time", "fte": "1",
                    "from": "2026-08-01",
                ])
            #expect(early.status == .badRequest && early.body.contains("must start after the current one started"))
            // Another school's staff cannot reach it.
            let other = Agent(app)
            _ = try await other.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            #expect(try await other.get(page).status == .forbidden)
        }
    }

    @Test("A school links a teacher's account: they see their own record; others cannot; export and erasure")
    func accounts() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            let priya = try await Self.priya(app, urn: urn)
            let record = "/teachers/\(priya.id.uuidString.lowercased())"
            let staffAccount = try app.demo(.schoolStaff)
            let staff = Agent(app)
            _ = try await staff.signIn(staffAccount.email, staffAccount.password)
            let teacherAccount = try app.demo(.teacher)
            let teacher = Agent(app)
            _ = try await teacher.signIn(teacherAccount.email, teacherAccount.password)
            #expect(try await teacher.get(record).status == .forbidden)
            #expect(!(try await teacher.get("/dashboard").body.contains("Your teaching record")))

            let page = try await staff.get(record)
            #expect(page.status == .ok && page.body.contains("Nothing is linked to this record yet"))
            // Refused: not an address, no account, not a teacher, not at this school.
            let cases = [
                ("nonsense", "Enter an email address in the correct format"),
                ("nobody@example.org", "No one with an account has the email address"),
                (try app.demo(.applicant).email, "has no teacher or mentor role"),
                ("oliver.nowak@example.org", "is not a teacher or mentor at your school"),
            ]
            for (email, message) in cases {
                let reply = try await staff.submit("\(record)/accounts", from: record, ["email": email])
                #expect(reply.status == .badRequest && reply.body.contains(message), "\(email)")
            }
            let linked = try await staff.submit("\(record)/accounts", from: record, ["email": teacherAccount.email])
            #expect(linked.status == .ok && linked.body.contains("account is linked to this record"))
            #expect(linked.body.contains("id=\"linked-accounts\""))
            // The teacher now sees their record from their dashboard.
            let dashboard = try await teacher.get("/dashboard")
            #expect(dashboard.body.contains("href=\"\(record)\""))
            let own = try await teacher.get(record)
            #expect(own.status == .ok && own.body.contains("Your record in the teacher register"))
            #expect(own.body.contains("Account linked") && !own.body.contains("Link account"))
            #expect(
                try await teacher.submit("\(record)/accounts", from: record, ["email": "x@example.org"]).status
                    == .forbidden)
            // Their download holds the record.
            let export = try await teacher.get("/account/export")
            #expect(export.body.contains("\"teacher_record\"") && export.body.contains("3456789"))
            // The same account cannot be linked to a second record.
            let csv =
                TeacherFile.columns.joined(separator: ",")
                + "\n4567890,Tom,Reed,,,,,,\(urn),teacher,full-time,1,2025-09-01,,\n"
            let entries = try TeacherFile.read(Array(csv.utf8), file: "t.csv", thisYear: 2026)
            _ = try await app.db.transaction { tx in
                try await TeacherStore(tx).importEntries(entries, file: "t.csv", author: "Test", at: Date())
            }
            let tom = try #require(try await TeacherStore(app.db).all().first { $0.trn?.value == "4567890" })
            let tomRecord = "/teachers/\(tom.id.uuidString.lowercased())"
            let twice = try await staff.submit(
                "\(tomRecord)/accounts", from: tomRecord, ["email": teacherAccount.email])
            #expect(twice.status == .badRequest && twice.body.contains("already linked to another teacher's record"))

            // Unlinking, and erasure removing the link.
            let person = try await app.person(email: teacherAccount.email)
            let unlinked = try await staff.submit("\(record)/accounts/\(person.id)/remove", from: record, [:])
            #expect(unlinked.status == .ok && unlinked.body.contains("no longer linked"))
            #expect(try await teacher.get(record).status == .forbidden)
            _ = try await staff.submit("\(record)/accounts", from: record, ["email": teacherAccount.email])
            try await PeopleStore(app.db).erase(person.id, at: Date())
            #expect(try await TeacherLinkStore(app.db).teacher(for: .person(person.id)) == nil)
            #expect(try await TeacherStore(app.db).teacher(priya.id) != nil)
        }
    }

    @Test("A provider starts a trainee's register record, or links one by TRN when the names agree")
    func trainees() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            let provider = try await TraineeTests.provider(app)
            let year = try #require(AcademicYear("2030/31"))
            let home = try #require(try await SchoolStore(app.db).find(URN(urn))?.location)
            func trainee(_ name: String) -> Trainee {
                Trainee(
                    provider: provider, year: year, name: name, subject: .mathematics, phase: .secondary,
                    route: .postgraduateFeeFunded, placement: 1, firstPlacementURN: nil,
                    homePostcode: Postcode("DE14 9ZZ")!,
                    home: GridPoint(easting: home.easting, northing: home.northing),
                    maximumTravelKm: 30, noCar: false, sendInterest: false, preferences: [])
            }
            let amir = trainee("Amir Khan")
            let priyaTrainee = trainee("Priya Nair")
            try await TraineeStore(app.db).add([amir, priyaTrainee], at: Date())
            let priya = try await Self.priya(app, urn: urn)

            let account = try app.demo(.providerStaff)
            let staff = Agent(app)
            _ = try await staff.signIn(account.email, account.password)
            let amirPage = "/providers/\(provider)/trainees/\(amir.id.uuidString.lowercased())/teacher"
            let list = try await staff.get("/providers/\(provider)/trainees?year=\(year)")
            #expect(list.body.contains(amirPage))
            #expect(try await staff.get(amirPage).body.contains("has no record in the teacher register yet"))
            // A TRN the register holds under another name, one it does not hold, and a malformed one.
            let wrong = try await staff.submit(amirPage, from: amirPage, ["action": "link", "trn": "3456789"])
            #expect(wrong.status == .badRequest && wrong.body.contains("is under another name"))
            let missing = try await staff.submit(amirPage, from: amirPage, ["action": "link", "trn": "7654321"])
            #expect(missing.status == .badRequest && missing.body.contains("holds no teacher with TRN 7654321"))
            let malformed = try await staff.submit(amirPage, from: amirPage, ["action": "create", "trn": "12"])
            #expect(malformed.status == .badRequest && malformed.body.contains("Enter a TRN of 7 digits"))
            // Start a record for Amir: no TRN yet, the provider and route recorded, the training on the timeline.
            let created = try await staff.submit(amirPage, from: amirPage, ["action": "create", "trn": ""])
            #expect(created.status == .ok && created.body.contains("now has a record in the teacher register"))
            let amirRecord = try #require(try await TeacherStore(app.db).all().first { $0.lastName == "Khan" })
            #expect(amirRecord.trn == nil && amirRecord.firstName == "Amir" && amirRecord.specialisms == [.mathematics])
            #expect(amirRecord.route == TrainingRoute.postgraduateFeeFunded.rawValue)
            #expect(amirRecord.ittProvider == (try await OrganisationStore(app.db).find(provider))?.name)
            let story = try #require(try await TeacherStore(app.db).teacher(amirRecord.id))
            #expect(
                story.events.contains {
                    $0.kind == .trainee && $0.detail.contains("Trainee with") && $0.recordedBy == account.name
                })
            #expect(try await staff.submit(amirPage, from: amirPage, ["action": "create"]).status == .conflict)
            // The provider's staff open the record, which lists the trainee record.
            let amirTeacher = try await staff.get("/teachers/\(amirRecord.id.uuidString.lowercased())")
            #expect(amirTeacher.status == .ok && amirTeacher.body.contains("id=\"linked-trainees\""))

            // Priya trained with the provider and is in post already: link by her TRN.
            let priyaPage = "/providers/\(provider)/trainees/\(priyaTrainee.id.uuidString.lowercased())/teacher"
            let linked = try await staff.submit(priyaPage, from: priyaPage, ["action": "link", "trn": "3456789"])
            #expect(linked.status == .ok && linked.body.contains("is linked to their record"))
            #expect(try await TeacherLinkStore(app.db).teacher(for: .trainee(priyaTrainee.id)) == priya.id)
            #expect(try await TeacherStore(app.db).count() == 2)
            // The provider may now open Priya's record (her trainee record is theirs).
            #expect(try await staff.get("/teachers/\(priya.id.uuidString.lowercased())").status == .ok)
        }
    }

    @Test("Coordinators look at one school's time-at-school curve; others may not pick a school")
    func oneSchool() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            _ = try await Self.priya(app, urn: urn)
            let coordinator = Agent(app)
            _ = try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let whole = try await coordinator.get("/retention")
            #expect(whole.body.contains("id=\"school\""))
            let one = try await coordinator.get("/retention?school=\(urn)&by=subject")
            #expect(one.status == .ok)
            #expect(one.body.contains("(URN \(urn))") && one.body.contains("Back to the whole partnership"))
            #expect(one.body.contains("still at the school"))
            // Aggregates-only sharing: no staff list link for the coordinator.
            #expect(!one.body.contains("staff-list-link"))
            #expect(try await coordinator.get("/retention?school=12").status == .badRequest)
            #expect(try await coordinator.get("/retention?school=999999").status == .notFound)
            let provider = Agent(app)
            _ = try await provider.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            #expect(try await provider.get("/retention?school=\(urn)").status == .forbidden)
            let school = Agent(app)
            _ = try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            #expect(try await school.get("/retention?school=\(urn)").status == .ok)
            #expect(try await school.get("/retention?school=141308").status == .forbidden)
        }
    }
}

import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Teacher register and retention")
struct RetentionTests {
    static let header = TeacherFile.columns.joined(separator: ",")

    /// What the analysis needs of each school the teachers name, read here from the school store itself.
    static func schoolFacts(_ app: Application, _ teachers: [TeacherRecord]) async throws -> [Int: Retention
        .SchoolFacts]
    {
        let schools = try await SchoolStore(app.db).find(Set(teachers.flatMap { $0.periods.map(\.urn) }).map(URN.init))
        return Dictionary(
            uniqueKeysWithValues: schools.map {
                (
                    $0.key.value,
                    Retention.SchoolFacts(
                        name: $0.value.name, phase: $0.value.phase.label,
                        localAuthority: $0.value.localAuthority?.name ?? "Unknown")
                )
            })
    }

    static func entries(_ text: String, file: String = "staff.csv") throws -> [TeacherFile.Entry] {
        try TeacherFile.read(Array(text.utf8), file: file, thisYear: 2026)
    }

    @Test("Register rules: a move is one teacher with two periods; overlaps and ends before starts are refused")
    func registerRules() throws {
        let file = """
            \(Self.header)
            1234567,Amira,Shah,1990,2013-07-20,University of Brighton,postgraduate-fee-funded,mathematics;physics,141308,ect,full-time,1,2013-09-01,2015-08-31,
            1234567,Amira,Shah,,,,,,141308,teacher,full-time,1,2015-09-01,2019-08-31,moved-within-partnership
            1234567,Amira,Shah,,,,,,124232,teacher,part-time,0.6,2019-09-01,,
            1234567,Amira,Shah,,,,,,141308,teacher,full-time,1,2015-09-01,2019-08-31,moved-within-partnership
            """
        let read = try Self.entries(file)
        #expect(read.count == 1)
        let t = read[0].record
        #expect(t.periods.count == 3 && t.specialisms == [.mathematics, .physics] && t.birthYear == 1990)
        #expect(t.inPost && t.firstPost == Day("2013-09-01"))

        let overlapping = """
            \(Self.header)
            1234567,Amira,Shah,,,,,,141308,teacher,full-time,1,2015-09-01,2019-08-31,
            1234567,Amira,Shah,,,,,,141308,teacher,full-time,1,2018-09-01,,
            7654321,Ben,Ode,,,,,,141308,teacher,full-time,1,2020-09-01,2019-08-31,
            7654321,Ben,Ode,,,,,,141308,dean,full-time,1,2020-09-01,,
            12345,Cara,Lee,,,,,,14130,teacher,part-time,,2020-09-01,,retired
            """
        do {
            _ = try Self.entries(overlapping)
            Issue.record("accepted overlapping periods")
        } catch let error as ImportFileError {
            let d = error.description
            #expect(d.contains("staff.csv:3: started_on: overlaps the teacher period at URN 141308"))
            #expect(d.contains("staff.csv:4: finished_on: 2019-08-31 is before started_on 2020-09-01"))
            #expect(d.contains("staff.csv:5: role:"))
            #expect(d.contains("staff.csv:6: trn:") && d.contains("staff.csv:6: urn:"))
            #expect(d.contains("staff.csv:6: fte: is needed for a part-time period"))
            #expect(d.contains("staff.csv:6: end_reason: is given but the period has no finished_on"))
        }
    }

    @Test("Import upserts by TRN: periods merged, never duplicated; an open period is ended; unknown schools named")
    func importMerges() async throws {
        try await withTestApp(seed: true) { app in
            let now = Date()
            let first = """
                \(Self.header)
                1234567,Amira,Shah,1990,,,,mathematics,141308,teacher,full-time,1,2019-09-01,,
                ,Sam,Noor,1995,,,,,141308,ect,full-time,1,2025-09-01,,
                """
            let store = TeacherStore(app.db)
            let a = try await app.db.transaction { tx in
                try await TeacherStore(tx).importEntries(
                    try Self.entries(first), file: "a.csv", author: "test", at: now)
            }
            #expect(a.inserted == 2 && a.periodsAdded == 2)
            let second = """
                \(Self.header)
                1234567,Amira,Shah,1990,,,,mathematics,141308,teacher,full-time,1,2019-09-01,2024-08-31,moved-within-partnership
                1234567,Amira,Shah,1990,,,,mathematics,124232,teacher,full-time,1,2024-09-01,,
                ,Sam,Noor,1995,,,,,141308,ect,full-time,1,2025-09-01,,
                """
            let b = try await app.db.transaction { tx in
                try await TeacherStore(tx).importEntries(
                    try Self.entries(second), file: "b.csv", author: "test", at: now)
            }
            #expect(b.inserted == 0 && b.updated == 1 && b.unchanged == 1)
            #expect(b.periodsAdded == 1 && b.periodsChanged == 1)
            #expect(try await store.count() == 2)
            let amira = try #require(try await store.all().first { $0.trn?.value == "1234567" })
            #expect(amira.periods.count == 2, "\(amira.periods)")
            #expect(
                amira.periods[0].finishedOn == Day("2024-08-31")
                    && amira.periods[0].endReason == .movedWithinPartnership)
            let timeline = try #require(try await store.teacher(amira.id)).events
            #expect(timeline.contains { $0.kind == .periodEnded } && timeline.contains { $0.kind == .periodStarted })

            // A stored period the file overlaps, and a school no one knows: named, nothing written.
            let bad = """
                \(Self.header)
                1234567,Amira,Shah,1990,,,,,124232,teacher,full-time,1,2025-01-01,,
                7777777,New,Person,,,,,,999999,teacher,full-time,1,2025-01-01,,
                """
            do {
                _ = try await app.db.transaction { tx in
                    try await TeacherStore(tx).importEntries(
                        try Self.entries(bad, file: "c.csv"), file: "c.csv", author: "test", at: now)
                }
                Issue.record("accepted a clash")
            } catch let error as ImportFileError {
                #expect(error.description.contains("c.csv:2: started_on: overlaps"))
                #expect(error.description.contains("c.csv:3: urn: no school has URN 999999"))
            }
            #expect(try await store.count() == 2)
        }
    }

    @Test("The retention page, its CSV and the CLI's code give the same numbers; scoped by role")
    func retentionPage() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let teachers = try await TeacherStore(app.db).all()
            #expect(teachers.count > 3_000)
            let coordinator = Agent(app)
            _ = try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let page = try await coordinator.get("/retention?by=phase")
            #expect(page.status == .ok)
            #expect(page.body.contains("id=\"survival-chart\"") && page.body.contains("id=\"at-risk\""))
            #expect(page.body.contains("Log-rank test across the"))
            #expect(page.body.contains("England, 2010 entrants"))
            #expect(page.body.contains("generated demo data"))
            #expect(page.body.contains("id=\"funnel-chart\""))
            let funnel = Retention.funnel(
                Retention.partnershipSpells(
                    teachers, asOf: Day.inUK(app.clock.now()),
                    schools: try await Self.schoolFacts(app, teachers)),
                asOf: Day.inUK(app.clock.now()))
            #expect(funnel.schools.count > 50 && funnel.schools.allSatisfy { $0.starters >= 10 })
            #expect(page.body.contains("Of \(funnel.starters) teachers whose first post began at least 3 years ago"))
            // Each school below the limit links to its own time-at-the-school curve.
            for s in funnel.schools where s.belowAlert {
                #expect(page.body.contains("href=\"/retention?school=\(try #require(s.urn))\""))
            }

            let csv = try await coordinator.get("/retention.csv?by=phase")
            #expect(csv.status == .ok)
            let lines = csv.body.split(separator: "\r\n").map(String.init)
            #expect(lines.first == SurvivalReport.header)
            // The same numbers from the Domain functions the CLI uses.
            let facts = try await Self.schoolFacts(app, teachers)
            let spells = Retention.partnershipSpells(teachers, asOf: Day.inUK(app.clock.now()), schools: facts)
            let analysis = Retention.analyse(spells, by: .phase)
            let top = try #require(analysis.curves.first)
            let atFive = top.fit.at(5)
            let row = try #require(lines.first { $0.hasPrefix("\(top.label),5,") })
            #expect(row.hasSuffix(",\(atFive.survival),\(atFive.lower),\(atFive.upper)"))
            #expect(page.body.contains(String(format: "%.1f%%", atFive.survival * 100)))
            // Survival after one year is near the national 87% the workforce was generated at.
            let one = analysis.overall.fit.at(1).survival
            #expect(one > 0.82 && one < 0.92)

            #expect(try await coordinator.get("/retention?by=nonsense").status == .badRequest)
            #expect(try await coordinator.get("/retention?factor=school").status == .badRequest)
            let modelled = try await coordinator.get("/retention?by=cohort&factor=phase&factor=subject")
            #expect(modelled.body.contains("id=\"hazard-ratios\""))
            let hazards = try Retention.hazardRatios(spells, factors: [.phase, .subject])
            let maths = try #require(hazards.rows.first { $0.level == "Mathematics" })
            #expect(maths.baseline == "Primary" || maths.factor == .subject)
            #expect(
                modelled.body.contains(
                    String(
                        format: "%.2f (%.2f to %.2f)", maths.coefficient.hazardRatio,
                        maths.coefficient.hazardRatioLower, maths.coefficient.hazardRatioUpper)))
            // The generated shortage subjects leave faster (a multiplier of 1.25 on the national hazards).
            #expect(maths.coefficient.hazardRatio > 1)
            let hazardsCSV = try await coordinator.get("/retention/hazards.csv?factor=phase&factor=subject")
            #expect(hazardsCSV.status == .ok && hazardsCSV.body.contains("subject,Mathematics,"))
            #expect(hazardsCSV.body.contains(",\(maths.coefficient.hazardRatio),"))
            #expect(try await coordinator.get("/retention/hazards.csv").status == .badRequest)
            let funnelCSV = try await coordinator.get("/retention/funnel.csv")
            #expect(funnelCSV.status == .ok)
            #expect(funnelCSV.body.split(separator: "\r\n").count == funnel.schools.count + 1)

            let school = Agent(app)
            _ = try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            let own = try await school.get("/retention")
            #expect(own.status == .ok && own.body.contains("Staff of"))
            let urn = try await PlacementOfferTests.ownSchool(app)
            let staff = try await school.get("/schools/\(urn.value)/staff")
            #expect(staff.status == .ok && staff.body.contains("id=\"current-staff\""))
            let teacher = try #require(teachers.first { $0.periods.contains { $0.urn == urn.value } })
            let record = try await school.get("/teachers/\(teacher.id.uuidString.lowercased())")
            #expect(
                record.status == .ok && record.body.contains("id=\"timeline\"") && record.body.contains(teacher.name))
            let elsewhere = try #require(teachers.first { !$0.periods.contains { $0.urn == urn.value } })
            #expect(try await school.get("/teachers/\(elsewhere.id.uuidString.lowercased())").status == .forbidden)
            var filter = AuditLog.Filter()
            filter.action = .teacherRead
            let audit = try await AuditLog(app.db).events(filter)
            #expect(audit.events.contains { $0.subjectID == teacher.id.uuidString })

            let applicant = Agent(app)
            _ = try await applicant.signIn(try app.demo(.applicant).email, try app.demo(.applicant).password)
            #expect(try await applicant.get("/retention").status == .forbidden)
        }
    }
}

@Suite("A school keeps its staff list")
struct StaffListTests {
    @Test("School staff add a starter, add a returning teacher by TRN, record a leaver and upload a file")
    func keepStaffList() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            let account = try app.demo(.schoolStaff)
            let staff = Agent(app)
            _ = try await staff.signIn(account.email, account.password)
            let page = "/schools/\(urn)/staff"
            #expect(try await staff.get(page).body.contains("In post (0)"))
            let added = try await staff.submit(
                page, from: page,
                [
                    "trn": "3456789", "first_name": "Priya", "last_name": "Nair", "birth_year": "1994",
                    "specialisms": "mathematics", "role": "teacher", "working_pattern": "part-time", "fte": "0.6",
                    "started_on": "2024-09-01",
                ])
            #expect(added.status == .seeOther)
            let list = try await staff.get(page)
            #expect(list.body.contains("In post (1)") && list.body.contains("Priya Nair"))
            // The retention page reads the register through a cache that each change invalidates.
            #expect(try await staff.get("/retention").body.contains("There are 1 teachers in this view"))
            let store = TeacherStore(app.db)
            let priya = try #require(try await store.all().first { $0.trn?.value == "3456789" })
            #expect(
                priya.periods == [
                    ServicePeriod(
                        urn: urn, role: .teacher, workingPattern: .partTime, fte: 0.6, startedOn: Day("2024-09-01")!)
                ])
            // The same TRN again, as a mentor: the same record gains a period.
            _ = try await staff.submit(
                page, from: page,
                [
                    "trn": "3456789", "first_name": "Priya", "last_name": "Nair", "role": "mentor",
                    "working_pattern": "part-time", "fte": "0.1", "started_on": "2025-09-01",
                ])
            #expect(try await store.count() == 1)
            #expect(try await store.all().first?.periods.count == 2)
            // Bad input is named by field, and writes nothing.
            let bad = try await staff.submit(
                page, from: page,
                ["first_name": "", "last_name": "X", "role": "dean", "started_on": "2025-13-01", "trn": "12"])
            #expect(bad.status == .badRequest)
            for message in ["first_name", "must be 7 digits", "must be one of teacher", "must be a date"] {
                #expect(bad.body.contains(message), "\(message)")
            }
            #expect(try await store.count() == 1)

            // Record leaving: both open periods at the school end, on the timeline with who recorded it.
            let endPage = "\(page)/\(priya.id.uuidString.lowercased())/end"
            #expect(try await staff.get(endPage).status == .ok)
            let early = try await staff.submit(
                endPage, from: endPage, ["finished_on": "2020-01-01", "end_reason": "retired"])
            #expect(early.status == .badRequest && early.body.contains("on or after the period started"))
            let ended = try await staff.submit(
                endPage, from: endPage, ["finished_on": "2026-08-31", "end_reason": "moved-out-of-region"])
            #expect(ended.status == .seeOther)
            let after = try #require(try await store.teacher(priya.id))
            #expect(
                after.record.periods.allSatisfy {
                    $0.finishedOn == Day("2026-08-31") && $0.endReason == .movedOutOfRegion
                })
            #expect(after.events.contains { $0.kind == .periodEnded && $0.recordedBy == account.name })
            #expect(try await staff.get(endPage).status == .notFound)

            // Upload: a row for another school is refused with its line; a good file is imported.
            let token = try #require(try await staff.get(page).csrf)
            func upload(_ csv: String) async throws -> Agent.Reply {
                let boundary = "----chalkface-test"
                var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\(token)\r\n"
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"staff.csv\"\r\n"
                body += "Content-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
                return try await staff.request(
                    .POST, "\(page)/upload", raw: body, contentType: "multipart/form-data; boundary=\(boundary)")
            }
            let header = TeacherFile.columns.joined(separator: ",")
            let elsewhere = try await upload(
                "\(header)\n4567890,Tom,Reed,,,,,,\(urn),teacher,full-time,1,2025-09-01,,\n5678901,Ann,Bell,,,,,,141308,teacher,full-time,1,2025-09-01,,\n"
            )
            #expect(
                elsewhere.status == .badRequest
                    && elsewhere.body.contains("staff.csv:3: urn: 141308 is not this school"))
            #expect(try await store.count() == 1)
            let good = try await upload("\(header)\n4567890,Tom,Reed,,,,,english,\(urn),ect,full-time,1,2025-09-01,,\n")
            #expect(good.status == .seeOther)
            #expect(try await store.count() == 2)
            #expect(try await staff.get(page).body.contains("Tom Reed"))
            #expect(try await staff.get("/retention").body.contains("There are 2 teachers in this view"))
        }
    }
}

@Suite("Supply forecast")
struct ForecastTests {
    @Test("The stock-flow model: flows add up; the what-if moves only its subject; need follows pupils")
    func model() {
        let line = SupplyForecast.Line(phase: "Secondary", subject: .mathematics)
        let still = SupplyForecast.Inputs(
            line: line, early: 10, established: 90, earlyLeaving: 0, establishedLeaving: 0, rateNote: "",
            newlyQualified: 0, returners: 0, otherEntrants: 0, pupilIndex: [1, 1.1, 1.2])
        let flat = SupplyForecast.project(still)
        #expect(flat.allSatisfy { abs($0.supply - 100) < 1e-9 })
        #expect(abs(flat[1].need - 110) < 1e-9 && abs(flat[5].need - 120) < 1e-9)
        var leaving = still
        leaving.earlyLeaving = 0.2
        leaving.establishedLeaving = 0.1
        leaving.newlyQualified = 5
        leaving.returners = 2
        let one = SupplyForecast.project(leaving)[1]
        // Early: 10 x 0.8 = 8 stay, 4 complete, 4 + 5 new; established: 81 + 4 + 2.
        #expect(abs(one.supply - (9 + 87)) < 1e-9)
        let more = SupplyForecast.project(leaving, whatIf: .init(subject: .mathematics, extraTrainees: 3))[1]
        #expect(abs(more.supply - one.supply - 3) < 1e-9)
        let otherSubject = SupplyForecast.project(leaving, whatIf: .init(subject: .physics, extraTrainees: 3))[1]
        #expect(otherSubject.supply == one.supply)
        let cut = SupplyForecast.project(leaving, whatIf: .init(earlyLeavingCut: 10))[1]
        #expect(abs(cut.supply - one.supply - 1) < 1e-9)
    }

    @Test("The forecast page: both rate sources, a what-if that closes a gap, bad what-ifs named")
    func page() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let coordinator = Agent(app)
            _ = try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let page = try await coordinator.get("/retention/forecast")
            #expect(page.status == .ok)
            #expect(page.body.contains("id=\"forecast\"") && page.body.contains("id=\"assumptions\""))
            #expect(page.body.contains(">Primary<") && page.body.contains("Secondary mathematics"))
            let national = try await coordinator.get("/retention/forecast?rates=national")
            #expect(national.status == .ok && national.body.contains("DfE national"))
            let whatIf = try await coordinator.get("/retention/forecast?subject=mathematics&extra=25&cut=2")
            #expect(whatIf.status == .ok && whatIf.body.contains("Year 5 with the what-if"))
            let csv = try await coordinator.get("/retention/forecast.csv?subject=mathematics&extra=25&cut=2")
            #expect(csv.status == .ok && csv.body.hasPrefix("phase,subject,year,supply_fte"))
            let mathsRows = csv.body.split(separator: "\r\n").filter { $0.hasPrefix("Secondary,mathematics,") }
            #expect(mathsRows.count == 6)
            #expect(try await coordinator.get("/retention/forecast.csv?extra=lots").status == .badRequest)
            let bad = try await coordinator.get("/retention/forecast?extra=lots&cut=99&subject=alchemy")
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("Enter a whole number of trainees"))
            #expect(bad.body.contains("Enter percentage points from 0 to 50"))
            #expect(bad.body.contains("Choose a subject from the list"))

            let school = Agent(app)
            _ = try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            #expect(try await school.get("/retention/forecast").status == .forbidden)
        }
    }
}

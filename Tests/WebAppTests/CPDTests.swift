import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("CPD rules: sessions, filters, NPQ funding, enrolment steps, iCalendar")
struct CPDRuleTests {
    @Test("Sessions: one per line; bad, backward and overlapping sessions are each named")
    func sessions() throws {
        let good = try CPDCohort.sessions("2027-01-21 16:00-17:30\n\n2027-01-14 16:00-17:30\n").get()
        #expect(good.map(\.day) == [Day("2027-01-14")!, Day("2027-01-21")!])
        #expect(good[0].times == "16:00 to 17:30")
        func messages(_ text: String) -> [String] {
            if case .failure(let e) = CPDCohort.sessions(text) { return e.problems.map(\.message) }
            return []
        }
        #expect(messages("").first == "Enter at least one session")
        #expect(messages("next Tuesday").first?.contains("must look like 2027-01-14 16:00-17:30") == true)
        #expect(messages("2027-01-14 17:00-16:00").first?.contains("ends (16:00) before it starts") == true)
        #expect(messages("2027-01-14 16:00-17:30\n2027-01-14 17:00-18:00").first?.contains("overlap") == true)
        #expect(messages("2027-01-14 25:00-26:00").count == 1)
        #expect(
            messages(Array(repeating: "2027-01-14 16:00-17:30", count: 101).joined(separator: "\n")).contains(
                "Enter at most 100 sessions"))
    }

    @Test("A filter keeps programmes for any subject or phase, drops the wrong kind, cost, distance and dates")
    func filters() {
        let physics = CPDProgramme(
            provider: "IoP", title: "Physics network", summary: "Practical work", kind: .subjectNetwork,
            phases: [.secondary], subjects: [.physics], format: .inPerson, venueURN: 1, costPounds: 40)
        let any = CPDProgramme(
            provider: "Research School", title: "Metacognition", summary: "EEF guidance", kind: .research,
            format: .online)
        let cohort = CPDCohort(programme: physics.id, sessions: [CPDSession("2027-02-04 16:00-17:00")!], places: 10)
        let here = GridPoint(easting: 500_000, northing: 150_000)
        var f = CatalogueFilter()
        f.subject = .physics
        #expect(f.matches(physics, cohorts: [cohort], venue: here) && f.matches(any, cohorts: [], venue: nil))
        f.subject = .history
        #expect(!f.matches(physics, cohorts: [cohort], venue: here) && f.matches(any, cohorts: [], venue: nil))
        f = CatalogueFilter()
        f.freeOrFunded = true
        #expect(!f.matches(physics, cohorts: [cohort], venue: here) && f.matches(any, cohorts: [], venue: nil))
        f = CatalogueFilter()
        f.near = GridPoint(easting: 500_000, northing: 175_000)
        f.withinKm = 20
        #expect(!f.matches(physics, cohorts: [cohort], venue: here) && f.matches(any, cohorts: [], venue: nil))
        f.withinKm = 30
        #expect(f.matches(physics, cohorts: [cohort], venue: here))
        f = CatalogueFilter()
        f.startsFrom = Day("2027-03-01")
        #expect(!f.matches(physics, cohorts: [cohort], venue: here))
        f.startsFrom = Day("2027-02-01")
        f.startsTo = Day("2027-02-28")
        #expect(f.matches(physics, cohorts: [cohort], venue: here) && !f.matches(any, cohorts: [], venue: nil))
        f = CatalogueFilter()
        f.text = "physics practical"
        #expect(f.matches(physics, cohorts: [], venue: nil) && !f.matches(any, cohorts: [], venue: nil))
    }

    @Test("NPQ funding: yes, no or depends, with the reason, never guessed where the PP50 status is missing")
    func funding() {
        func school(pp50: Bool?, type: String? = "Academy converter") -> School {
            var s = School(
                urn: URN(138982), name: "Anglesey Primary Academy", phase: .primary, phaseSource: .gias,
                localAuthority: LocalAuthority(code: "E1", dfeCode: "1", name: "X"))
            s.isNPQPP50 = pp50
            s.establishmentType = type
            return s
        }
        #expect(NPQFunding.decide(course: "npq-senco", school: school(pp50: false)).answer == .yes)
        #expect(NPQFunding.decide(course: "npq-leading-teaching", school: school(pp50: true)).answer == .yes)
        let no = NPQFunding.decide(course: "npq-leading-teaching", school: school(pp50: false))
        #expect(no.answer == .no && no.reason.contains("not on DfE's PP50 list"))
        let unknown = NPQFunding.decide(course: "npq-senior-leadership", school: school(pp50: nil))
        #expect(unknown.answer == .depends && unknown.reason.contains("does not hold"))
        #expect(
            NPQFunding.decide(course: "npq-headship", school: school(pp50: true, type: "Other independent school"))
                .answer == .no)
        #expect(NPQFunding.decide(course: "npq-headship", school: nil).answer == .depends)
        #expect(
            NPQFunding.decide(course: "npq-early-headship-coaching-offer", school: school(pp50: true)).answer
                == .depends)
        // Every bundled course has a rule (the additional support offer depends on the headteacher).
        let courses = (try? BundledData.npqCourses()) ?? []
        #expect(courses.count == 12)
        for c in courses where c.identifier != "npq-additional-support-offer" {
            #expect(
                NPQFunding.universal.contains(c.identifier) || NPQFunding.targeted.contains(c.identifier),
                "\(c.identifier)")
        }
    }

    @Test("Enrolment steps: declining and withdrawing need a reason; nothing follows completion")
    func steps() {
        let e = CPDEnrolment(cohort: UUID(), person: PersonID(), name: "Chloe Bennett", urn: nil, requestedAt: Date())
        #expect(e.next(.accept, reason: nil) == .success(.accepted))
        if case .failure(let error) = e.next(.decline, reason: " ") {
            #expect(error.problems.first?.field == "reason")
        } else {
            Issue.record("a decline without a reason was allowed")
        }
        #expect(e.next(.complete, reason: nil).isFailure)
        var done = e
        done.status = .completed
        #expect(done.next(.withdraw, reason: "moved").isFailure && done.next(.accept, reason: nil).isFailure)
    }

    @Test("iCalendar: CRLF, escaped text, folded lines, UK times in UTC")
    func calendar() {
        let day = Day("2027-07-01")!
        let text = ICalendar.calendar(
            name: "Physics; forces, energy",
            events: [
                ICalendar.Event(
                    uid: "a@chalkface", summary: "Physics, session 1",
                    start: ICalendar.ukInstant(day, minutes: 16 * 60),
                    end: ICalendar.ukInstant(day, minutes: 17 * 60 + 30), location: "Hall\nBlock B",
                    description: String(repeating: "é", count: 60))
            ], now: Date(timeIntervalSince1970: 0))
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(text.contains("X-WR-CALNAME:Physics\\; forces\\, energy"))
        #expect(text.contains("DTSTART:20270701T150000Z"))  // 16:00 British Summer Time
        #expect(text.contains("LOCATION:Hall\\nBlock B"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        let winter = ICalendar.calendar(
            name: "x",
            events: [
                .init(
                    uid: "b", summary: "s", start: ICalendar.ukInstant(Day("2027-01-14")!, minutes: 16 * 60),
                    end: ICalendar.ukInstant(Day("2027-01-14")!, minutes: 17 * 60), location: nil, description: nil)
            ], now: Date())
        #expect(winter.contains("DTSTART:20270114T160000Z"))
    }
}

@Suite("The CPD catalogue: browse, enrol, decide, complete; the last place")
struct CPDCatalogueTests {
    @Test("The catalogue: DfE's NPQs and demo programmes, filtered by plain GET; bad filters named")
    func catalogue() async throws {
        try await withTestApp(seed: true) { app in
            let anonymous = Agent(app)
            let all = try await anonymous.get("/cpd")
            #expect(all.status == .ok)
            let programmes = try await CPDStore(app.db).programmes()
            #expect(programmes.filter { $0.kind == .npq }.count == 11)
            #expect(all.body.contains("\(programmes.count) programmes"))
            for p in programmes {
                #expect(
                    all.body.contains(p.title.replacingOccurrences(of: "'", with: "&#39;"))
                        || all.body.contains(p.title))
            }
            let physics = try await anonymous.get("/cpd?subject=physics&phase=secondary")
            let expected = programmes.filter {
                ($0.subjects.isEmpty || $0.subjects.contains(.physics))
                    && ($0.phases.isEmpty || $0.phases.contains(.secondary))
            }
            #expect(physics.body.contains("\(expected.count) programmes of \(programmes.count)"))
            #expect(
                physics.body.contains("Physics for non-specialists")
                    && !physics.body.contains("Teaching for mastery work group"))
            let npq = try await anonymous.get("/cpd?kind=npq&free=true")
            #expect(npq.body.contains("11 programmes of"))
            let bad = try await anonymous.get("/cpd?subject=alchemy&within=9999&from=soon&postcode=nowhere")
            #expect(bad.status == .badRequest)
            for message in [
                "Choose a subject from the list", "Enter a distance from 1 to 200 km", "Enter the first start date",
                "Enter a postcode",
            ] {
                #expect(bad.body.contains(message), "\(message)")
            }
            // The programme page: cohorts and a calendar file.
            let p = try #require(programmes.first { $0.title == "Physics for non-specialists" })
            let page = try await anonymous.get("/cpd/\(p.id.uuidString.lowercased())")
            #expect(page.status == .ok && page.body.contains("Sign in as a teacher to enrol"))
            let ics = try await anonymous.get("/cpd/\(p.id.uuidString.lowercased())/calendar.ics")
            #expect(ics.headers.contentType?.subType == "calendar")
            let sessions = try await CPDStore(app.db).cohorts(of: p.id).map(\.sessions.count).reduce(0, +)
            #expect(ics.body.components(separatedBy: "BEGIN:VEVENT").count - 1 == sessions)
            #expect(try await anonymous.get("/cpd/\(UUID().uuidString)").status == .notFound)
        }
    }

    @Test("A teacher enrols; the provider accepts, records attendance and completion; the teacher's timeline shows it")
    func enrolment() async throws {
        try await withTestApp(seed: true) { app in
            let store = CPDStore(app.db)
            let programme = try #require(
                try await store.programmes().first { $0.title == "Mentor development: the first term" })
            let cohort = try #require(try await store.cohorts(of: programme.id).first)
            let base = "/cpd/\(programme.id.uuidString.lowercased())"
            // The demo teacher's account is linked to a register record, so her timeline tells the story.
            let account = try app.demo(.teacher)
            let person = try await app.person(email: account.email)
            let teacherRecord = TeacherRecord(trn: TRN("2099002"), firstName: "Chloe", lastName: "Bennett")
            try await TeacherStore(app.db).create(teacherRecord, event: "Test record", author: "Test", at: Date())
            try await TeacherLinkStore(app.db).link(
                .person(person.id), to: teacherRecord.id, detail: "linked", author: "Test", at: Date())

            let teacher = Agent(app)
            _ = try await teacher.signIn(account.email, account.password)
            let enrol = "\(base)/cohorts/\(cohort.id.uuidString.lowercased())/enrol"
            let asked = try await teacher.submit(enrol, from: base, [:])
            #expect(asked.status == .ok && asked.body.contains("You asked for a place"))
            #expect(try await teacher.submit(enrol, from: base, [:]).status == .conflict)
            #expect(try await teacher.get("/cpd/enrolments").body.contains("Requested"))
            #expect(try await store.cohort(cohort.id)?.taken == 1)

            // The university's staff manage the programme; another provider's do not, nor may a teacher.
            let provider = Agent(app)
            _ = try await provider.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let list = try await provider.get("\(base)/enrolments")
            #expect(list.status == .ok && list.body.contains(account.name))
            let npq = try #require(try await store.programmes().first { $0.kind == .npq })
            #expect(try await provider.get("/cpd/\(npq.id.uuidString.lowercased())/enrolments").status == .forbidden)
            let enrolment = try #require(try await store.enrolments(person: person.id).first)
            let id = enrolment.id.uuidString.lowercased()
            let noReason = try await provider.submit(
                "/cpd/enrolments/\(id)/decide", from: "\(base)/enrolments", ["action": "decline"])
            #expect(noReason.status == .badRequest && noReason.body.contains("Give the reason"))
            let early = try await provider.submit(
                "/cpd/enrolments/\(id)/attendance", from: "\(base)/enrolments", ["session": "0"])
            #expect(early.status == .conflict)
            let accepted = try await provider.submit(
                "/cpd/enrolments/\(id)/decide", from: "\(base)/enrolments", ["action": "accept"])
            #expect(accepted.status == .seeOther)
            #expect(try await provider.get(try #require(accepted.location)).body.contains("\(account.name): accepted."))
            let attended = try await provider.submit(
                "/cpd/enrolments/\(id)/attendance", from: "\(base)/enrolments", ["session": "0"])
            #expect(attended.status == .seeOther)
            #expect(try await store.enrolment(enrolment.id)?.attended == [0])
            #expect(
                try await provider.submit(
                    "/cpd/enrolments/\(id)/attendance", from: "\(base)/enrolments", ["session": "99"]
                )
                .status == .badRequest)
            _ = try await provider.submit(
                "/cpd/enrolments/\(id)/decide", from: "\(base)/enrolments", ["action": "complete"])
            #expect(try await store.enrolment(enrolment.id)?.status == .completed)
            let story = try #require(try await TeacherStore(app.db).teacher(teacherRecord.id)).events
            #expect(
                story.contains { $0.kind == .cpd && $0.detail.hasPrefix("Asked for a place on Mentor development") })
            #expect(story.contains { $0.kind == .cpd && $0.detail.hasPrefix("Accepted on") })
            #expect(story.contains { $0.kind == .cpd && $0.detail.hasPrefix("Completed Mentor development") })
            let mine = try await teacher.get("/cpd/enrolments")
            #expect(mine.body.contains("Completed") && mine.body.contains("1 of \(cohort.sessions.count)"))
            let calendar = try await teacher.get("/cpd/enrolments.ics")
            #expect(calendar.status == .ok && calendar.body.hasPrefix("BEGIN:VCALENDAR"))
            // The reads of the list were audited.
            let reads = try await AuditLog(app.db).events(involving: person.id)
            #expect(reads.contains { $0.action == .cpdEnrolmentChanged })

            // Take-up: the table and the cold-spots indicator give the same number for the teacher's school.
            let urn = try await PlacementOfferTests.ownSchool(app).value
            let school = try #require(try await SchoolStore(app.db).find(URN(urn)))
            let takeUp = try await provider.get("/cpd/take-up")
            #expect(takeUp.status == .ok && takeUp.body.contains("\(school.name) (\(urn))"))
            // The map marks the school with its count; the phase table counts it under its school's phase.
            #expect(takeUp.body.contains("<title>\(school.name): 1 place taken up</title>"))
            let phases = try #require(takeUp.body.range(of: "id=\"take-up-phases\""))
            let phaseTable = takeUp.body[phases.lowerBound...].prefix(2_000)
            #expect(phaseTable.contains("<td>\(school.phase.label)</td><td class=\"app-numeric\">1</td>"))
            #expect(takeUp.body.contains("id=\"take-up-subjects\"") && takeUp.body.contains("id=\"take-up-stages\""))
            #expect(CPDTakeUp.bySchool(try await store.allEnrolments())[urn] == .init(enrolled: 1, completed: 1))
            let la = try #require(school.localAuthority?.dfeCode)
            let csv = try await provider.get("/coldspots.csv?indicator=cpd-take-up&band=12000&la=\(la)")
            #expect(csv.status == .ok)
            let row = try #require(csv.body.split(separator: "\r\n").first { $0.hasPrefix("\(urn),") })
            let header = csv.body.split(separator: "\r\n")[0].split(separator: ",")
            let valueIndex = try #require(header.firstIndex(of: "value"))
            #expect(Double(row.split(separator: ",", omittingEmptySubsequences: false)[valueIndex]) == 1)
            #expect(try await teacher.get("/cpd/take-up").status == .forbidden)

            // Coordinators see counts, not names, with aggregates-only sharing.
            let coordinator = Agent(app)
            _ = try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let counts = try await coordinator.get("\(base)/enrolments")
            #expect(counts.status == .ok && !counts.body.contains(account.name) && counts.body.contains("1 enrolments"))
        }
    }

    @Test(
        "School staff ask for a place for a teacher at their school; not for someone elsewhere; a withdrawn place can be asked for again"
    )
    func onBehalf() async throws {
        try await withTestApp(seed: true) { app in
            let store = CPDStore(app.db)
            let programme = try #require(
                try await store.programmes().first { $0.title == "Mentor development: the first term" })
            let cohort = try #require(try await store.cohorts(of: programme.id).first)
            let base = "/cpd/\(programme.id.uuidString.lowercased())"
            let teacherAccount = try app.demo(.teacher)
            let teacherPerson = try await app.person(email: teacherAccount.email)
            // A teacher at another school.
            let organisations = try await OrganisationStore(app.db).list()
            let own = try await PlacementOfferTests.ownSchool(app)
            let elsewhere = try #require(organisations.first { $0.kind == .school && $0.urn != own })
            let stranger = Person(name: "Priya Stranger", email: "priya.stranger@example.org", createdAt: Date())
            try await PeopleStore(app.db).create(stranger)
            _ = try await PeopleStore(app.db).addMembership(
                person: stranger.id, organisation: elsewhere, role: .teacher, now: Date())

            let staff = Agent(app)
            try await staff.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            let page = try await staff.get(base)
            #expect(page.body.contains("Ask for a place for a member of your staff"))
            #expect(page.body.contains(teacherAccount.name) && !page.body.contains("Priya Stranger"))
            let cohortID = cohort.id.uuidString.lowercased()
            let refused = try await staff.submit(
                "\(base)/enrol-for", from: base,
                ["person": stranger.id.rawValue.uuidString.lowercased(), "cohort": cohortID])
            #expect(refused.status == .badRequest && refused.body.contains("Choose a teacher or mentor at your school"))
            let wrongCohort = try await staff.submit(
                "\(base)/enrol-for", from: base,
                ["person": teacherPerson.id.rawValue.uuidString.lowercased(), "cohort": UUID().uuidString])
            #expect(
                wrongCohort.status == .badRequest && wrongCohort.body.contains("Choose one of the programme's cohorts"))
            #expect(try await store.enrolments(person: teacherPerson.id).isEmpty)
            let asked = try await staff.submit(
                "\(base)/enrol-for", from: base,
                ["person": teacherPerson.id.rawValue.uuidString.lowercased(), "cohort": cohortID])
            #expect(asked.status == .ok && asked.body.contains("You asked for a place for \(teacherAccount.name)"))
            let again = try await staff.submit(
                "\(base)/enrol-for", from: base,
                ["person": teacherPerson.id.rawValue.uuidString.lowercased(), "cohort": cohortID])
            #expect(again.status == .conflict && again.body.contains("already has a place"))
            let audit = try await AuditLog(app.db).events(involving: teacherPerson.id)
            #expect(audit.contains { $0.action == .cpdEnrolled && $0.detail.contains("on behalf of") })

            // The teacher sees it as theirs, withdraws, and asks again: the same enrolment, reopened.
            let teacher = Agent(app)
            try await teacher.signIn(teacherAccount.email, teacherAccount.password)
            #expect(try await teacher.get("/cpd/enrolments").body.contains(programme.title))
            let first = try #require(try await store.enrolments(person: teacherPerson.id).first)
            let withdrawn = try await teacher.submit(
                "/cpd/enrolments/\(first.id.uuidString.lowercased())/withdraw", from: "/cpd/enrolments",
                ["reason": "Clashes with parents' evening"])
            #expect(withdrawn.status.code < 400)
            #expect(try await store.cohort(cohort.id)?.taken == 0)
            let reopened = try await teacher.submit("\(base)/cohorts/\(cohortID)/enrol", from: base, [:])
            #expect(reopened.status == .ok && reopened.body.contains("You asked for a place"))
            let rows = try await store.enrolments(person: teacherPerson.id)
            #expect(rows.count == 1 && rows[0].id == first.id && rows[0].status == .requested && rows[0].reason == nil)
            #expect(try await store.cohort(cohort.id)?.taken == 1)
        }
    }

    @Test("Without the demo, the catalogue still holds DfE's NPQs: real courses and lead providers, no invented dates")
    func productionNPQs() async throws {
        try await withTestApp(seed: false) { app in
            let programmes = try await CPDStore(app.db).programmes()
            #expect(programmes.count == 11 && programmes.allSatisfy { $0.kind == .npq && !$0.generated })
            #expect(try await CPDStore(app.db).cohorts().isEmpty)
            let headship = try #require(programmes.first { $0.npqCourse == "npq-headship" })
            let page = try await Agent(app).get("/cpd/\(headship.id.uuidString.lowercased())")
            #expect(page.body.contains("No cohort is scheduled yet") && !page.body.contains("are demo data"))
            #expect(page.body.contains("Register for a national professional qualification"))
            // A second start adds nothing.
            #expect(try await NPQCatalogue.seed(on: app.db, now: Date()) == 0)
        }
    }

    @Test("Concurrent requests for the last place: exactly one wins, on either database")
    func lastPlace() async throws {
        try await withTestApp(seed: true) { app in
            let store = CPDStore(app.db)
            let programme = try #require(try await store.programmes().first)
            let cohort = CPDCohort(
                programme: programme.id, sessions: [CPDSession("2027-03-04 16:00-17:00")!], places: 3, taken: 2)
            try await store.add(cohort)
            var people: [PersonID] = []
            for i in 0..<12 {
                let p = Person(name: "Racer \(i)", email: "racer\(i)@example.org", createdAt: Date())
                try await PeopleStore(app.db).create(p)
                people.append(p.id)
            }
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for p in people {
                    group.addTask {
                        do {
                            try await app.db.transaction { tx in
                                try await CPDStore(tx).enrol(
                                    CPDEnrolment(
                                        cohort: cohort.id, person: p, name: "Racer", urn: nil, requestedAt: Date()))
                            }
                            return true
                        } catch CPDStore.EnrolError.full {
                            return false
                        } catch  where LockWait.isBusy(error) {
                            return false
                        }
                    }
                }
                var out: [Bool] = []
                for try await r in group { out.append(r) }
                return out
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await store.cohort(cohort.id)?.taken == 3)
            #expect(try await store.enrolments(cohorts: [cohort.id]).count == 1)
        }
    }

    @Test("A provider adds a programme with its first cohort; bad fields are named and nothing is saved")
    func addProgramme() async throws {
        try await withTestApp(seed: true) { app in
            let provider = Agent(app)
            _ = try await provider.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let before = try await CPDStore(app.db).count()
            let bad = try await provider.submit(
                "/cpd/new", from: "/cpd/new",
                [
                    "provider": "University", "title": "", "summary": "x", "kind": "astrology", "format": "in-person",
                    "venue": "999999", "cost": "-4", "sessions": "2027-01-14 17:00-16:00", "places": "0",
                ])
            #expect(bad.status == .badRequest)
            for message in [
                "Enter the title", "Choose the kind of programme", "Enter the URN of a school Chalkface knows",
                "Enter the cost in whole pounds", "before it starts", "Enter the number of places",
            ] {
                #expect(bad.body.contains(message), "\(message)")
            }
            #expect(try await CPDStore(app.db).count() == before)
            let urn = try await PlacementOfferTests.ownSchool(app).value
            let good = try await provider.submit(
                "/cpd/new", from: "/cpd/new",
                [
                    "provider": "University", "title": "Chemistry practicals", "summary": "Required practicals",
                    "kind": "subject-knowledge", "subjects": "chemistry", "format": "in-person", "venue": String(urn),
                    "cost": "0", "sessions": "2027-01-14 16:00-17:30\n2027-01-28 16:00-17:30", "places": "16",
                ])
            #expect(good.status == .seeOther)
            let added = try #require(
                try await CPDStore(app.db).programmes().first { $0.title == "Chemistry practicals" })
            #expect(added.subjects == [.chemistry] && added.managedBy != nil && added.venueURN == urn)
            #expect(try await CPDStore(app.db).cohorts(of: added.id).first?.places == 16)
            #expect(try await provider.get("/cpd/manage").body.contains("Chemistry practicals"))
        }
    }
}

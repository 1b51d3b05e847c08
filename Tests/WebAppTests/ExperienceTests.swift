import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("School experience rules: a school's date, a candidate's request, what follows")
struct ExperienceRuleTests {
    let today = Day("2026-12-06")!

    @Test("A date: after today and within two years, 1 to 30 places, what to expect, a known subject")
    func dateForm() throws {
        func fields(
            day: String = "2027-01-20", length: String = "one-day", phase: String = "secondary", subject: String = "",
            places: String = "3", expectations: String = "Observe lessons", dbs: String = "not-needed"
        ) -> [String] {
            switch ExperienceDate.parse(
                urn: 100_001, day: day, length: length, phase: phase, subject: subject, places: places,
                expectations: expectations, dbs: dbs, access: "", today: today)
            {
            case .success: []
            case .failure(let e): e.problems.map(\.field)
            }
        }
        #expect(fields() == [])
        #expect(fields(subject: "physics") == [])
        #expect(fields(day: "2026-12-06") == ["day"])
        #expect(fields(day: "2029-01-01") == ["day"])
        #expect(fields(day: "next week", places: "0") == ["day", "places"])
        #expect(
            fields(subject: "astrology", places: "9223372036854775807", expectations: " ") == [
                "subject", "places", "expectations",
            ])
        #expect(fields(length: "", phase: "x", dbs: "") == ["length", "phase", "dbs"])
        let d = try ExperienceDate.parse(
            urn: 1, day: "2027-01-20", length: "half-day", phase: "primary", subject: "", places: " 2 ",
            expectations: "Observe", dbs: "needed", access: "", today: today
        ).get()
        #expect(d.subject == nil && d.places == 2 && d.placesLeft == 2)
    }

    @Test("Requests: decline, cancel and withdraw need a reason; attendance on or after the day; nothing after the end")
    func steps() {
        let day = Day("2027-01-20")!
        let r = ExperienceRequest(
            date: UUID(), person: PersonID(UUID()), name: "A", objectives: "o", stage: .graduate, requestedAt: Date())
        #expect(r.next(.accept, reason: nil, on: today, dateDay: day) == .success(.accepted))
        #expect(r.next(.decline, reason: " ", on: today, dateDay: day).isFailure)
        #expect(r.next(.decline, reason: "Full that week", on: today, dateDay: day) == .success(.declined))
        #expect(r.next(.attended, reason: nil, on: day, dateDay: day).isFailure)
        var accepted = r
        accepted.status = .accepted
        #expect(accepted.next(.attended, reason: nil, on: today, dateDay: day).isFailure)
        #expect(accepted.next(.attended, reason: nil, on: day, dateDay: day) == .success(.attended))
        #expect(accepted.next(.cancel, reason: "Closed for snow", on: today, dateDay: day) == .success(.cancelled))
        #expect(accepted.next(.withdraw, reason: "Got a job", on: today, dateDay: day) == .success(.withdrawn))
        var done = r
        done.status = .attended
        #expect(
            ExperienceRequest.Action.allCases.allSatisfy { done.next($0, reason: "x", on: day, dateDay: day).isFailure }
        )
    }

    @Test("Demo dates fall in term time, on weekdays")
    func demoDates() {
        #expect(!DemoExperience.isTermTime(Day("2026-12-24")!) && !DemoExperience.isTermTime(Day("2027-08-10")!))
        #expect(DemoExperience.isTermTime(Day("2027-01-05")!) && DemoExperience.isTermTime(Day("2027-03-10")!))
    }

    @Test("Search: distance, subject (a date for any subject suits all), phase; past dates never")
    func search() {
        let here = GridPoint(easting: 550_000, northing: 150_000)
        let d = ExperienceDate(
            urn: 1, day: Day("2027-01-20")!, length: .oneDay, phase: .secondary, subject: nil, places: 2,
            expectations: "", dbs: .needed, access: "")
        #expect(ExperienceSearch(subject: .physics).matches(d, at: here, today: today))
        var physics = d
        physics.subject = .physics
        #expect(!ExperienceSearch(subject: .history).matches(physics, at: here, today: today))
        #expect(!ExperienceSearch(phase: .primary).matches(d, at: here, today: today))
        let away = GridPoint(easting: 550_000, northing: 180_000)
        #expect(!ExperienceSearch(near: away, withinKm: 25).matches(d, at: here, today: today))
        #expect(ExperienceSearch(near: away, withinKm: 31).matches(d, at: here, today: today))
        #expect(!ExperienceSearch().matches(d, at: here, today: Day("2027-01-20")!))
    }
}

@Suite("School experience", .serialized)
struct ExperienceTests {
    @Test("A school offers a date; an applicant finds it and asks; the school accepts; the applicant withdraws")
    func journey() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            let staff = Agent(app)
            try await staff.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            let page = "/schools/\(urn)/experience"
            #expect(try await staff.get(page).status == .ok)
            let store = ExperienceStore(app.db)
            let before = try await store.dates(urn: urn).count
            let bad = try await staff.submit(
                page, from: page,
                [
                    "day": "2020-01-01", "length": "one-day", "phase": "primary", "places": "-1", "expectations": "",
                    "dbs": "needed",
                ])
            #expect(bad.status == .badRequest && bad.body.contains("The date must be after today"))
            #expect(
                bad.body.contains("Places must be a whole number")
                    && bad.body.contains("Say what a candidate can expect"))
            #expect(try await store.dates(urn: urn).count == before)
            let day = Day(ordinal: Day.inUK(app.clock.now()).ordinal + 20)
            let ok = try await staff.submit(
                page, from: page,
                [
                    "day": day.description, "length": "one-day", "phase": "primary", "subject": "", "places": "1",
                    "expectations": "A day in Year 4 with our maths lead.", "dbs": "school-arranges",
                    "access": "Step-free entrance",
                ])
            #expect(ok.status == .seeOther)
            let date = try #require(try await store.dates(urn: urn).first { $0.expectations.contains("Year 4") })
            let path = "/experience/\(date.id.uuidString.lowercased())"

            // The applicant finds it by phase, asks with objectives; a second ask is refused.
            let applicant = Agent(app)
            let account = try app.demo(.applicant)
            try await applicant.signIn(account.email, account.password)
            let found = try await applicant.get("/experience?phase=primary")
            #expect(found.body.contains(path))
            #expect(try await applicant.get("/experience?postcode=ZZ99+9ZZ").status == .badRequest)
            // The API finds the same dates with the same filters, and names a bad field the same way.
            let api = try await applicant.get("/api/v1/experience?phase=primary").object
            let ids = ((api["dates"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            #expect(ids.contains(date.id.uuidString))
            let pageLinks = found.body.components(separatedBy: "href=\"/experience/").count - 1
            #expect(pageLinks >= ids.count && ids.count > 0)
            let listed: [[String: Any]] = (api["dates"] as? [[String: Any]]) ?? []
            let ours = try #require(listed.first { ($0["id"] as? String) == date.id.uuidString })
            #expect(ours["places_left"] as? Int == 1)
            #expect(ours["dbs_policy"] as? String == "school-arranges")
            let badAPI = try await applicant.get("/api/v1/experience?postcode=ZZ99+9ZZ&within=900")
            #expect(badAPI.status == .badRequest)
            let problems = (badAPI.object["problems"] as? [[String: String]]) ?? []
            let named: Set<String> = Set(problems.compactMap { $0["field"] })
            #expect(named == ["postcode", "within"])
            let twice = try await applicant.get("/api/v1/experience?within=5&within=6")
            #expect(twice.status == .badRequest && twice.body.contains("Give within once"))
            #expect(try await applicant.get("/api/v1/experience?within=").status == .badRequest)
            #expect(try await applicant.get("/experience?within=").status == .ok)
            let noObjectives = try await applicant.submit("\(path)/request", from: path, ["stage": "graduate"])
            #expect(noObjectives.status == .badRequest && noObjectives.body.contains("Say what you hope to learn"))
            let asked = try await applicant.submit(
                "\(path)/request", from: path, ["objectives": "See how phonics is taught", "stage": "career-changer"])
            #expect(asked.status == .ok && asked.body.contains("You asked for a place"))
            #expect(try await store.date(date.id)?.taken == 1)
            // The one place is taken: the undergraduate finds the date full.
            let undergraduate = Agent(app)
            try await undergraduate.signIn(try app.demo(.undergraduate).email, try app.demo(.undergraduate).password)
            let full = try await undergraduate.get(path)
            #expect(full.body.contains("Full") && !full.body.contains("Ask for a place</button>"))

            // The school sees the request with the candidate's name, and accepts it.
            let list = try await staff.get(page)
            #expect(list.body.contains(account.name) && list.body.contains("See how phonics is taught"))
            let request = try #require(try await store.requests(dates: [date.id]).first)
            let answerPath = "\(page)/requests/\(request.id.uuidString.lowercased())"
            let noReason = try await staff.submit(answerPath, from: page, ["action": "decline"])
            #expect(noReason.status == .badRequest && noReason.body.contains("Give the reason"))
            let early = try await staff.submit(answerPath, from: page, ["action": "attended"])
            #expect(early.status == .badRequest)
            #expect(try await staff.submit(answerPath, from: page, ["action": "accept"]).status == .seeOther)
            #expect(try await applicant.get("/experience/requests").body.contains("Accepted"))
            let audit = try await AuditLog(app.db).events(involving: try await app.person(email: account.email).id)
            #expect(audit.contains { $0.action == .experienceRequestChanged && $0.detail == "accepted" })

            // Another school's staff cannot answer it.
            let other = Agent(app)
            try await other.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            #expect(try await other.get(page).status == .forbidden)

            // The applicant withdraws, giving the place back.
            let id = request.id.uuidString.lowercased()
            let withdrawn = try await applicant.submit(
                "/experience/requests/\(id)/withdraw", from: "/experience/requests",
                ["reason-\(id)": "Found a closer date"])
            #expect(withdrawn.status == .seeOther)
            #expect(try await store.request(request.id)?.status == .withdrawn)
            #expect(try await store.date(date.id)?.taken == 0)
            #expect(try await applicant.get("/account/export").body.contains("See how phonics is taught"))
            // The school's places to come are its value on the cold-spots indicator.
            let la = try #require(try await SchoolStore(app.db).find(URN(urn))?.localAuthority?.dfeCode)
            let csv = try await applicant.get("/coldspots.csv?indicator=school-experience-places&la=\(la)")
            #expect(csv.status == .ok)
            let row = try #require(csv.body.split(separator: "\r\n").first { $0.hasPrefix("\(urn),") })
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            let expected = try await store.dates(urn: urn).filter { $0.day > Day.inUK(Date()) }.map(\.places).reduce(
                0, +)
            #expect(Double(fields[fields.count - 6]) == Double(expected))
            // Erasing the applicant removes their name and words from the school's list.
            try await PeopleStore(app.db).erase(try await app.person(email: account.email).id, at: Date())
            let erased = try #require(try await store.request(request.id))
            #expect(erased.name == Person.erasedName && erased.objectives == "(erased)")
        }
    }

    @Test("Concurrent requests for a date's last place: exactly one wins")
    func lastPlace() async throws {
        try await withTestApp(seed: true) { app in
            let store = ExperienceStore(app.db)
            let date = ExperienceDate(
                urn: try await PlacementOfferTests.ownSchool(app).value,
                day: Day(ordinal: Day.inUK(Date()).ordinal + 30), length: .oneDay, phase: .primary, subject: nil,
                places: 2, taken: 1, expectations: "x", dbs: .needed, access: "")
            try await store.add([date], at: Date())
            var people: [PersonID] = []
            for i in 0..<10 {
                let p = Person(name: "Candidate \(i)", email: "candidate\(i)@example.org", createdAt: Date())
                try await PeopleStore(app.db).create(p)
                people.append(p.id)
            }
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for p in people {
                    group.addTask {
                        do {
                            try await app.db.transaction { tx in
                                try await ExperienceStore(tx).request(
                                    ExperienceRequest(
                                        date: date.id, person: p, name: "C", objectives: "o", stage: .graduate,
                                        requestedAt: Date()))
                            }
                            return true
                        } catch ExperienceStore.RequestError.full {
                            return false
                        } catch  where LockWait.isBusy(error) {
                            return false
                        }
                    }
                }
                var n = 0
                for try await won in group where won { n += 1 }
                return n
            }
            #expect(wins == 1)
            #expect(try await store.date(date.id)?.taken == 2)
            #expect(try await store.requests(dates: [date.id]).count == 1)
        }
    }

    @Test("A search near a postcode with nothing offered is recorded as unmet demand")
    func unmet() async throws {
        try await withTestApp(seed: true) { app in
            let postcodes = "postcode,easting,northing,lad_code\nTR1 1ZZ,182000,44000,E06000052\n"
            _ = try await PostcodeStore(app.db).replaceAll(with: .init(bytes: Array(postcodes.utf8), file: "p.csv"))
            let reply = try await Agent(app).get("/experience?postcode=TR1+1ZZ&within=10")
            #expect(reply.status == .ok && reply.body.contains("0 dates"))
            #expect(try await ExperienceStore(app.db).unmetCount() == 1)
            // The API's search is the same search: an empty answer, recorded too.
            let api = try await app.get("/api/v1/experience?postcode=TR1+1ZZ&within=10").object
            #expect((api["dates"] as? [Any])?.isEmpty == true)
            #expect(try await ExperienceStore(app.db).unmetCount() == 2)
        }
    }
}

@Suite("Recruitment events", .serialized)
struct RecruitmentEventTests {
    @Test("An event's form: one session after today, a venue, 1 to 1,000 places")
    func form() {
        let today = Day("2026-12-06")!
        func fields(_ when: String, _ capacity: String, title: String = "Open evening") -> [String] {
            switch RecruitmentEvent.parse(
                organiser: "U", organisedBy: nil, title: title, kind: "open-day", summary: "s", when: when,
                venue: "Hall", capacity: capacity, today: today)
            {
            case .success: []
            case .failure(let e): e.problems.map(\.field)
            }
        }
        #expect(fields("2027-02-10 18:00-19:30", "40") == [])
        #expect(fields("2026-12-06 18:00-19:30", "40") == ["when"])
        #expect(fields("2027-02-10 19:30-18:00", "0") == ["when", "capacity"])
        #expect(
            fields("2027-02-10 18:00-19:00\n2027-02-11 18:00-19:00", "1001", title: "") == [
                "title", "when", "capacity",
            ])
    }

    @Test("Registering: places, then the waiting list; a cancelled place goes to the first waiting, who is emailed")
    func waitingList() async throws {
        try await withTestApp(seed: true) { app in
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let day = Day(ordinal: Day.inUK(app.clock.now()).ordinal + 14)
            let bad = try await coordinator.submit(
                "/events/new", from: "/events/new",
                ["title": "", "kind": "open-day", "summary": "x", "when": "tomorrow", "venue": "", "capacity": "1"])
            #expect(
                bad.status == .badRequest && bad.body.contains("Enter a title") && bad.body.contains("Enter the venue"))
            let ok = try await coordinator.submit(
                "/events/new", from: "/events/new",
                [
                    "title": "Tiny taster", "kind": "workshop", "summary": "A small workshop",
                    "when": "\(day) 17:00-18:00", "venue": "Room 1", "capacity": "1",
                ])
            #expect(ok.status == .seeOther)
            let event = try #require(try await EventStore(app.db).events().first { $0.title == "Tiny taster" })
            let path = "/events/\(event.id.uuidString.lowercased())"

            let applicant = Agent(app)
            let first = try app.demo(.applicant)
            try await applicant.signIn(first.email, first.password)
            let registered = try await applicant.submit("\(path)/register", from: path, [:])
            #expect(registered.status == .ok && registered.body.contains("You are registered"))
            #expect(try await applicant.submit("\(path)/register", from: path, [:]).status == .conflict)
            let undergraduate = Agent(app)
            let second = try app.demo(.undergraduate)
            try await undergraduate.signIn(second.email, second.password)
            let waiting = try await undergraduate.submit("\(path)/register", from: path, [:])
            #expect(waiting.body.contains("you are on the waiting list"))
            #expect(try await EventStore(app.db).event(event.id)?.taken == 1)
            // Each sees their own registration in their data download, and the public API counts the place.
            let export = try await undergraduate.get("/api/v1/me/export").object
            let own = (export["event_registrations"] as? [[String: Any]]) ?? []
            #expect(own.count == 1 && own.first?["event"] as? String == "Tiny taster")
            #expect(own.first?["status"] as? String == "waiting")
            let listed =
                ((try await app.get("/api/v1/events?kind=workshop").object["events"] as? [[String: Any]]) ?? [])
                .first { $0["title"] as? String == "Tiny taster" }
            #expect(listed?["places_left"] as? Int == 0 && listed?["capacity"] as? Int == 1)
            let ics = try await applicant.get("\(path)/calendar.ics")
            #expect(ics.body.contains("SUMMARY:Tiny taster"))

            // The first cancels: the place goes to the waiting undergraduate, who is emailed.
            let mine = try #require(
                try await EventStore(app.db).registrations(person: try await app.person(email: first.email).id).first)
            let cancelled = try await applicant.submit(
                "/events/registrations/\(mine.id.uuidString.lowercased())/cancel", from: path, [:])
            #expect(cancelled.status == .seeOther)
            let rows = try await EventStore(app.db).registrations(event: event.id)
            #expect(rows.first { $0.name == second.name }?.status == .registered)
            #expect(try await EventStore(app.db).event(event.id)?.taken == 1)
            #expect(
                try await app.outbox().contains { $0.recipient == second.email && $0.subject.contains("A place at") })

            // The organiser sends reminders once; attendance waits for the day.
            let registrations = try await coordinator.get("\(path)/registrations")
            #expect(registrations.body.contains(second.name) && registrations.body.contains("Cancelled: 1"))
            _ = try await coordinator.submit("\(path)/reminders", from: "\(path)/registrations", [:])
            _ = try await coordinator.submit("\(path)/reminders", from: "\(path)/registrations", [:])
            let reminders = try await app.outbox().filter { $0.subject == "Reminder: Tiny taster" }
            #expect(reminders.count == 1 && reminders[0].recipient == second.email)
            let theirs = try #require(rows.first { $0.name == second.name })
            let early = try await coordinator.submit(
                "/events/registrations/\(theirs.id.uuidString.lowercased())/attendance", from: "\(path)/registrations",
                ["status": "attended"])
            #expect(early.status == .conflict)
            // A provider's staff cannot manage the coordinator's event.
            let provider = Agent(app)
            try await provider.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            #expect(try await provider.get("\(path)/registrations").status == .forbidden)
        }
    }
}

import Foundation
import Pages
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Placement allocation in the service")
struct AllocationFlowTests {
    @Test(
        "The coordinator runs the year's allocation, reads why someone is unplaced, publishes; providers and schools see their own"
    )
    func runAndPublish() async throws {
        try await withTestApp(seed: true) { app in
            let year = try #require(AcademicYear("2030/31"))
            let schoolURN = try await PlacementOfferTests.ownSchool(app)
            let school = try #require(try await SchoolStore(app.db).find(schoolURN))
            let home = try #require(school.location)
            let provider = try await TraineeTests.provider(app)
            // The school offers two mathematics places but has one trained mentor: one trainee can go.
            try await OfferStore(app.db).save(
                try PlacementOffer(
                    urn: schoolURN, year: year, appetite: .activelyLooking, places: [.mathematics: 2], terms: [.autumn],
                    mentors: [
                        OfferedMentor(name: "Ruth Okafor", subject: .mathematics, trainedOn: Day("2025-07-14")),
                        OfferedMentor(name: "Sam Hale", subject: .mathematics, trainedOn: nil),
                    ]
                ).validated(), by: nil, at: Date())
            func trainee(_ name: String, km: Double, subject: PlacementSubject = .mathematics) -> Trainee {
                Trainee(
                    provider: provider, year: year, name: name, subject: subject, phase: .secondary,
                    route: .postgraduateFeeFunded, placement: 1, firstPlacementURN: nil,
                    homePostcode: Postcode("CT3 1AA")!,
                    home: GridPoint(easting: home.easting + km * 1000, northing: home.northing), maximumTravelKm: 30,
                    noCar: false, sendInterest: false, preferences: [])
            }
            try await TraineeStore(app.db).add(
                [
                    trainee("Near Trainee", km: 2), trainee("Far Trainee", km: 8),
                    trainee("Physics Trainee", km: 1, subject: .physics),
                ],
                at: Date())

            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let before = try await coordinator.get("/placements/allocation?year=2030/31")
            #expect(before.body.contains("No allocation has been run for 2030/31 yet."))
            let ran = try await coordinator.submit(
                "/placements/allocation?year=2030/31", from: "/placements/allocation?year=2030/31", [:])
            #expect(ran.status == .seeOther)
            let runs = try await AllocationStore(app.db).runs(year: year)
            #expect(runs.count == 1)
            let run = try #require(runs.first)
            #expect(run.plan.placed == 1)
            // The stored inputs reproduce the stored plan exactly.
            #expect(run.reproduce() == run.plan)

            let draft = try await coordinator.get("/placements/allocation?year=2030/31")
            #expect(draft.body.contains("1 of 3 trainees placed"))
            // One school's map is too small to hold a local authority's centre: no label falls off it.
            #expect(!draft.body.contains("</text><text"))
            #expect(draft.body.contains("No school offers physics places with a trained mentor within 30 km"))
            #expect(draft.body.contains("full, by places in the subject or by mentors"))
            // Beside it, the stable matching (which ignores the mentor limit) places both mathematicians.
            #expect(draft.body.contains("places 2 with 10 km of travel; this allocation places 1 with 2 km"))
            // Aggregates-only sharing: trainees by number, not name.
            #expect(!draft.body.contains("Near Trainee") && draft.body.contains("Trainee 1"))
            let csv = try await coordinator.get("/placements/allocation.csv?year=2030/31")
            #expect(csv.headers.contentType?.subType == "csv")
            // The CSV speaks people: provider and school names, subject, term, kilometres; the file names the run.
            #expect(csv.body.hasPrefix("trainee,provider,subject,phase,placement,term,school_urn,school,distance_km"))
            #expect(csv.body.contains(",Mathematics,Secondary,first,autumn,\(schoolURN.value),"))
            #expect(csv.body.contains(",2.0,no,"))
            #expect(
                csv.headers.first(name: .contentDisposition) == "attachment; filename=\"allocation-2030-31-run-1.csv\"")

            let runID = run.id.uuidString.lowercased()
            // Publishing is deliberate: a confirmation page says what providers and schools will see.
            let unpublished = try await coordinator.get("/placements/allocation?year=2030/31")
            #expect(unpublished.body.contains("Nothing is published for 2030/31"))
            #expect(unpublished.body.contains("/placements/allocation/\(runID)/publish?year=2030/31"))
            let confirm = try await coordinator.get("/placements/allocation/\(runID)/publish?year=2030/31")
            #expect(confirm.status == .ok)
            #expect(confirm.body.contains("Publish run 1?"))
            #expect(confirm.body.contains("each of the 1 providers sees") || confirm.body.contains("providers sees"))
            let published = try await coordinator.submit(
                "/placements/allocation/\(runID)/publish?year=2030/31", from: "/placements/allocation?year=2030/31", [:]
            )
            #expect(published.status == .seeOther)
            #expect(try await AllocationStore(app.db).published(year: year)?.id == run.id)

            let staff = Agent(app)
            try await staff.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let list = try await staff.get("/providers/\(provider)/trainees?year=2030/31")
            #expect(list.body.contains("Placement school") && list.body.contains(school.name))
            #expect(list.body.contains("Not placed: No school offers physics"))

            let host = Agent(app)
            try await host.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            let offer = try await host.get("/schools/\(schoolURN.value)/placement-offer?year=2030/31")
            #expect(offer.body.contains("Trainees allocated to the school (run 1, published)"))
            #expect(offer.body.contains("<td>Near Trainee</td><td>Mathematics</td>"))
            #expect(!offer.body.contains("Far Trainee"))
            #expect(try await host.get("/placements/allocation?year=2030/31").status == .forbidden)

            // The published run is named at all times, with who published it; withdrawing hides it again.
            let named = try await coordinator.get("/placements/allocation?year=2030/31")
            #expect(named.body.contains("Run 1, published "))
            #expect(named.body.contains(" by \(try await app.person(email: try app.demo(.coordinator).email).name)"))
            let withdrawn = try await coordinator.submit(
                "/placements/allocation/withdraw?year=2030/31", from: "/placements/allocation?year=2030/31", [:])
            #expect(withdrawn.status == .seeOther)
            #expect(try await AllocationStore(app.db).published(year: year) == nil)
            #expect(
                !(try await staff.get("/providers/\(provider)/trainees?year=2030/31").body.contains(
                    "Not placed: No school offers physics")))
            #expect(
                !(try await host.get("/schools/\(schoolURN.value)/placement-offer?year=2030/31").body.contains(
                    "Near Trainee")))
            let audit = try await AuditLog(app.db).events(.init(action: .allocationWithdrawn))
            #expect(audit.total == 1)
            // Publish again for what follows.
            _ = try await coordinator.submit(
                "/placements/allocation/\(runID)/publish?year=2030/31", from: "/placements/allocation?year=2030/31", [:]
            )

            // Pin the far trainee to the school: the near one gives way, with the pin as the reason.
            let far = try #require(run.inputs.trainees.first { $0.name == "Far Trainee" })
            let pinned = try await coordinator.submit(
                "/placements/allocation/constraints?year=2030/31", from: "/placements/allocation?year=2030/31",
                ["trainee": far.id.uuidString, "urn": String(schoolURN.value), "kind": "pin"])
            #expect(pinned.status == .seeOther)
            #expect(try await coordinator.get("/placements/allocation?year=2030/31").body.contains("pinned to"))
            _ = try await coordinator.submit(
                "/placements/allocation?year=2030/31", from: "/placements/allocation?year=2030/31", [:])
            let second = try #require(try await AllocationStore(app.db).runs(year: year).first)
            #expect(second.plan.outcomes.first { $0.trainee == far.id }?.school == schoolURN)
            #expect(second.reproduce() == second.plan)
            let bad = try await coordinator.submit(
                "/placements/allocation/constraints?year=2030/31", from: "/placements/allocation?year=2030/31",
                ["trainee": UUID().uuidString, "urn": "1", "kind": "pin"])
            #expect(bad.status == .badRequest)
        }
    }

    @Test("A re-run changes only what it must: nothing when nothing changed, little around a forbidden pair")
    func stableReruns() async throws {
        try await withTestApp(seed: true) { app in
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let page = "/placements/allocation"
            _ = try await coordinator.submit(page, from: page, [:])
            _ = try await coordinator.submit(page, from: page, [:])
            let year = PlacementOfferController.planningYear(Date())
            let runs = try await AllocationStore(app.db).runs(year: year)
            #expect(runs.count == 2)
            func schools(_ r: AllocationRun) -> [UUID: URN?] {
                Dictionary(uniqueKeysWithValues: r.plan.outcomes.map { ($0.trainee, $0.school) })
            }
            #expect(schools(runs[0]) == schools(runs[1]))
            #expect(runs[0].plan.placed > 20)
            let moved = try #require(runs[0].plan.outcomes.first { $0.school != nil })
            _ = try await coordinator.submit(
                "/placements/allocation/constraints", from: page,
                ["trainee": moved.trainee.uuidString, "urn": String(moved.school!.value), "kind": "forbid"])
            _ = try await coordinator.submit(page, from: page, [:])
            let third = try #require(try await AllocationStore(app.db).runs(year: year).first)
            let before = schools(runs[0])
            let after = schools(third)
            #expect(after[moved.trainee] != moved.school)
            let changed = after.filter { before[$0.key] != $0.value }.count
            #expect(changed <= 4, "\(changed) trainees moved")
            #expect(third.plan.placed >= runs[0].plan.placed - 1)
            // The contrast rule is chosen on the run form and kept with the run's inputs.
            _ = try await coordinator.submit(page, from: page, ["contrast": "pupil-premium"])
            let contrasted = try #require(try await AllocationStore(app.db).runs(year: year).first)
            #expect(contrasted.inputs.constraints.contrast == .pupilPremiumBand)
            #expect(!contrasted.inputs.constraints.contrastValue.isEmpty)
            #expect(contrasted.reproduce() == contrasted.plan)
            // One map per region of the partnership's offering schools.
            let maps = try await coordinator.get(page)
            #expect(maps.body.contains("allocation-map-1") && maps.body.contains("allocation-map-2"))
            #expect(maps.body.contains("Placements in the draft: South East"))
            #expect(maps.body.contains("Placements in the draft: West Midlands"))
        }
    }

    @Test("Fairness between providers and SEND places: set on the run form, honoured, shown; a bad setting is named")
    func fairnessAndSEND() async throws {
        try await withTestApp(seed: true) { app in
            let year = try #require(AcademicYear("2030/31"))
            let schoolURN = try await PlacementOfferTests.ownSchool(app)
            let school = try #require(try await SchoolStore(app.db).find(schoolURN))
            let home = try #require(school.location)
            let a = try await TraineeTests.provider(app)
            let b = try #require(
                try await OrganisationStore(app.db).list().first {
                    [.university, .scitt, .schoolLedProvider].contains($0.kind) && $0.id != a
                }
            ).id
            // One mathematics place and one SEND place, two trained mentors, autumn only.
            let mentor = OfferedMentor(name: "Ruth Okafor", subject: .mathematics, trainedOn: Day("2025-07-14"))
            try await OfferStore(app.db).save(
                try PlacementOffer(
                    urn: schoolURN, year: year, appetite: .activelyLooking, places: [.mathematics: 1], terms: [.autumn],
                    sendPlaces: 1, mentors: [mentor, mentor]
                ).validated(), by: nil, at: Date())
            func trainee(_ name: String, _ provider: OrganisationID, km: Double, send: Bool = false) -> Trainee {
                Trainee(
                    provider: provider, year: year, name: name, subject: .mathematics, phase: .secondary,
                    route: .postgraduateFeeFunded, placement: 1, firstPlacementURN: nil,
                    homePostcode: Postcode("CT3 1AA")!,
                    home: GridPoint(easting: home.easting + km * 1000, northing: home.northing), maximumTravelKm: 30,
                    noCar: false, sendInterest: send, preferences: [])
            }
            try await TraineeStore(app.db).add(
                [trainee("A One", a, km: 1), trainee("A Two", a, km: 2, send: true), trainee("B One", b, km: 5)],
                at: Date())
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let page = "/placements/allocation?year=2030/31"
            _ = try await coordinator.submit(page, from: page, [:])
            let plain = try #require(try await AllocationStore(app.db).latest(year: year))
            // A's two take the SEND place and the mathematics place; B's trainee, further away, has none.
            #expect(plain.plan.placed == 2)
            #expect(plain.plan.outcomes.filter { $0.school != nil }.count { $0.sendPlace == true } == 1)
            let shown = try await coordinator.get(page)
            #expect(shown.body.contains("SEND place"))
            // SEND placements count among the places offered.
            #expect(
                try await coordinator.get("/placements?year=2030/31").body.contains(
                    "2 usable places with trained mentors (1 of them SEND placements)"))

            // Within 50 points: B's trainee takes the mathematics place, A keeps the SEND place.
            let fair = try await coordinator.submit(page, from: page, ["fairness_points": "50"])
            #expect(fair.status == .seeOther)
            let run = try #require(try await AllocationStore(app.db).latest(year: year))
            #expect(run.inputs.constraints.fairnessPoints == 50)
            #expect(run.plan.fairness?.honoured == true)
            let names = Dictionary(uniqueKeysWithValues: run.inputs.trainees.map { ($0.id, $0.name) })
            let placed = Set(run.plan.outcomes.filter { $0.school != nil }.map { names[$0.trainee]! })
            #expect(placed == ["A Two", "B One"])
            #expect(run.reproduce() == run.plan)
            let after = try await coordinator.get(page)
            #expect(after.body.contains("Fairness honoured."))
            #expect(after.body.contains("rates run from 50% to 100%"))
            // Published: the provider and the school see which placement is a SEND placement.
            _ = try await coordinator.submit(
                "/placements/allocation/\(run.id.uuidString.lowercased())/publish?year=2030/31", from: page, [:])
            let staff = Agent(app)
            try await staff.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            #expect(
                try await staff.get("/providers/\(a)/trainees?year=2030/31").body.contains(
                    "\(school.name) (SEND placement)"))
            let host = Agent(app)
            try await host.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            #expect(
                try await host.get("/schools/\(schoolURN.value)/placement-offer?year=2030/31").body.contains(
                    "Mathematics, SEND placement"))

            let bad = try await coordinator.submit(page, from: page, ["fairness_points": "plenty"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("There is a problem") && bad.body.contains("href=\"#fairness_points\""))
            #expect(bad.body.contains("value=\"plenty\""))
            #expect(try await AllocationStore(app.db).count(year: year) == 2)
        }
    }
}

@Suite("Providers manage their trainees; the coordinator compares runs")
struct TraineeChangeTests {
    struct Setting {
        let year: AcademicYear
        let schoolURN: URN
        let school: School
        let provider: OrganisationID
        let near: Trainee
        let far: Trainee
    }

    /// One mathematics place at the school staff's own school; Nadia lives 2 km away and Felix 8 km, both with the
    /// demo provider. The partnership shares individual records, so the coordinator sees trainees by name.
    static func setting(_ app: Application) async throws -> Setting {
        let year = try #require(AcademicYear("2030/31"))
        let schoolURN = try await PlacementOfferTests.ownSchool(app)
        let school = try #require(try await SchoolStore(app.db).find(schoolURN))
        let home = try #require(school.location)
        let provider = try await TraineeTests.provider(app)
        // A postcode 8 km from the school, where the trainees live.
        let postcodes =
            "postcode,easting,northing,lad_code\nDE14 9ZZ,\(Int(home.easting) + 8_000),\(Int(home.northing)),E07000193\n"
        _ = try await PostcodeStore(app.db).replaceAll(
            with: .init(bytes: Array(postcodes.utf8), file: "postcodes.csv"))
        try await OfferStore(app.db).save(
            try PlacementOffer(
                urn: schoolURN, year: year, appetite: .activelyLooking, places: [.mathematics: 1],
                terms: [.autumn],
                mentors: [OfferedMentor(name: "Ruth Okafor", subject: .mathematics, trainedOn: Day("2025-07-14"))]
            ).validated(), by: nil, at: Date())
        func trainee(_ name: String, km: Double) -> Trainee {
            Trainee(
                provider: provider, year: year, name: name, subject: .mathematics, phase: .secondary,
                route: .postgraduateFeeFunded, placement: 1, firstPlacementURN: nil,
                homePostcode: Postcode("DE14 9ZZ")!,
                home: GridPoint(easting: home.easting + km * 1000, northing: home.northing), maximumTravelKm: 30,
                noCar: false, sendInterest: false, preferences: [])
        }
        let near = trainee("Nadia Near", km: 2)
        let far = trainee("Felix Far", km: 8)
        try await TraineeStore(app.db).add([near, far], at: Date())
        let partnership = try #require(try await OrganisationStore(app.db).mainPartnership())
        try await OrganisationStore(app.db).setDataSharing(.individualRecords, for: partnership.id)
        return Setting(year: year, schoolURN: schoolURN, school: school, provider: provider, near: near, far: far)
    }

    @Test(
        "A school sees the trainees allocated to it with their provider's contact and dates, confirms one or raises a problem; coordinator and provider see the answer"
    )
    func schoolAnswers() async throws {
        try await withTestApp(seed: true) { app in
            let s = try await Self.setting(app)
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let allocation = "/placements/allocation?year=2030/31"
            #expect(try await coordinator.submit(allocation, from: allocation, [:]).status == .seeOther)
            let run = try #require(try await AllocationStore(app.db).latest(year: s.year))
            let publish = "/placements/allocation/\(run.id.uuidString.lowercased())/publish?year=2030/31"
            #expect(try await coordinator.submit(publish, from: publish, [:]).status == .seeOther)

            let school = Agent(app)
            try await school.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            let offerPage = "/schools/\(s.schoolURN.value)/placement-offer?year=2030/31"
            let page = try await school.get(offerPage)
            let staff = try app.demo(.providerStaff)
            #expect(page.body.contains("id=\"allocated-trainees\"") && page.body.contains("Nadia Near"))
            #expect(page.body.contains("First placement, autumn term 2030"))
            #expect(page.body.contains("mailto:\(staff.email)"))
            #expect(!page.body.contains("Felix Far"))
            let respond = "/schools/\(s.schoolURN.value)/placement-offer/respond?year=2030/31"
            let nadia = s.near.id.uuidString.lowercased()
            // A problem needs words; a trainee not allocated here is not found.
            let empty = try await school.submit(respond, from: offerPage, ["trainee": nadia, "status": "problem"])
            #expect(empty.status == .badRequest && empty.body.contains("Say what the problem with Nadia Near"))
            let stranger = try await school.submit(
                respond, from: offerPage, ["trainee": s.far.id.uuidString.lowercased(), "status": "confirmed"])
            #expect(stranger.status == .notFound)
            let raised = try await school.submit(
                respond, from: offerPage,
                ["trainee": nadia, "status": "problem", "note-\(nadia)": "Our maths mentor is on leave in October"])
            #expect(raised.status == .seeOther)
            let after = try await school.get(try #require(raised.location))
            #expect(after.body.contains("Problem raised") && after.body.contains("Your answer has been recorded"))
            #expect(
                try await coordinator.get(allocation).body.contains(
                    "The school raised a problem: Our maths mentor is on leave in October"))
            let provider = Agent(app)
            try await provider.signIn(staff.email, staff.password)
            #expect(
                try await provider.get("/providers/\(s.provider)/trainees?year=2030/31").body.contains(
                    "the school raised a problem: Our maths mentor is on leave in October"))
            // Then, the problem solved, the school confirms.
            #expect(
                try await school.submit(respond, from: offerPage, ["trainee": nadia, "status": "confirmed"]).status
                    == .seeOther)
            #expect(try await coordinator.get(allocation).body.contains("Confirmed by the school"))
            #expect(try await AuditLog(app.db).events(.init(action: .placementProblemRaised)).total == 1)
            #expect(try await AuditLog(app.db).events(.init(action: .placementConfirmed)).total == 1)
        }
    }

    @Test("The demo's allocation maps name the local authorities inside them, for orientation")
    func mapLabels() async throws {
        try await withTestApp(seed: true) { app in
            let year = PlacementOfferController.planningYear(app.clock.now())
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let allocation = "/placements/allocation?year=\(year)"
            #expect(try await coordinator.submit(allocation, from: allocation, [:]).status == .seeOther)
            let page = try await coordinator.get(allocation).body
            #expect(page.contains(">Kent</text>") && page.contains(">Staffordshire</text>"))
        }
    }

    @Test(
        "The coordinator places an unplaced trainee by hand: the schools that could take them, what each displaces, and the next run honours the pin"
    )
    func placeByHand() async throws {
        try await withTestApp(seed: true) { app in
            let s = try await Self.setting(app)
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let allocation = "/placements/allocation?year=2030/31"
            #expect(try await coordinator.submit(allocation, from: allocation, [:]).status == .seeOther)
            let page = try await coordinator.get(allocation)
            let placePath = "/placements/allocation/place?year=2030/31&trainee=\(s.far.id.uuidString.lowercased())"
            #expect(page.body.contains(placePath.replacingOccurrences(of: "&", with: "&amp;")))
            let place = try await coordinator.get(placePath)
            #expect(place.status == .ok && place.body.contains("Place Felix Far by hand"))
            #expect(place.body.contains(s.school.name) && place.body.contains("Displaces one of: Nadia Near"))
            #expect(place.body.contains("1 Mathematics place, 1 trained mentor, held by Nadia Near"))
            let pinned = try await coordinator.submit(
                "/placements/allocation/constraints?year=2030/31", from: placePath,
                ["trainee": s.far.id.uuidString.lowercased(), "urn": String(s.schoolURN.value), "kind": "pin"])
            #expect(pinned.status == .seeOther)
            #expect(try await coordinator.get(allocation).body.contains("Felix Far pinned to \(s.school.name)"))
            #expect(try await coordinator.submit(allocation, from: allocation, [:]).status == .seeOther)
            let second = try #require(try await AllocationStore(app.db).latest(year: s.year))
            #expect(second.plan.outcomes.first { $0.trainee == s.far.id }?.school == s.schoolURN)
            #expect(second.plan.outcomes.first { $0.trainee == s.near.id }?.school == nil)
            // Nadia, now unplaced, has no other school within reach: the page says so.
            let nadia = try await coordinator.get(
                "/placements/allocation/place?year=2030/31&trainee=\(s.near.id.uuidString.lowercased())")
            #expect(nadia.body.contains("Displaces one of: Felix Far"))
            #expect(
                try await coordinator.get("/placements/allocation/place?year=2030/31&trainee=\(UUID())").status
                    == .notFound)
        }
    }

    @Test(
        "A provider changes a trainee (schools by name) and withdraws another: the next run leaves them out, stored runs keep them, and the comparison says why"
    )
    func changeWithdrawCompare() async throws {
        try await withTestApp(seed: true) { app in
            let s = try await Self.setting(app)
            let (year, schoolURN, school, provider, near, far) = (
                s.year, s.schoolURN, s.school, s.provider, s.near, s.far
            )
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let allocation = "/placements/allocation?year=2030/31"
            #expect(try await coordinator.submit(allocation, from: allocation, [:]).status == .seeOther)
            let first = try #require(try await AllocationStore(app.db).latest(year: year))
            #expect(first.plan.outcomes.first { $0.trainee == near.id }?.school == schoolURN)
            // One run: nothing to compare yet.
            #expect(!(try await coordinator.get(allocation).body.contains("Compare with another run")))
            #expect(try await coordinator.get("/placements/allocation/compare?year=2030/31").status == .notFound)

            // The provider's staff change Felix: nearer home, and the school chosen by name as a preference.
            let staff = Agent(app)
            try await staff.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let list = "/providers/\(provider)/trainees?year=2030/31"
            let listed = try await staff.get(list)
            #expect(listed.body.contains("/providers/\(provider)/trainees/\(far.id.uuidString.lowercased())/edit"))
            #expect(listed.body.contains("id=\"offering\"") && listed.body.contains(school.name))
            let editPath = "/providers/\(provider)/trainees/\(far.id.uuidString.lowercased())"
            let editPage = try await staff.get(editPath + "/edit?year=2030/31")
            #expect(editPage.status == .ok && editPage.body.contains("value=\"Felix Far\""))
            #expect(editPage.body.contains("<datalist id=\"offering-schools\""))
            let choice = TraineeEntry.schoolChoice(name: school.name, urn: schoolURN)
            var form = TraineePages.form(far, names: [:])
            form["max_travel_km"] = "40"
            form["preferences"] = choice
            // A bad value is named and nothing is saved.
            var bad = form
            bad["max_travel_km"] = "far"
            let refused = try await staff.submit(editPath + "?year=2030/31", from: editPath + "/edit?year=2030/31", bad)
            #expect(refused.status == .badRequest && refused.body.contains("Maximum travel must be 1 to 100 km"))
            #expect(try await TraineeStore(app.db).trainee(far.id, provider: provider)?.trainee == far)
            let saved = try await staff.submit(editPath + "?year=2030/31", from: editPath + "/edit?year=2030/31", form)
            #expect(saved.status == .seeOther)
            let changed = try #require(try await TraineeStore(app.db).trainee(far.id, provider: provider)?.trainee)
            #expect(changed.preferences == [schoolURN] && changed.maximumTravelKm == 40)
            #expect(try await staff.get(try #require(saved.location)).body.contains("Felix Far's details saved"))

            // Nadia is withdrawn, after a confirmation page.
            let nadiaPath = "/providers/\(provider)/trainees/\(near.id.uuidString.lowercased())"
            let confirm = try await staff.get(nadiaPath + "/withdraw?year=2030/31")
            #expect(confirm.body.contains("Withdraw Nadia Near?"))
            let withdrawn = try await staff.submit(
                nadiaPath + "/withdraw?year=2030/31", from: nadiaPath + "/withdraw?year=2030/31", [:])
            #expect(withdrawn.status == .seeOther)
            let after = try await staff.get(try #require(withdrawn.location))
            #expect(after.body.contains("Nadia Near withdrawn"))
            #expect(after.body.contains("id=\"withdrawn\"") && after.body.contains("Reinstate Nadia Near"))
            #expect(try await TraineeStore(app.db).trainees(year: year).map(\.id) == [far.id])
            // A trainee of another provider, or none, through this provider's address: not found.
            let stranger = "/providers/\(provider)/trainees/\(UUID().uuidString.lowercased())/edit?year=2030/31"
            #expect(try await staff.get(stranger).status == .notFound)

            // The next run leaves Nadia out and places Felix; the first run keeps her.
            #expect(try await coordinator.submit(allocation, from: allocation, [:]).status == .seeOther)
            let second = try #require(try await AllocationStore(app.db).latest(year: year))
            #expect(second.plan.outcomes.map(\.trainee) == [far.id])
            #expect(second.plan.outcomes.first?.school == schoolURN)
            #expect(
                try await AllocationStore(app.db).run(first.id, year: year)?.plan.outcomes.contains {
                    $0.trainee == near.id
                } == true)

            // The comparison: totals of each, Nadia removed, Felix newly placed because his details changed.
            let page = try await coordinator.get(allocation)
            #expect(page.body.contains("Compare with another run"))
            let compared = try await coordinator.get(
                "/placements/allocation/compare?year=2030/31&first=\(first.id.uuidString.lowercased())&second=\(second.id.uuidString.lowercased())"
            )
            #expect(compared.status == .ok)
            #expect(compared.body.contains("1 of 2") && compared.body.contains("1 of 1"))
            #expect(compared.body.contains("Withdrawn or removed since the first run (was at \(school.name))"))
            #expect(compared.body.contains("Now placed at \(school.name)"))
            #expect(compared.body.contains("The provider changed their maximum travel, preferred schools"))
            // The default pair is the two latest runs; an unknown run is a 404.
            #expect(try await coordinator.get("/placements/allocation/compare?year=2030/31").body.contains("Felix Far"))
            #expect(
                try await coordinator.get("/placements/allocation/compare?year=2030/31&first=\(UUID())").status
                    == .notFound)

            // Reinstated, Nadia is in the allocation's trainees again.
            let reinstated = try await staff.submit(
                nadiaPath + "/reinstate?year=2030/31", from: list, [:])
            #expect(reinstated.status == .seeOther)
            #expect(Set(try await TraineeStore(app.db).trainees(year: year).map(\.id)) == [near.id, far.id])
            for action in [AuditAction.traineeUpdated, .traineeWithdrawn, .traineeReinstated] {
                #expect(try await AuditLog(app.db).events(.init(action: action)).total == 1, "\(action)")
            }
        }
    }
}

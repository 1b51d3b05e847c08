import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Placement offers")
struct PlacementOfferTests {
    /// The demo school staff member's school.
    static func ownSchool(_ app: Application) async throws -> URN {
        let staff = try await app.person(email: try app.demo(.schoolStaff).email)
        let record = try #require(try await PeopleStore(app.db).record(staff.id))
        let organisation = try #require(record.memberships.first?.organisation)
        return try #require(try await OrganisationStore(app.db).find(organisation)?.urn)
    }

    @Test("School staff record their school's offer; bad fields are named; staff across the partnership see totals")
    func recordOffer() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await Self.ownSchool(app)
            let staff = Agent(app)
            try await staff.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            let page = "/schools/\(urn.value)/placement-offer?year=2030/31"
            let empty = try await staff.get(page)
            #expect(empty.status == .ok)
            #expect(empty.body.contains("Placement offer for 2030/31"))

            let bad = try await staff.submit(
                "/schools/\(urn.value)/placement-offer", from: page,
                [
                    "year": "2030/31", "appetite": "actively-looking", "places-mathematics": "two",
                    "mentor-1-name": "Ruth Okafor", "mentor-1-subject": "mathematics",
                    "mentor-1-trained_on": "31-02-2025",
                ])
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("Mathematics places must be a whole number"))
            #expect(bad.body.contains("Mentor 1&#39;s training date") || bad.body.contains("Mentor 1's training date"))
            let noTerms = try await staff.submit(
                "/schools/\(urn.value)/placement-offer", from: page,
                ["year": "2030/31", "appetite": "actively-looking", "places-primary": "2"])
            #expect(noTerms.body.contains("Choose the terms"))
            #expect(try await OfferStore(app.db).offer(urn: urn, year: AcademicYear("2030/31")!) == nil)

            let saved = try await staff.submit(
                "/schools/\(urn.value)/placement-offer", from: page,
                [
                    "year": "2030/31", "appetite": "actively-looking", "places-primary": "2", "places-mathematics": "1",
                    "term-autumn": "true", "term-spring": "true", "send_places": "1",
                    "mentor-1-name": "Ruth Okafor", "mentor-1-subject": "primary", "mentor-1-trained_on": "2025-07-14",
                    "mentor-2-name": "Sam Hale", "mentor-2-subject": "mathematics", "mentor-2-trained_on": "",
                ])
            #expect(saved.status == .seeOther)
            let offer = try #require(try await OfferStore(app.db).offer(urn: urn, year: AcademicYear("2030/31")!))
            #expect(offer.places == [.primary: 2, .mathematics: 1])
            #expect(offer.terms == [.autumn, .spring] && offer.sendPlaces == 1)
            #expect(offer.mentors.map(\.name) == ["Ruth Okafor", "Sam Hale"])
            #expect(offer.trainedMentors == 1 && offer.usablePlaces(.mathematics) == 1)
            let again = try await staff.get(try #require(saved.location))
            #expect(again.body.contains("Offer saved.") && again.body.contains("value=\"Ruth Okafor\""))

            // Saving again replaces the offer; the change is audited.
            _ = try await staff.submit(
                "/schools/\(urn.value)/placement-offer", from: page,
                ["year": "2030/31", "appetite": "not-open", "reason": "Staffing changes this year"])
            let changed = try #require(try await OfferStore(app.db).offer(urn: urn, year: AcademicYear("2030/31")!))
            #expect(changed.appetite == .notOpen && changed.places.isEmpty && changed.mentors.isEmpty)
            let log = try await AuditLog(app.db).events(.init(action: .placementOfferSaved)).events
            #expect(log.count == 2)

            // Provider staff see the totals, not mentors' names, and cannot change a school's offer.
            let provider = Agent(app)
            try await provider.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let overview = try await provider.get("/placements?year=2030/31")
            #expect(overview.status == .ok)
            #expect(overview.body.contains("Not open to hosting"))
            #expect(!overview.body.contains("Ruth Okafor"))
            // Only a school's own staff (and coordinators) are offered the link to change its offer.
            #expect(!overview.body.contains("/placement-offer?year="))
            let staffOverview = try await staff.get("/placements?year=2030/31").body
            #expect(staffOverview.contains("/schools/\(urn.value)/placement-offer?year=2030/31"))
            #expect(staffOverview.components(separatedBy: "/placement-offer?year=").count == 2)
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            #expect(
                try await coordinator.get("/placements?year=2030/31").body.components(
                    separatedBy: "/placement-offer?year="
                ).count > 10)
            #expect(try await provider.get(page).status == .forbidden)
            #expect(try await provider.get("/placements?year=26/27").status == .badRequest)
            // School staff cannot change another school's offer.
            #expect(try await staff.get("/schools/141308/placement-offer?year=2030/31").status == .forbidden)
        }
    }

    @Test("The offer form asks for the subjects of the school's phase and offers the school's mentors by name")
    func formFitsTheSchool() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await Self.ownSchool(app)
            let school = try #require(try await SchoolStore(app.db).find(urn))
            let staff = Agent(app)
            try await staff.signIn(try app.demo(.schoolStaff).email, try app.demo(.schoolStaff).password)
            // The dashboard goes straight to the school's own offer.
            let dashboard = try await staff.get("/dashboard").body
            #expect(dashboard.contains("href=\"/schools/\(urn.value)/placement-offer\""))
            let form = try await staff.get("/schools/\(urn.value)/placement-offer").body
            #expect(school.phase == .primary)
            #expect(form.contains("name=\"places-primary\"") && !form.contains("name=\"places-mathematics\""))
            #expect(form.contains("The subjects of a primary school."))
            // The school's mentors with accounts are offered by name; free text is still accepted.
            // James Patel, the demo mentor, is at the same school; Fatima Begum, a mentor elsewhere, is not offered.
            let mentor = try await app.person(email: try app.demo(.mentor).email)
            #expect(form.contains("<datalist id=\"school-mentors\"><option value=\"\(mentor.name)\"></option>"))
            #expect(!form.contains("Fatima Begum"))
            #expect(PlacementSubject.hosted(at: .secondary).contains(.physics))
            #expect(!PlacementSubject.hosted(at: .secondary).contains(.primary))
            #expect(PlacementSubject.hosted(at: .allThrough) == PlacementSubject.allCases)
            #expect(PlacementSubject.hosted(at: .unknown) == PlacementSubject.allCases)
        }
    }

    @Test("A school shows the same number of places on every page, labelled as offered or usable")
    func samePlacesEverywhere() async throws {
        try await withTestApp(seed: true) { app in
            let year = try #require(AcademicYear("2030/31"))
            let urn = try await Self.ownSchool(app)
            let school = try #require(try await SchoolStore(app.db).find(urn))
            // Two mathematics places and one SEND placement, with one trained mentor.
            try await OfferStore(app.db).save(
                try PlacementOffer(
                    urn: urn, year: year, appetite: .activelyLooking, places: [.mathematics: 2], terms: [.autumn],
                    sendPlaces: 1,
                    mentors: [OfferedMentor(name: "Ruth Okafor", subject: .mathematics, trainedOn: Day("2025-07-14"))]
                ).validated(), by: nil, at: Date())
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let overview = try await coordinator.get("/placements?year=2030/31").body
            let row = try #require(overview.components(separatedBy: "<tr>").first { $0.contains(school.name) })
            // Places offered 3, usable places 3.
            #expect(row.contains("<td class=\"app-numeric\">3</td><td class=\"app-numeric\">3</td>"), "\(row)")
            #expect(overview.contains("id=\"places-explained\""))
            let allocation = "/placements/allocation?year=2030/31"
            #expect(try await coordinator.submit(allocation, from: allocation, [:]).status == .seeOther)
            let bySchool = try await coordinator.get(allocation).body
            #expect(bySchool.contains("Usable places"))
            let allocationRow = try #require(
                bySchool.components(separatedBy: "<tr>").first { $0.contains("<td>\(school.name)</td>") })
            #expect(
                allocationRow.hasSuffix("<td class=\"app-numeric\">3</td></tr>")
                    || allocationRow.contains(">3</td></tr>"), "\(allocationRow)")
        }
    }

    @Test("An offer saves and reads back the same on both databases; usable places need a trained mentor")
    func store() async throws {
        try await withTestApp(seed: true) { app in
            let year = try #require(AcademicYear("2030/31"))
            let offer = try PlacementOffer(
                urn: URN(141308), year: year, appetite: .interested, places: [.physics: 2, .english: 1],
                terms: [.summer], sendPlaces: 0,
                mentors: [OfferedMentor(name: "A. Mentor", subject: .physics, trainedOn: nil)]
            ).validated()
            try await OfferStore(app.db).save(offer, by: nil, at: Date())
            let read = try #require(try await OfferStore(app.db).offer(urn: URN(141308), year: year))
            #expect(read.places == offer.places && read.terms == offer.terms && read.mentors == offer.mentors)
            #expect(read.usablePlaces(.physics) == 0)  // no trained mentor yet
            #expect(try await OfferStore(app.db).offers(year: AcademicYear("2028/29")!).isEmpty)
        }
    }
}

import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Trainees")
struct TraineeTests {
    static let postcodes = """
        postcode,easting,northing,lad_code
        CT3 1AA,624367,157634,E07000108
        CT3 1AB,624342,157441,E07000108

        """

    static func provider(_ app: Application) async throws -> OrganisationID {
        let staff = try await app.person(email: try app.demo(.providerStaff).email)
        return try #require(try await PeopleStore(app.db).record(staff.id)?.memberships.first?.organisation)
    }

    static let header = TraineeEntry.columns.joined(separator: ",")

    /// Uploads a trainees file for the provider's year as the signed-in agent, with the form's CSRF token.
    static func upload(
        _ agent: Agent, provider: OrganisationID, year: String, csv: String, name: String, token: String
    ) async throws -> Agent.Reply {
        let boundary = "----chalkface-test"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\(token)\r\n"
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
        return try await agent.request(
            .POST, "/providers/\(provider)/trainees/upload?year=\(year)", raw: body,
            contentType: "multipart/form-data; boundary=\(boundary)")
    }

    @Test("A provider uploads trainees: a file with a bad row saves nothing and names each problem by line")
    func upload() async throws {
        try await withTestApp(seed: true) { app in
            _ = try await PostcodeStore(app.db).replaceAll(
                with: .init(bytes: Array(Self.postcodes.utf8), file: "postcodes.csv"))
            let provider = try await Self.provider(app)
            let staff = Agent(app)
            try await staff.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let page = "/providers/\(provider)/trainees?year=2030/31"
            // The dashboard links to the provider's trainees.
            #expect(try await staff.get("/dashboard").body.contains("href=\"/providers/\(provider)/trainees\""))
            let first = try await staff.get(page)
            #expect(first.status == .ok && first.body.contains("0 trainees."))
            let token = try #require(first.csrf)

            func post(_ csv: String, name: String = "trainees.csv") async throws -> Agent.Reply {
                try await Self.upload(staff, provider: provider, year: "2030/31", csv: csv, name: name, token: token)
            }
            let bad = try await post(
                """
                \(Self.header)
                Amara Okafor,mathematics,secondary,postgraduate-fee-funded,1,,CT3 1AA,25,no,no,
                Ben Price,physics,primary,postgraduate-fee-funded,1,,CT3 1AB,25,no,no,
                Cara Lee,chemistry,secondary,salaried,2,,ZZ9 9ZZ,200,maybe,no,141308
                Dev Shah,english,secondary,postgraduate-salaried,1,,CT3 1AB,20,yes,no,999999999

                """)
            #expect(bad.status == .badRequest)
            for expected in [
                "trainees.csv:3: phase: Physics is a secondary subject", "trainees.csv:4: route:",
                "trainees.csv:4: first_placement_urn:", "trainees.csv:4: max_travel_km:", "trainees.csv:4: no_car:",
            ] {
                #expect(bad.body.contains(expected), "\(expected)")
            }
            #expect(try await TraineeStore(app.db).trainees(year: AcademicYear("2030/31")!).isEmpty)

            let unknown = try await post(
                "\(Self.header)\nDev Shah,english,secondary,postgraduate-salaried,1,,ME1 1AA,20,yes,no,141308\n"
                    + "Fay Moss,english,secondary,postgraduate-salaried,1,,CT3 1AA,20,yes,no,999999\n")
            #expect(unknown.body.contains("trainees.csv:2: home_postcode: ME1 1AA is not in the postcode directory"))
            #expect(unknown.body.contains("trainees.csv:3: preferences: There is no school with URN 999999"))

            let good = try await post(
                """
                \(Self.header)
                Amara Okafor,mathematics,secondary,postgraduate-fee-funded,1,,CT3 1AA,25,no,no,
                Dev Shah,english,secondary,postgraduate-salaried,2,141308,ct31ab,40,yes,yes,

                """)
            #expect(good.status == .seeOther)
            let saved = try await TraineeStore(app.db).trainees(year: AcademicYear("2030/31")!, provider: provider)
            #expect(saved.map(\.name) == ["Amara Okafor", "Dev Shah"])
            let dev = try #require(saved.last)
            #expect(dev.homePostcode.value == "CT3 1AB" && dev.home.easting == 624342)
            #expect(dev.travelLimitMetres == 15_000 && dev.firstPlacementURN == URN(141308) && dev.sendInterest)
            let list = try await staff.get(try #require(good.location))
            #expect(list.body.contains("2 trainees added.") && list.body.contains("15 km (no car)"))

            // One by one, with the form.
            let added = try await staff.submit(
                "/providers/\(provider)/trainees?year=2030/31", from: page,
                [
                    "name": "Eve Clarke", "subject": "primary", "phase": "primary", "route": "undergraduate",
                    "placement": "1", "home_postcode": "CT3 1AA", "max_travel_km": "10",
                ])
            #expect(added.status == .seeOther)
            let invalid = try await staff.submit(
                "/providers/\(provider)/trainees?year=2030/31", from: page,
                ["name": "", "subject": "primary", "phase": "secondary", "route": "undergraduate", "placement": "3"])
            #expect(invalid.status == .badRequest)
            #expect(
                invalid.body.contains("Enter the trainee&#39;s name")
                    || invalid.body.contains("Enter the trainee's name"))
            #expect(try await TraineeStore(app.db).trainees(year: AcademicYear("2030/31")!).count == 3)

            // Another provider's staff, and a coordinator without individual-record sharing, are refused.
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            #expect(try await coordinator.get(page).status == .forbidden)
            let log = try await AuditLog(app.db).events(.init(action: .traineesAdded)).events
            #expect(log.map(\.detail).sorted() == ["1 trainees by form", "2 trainees from trainees.csv"])
        }
    }
}

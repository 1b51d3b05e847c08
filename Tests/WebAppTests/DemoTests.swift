import Domain
import Foundation
import Testing
import Vapor

@testable import Persistence
@testable import WebApp

@Suite("The demo is plausible")
struct DemoTests {
    @Test("Every provider's trainees live near its base (median under 30 km) and train in the phases it offers")
    func traineesNearTheirProvider() async throws {
        try await withTestApp(seed: true) { app in
            let year = PlacementOfferController.planningYear(Date())
            let trainees = try await TraineeStore(app.db).trainees(year: year)
            #expect(trainees.count > 50)
            let providers = try await OrganisationStore(app.db).list().filter {
                [.university, .scitt, .schoolLedProvider].contains($0.kind)
            }
            #expect(providers.count >= 5)
            for provider in providers {
                let theirs = trainees.filter { $0.provider == provider.id }
                guard !theirs.isEmpty else { continue }
                let base = try #require(DemoPlacements.providerBases[provider.name], "\(provider.name) has no base")
                let distances = theirs.map { $0.home.distance(to: base) }.sorted()
                let median = distances[distances.count / 2]
                #expect(median < 30_000, "\(provider.name): median \(Int(median / 1000)) km")
                let phases = DemoPlacements.phases(of: provider.name)
                #expect(theirs.allSatisfy { phases.contains($0.phase) }, "\(provider.name)")
            }
            let stJosephs = try #require(providers.first { $0.name.contains("Secondary") })
            #expect(DemoPlacements.phases(of: stJosephs.name) == [.secondary])
        }
    }

    @Test("The default year is the one being planned: from September, the next; a year under way says so")
    func planningYear() throws {
        #expect(AcademicYear.planning(on: Day(year: 2026, month: 12, day: 3)!).description == "2027/28")
        #expect(AcademicYear.planning(on: Day(year: 2027, month: 3, day: 1)!).description == "2027/28")
        #expect(AcademicYear.planning(on: Day(year: 2027, month: 9, day: 1)!).description == "2028/29")
        #expect(AcademicYear(start: 2026)!.isUnderWay(on: Day(year: 2026, month: 12, day: 3)!))
        #expect(!AcademicYear(start: 2027)!.isUnderWay(on: Day(year: 2026, month: 12, day: 3)!))
    }
}

import Domain
import FluentKit
import Foundation
import SQLKit

/// Demo undergraduate internship offers at the partnership's member schools for the coming summer: three weeks
/// from mid-June (the national pattern), maths or physics at secondary schools and primary at primary schools,
/// two places each. The demo undergraduates apply themselves. Created only when no offer is held.
public enum DemoInternships {
    public static func seed(on database: any Database, today: Day, now: Date) async throws -> Int {
        let held =
            try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("internship_offers").first()?.decode(column: "n", as: Int.self) ?? 0
        guard held == 0 else { return 0 }
        let organisations = try await OrganisationStore(database).list()
        let urns = organisations.filter { $0.kind == .school }.compactMap(\.urn).sorted { $0.value < $1.value }
        let schools = try await SchoolStore(database).find(urns)
        let year = Internships.year(on: today)
        // The Monday on or after 14 June, for three weeks.
        var start = Day(year: year, month: 6, day: 14)!
        while start.isoWeekday != 1 { start = Day(ordinal: start.ordinal + 1) }
        let end = Day(ordinal: start.ordinal + 18)
        guard start > today else { return 0 }
        var offered = 0
        // Member schools whose phase GIAS gives as primary or secondary, in name order, twelve at most.
        let known = urns.compactMap { schools[$0] }.filter { $0.phase == .primary || $0.phase == .secondary }
            .sorted { ($0.name, $0.urn.value) < ($1.name, $1.urn.value) }.prefix(12)
        for (i, school) in known.enumerated() {
            let urn = school.urn
            let subject: TeachingSubject =
                school.phase == .primary ? .primary : i % 2 == 0 ? .mathematics : .physics
            try await InternshipStore(database).add(
                InternshipOffer(
                    urn: urn.value, subject: subject, startsOn: start, endsOn: end, places: 2,
                    details:
                        "Three weeks alongside the \(subject == .primary ? "year 5 and 6 teachers" : "\(subject.label.lowercased()) department"): observing, planning with a teacher and teaching small groups."
                ), author: "Demo data (generated)", at: now)
            offered += 1
        }
        return offered
    }
}

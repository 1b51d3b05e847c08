import Domain
import FluentKit
import Foundation

/// Demo school experience dates at the partnership's member schools over the coming weeks (generated, marked),
/// with the demo candidates' requests. Created only when there are no dates.
public enum DemoExperience {
    static let expectations = [
        "Observe lessons across the school, talk to teachers about their route into teaching, and help with a small group activity.",
        "Spend the day with a subject department: observe lessons, join a planning meeting and ask trainees about their year.",
        "A morning in a classroom with an experienced teacher, then time with the school's ITT lead to talk about applying.",
    ]

    /// Roughly when schools in England are open: not the Christmas, February half-term, Easter, May half-term
    /// or summer holidays (dates vary a little by local authority; these are the usual ones).
    static func isTermTime(_ d: Day) -> Bool {
        switch (d.month, d.day) {
        case (12, 19...), (1, ...4), (10, 24...), (2, 14...22), (4, ...14), (5, 25...), (7, 22...), (8, _): false
        default: true
        }
    }

    /// GIAS's phase where the school list has it; otherwise the name: primary, infant, junior or first schools.
    static func isPrimary(_ s: School) -> Bool {
        switch s.phase {
        case .nursery, .primary, .middleDeemedPrimary: return true
        case .secondary, .sixteenPlus, .middleDeemedSecondary, .allThrough: return false
        default:
            let name = s.name.lowercased()
            return ["primary", "infant", "junior", "first school", "nursery"].contains { name.contains($0) }
        }
    }

    /// - Parameter candidates: people to request a date each (the demo applicant and undergraduate).
    public static func seed(
        on database: any Database, candidates: [(PersonID, String)], today: Day, now: Date
    ) async throws -> Int {
        guard try await ExperienceStore(database).dates().isEmpty else { return 0 }
        let organisations = try await OrganisationStore(database).list()
        let urns = organisations.filter { $0.kind == .school }.compactMap { $0.urn?.value }.sorted()
        guard !urns.isEmpty else { return 0 }
        let schools = try await SchoolStore(database).find(urns.map(URN.init))
        var rng = DemoRandom(seed: 77)
        var dates: [ExperienceDate] = []
        for urn in urns {
            guard let school = schools[URN(urn)] else { continue }
            let primary = isPrimary(school)
            for _ in 0..<(1 + rng.below(2)) {
                var day = Day(ordinal: today.ordinal + 10 + rng.below(80))
                while day.isoWeekday > 5 || !isTermTime(day) { day = Day(ordinal: day.ordinal + 1) }
                let subject: TeachingSubject? =
                    primary || rng.below(3) == 0
                    ? nil : [.mathematics, .physics, .chemistry, .english, .computing, .modernLanguages][rng.below(6)]
                dates.append(
                    ExperienceDate(
                        urn: urn, day: day, length: ExperienceLength.allCases[rng.below(3)],
                        phase: primary ? .primary : .secondary, subject: subject, places: 1 + rng.below(4),
                        expectations: expectations[rng.below(expectations.count)],
                        dbs: rng.below(2) == 0 ? .notNeeded : .schoolArranges,
                        access: rng.below(2) == 0 ? "Step-free access to classrooms and an accessible toilet." : "",
                        generated: true))
            }
        }
        let offered = dates
        try await database.transaction { tx in
            try await ExperienceStore(tx).add(offered, at: now)
            for (i, c) in candidates.enumerated() where i < offered.count {
                try await ExperienceStore(tx).request(
                    ExperienceRequest(
                        date: offered[i].id, person: c.0, name: c.1,
                        objectives: "To see how teachers plan and manage a lesson before I apply.",
                        stage: i == 0 ? .careerChanger : .finalYear, requestedAt: now))
            }
        }
        return dates.count
    }
}

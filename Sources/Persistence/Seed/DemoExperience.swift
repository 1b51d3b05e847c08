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

/// Demo recruitment events in the coming weeks, organised by the demo partnership's providers (generated, marked).
/// Created only when there are none.
public enum DemoEvents {
    public static func seed(on database: any Database, today: Day) async throws -> Int {
        guard try await EventStore(database).events().isEmpty else { return 0 }
        let organisations = try await OrganisationStore(database).list()
        let providers = organisations.filter { [.university, .scitt, .schoolLedProvider].contains($0.kind) }
        guard !providers.isEmpty else { return 0 }
        func weekday(_ offset: Int, _ wanted: Int) -> Day {
            var d = Day(ordinal: today.ordinal + offset)
            while d.isoWeekday != wanted || !DemoExperience.isTermTime(d) { d = Day(ordinal: d.ordinal + 1) }
            return d
        }
        let p = { (i: Int) in providers[i % providers.count] }
        let events = [
            RecruitmentEvent(
                organiser: p(0).name, organisedBy: p(0).id.rawValue, title: "Train to teach evening",
                kind: .trainToTeach,
                summary:
                    "Meet teachers, trainees and the partnership's providers; hear about routes, funding and bursaries; bring your questions about applying.",
                session: CPDSession(day: weekday(12, 3), start: 18 * 60, end: 20 * 60),
                venue: "\(p(0).name), main campus",
                capacity: 60, generated: true),
            RecruitmentEvent(
                organiser: p(1).name, organisedBy: p(1).id.rawValue, title: "Open morning", kind: .openDay,
                summary: "See where you would train: a tour, a taster session and time with current trainees.",
                session: CPDSession(day: weekday(20, 6 - 1), start: 9 * 60 + 30, end: 12 * 60),
                venue: p(1).name, capacity: 25, generated: true),
            RecruitmentEvent(
                organiser: p(0).name, organisedBy: p(0).id.rawValue, title: "Teaching as a career change: online Q&A",
                kind: .online,
                summary:
                    "An hour online for people thinking of changing career into teaching: salary, routes and what the first year is like.",
                session: CPDSession(day: weekday(8, 2), start: 19 * 60, end: 20 * 60), venue: "Online", capacity: 200,
                generated: true),
            RecruitmentEvent(
                organiser: p(2).name, organisedBy: p(2).id.rawValue, title: "Writing your personal statement",
                kind: .workshop,
                summary: "A practical workshop on the application form's personal statement, with feedback on a draft.",
                session: CPDSession(day: weekday(27, 4), start: 17 * 60, end: 18 * 60 + 30), venue: p(2).name,
                capacity: 2, generated: true),
        ]
        try await database.transaction { tx in try await EventStore(tx).add(events) }
        return events.count
    }
}

import Domain
import FluentKit
import Foundation
import SQLKit

/// Generated mentors and development profiles for the demo workforce's early-career teachers: each ECT gets a
/// mentor from their school's experienced teachers (from the start of their early-career period), and about
/// three in four have this term's profiles from themselves and their mentor, with one to three areas to develop
/// that the two mostly agree on. Created only when no mentorship or profile is stored.
public enum DemoDevelopment {
    public static func seed(on database: any Database, today: Day, now: Date) async throws -> Int {
        let sql = try database.sql
        let mentorships =
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("ect_mentorships").first()?.decode(column: "n", as: Int.self) ?? 0
        let profiles =
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("development_profiles").first()?.decode(column: "n", as: Int.self) ?? 0
        guard mentorships == 0, profiles == 0 else { return 0 }
        let register = try await TeacherStore(database).all()
        func open(_ p: ServicePeriod) -> Bool { p.startedOn <= today && (p.finishedOn.map { $0 >= today } ?? true) }
        var experienced: [Int: [TeacherRecord]] = [:]
        var ects: [(TeacherRecord, ServicePeriod)] = []
        for r in register {
            if let p = r.periods.last(where: { $0.role == .ect && open($0) }) {
                ects.append((r, p))
            } else if let p = r.periods.last(where: { $0.role != .ect && open($0) }),
                p.startedOn.ordinal <= today.ordinal - 3 * 365
            {
                experienced[p.urn, default: []].append(r)
            }
        }
        ects.sort { $0.0.id.uuidString < $1.0.id.uuidString }
        let year = AcademicYear.containing(today)
        let term = Term.containing(today)
        var rng = DemoRandom(seed: 14)
        var plan: [(ect: TeacherRecord, mentor: TeacherRecord, period: ServicePeriod, ratings: Ratings?)] = []
        for (ect, period) in ects {
            guard let pool = experienced[period.urn], !pool.isEmpty else { continue }
            let mentor = pool.sorted { $0.id.uuidString < $1.id.uuidString }[rng.below(pool.count)]
            plan.append((ect, mentor, period, rng.below(4) != 0 ? ratings(&rng) : nil))
        }
        // Most ECTs' schools have recorded their induction: half with the local authority as appropriate body, half
        // with the area's teaching school hub; mostly provider-led; the tutor another experienced colleague.
        let schools = try await SchoolStore(database).find(Set(plan.map { URN($0.period.urn) }))
        var inductions: [UUID: Induction] = [:]
        for p in plan where rng.below(8) != 0 {
            let school = schools[URN(p.period.urn)]
            let pool = (experienced[p.period.urn] ?? []).filter { $0.id != p.mentor.id }
            let tutor =
                pool.isEmpty ? p.mentor : pool.sorted { $0.id.uuidString < $1.id.uuidString }[rng.below(pool.count)]
            let hub =
                (school?.location?.northing ?? 0) > 250_000
                ? "Trent and Peak Teaching School Hub (demo)" : "Weald and Downs Teaching School Hub (demo)"
            let local = rng.below(2) == 0 ? school?.localAuthority?.name : nil
            inductions[p.ect.id] = Induction(
                teacher: p.ect.id, urn: p.period.urn,
                appropriateBody: local == nil ? .teachingSchoolHub : .localAuthority,
                appropriateBodyName: local ?? hub, route: rng.below(5) == 0 ? .schoolLed : .providerLed,
                tutor: tutor.name, startedOn: p.period.startedOn, fte: p.period.fte)
        }
        let chosen = plan
        let recorded = inductions
        try await database.transaction { tx in
            let store = DevelopmentStore(tx)
            for (ect, mentor, period, ratings) in chosen {
                try await store.assign(
                    mentor: (mentor.id, mentor.name), to: ect.id, at: period.urn, from: period.startedOn,
                    by: "Demo data (generated)", at: now)
                if let i = recorded[ect.id] {
                    try await store.save(
                        i,
                        event:
                            "Induction recorded: \(i.termsRequired) terms from \(i.startedOn.longDescription), appropriate body \(i.appropriateBodyName)",
                        by: "Demo data (generated)", at: now)
                }
                guard let (own, mentors) = ratings else { continue }
                try await store.record(
                    DevelopmentProfile(
                        teacher: ect.id, year: year, term: term, rater: .mentor, ratings: mentors,
                        recordedBy: mentor.name, recordedAt: now))
                try await store.record(
                    DevelopmentProfile(
                        teacher: ect.id, year: year, term: term, rater: .ect, ratings: own,
                        recordedBy: ect.name, recordedAt: now))
            }
        }
        let count = chosen.count
        return count
    }

    /// One to three areas to develop, more often the ones ECTs find hardest (behaviour, adaptive teaching and
    /// assessment); the ECT agrees with their mentor on most of them and rates themself a little higher.
    typealias Ratings = (own: [ECFArea: DevelopmentRating], mentor: [ECFArea: DevelopmentRating])

    static func ratings(_ rng: inout DemoRandom) -> Ratings {
        let weighted: [ECFArea] = [
            .managingBehaviour, .managingBehaviour, .managingBehaviour, .adaptiveTeaching, .adaptiveTeaching,
            .adaptiveTeaching, .assessment, .assessment, .classroomPractice, .subjectAndCurriculum, .howPupilsLearn,
            .highExpectations, .professionalBehaviours,
        ]
        var weak: Set<ECFArea> = []
        for _ in 0..<(1 + rng.below(3)) { weak.insert(weighted[rng.below(weighted.count)]) }
        var mentor: [ECFArea: DevelopmentRating] = [:]
        var own: [ECFArea: DevelopmentRating] = [:]
        for area in ECFArea.allCases {
            if weak.contains(area) {
                mentor[area] = rng.below(2) == 0 ? .areaToDevelop : .developing
                own[area] = rng.below(4) == 0 ? .secure : .developing
            } else {
                mentor[area] = rng.below(3) == 0 ? .strength : .secure
                own[area] = rng.below(5) == 0 ? .developing : rng.below(3) == 0 ? .strength : .secure
            }
        }
        return (own, mentor)
    }
}

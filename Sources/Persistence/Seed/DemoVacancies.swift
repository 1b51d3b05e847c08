import Domain
import FluentKit
import Foundation
import SQLKit

/// Demo maths and science vacancies at the partnership's secondary schools: a year of closed ones with their
/// outcomes (physics hardest to fill with a specialist, maths next) and a few still open. Posted by "Demo data
/// (generated)". Created only when no vacancy is held.
public enum DemoVacancies {
    public static func seed(on database: any Database, today: Day) async throws -> Int {
        guard try await VacancyStore(database).vacancies().isEmpty else { return 0 }
        let schools = try await SchoolStore(database).all(SchoolQuery(status: .open))
            .filter { $0.phase == .secondary }.sorted { $0.urn.value < $1.urn.value }
        guard !schools.isEmpty else { return 0 }
        var rng = DemoRandom(seed: 31_415)
        // The chance a closed vacancy was filled, and by a specialist, per subject.
        let odds: [TeachingSubject: (filled: Int, specialist: Int)] = [
            .mathematics: (80, 75), .physics: (60, 50), .chemistry: (75, 70), .biology: (90, 90),
            .combinedScience: (85, 80),
        ]
        var count = 0
        for i in 0..<60 {
            let school = schools[(i * 7919) % schools.count]
            let subject = Vacancy.subjects[rng.below(Vacancy.subjects.count)]
            let open = i >= 52
            let posted = Day(ordinal: today.ordinal - (open ? rng.below(20) : 30 + rng.below(330)))
            let v = Vacancy(
                urn: school.urn.value, jobTitle: "Teacher of \(subject.label.lowercased())", subjects: [subject],
                keyStages: [.ks3, .ks4] + (rng.below(2) == 0 ? [.ks5] : []),
                workingPattern: rng.below(6) == 0 ? .partTime : .fullTime,
                contract: rng.below(5) == 0 ? .fixedTerm : .permanent, salary: "MPS/UPS", startsOn: nil,
                postedOn: posted,
                closesOn: Day(ordinal: posted.ordinal + 21 + rng.below(14)))
            try await VacancyStore(database).add(v, author: "Demo data (generated)")
            if !open {
                let o = odds[subject]!
                let outcome: Vacancy.Outcome =
                    rng.below(100) >= o.filled
                    ? .notFilled : rng.below(100) < o.specialist ? .specialist : .nonSpecialist
                let channels: [Vacancy.Channel] =
                    [.teachingVacancies] + (rng.below(3) == 0 ? [.partnerReferral] : [])
                    + (rng.below(4) == 0 ? [.schoolWebsite] : [])
                try await VacancyStore(database).close(
                    v.id, outcome: outcome, channels: channels, on: Day(ordinal: posted.ordinal + 14 + rng.below(60)))
            }
            count += 1
        }
        return count
    }
}

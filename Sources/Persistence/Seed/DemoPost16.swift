import Domain
import FluentKit
import Foundation

/// Generated post-16 reviews for the demo partnership: about half the partnership area's secondary, all-through
/// and 16-plus schools have answered this academic year, most of them teaching 16 to 19. Marked as generated.
/// Created only when there are no reviews.
public enum DemoPost16 {
    static let offers = [
        "Exam board subject training days; an in-house programme of departmental CPD each half term.",
        "A maths hub work group for some staff; otherwise our trust's subject networks.",
        "Little beyond exam board updates: staff find it hard to be released.",
        "Trust-wide post-16 network meetings termly and online courses chosen by each department.",
    ]

    public static func seed(on database: any Database, localAuthorities: [String], today: Day, now: Date)
        async throws -> Int
    {
        guard try await Post16Store(database).count() == 0 else { return 0 }
        let schools = try await SchoolStore(database).open(inLocalAuthorities: localAuthorities)
        let reviews = generate(schools: schools, year: AcademicYear.containing(today))
        guard !reviews.isEmpty else { return 0 }
        try await database.transaction { tx in
            try await Post16Store(tx).save(reviews, by: "Demo data (generated)", at: now)
        }
        return reviews.count
    }

    /// Deterministic for its inputs.
    static func generate(schools: [School], year: AcademicYear) -> [Post16Review] {
        var rng = DemoRandom(seed: 16)
        var out: [Post16Review] = []
        for s in schools.filter(Post16Review.isCandidate).sorted(by: { $0.urn.value < $1.urn.value }) {
            guard rng.below(100) < 55 else { continue }
            let teaches = s.phase == .sixteenPlus || rng.below(100) < 70
            var subjects: [Post16Subject: Post16Review.SubjectReview] = [:]
            if teaches {
                for subject in Post16Subject.allCases {
                    let teachers =
                        subject == .science
                        ? 3 + rng.below(10) : subject == .mathematics ? 2 + rng.below(8) : 2 + rng.below(7)
                    let non = min(teachers, rng.below(subject == .science ? 4 : 3))
                    var needs: Set<Post16Need> = []
                    let likely: [Post16Need] =
                        switch subject {
                        case .english: [.resits, .assessment, .send, .newToPost16]
                        case .mathematics: [.resits, .coreMaths, .assessment, .subjectKnowledge]
                        case .science: [.practical, .subjectKnowledge, .assessment, .newToPost16]
                        }
                    for n in likely where rng.below(100) < 35 { needs.insert(n) }
                    if non > 0 && rng.below(100) < 60 { needs.insert(.subjectKnowledge) }
                    subjects[subject] = .init(teachers: teachers, nonSpecialists: non, needs: needs)
                }
            }
            out.append(
                Post16Review(
                    urn: s.urn.value, year: year, teaches16to19: teaches, subjects: subjects,
                    currentOffer: teaches ? offers[rng.below(offers.count)] : "", generated: true))
        }
        return out
    }
}

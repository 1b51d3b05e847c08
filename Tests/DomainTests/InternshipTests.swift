import Foundation
import Testing

@testable import Domain

@Suite struct InternshipTests {
    static let today = Day("2026-12-07")!

    static func offer(_ places: Int) -> InternshipOffer {
        InternshipOffer(
            urn: 100_001, subject: .mathematics, startsOn: Day("2027-06-14")!, endsOn: Day("2027-07-02")!,
            places: places)
    }

    static func applicant(_ choices: [InternshipOffer]) -> InternshipApplication {
        InternshipApplication(
            person: PersonID(), name: "A", university: nil, year: 2027, choices: choices.map(\.id), statement: "Why",
            submittedAt: Date())
    }

    /// Independently of the algorithm: capacities hold, everyone placed is on a choice their school ranked, and
    /// no applicant and offer would both rather be together.
    static func checkStable(
        _ offers: [InternshipOffer], _ applicants: [InternshipApplication], _ rankings: [UUID: [UUID]],
        _ placed: [UUID: UUID], taken: [UUID: Int] = [:]
    ) {
        for o in offers {
            #expect(placed.values.filter { $0 == o.id }.count <= o.places - (taken[o.id] ?? 0))
        }
        for a in applicants where a.status == .applied {
            if let o = placed[a.id] {
                #expect(a.choices.contains(o) && rankings[o]?.contains(a.id) == true)
            }
            let better = placed[a.id].map { Array(a.choices.prefix(upTo: a.choices.firstIndex(of: $0)!)) } ?? a.choices
            for o in better {
                guard let ranked = rankings[o], let mine = ranked.firstIndex(of: a.id),
                    let offer = offers.first(where: { $0.id == o })
                else { continue }
                let holders = placed.filter { $0.value == o }.map(\.key)
                let free = holders.count < offer.places - (taken[o] ?? 0)
                let worse = holders.contains { (ranked.firstIndex(of: $0) ?? Int.max) > mine }
                #expect(!free && !worse, "blocking pair")
            }
        }
    }

    @Test("A hand case: the applicant-optimal stable matching, schools' rankings respected")
    func handCase() {
        let a = Self.offer(1)
        let b = Self.offer(1)
        let x = Self.applicant([a, b])
        let y = Self.applicant([a])
        let z = Self.applicant([b, a])
        // School a prefers y to x to z; school b takes x but not y or z... b ranks z then x.
        let rankings = [a.id: [y.id, x.id, z.id], b.id: [z.id, x.id]]
        let result = InternshipMatching.match(offers: [a, b], applications: [x, y, z], rankings: rankings)
        #expect(result.placed == [y.id: a.id, z.id: b.id])
        #expect(result.blockingPairs == 0)
        Self.checkStable([a, b], [x, y, z], rankings, result.placed)
        // Unranked is unacceptable: with no rankings nobody is placed.
        #expect(InternshipMatching.match(offers: [a, b], applications: [x, y, z], rankings: [:]).placed.isEmpty)
        // A later round: y's confirmed place at a leaves a full; x is placed nowhere, z still at b.
        var confirmed = y
        confirmed.status = .placed
        confirmed.placedOffer = a.id
        let round = InternshipMatching.match(offers: [a, b], applications: [x, confirmed, z], rankings: rankings)
        #expect(round.placed == [z.id: b.id])
    }

    @Test("Random instances: stable, within places, only ranked choices")
    func random() {
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<20 {
            let offers = (0..<(1 + next(15))).map { _ in Self.offer(1 + next(3)) }
            let applicants = (0..<(1 + next(40))).map { _ in
                var choices: [InternshipOffer] = []
                for _ in 0..<(1 + next(5)) {
                    let o = offers[next(offers.count)]
                    if !choices.contains(o) { choices.append(o) }
                }
                return Self.applicant(choices)
            }
            var rankings: [UUID: [UUID]] = [:]
            for o in offers {
                let chose = applicants.filter { $0.choices.contains(o.id) && next(5) > 0 }.map(\.id)
                rankings[o.id] = chose.sorted { _, _ in next(2) == 0 }
            }
            let result = InternshipMatching.match(offers: offers, applications: applicants, rankings: rankings)
            #expect(result.blockingPairs == 0)
            Self.checkStable(offers, applicants, rankings, result.placed)
        }
    }

    @Test("Forms: an offer's dates and places, an application's choices and statement")
    func forms() {
        func offerProblems(_ f: [String: String]) -> [String] {
            if case .failure(let e) = InternshipOffer.parse(f, urn: 100_001, today: Self.today) {
                return e.problems.map(\.field).sorted()
            }
            return []
        }
        let good = ["subject": "physics", "starts_on": "2027-06-14", "ends_on": "2027-07-02", "places": "2"]
        #expect(offerProblems(good).isEmpty)
        #expect(offerProblems(good.merging(["ends_on": "2027-06-01"]) { $1 }) == ["ends_on"])
        #expect(offerProblems(good.merging(["ends_on": "2027-09-01"]) { $1 }) == ["ends_on"])
        #expect(offerProblems(good.merging(["starts_on": "2026-06-14"]) { $1 }) == ["starts_on"])
        for places in ["0", "21", "1e3", "-1", "x"] {
            #expect(offerProblems(good.merging(["places": places]) { $1 }) == ["places"], "\(places)")
        }
        #expect(offerProblems(good.merging(["subject": "maths"]) { $1 }) == ["subject"])
        let a = UUID()
        let b = UUID()
        func applicationProblems(_ f: [String: String]) -> [String] {
            switch InternshipApplication.parse(f, open: [a, b]) {
            case .failure(let e): return e.problems.map(\.field).sorted()
            case .success: return []
            }
        }
        #expect(applicationProblems(["choice_2": a.uuidString, "statement": "Maths degree"]).isEmpty)
        if case .success(let parsed) = InternshipApplication.parse(
            ["choice_3": b.uuidString, "choice_1": a.uuidString, "statement": "x"], open: [a, b])
        {
            #expect(parsed.choices == [a, b])
        }
        #expect(applicationProblems(["statement": "x"]) == ["choice_1"])
        #expect(
            applicationProblems(["choice_1": a.uuidString, "choice_2": a.uuidString, "statement": "x"]) == ["choice_2"])
        #expect(applicationProblems(["choice_1": UUID().uuidString, "statement": "x"]) == ["choice_1"])
        #expect(applicationProblems(["choice_1": a.uuidString, "statement": ""]) == ["statement"])
        #expect(
            applicationProblems(["choice_1": a.uuidString, "statement": String(repeating: "x", count: 1_501)])
                == ["statement"])
        #expect(Internships.year(on: Self.today) == 2027 && Internships.year(on: Day("2027-08-31")!) == 2027)
    }
}

@Suite struct VacancyTests {
    @Test("Fill rates count each subject; days to fill only for filled vacancies; the median")
    func figures() {
        func v(_ subjects: [TeachingSubject], _ outcome: Vacancy.Outcome?, days: Int) -> Vacancy {
            Vacancy(
                urn: 100_001, jobTitle: "T", subjects: subjects, keyStages: [], workingPattern: .fullTime,
                contract: .permanent, salary: "MPS", startsOn: nil, postedOn: Day("2026-09-01")!,
                closesOn: Day("2026-12-01")!,
                closedOn: outcome == nil ? nil : Day(ordinal: Day("2026-09-01")!.ordinal + days),
                outcome: outcome)
        }
        let all = [
            v([.physics, .chemistry], .specialist, days: 10), v([.physics], .nonSpecialist, days: 30),
            v([.physics], .notFilled, days: 60), v([.physics], nil, days: 0), v([.mathematics], .specialist, days: 5),
        ]
        let rows = VacancyFigures.rows(all, referrals: [all[0].id: 2]) { $0.subjects.map(\.rawValue) }
        let physics = rows["physics"]!
        #expect(physics.posted == 4 && physics.open == 1 && physics.closed == 3 && physics.filled == 2)
        #expect(physics.filledBySpecialist == 1 && physics.referrals == 2 && physics.medianDaysToFill == 20)
        #expect(rows["chemistry"]?.posted == 1 && rows["mathematics"]?.medianDaysToFill == 5)
    }
}

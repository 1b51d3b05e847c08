import Domain
import FluentKit
import Foundation

/// A generated recruitment cycle of application choices for three of the demo partnership's providers: histories
/// that follow Apply's states, realistic drop-out at each stage, Apply's own withdrawal and rejection reasons, and
/// where candidates who never submitted stopped in the form. Created only when no choices are held.
public enum DemoApplications {
    /// The last cycle that has finished by the day: courses start in September, and a cycle runs October to
    /// September.
    public static func lastFinishedCycle(_ today: Day) -> Int { today.month >= 10 ? today.year : today.year - 1 }

    public static func seed(on database: any Database, today: Day, now: Date, choices: Int = 2_000) async throws -> Int
    {
        guard try await ApplicationStore(database).cycles().isEmpty else { return 0 }
        let organisations = try await OrganisationStore(database).list()
        let providers = organisations.filter { [.university, .scitt, .schoolLedProvider].contains($0.kind) }
            .sorted { $0.name < $1.name }
        guard providers.count >= 3 else { return 0 }
        let chosen = [
            providers.first { $0.name.hasPrefix("Canterbury") } ?? providers[0],
            providers.first { $0.name.hasPrefix("University of Brighton") } ?? providers[1],
            providers.first { $0.name.hasPrefix("Kent and Medway") } ?? providers[2],
        ]
        let cycle = lastFinishedCycle(today)
        let generated = generate(providers: chosen.map(\.id), cycle: cycle, choices: max(0, choices), seed: 2026)
        try await database.transaction { tx in
            let store = ApplicationStore(tx)
            for provider in chosen.map(\.id) {
                _ = try await store.replace(
                    provider: provider, cycle: cycle, with: generated.filter { $0.provider == provider }.map(\.choice),
                    file: "demo", replaceAll: true, at: now)
            }
        }
        return generated.count
    }

    /// About `choices` choices spread over the providers (each provider recruiting a little differently), for the
    /// cycle that runs from October of `cycle - 1` to September of `cycle`.
    public static func generate(providers: [OrganisationID], cycle: Int, choices: Int, seed: UInt64) -> [(
        provider: OrganisationID, choice: ApplicationChoice
    )] {
        guard !providers.isEmpty else { return [] }
        var rng = DemoRandom(seed: seed)
        func chance(_ p: Double) -> Bool { Double(rng.below(10_000)) < p * 10_000 }
        func pick<T>(_ weighted: [(T, Int)]) -> T {
            var r = rng.below(weighted.reduce(0) { $0 + $1.1 })
            for (v, w) in weighted {
                if r < w { return v }
                r -= w
            }
            return weighted[0].0
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let opens = calendar.date(from: DateComponents(year: cycle - 1, month: 10, day: 1, hour: 9))!
        let closes = calendar.date(from: DateComponents(year: cycle, month: 9, day: 20, hour: 9))!
        func later(_ from: Date, days: ClosedRange<Int>) -> Date {
            let d = from.addingTimeInterval(
                Double(days.lowerBound + rng.below(days.count)) * 86_400 + Double(rng.below(8 * 3600)))
            return min(d, closes)
        }
        let subjects: [(PlacementSubject, Int)] = [
            (.primary, 34), (.english, 8), (.mathematics, 9), (.biology, 6), (.chemistry, 4), (.physics, 3),
            (.computing, 3), (.modernLanguages, 4), (.history, 7), (.geography, 5), (.artAndDesign, 4),
            (.physicalEducation, 9), (.religiousEducation, 4),
        ]
        let routes: [(TrainingRoute, Int)] = [
            (.postgraduateFeeFunded, 70), (.postgraduateSalaried, 18), (.teacherDegreeApprenticeship, 7),
            (.undergraduate, 5),
        ]
        let withdrawal: [(String, Int)] = [
            ("applying-to-another-provider.accepted-another-offer", 30),
            ("do-not-want-to-train-anymore.another-career-path-or-accepted-a-job-offer", 14),
            (
                "do-not-want-to-train-anymore.personal-circumstances-have-changed.concerns-about-cost-of-doing-course",
                12
            ),
            ("apply-in-the-future.gain-more-experience", 9),
            ("applying-to-another-provider.location-is-too-far-away", 8),
            ("applying-to-another-provider.provider-has-not-replied-to-me", 6),
            ("apply-in-the-future.personal-circumstances-have-changed.concerns-about-having-enough-time-to-train", 7),
            ("change-or-update-application-with-this-provider.apply-for-a-different-subject-with-the-same-provider", 5),
            ("apply-in-the-future.improve-qualifications", 4), ("other", 5),
        ]
        let rejection: [(String, Int)] = [
            ("qualifications.no_maths_gcse", 10), ("qualifications.unsuitable_degree_subject", 14),
            ("qualifications.no_english_gcse", 5), ("teaching_knowledge.subject_knowledge", 18),
            ("teaching_knowledge.teaching_demonstration", 9), ("personal_statement.quality_of_writing", 12),
            ("communication_and_scheduling.did_not_attend_interview", 8),
            ("communication_and_scheduling.did_not_reply", 6), ("course_full", 8),
            ("school_placement.no_placements", 5),
            ("references", 2), ("visa_sponsorship", 3),
        ]
        // Where those who never submit stop: the first section they leave incomplete.
        let stops: [(ApplicationSection, Int)] = [
            (.personalDetails, 6), (.workHistory, 10), (.degrees, 12), (.mathsGCSE, 8), (.englishGCSE, 4),
            (.personalStatement, 34), (.references, 22), (.equalityAndDiversity, 4),
        ]
        var out: [(OrganisationID, ApplicationChoice)] = []
        var candidate = 0
        while out.count < choices {
            candidate += 1
            let id = "C\(cycle)-\(String(format: "%05d", candidate))"
            let email = "candidate\(candidate).\(cycle)@example.net"
            let started = opens.addingTimeInterval(Double(rng.below(250)) * 86_400 + Double(rng.below(12 * 3600)))
            // Most candidates apply to one of these providers; some to two.
            let neverSubmitted = chance(0.12)
            let count = !neverSubmitted && providers.count > 1 && chance(0.18) ? 2 : 1
            var used: Set<Int> = []
            for n in 0..<count {
                var p = rng.below(providers.count)
                while used.contains(p) { p = (p + 1) % providers.count }
                used.insert(p)
                let subject = pick(subjects)
                let route = subject == .primary && chance(0.1) ? .undergraduate : pick(routes)
                // Providers differ a little: the second is slower to decide, the third interviews more.
                let slow = p == 1 ? 10 : 0
                let interviews = p == 2 ? 0.72 : 0.6
                let shortage: Set<PlacementSubject> = [.physics, .chemistry, .computing, .modernLanguages]
                var entered: [ApplicationState: Date] = [.unsubmitted: started]
                var withdrawalReasons: [String] = []
                var rejectionReasons: [String] = []
                var sections = Set(ApplicationSection.allCases)
                func end(_ state: ApplicationState, after: Date, days: ClosedRange<Int>) {
                    entered[state] = later(after, days: days)
                    if state == .withdrawn {
                        withdrawalReasons = [pick(withdrawal)]
                        if chance(0.25) {
                            let second = pick(withdrawal)
                            if second != withdrawalReasons[0] { withdrawalReasons.append(second) }
                        }
                    }
                    if state == .rejected || state == .offerWithdrawn {
                        rejectionReasons = [pick(rejection)]
                        if chance(0.3) {
                            let second = pick(rejection)
                            if second != rejectionReasons[0] { rejectionReasons.append(second) }
                        }
                    }
                }
                if neverSubmitted {
                    // Never submitted: stopped at a section, with the ones before it complete.
                    let stop = pick(stops)
                    let index = ApplicationSection.allCases.firstIndex(of: stop) ?? 0
                    sections = Set(ApplicationSection.allCases.prefix(index))
                    for s in ApplicationSection.allCases.dropFirst(index + 1) where chance(0.3) { sections.insert(s) }
                } else {
                    let submitted = later(started, days: 2...45)
                    entered[.awaitingProviderDecision] = submitted
                    let decide = (3 + slow)...(25 + slow)
                    let firstStep = rng.below(100)
                    var offerFrom: Date?
                    if firstStep < 9 {
                        end(.withdrawn, after: submitted, days: decide)
                    } else if firstStep < 27 + (shortage.contains(subject) ? -6 : 0) {
                        end(.rejected, after: submitted, days: decide)
                    } else if Double(firstStep) < 27 + interviews * 73 {
                        let interview = later(submitted, days: decide)
                        entered[.interviewing] = interview
                        let outcome = rng.below(100)
                        if outcome < 57 + (shortage.contains(subject) ? 10 : 0) {
                            offerFrom = interview
                        } else if outcome < 90 {
                            end(.rejected, after: interview, days: 2...14)
                        } else {
                            end(.withdrawn, after: interview, days: 1...10)
                        }
                    } else {
                        offerFrom = submitted
                    }
                    if let from = offerFrom {
                        let offer = later(from, days: 2...15)
                        entered[.offer] = offer
                        let answer = rng.below(100)
                        if answer < 74 {
                            let accepted = later(offer, days: 1...10)
                            entered[.pendingConditions] = accepted
                            let conditions = rng.below(100)
                            if conditions < 86 {
                                entered[.recruited] = max(
                                    later(accepted, days: 20...120),
                                    calendar.date(from: DateComponents(year: cycle, month: 8, day: 20 + rng.below(10)))!
                                )
                            } else if conditions < 93 {
                                end(.conditionsNotMet, after: accepted, days: 30...120)
                            } else if conditions < 97 {
                                end(.withdrawn, after: accepted, days: 10...90)
                            } else {
                                entered[.offerDeferred] = later(accepted, days: 10...90)
                            }
                        } else if answer < 95 {
                            end(.declined, after: offer, days: 1...10)
                        } else {
                            end(.offerWithdrawn, after: offer, days: 5...40)
                        }
                    }
                }
                let status = ApplicationChoice.finalState(entered)
                out.append(
                    (
                        providers[p],
                        ApplicationChoice(
                            reference: "\(id)-\(n + 1)", candidate: id, email: email, cycle: cycle, subject: subject,
                            route: route, status: status, entered: entered, withdrawalReasons: withdrawalReasons,
                            rejectionReasons: rejectionReasons, sectionsCompleted: sections)
                    ))
            }
        }
        return out.map { (provider: $0.0, choice: $0.1) }
    }
}

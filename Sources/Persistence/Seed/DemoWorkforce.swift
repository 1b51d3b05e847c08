import Domain
import FluentKit
import Foundation
import SQLKit

/// A generated workforce for the bundled regions, so the retention pages show real-looking curves at first start:
/// teachers entering the partnership's schools each September since 2010, each year of service leaving at DfE's
/// published rates (87, 82, 77, 73, 70% of the 2010 cohort still in service after 1 to 5 years; 58% after 10),
/// shortage subjects a little faster and primary a little slower, some moving between the partnership's schools.
/// Every record is marked as generated. Created only when the register is empty.
public enum DemoWorkforce {
    /// The chance of leaving in each year of service (1-based), from the national 2010 cohort's survival.
    static let hazard: [Double] = [0.13, 0.0575, 0.061, 0.052, 0.041, 0.037, 0.037, 0.037, 0.037, 0.037]
    static let laterHazard = 0.035
    static let shortage: Set<TeachingSubject> = [.mathematics, .physics, .chemistry, .computing, .modernLanguages]
    static let secondarySubjects: [TeachingSubject] = [
        .english, .english, .mathematics, .mathematics, .biology, .chemistry, .physics, .combinedScience, .computing,
        .modernLanguages, .history, .geography, .artAndDesign, .designAndTechnology, .music, .drama,
        .physicalEducation, .religiousEducation,
    ]

    /// - Parameter sampleEvery: 1 for the whole region; k to staff only every k-th school (by URN) and the
    ///   partnership's member schools, a smaller workforce of the same shape (the test suite uses it).
    public static func seed(on database: any Database, today: Day, now: Date, sampleEvery: Int = 1) async throws
        -> Int
    {
        guard try await TeacherStore(database).count() == 0 else { return 0 }
        let organisations = try await OrganisationStore(database).list()
        let members = Set(organisations.compactMap(\.urn))
        let schools = try await SchoolStore(database).all(SchoolQuery(status: .open))
            .sorted { $0.urn.value < $1.urn.value }
            .enumerated().filter { $0.offset % max(1, sampleEvery) == 0 || members.contains($0.element.urn) }
            .map(\.element)
        let providers =
            organisations
            .filter { [.university, .scitt, .schoolLedProvider].contains($0.kind) }.map(\.name)
        let entries = generate(schools: schools, providers: providers, today: today)
        guard !entries.isEmpty else { return 0 }
        try await database.transaction { tx in
            _ = try await TeacherStore(tx).importEntries(
                entries, file: "the generated demo workforce", author: "Demo data (generated)", generated: true,
                at: now)
        }
        return entries.count
    }

    static func isPrimary(_ s: School) -> Bool {
        switch s.phase {
        case .nursery, .primary, .middleDeemedPrimary: true
        case .secondary, .sixteenPlus, .middleDeemedSecondary, .allThrough: false
        default: !s.name.lowercased().contains("academy") || s.name.lowercased().contains("primary")
        }
    }

    /// The workforce, deterministic for a list of schools and a day.
    public static func generate(schools: [School], providers: [String], today: Day) -> [TeacherFile.Entry] {
        var rng = DemoRandom(seed: 2010)
        let sorted = schools.sorted { $0.urn.value < $1.urn.value }
        guard !sorted.isEmpty else { return [] }
        let primaries = sorted.filter(isPrimary)
        let secondaries = sorted.filter { !isPrimary($0) }
        var entries: [TeacherFile.Entry] = []
        var serial = 0
        let lastCohort = today.month >= 9 ? today.year : today.year - 1
        for year in 2010...lastCohort {
            for school in sorted {
                let primary = isPrimary(school)
                // About 0.25 entrants a year per primary school, 1.5 per secondary.
                let entrants = primary ? (rng.below(4) == 0 ? 1 : 0) : 1 + rng.below(2)
                for _ in 0..<entrants {
                    serial += 1
                    let subject =
                        primary ? TeachingSubject.primary : secondarySubjects[rng.below(secondarySubjects.count)]
                    let age = 22 + rng.below(4) + (rng.below(4) == 0 ? rng.below(15) : 0)
                    let route = TrainingRoute.allCases[rng.below(TrainingRoute.allCases.count)]
                    let provider = providers.isEmpty || rng.below(3) == 0 ? nil : providers[rng.below(providers.count)]
                    var record = TeacherRecord(
                        trn: TRN(String(2_100_000 + serial)),
                        firstName: DemoPlacements.firstNames[rng.below(DemoPlacements.firstNames.count)],
                        lastName: DemoPlacements.lastNames[rng.below(DemoPlacements.lastNames.count)],
                        birthYear: year - age, qtsOn: Day(year: year, month: 7, day: 20), ittProvider: provider,
                        route: route.rawValue, specialisms: [subject])
                    let multiplier = (primary ? 0.9 : 1.0) * (shortage.contains(subject) ? 1.25 : 1.0)
                    var current = school
                    var started = Day(year: year, month: 9, day: 1)!
                    var service = 0
                    var periods: [ServicePeriod] = []
                    var role = StaffRole.ect
                    while true {
                        service += 1
                        let yearEnd = Day(year: year + service, month: 8, day: 31)!
                        if yearEnd > today {
                            periods.append(
                                ServicePeriod(
                                    urn: current.urn.value, role: role, workingPattern: .fullTime, fte: 1,
                                    startedOn: started))
                            break
                        }
                        let h = min(0.95, (service <= hazard.count ? hazard[service - 1] : laterHazard) * multiplier)
                        let roll = Double(rng.below(1_000_000)) / 1_000_000
                        let retiring = age + service >= 60 + rng.below(6)
                        if roll < h || retiring {
                            let r = rng.below(100)
                            let reason: EndReason =
                                retiring
                                ? .retired
                                : r < 60
                                    ? .leftTeaching
                                    : r < 85
                                        ? .movedOutOfRegion
                                        : r < 95 ? .careerBreak : .other
                            periods.append(
                                ServicePeriod(
                                    urn: current.urn.value, role: role, workingPattern: .fullTime, fte: 1,
                                    startedOn: started, finishedOn: yearEnd, endReason: reason))
                            break
                        }
                        if service == 2 || rng.below(25) == 0 {
                            // Induction done, or a move to another of the partnership's schools of the same phase.
                            let moving = rng.below(25) == 0
                            let pool = primary ? primaries : secondaries
                            let next = moving && !pool.isEmpty ? pool[rng.below(pool.count)] : current
                            if next.urn != current.urn || role == .ect {
                                periods.append(
                                    ServicePeriod(
                                        urn: current.urn.value, role: role, workingPattern: .fullTime, fte: 1,
                                        startedOn: started, finishedOn: yearEnd,
                                        endReason: next.urn != current.urn ? .movedWithinPartnership : nil))
                                current = next
                                role = .teacher
                                started = Day(year: yearEnd.year, month: 9, day: 1)!
                            }
                        }
                    }
                    var lines: [ServicePeriod: Int] = [:]
                    for p in periods {
                        if (try? record.merge(p)) == true { lines[p] = serial }
                    }
                    entries.append(TeacherFile.Entry(record: record, lines: lines, firstLine: serial))
                }
            }
        }
        return entries
    }
}

import Domain
import FluentKit
import Foundation

/// Demo placement data for the year in hand, so the allocation can be clicked through at first start: offers from
/// the partnership's schools and generated trainees of its providers (names invented; homes at real postcodes of
/// the region's schools). Created only when the year has no offers and no trainees.
public enum DemoPlacements {
    public struct Report: Sendable {
        public var offers = 0
        public var trainees = 0
    }

    static let firstNames = [
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Lily", "Zara", "Hannah", "Priya", "Aisha",
        "Noah", "Oliver", "George", "Leo", "Arthur", "Jack", "Harry", "Oscar", "Samuel", "Yusuf", "Kofi", "Tomasz",
        "Chloe", "Ellie", "Niamh", "Sophie", "Ruby", "Maya", "Daniel", "James", "Ethan", "Adam", "Rhys", "Callum",
    ]
    static let lastNames = [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Khan", "Ahmed", "Okafor", "Nowak",
        "Clarke", "Hughes", "Edwards", "Begum", "Lewis", "Harris", "Martin", "Jackson", "Wood", "Turner", "Mensah",
    ]

    public static func seed(on database: any Database, year: AcademicYear, now: Date) async throws -> Report {
        var report = Report()
        guard try await OfferStore(database).offers(year: year).isEmpty,
            try await TraineeStore(database).trainees(year: year, status: .all).isEmpty
        else { return report }
        let organisations = try await OrganisationStore(database).list()
        let schoolStore = SchoolStore(database)
        var rng = DemoRandom(seed: UInt64(year.start))
        var hosts: [School] = []
        for o in organisations where o.kind == .school {
            if let urn = o.urn, let school = try await schoolStore.find(urn), school.location != nil {
                hosts.append(school)
            }
        }
        let providers = organisations.filter { [.university, .scitt, .schoolLedProvider].contains($0.kind) }
        guard !hosts.isEmpty, !providers.isEmpty else { return report }
        let secondarySubjects = PlacementSubject.allCases.filter { $0 != .primary }
        var planned: [PlacementOffer] = []
        for (i, school) in hosts.enumerated() {
            let primary = [.primary, .nursery, .middleDeemedPrimary].contains(school.phase)
            let roll = rng.below(10)
            let appetite: HostingAppetite =
                roll < 5 ? .activelyLooking : roll < 8 ? .interested : roll < 9 ? .notOpen : .alreadyOrganised
            var offer = PlacementOffer(urn: school.urn, year: year, appetite: appetite)
            if appetite.offersPlaces {
                if primary {
                    offer.places[.primary] = 2 + rng.below(3)
                } else {
                    for _ in 0..<(4 + rng.below(4)) {
                        offer.places[secondarySubjects[rng.below(secondarySubjects.count)], default: 0] += 1
                    }
                }
                offer.terms = [.autumn, .spring]
                if rng.below(3) == 0 { offer.terms.insert(.summer) }
                // About one school in four has a SEND placement in its special educational needs provision.
                if rng.below(4) == 0 { offer.sendPlaces = 1 }
                let subjects = Array(offer.places.keys).sorted()
                for m in 0..<max(1, offer.totalPlaces - rng.below(2) + 1) {
                    let first = firstNames[(i * 7 + m * 3) % firstNames.count]
                    let last = lastNames[(i * 5 + m * 11) % lastNames.count]
                    offer.mentors.append(
                        OfferedMentor(
                            name: "\(first) \(last)", subject: subjects[m % subjects.count],
                            trainedOn: rng.below(5) == 0
                                ? nil : Day(year: year.start - 1 - rng.below(2), month: 7, day: 14)))
                }
            } else {
                offer.reason = appetite == .notOpen ? "Staffing changes this year" : "Hosting with one provider already"
            }
            planned.append(try offer.validated())
        }
        // Trainees: about one and a half per school, each living near their provider's base (a Staffordshire
        // provider's trainees in Staffordshire and Stoke, not Kent), in a phase the provider trains.
        var trainees: [Trainee] = []
        for n in 0..<(hosts.count * 3 / 2) {
            let provider = providers[n % providers.count]
            let base = Self.base(of: provider.name)
            let phases = Self.phases(of: provider.name)
            // Schools within 25 km of the base (all of them when the provider's base is not known).
            let nearby = base.map { b in hosts.filter { $0.location.map { $0.distance(to: b) <= 25_000 } ?? false } }
            let candidates = (nearby?.isEmpty ?? true) ? hosts : nearby!
            let near = candidates[rng.below(candidates.count)]
            guard let home = near.location, let postcode = near.postcode.flatMap(Postcode.init) else { continue }
            let roll = rng.below(100) < 45
            let primary = phases.contains(.primary) && (roll || !phases.contains(.secondary))
            let subject = primary ? PlacementSubject.primary : secondarySubjects[rng.below(secondarySubjects.count)]
            let offsetE = Double(rng.below(8_000)) - 4_000
            let offsetN = Double(rng.below(8_000)) - 4_000
            trainees.append(
                Trainee(
                    provider: provider.id, year: year,
                    name: "\(firstNames[rng.below(firstNames.count)]) \(lastNames[rng.below(lastNames.count)])",
                    subject: subject, phase: primary ? .primary : .secondary,
                    route: [.postgraduateFeeFunded, .postgraduateSalaried, .undergraduate][rng.below(3)], placement: 1,
                    firstPlacementURN: nil, homePostcode: postcode,
                    home: GridPoint(easting: home.easting + offsetE, northing: home.northing + offsetN),
                    maximumTravelKm: [15, 20, 25, 30, 40][rng.below(5)], noCar: rng.below(6) == 0,
                    sendInterest: rng.below(8) == 0, preferences: []))
        }
        let offers = planned
        let people = trainees
        try await database.transaction { tx in
            for offer in offers { try await OfferStore(tx).save(offer, by: nil, at: now) }
            try await TraineeStore(tx).add(people, at: now)
        }
        report.offers = offers.count
        report.trainees = people.count
        return report
    }
}

extension DemoPlacements {
    /// Where the demo's real providers are based (their main campus or office, British National Grid metres).
    public static let providerBases: [String: GridPoint] = [
        "Canterbury Christ Church University": GridPoint(easting: 615_600, northing: 157_900),
        "University of Brighton": GridPoint(easting: 533_200, northing: 107_800),
        "University of Chichester": GridPoint(easting: 486_600, northing: 105_400),
        "Staffordshire University": GridPoint(easting: 388_200, northing: 346_800),
        "Kent and Medway Training - KMT": GridPoint(easting: 574_100, northing: 168_200),
        "Keele and North Staffordshire Teacher Education": GridPoint(easting: 381_200, northing: 344_200),
        "St. Joseph's College Stoke Secondary Partnership": GridPoint(easting: 387_400, northing: 344_600),
    ]

    static func base(of provider: String) -> GridPoint? { providerBases[provider] }

    /// The phases a provider trains, as its name says ("Secondary Partnership": secondary only).
    public static func phases(of provider: String) -> Set<PlacementPhase> {
        let name = provider.lowercased()
        if name.contains("secondary") && !name.contains("primary") { return [.secondary] }
        if name.contains("primary") && !name.contains("secondary") { return [.primary] }
        return [.primary, .secondary]
    }
}

/// A small deterministic generator, so the demo is the same on every install.
struct DemoRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

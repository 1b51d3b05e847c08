import Foundation

/// One allocation run over a year's offers and trainees: the optimal draft, with a reason for everyone unplaced.
public struct AllocationPlan: Sendable, Codable, Hashable {
    public struct Host: Sendable, Codable, Hashable {
        public var urn: URN
        public var name: String
        public var point: GridPoint
        public init(urn: URN, name: String, point: GridPoint) {
            self.urn = urn
            self.name = name
            self.point = point
        }
    }

    public struct Outcome: Sendable, Codable, Hashable {
        public var trainee: UUID
        public var school: URN?
        /// Straight-line metres from home to the school.
        public var distance: Int?
        /// Why the trainee is unplaced; nil when placed.
        public var reason: String?
        /// For an unplaced trainee whose options are all full: who holds those places.
        public var takenBy: [UUID] = []
    }

    /// The coordinator's pins and forbidden pairs, and the previous run's schools for a re-run.
    public struct Constraints: Sendable, Codable, Hashable {
        public var pinned: [UUID: URN]
        public var forbidden: [UUID: Set<URN>]
        public var previous: [UUID: URN]
        /// When set, a second placement must be at a school in the other pupil-premium band from the first (DfE's
        /// PP50 list: the half of schools with the most disadvantaged pupils), using `highPupilPremium`.
        public var contrastingSecondPlacements: Bool
        /// Whether each school (the offering schools and first placements' schools) is on the PP50 list, where known.
        public var highPupilPremium: [URN: Bool]

        public init(
            pinned: [UUID: URN] = [:], forbidden: [UUID: Set<URN>] = [:], previous: [UUID: URN] = [:],
            contrastingSecondPlacements: Bool = false, highPupilPremium: [URN: Bool] = [:]
        ) {
            self.pinned = pinned
            self.forbidden = forbidden
            self.previous = previous
            self.contrastingSecondPlacements = contrastingSecondPlacements
            self.highPupilPremium = highPupilPremium
        }

        enum CodingKeys: String, CodingKey {
            case pinned, forbidden, previous, contrastingSecondPlacements, highPupilPremium
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pinned = try c.decode([UUID: URN].self, forKey: .pinned)
            forbidden = try c.decode([UUID: Set<URN>].self, forKey: .forbidden)
            previous = try c.decode([UUID: URN].self, forKey: .previous)
            // Runs stored before the contrast rule existed did not apply it.
            contrastingSecondPlacements =
                try c.decodeIfPresent(Bool.self, forKey: .contrastingSecondPlacements) ?? false
            highPupilPremium = try c.decodeIfPresent([URN: Bool].self, forKey: .highPupilPremium) ?? [:]
        }

        /// Offering schools a second-placement trainee may not go to under the contrast rule: those in the same
        /// band as the first school, and those whose band is not known. Empty when the rule is off, the trainee is
        /// on a first placement, or the first school's band is not known.
        func notContrasting(_ trainee: Trainee, among hosts: [URN]) -> [URN] {
            guard contrastingSecondPlacements, let first = trainee.firstPlacementURN,
                let band = highPupilPremium[first]
            else { return [] }
            return hosts.filter { highPupilPremium[$0] == nil || highPupilPremium[$0] == band }
        }
    }

    public var year: AcademicYear
    public var outcomes: [Outcome]
    /// For comparison: the trainee-optimal stable matching of the same trainees and places (trainees rank schools
    /// by travel and preference, schools rank trainees nearest first; without the mentor limit, as the benchmark's
    /// stable variant). How many it places and its total travel in metres.
    public var stablePlaced: Int?
    public var stableDistance: Int?
    public var placed: Int { outcomes.count { $0.school != nil } }
    public var totalDistance: Int { outcomes.compactMap(\.distance).reduce(0, +) }

    /// Computes the optimal allocation: the most trainees placed, then the least travel plus preference costs,
    /// within places per school and subject, one trainee per trained mentor, each trainee's travel limit, and a
    /// second placement never at the first placement's school.
    public static func run(
        year: AcademicYear, offers: [PlacementOffer], hosts: [URN: Host], trainees: [Trainee],
        constraints: Constraints = Constraints()
    ) -> AllocationPlan {
        let usable = offers.filter { $0.appetite.offersPlaces && $0.trainedMentors > 0 && hosts[$0.urn] != nil }
            .sorted { $0.urn < $1.urn }
        let index = Dictionary(uniqueKeysWithValues: usable.enumerated().map { ($1.urn, $0) })
        let subjects = PlacementSubject.allCases
        let schools = usable.map { o in
            let p = hosts[o.urn]!.point
            return PlacementInstance.School(
                x: Int64(p.easting.rounded()), y: Int64(p.northing.rounded()), phase: "",
                mentors: Int32(o.trainedMentors), capacity: subjects.map { Int32(o.usablePlaces($0)) })
        }
        let limit = Int64(trainees.map(\.travelLimitMetres).max() ?? 1)
        var instance = PlacementInstance(
            schools: schools,
            trainees: trainees.map { t in
                PlacementInstance.Trainee(
                    x: Int64(t.home.easting.rounded()), y: Int64(t.home.northing.rounded()),
                    subject: t.subject.rawValue,
                    travelLimit: Int64(t.travelLimitMetres),
                    excluded: Set(
                        ([t.firstPlacementURN].compactMap { $0 } + Array(constraints.forbidden[t.id] ?? [])
                            + constraints.notContrasting(t, among: usable.map(\.urn)))
                            .compactMap { index[$0] }),
                    preferred: t.preferences.compactMap { index[$0] },
                    pinned: constraints.pinned[t.id].flatMap { index[$0] },
                    previous: constraints.previous[t.id].flatMap { index[$0] })
            },
            subjects: subjects.map(\.label), travelLimit: max(limit, 1), unassignedPenalty: 1_000_000)
        // On a re-run, break ties towards last time's schools, exactly: scale every cost past the number of
        // trainees and add one for each move. (Left out when costs would no longer fit in 32 bits.)
        let scale = Int64(trainees.count + 1)
        if !constraints.previous.isEmpty && (limit + 4 * PlacementInstance.preferenceStep) * scale < Int64(Int32.max) {
            instance.costScale = scale
            instance.unassignedPenalty *= scale
        }
        let (allocation, _) = PlacementAllocator.optimal(instance)
        var plain = instance
        plain.costScale = 1
        plain.unassignedPenalty = 1_000_000
        let stable = StableMatching.residentOptimal(plain, ranking: .distance)
        var stableDistance = 0
        for (t, s) in stable.school.enumerated() where s >= 0 {
            let p = hosts[usable[Int(s)].urn]!.point
            let dx = p.easting - trainees[t].home.easting
            let dy = p.northing - trainees[t].home.northing
            stableDistance += Int((dx * dx + dy * dy).squareRoot().rounded())
        }
        let candidates = instance.candidates()
        // Who holds each school's places in each subject, for the reasons.
        var holders: [Int: [Int]] = [:]
        for (t, s) in allocation.school.enumerated() where s >= 0 {
            holders[Int(s) * 64 + trainees[t].subject.rawValue, default: []].append(t)
        }
        var outcomes: [Outcome] = []
        for (t, trainee) in trainees.enumerated() {
            let s = allocation.school[t]
            if s >= 0 {
                let host = hosts[usable[Int(s)].urn]!
                let dx = host.point.easting - trainee.home.easting
                let dy = host.point.northing - trainee.home.northing
                outcomes.append(
                    Outcome(
                        trainee: trainee.id, school: host.urn,
                        distance: Int((dx * dx + dy * dy).squareRoot().rounded()), reason: nil))
                continue
            }
            let km = trainee.travelLimitMetres / 1000
            let options = Int(candidates.start[t])..<Int(candidates.start[t + 1])
            let reason: String
            if let pin = constraints.pinned[trainee.id] {
                reason =
                    options.isEmpty
                    ? "Pinned to \(hosts[pin]?.name ?? "URN \(pin.value)"), which offers no \(trainee.subject.label.lowercased()) place with a trained mentor"
                    : "Pinned to \(hosts[pin]?.name ?? "URN \(pin.value)"), which is full: its places or mentors went to others"
            } else if options.isEmpty {
                reason =
                    "No school offers \(trainee.subject.label.lowercased()) places with a trained mentor within \(km) km of \(trainee.homePostcode.value)"
                    + (trainee.firstPlacementURN == nil
                        ? ""
                        : constraints.contrastingSecondPlacements
                            ? " in the other pupil-premium band from the first placement's school"
                            : " other than the first placement's school")
            } else {
                let takers = options.flatMap { c in
                    holders[Int(candidates.school[c]) * 64 + trainee.subject.rawValue] ?? []
                }
                reason =
                    "All \(options.count) school\(options.count == 1 ? "" : "s") offering \(trainee.subject.label.lowercased()) within \(km) km \(options.count == 1 ? "is" : "are") full, by places in the subject or by mentors; placing this trainee instead would leave another unplaced or add travel"
                let taken = Array(Set(takers)).sorted().map { trainees[$0].id }
                outcomes.append(
                    Outcome(trainee: trainee.id, school: nil, distance: nil, reason: reason, takenBy: taken))
                continue
            }
            outcomes.append(Outcome(trainee: trainee.id, school: nil, distance: nil, reason: reason))
        }
        return AllocationPlan(
            year: year, outcomes: outcomes, stablePlaced: stable.placed, stableDistance: stableDistance)
    }
}

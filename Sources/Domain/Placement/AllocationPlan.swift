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
        /// True when the trainee has one of the school's SEND places (nil in runs from before SEND places).
        public var sendPlace: Bool?
    }

    /// What a second placement must differ in from the first, when the coordinator asks for contrast.
    public enum Contrast: String, Sendable, Codable, CaseIterable {
        /// The other half of DfE's PP50 list (the half of schools with the most disadvantaged pupils).
        case pupilPremiumBand = "pupil-premium"
        /// Another kind of school by GIAS establishment type (academy or free school, maintained, special).
        case schoolType = "school-type"
        /// A school in another local authority.
        case localAuthority = "local-authority"

        public var label: String {
            switch self {
            case .pupilPremiumBand: "The other pupil-premium band (DfE's PP50 list)"
            case .schoolType: "Another type of school (academy or free school, maintained, special)"
            case .localAuthority: "Another local authority"
            }
        }

        /// How an unplaced trainee's reason names the rule.
        var phrase: String {
            switch self {
            case .pupilPremiumBand: "in the other pupil-premium band from the first placement's school"
            case .schoolType: "of another type from the first placement's school"
            case .localAuthority: "in another local authority from the first placement's school"
            }
        }
    }

    /// The coordinator's pins and forbidden pairs, and the previous run's schools for a re-run.
    public struct Constraints: Sendable, Codable, Hashable {
        public var pinned: [UUID: URN]
        public var forbidden: [UUID: Set<URN>]
        public var previous: [UUID: URN]
        /// When set, a second placement must be at a school that differs from the first in this respect, judged
        /// by `contrastValue`; a school whose value is not known never counts as contrasting.
        public var contrast: Contrast?
        /// Each school's value for the contrast rule (the offering schools and first placements' schools).
        public var contrastValue: [URN: String]
        /// When set, every provider's placement rate must be within this many percentage points of every other's,
        /// without leaving a place empty that a trainee could take.
        public var fairnessPoints: Int?
        /// The version of the allocation's rules the run used, so that a stored run reproduces exactly after the
        /// rules grow: 1 before term windows, SEND placements and penalty passes (runs stored without a version),
        /// 2 since.
        public var rules: Int

        /// The rules new runs use.
        public static let currentRules = 2

        public init(
            pinned: [UUID: URN] = [:], forbidden: [UUID: Set<URN>] = [:], previous: [UUID: URN] = [:],
            contrast: Contrast? = nil, contrastValue: [URN: String] = [:], fairnessPoints: Int? = nil,
            rules: Int = Constraints.currentRules
        ) {
            self.rules = rules
            self.pinned = pinned
            self.forbidden = forbidden
            self.previous = previous
            self.contrast = contrast
            self.contrastValue = contrastValue
            self.fairnessPoints = fairnessPoints
        }

        enum CodingKeys: String, CodingKey {
            case pinned, forbidden, previous, contrast, contrastValue, fairnessPoints, rules
            // Runs stored before contrast kinds: a yes/no for the pupil-premium band, and the bands.
            case contrastingSecondPlacements, highPupilPremium
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pinned = try c.decode([UUID: URN].self, forKey: .pinned)
            forbidden = try c.decode([UUID: Set<URN>].self, forKey: .forbidden)
            previous = try c.decode([UUID: URN].self, forKey: .previous)
            contrast = try c.decodeIfPresent(Contrast.self, forKey: .contrast)
            contrastValue = try c.decodeIfPresent([URN: String].self, forKey: .contrastValue) ?? [:]
            fairnessPoints = try c.decodeIfPresent(Int.self, forKey: .fairnessPoints)
            rules = try c.decodeIfPresent(Int.self, forKey: .rules) ?? 1
            if contrast == nil, try c.decodeIfPresent(Bool.self, forKey: .contrastingSecondPlacements) == true {
                contrast = .pupilPremiumBand
                let bands = try c.decodeIfPresent([URN: Bool].self, forKey: .highPupilPremium) ?? [:]
                contrastValue = bands.mapValues(Self.bandName)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(pinned, forKey: .pinned)
            try c.encode(forbidden, forKey: .forbidden)
            try c.encode(previous, forKey: .previous)
            try c.encodeIfPresent(contrast, forKey: .contrast)
            try c.encode(contrastValue, forKey: .contrastValue)
            try c.encodeIfPresent(fairnessPoints, forKey: .fairnessPoints)
            try c.encode(rules, forKey: .rules)
        }

        /// A school's pupil-premium band as a contrast value.
        public static func bandName(_ onPP50: Bool) -> String { onPP50 ? "PP50" : "not PP50" }

        /// Offering schools a second-placement trainee may not go to under the contrast rule: those like the first
        /// school, and those whose value is not known. Empty when the rule is off or the trainee is on a first
        /// placement; every school when the first school's value is not known.
        func notContrasting(_ trainee: Trainee, among hosts: [URN]) -> [URN] {
            guard contrast != nil, let first = trainee.firstPlacementURN else { return [] }
            guard let value = contrastValue[first] else { return hosts }
            return hosts.filter { contrastValue[$0] == nil || contrastValue[$0] == value }
        }
    }

    /// What became of the fairness setting in a run.
    public struct Fairness: Sendable, Codable, Hashable {
        public struct Rate: Sendable, Codable, Hashable {
            public var provider: OrganisationID
            public var placed: Int
            public var of: Int
            /// The most this provider could place whatever happened to the others; set when the setting could not
            /// be honoured.
            public var mostPossible: Int?
            public var percent: Double { of == 0 ? 0 : Double(placed) * 100 / Double(of) }
        }
        public var points: Int
        public var honoured: Bool
        /// The rates in the draft.
        public var rates: [Rate]
        /// Why it could not be honoured.
        public var explanation: String?
        /// The spread (highest rate minus lowest, in points) of the draft.
        public var spread: Double {
            let p = rates.filter { $0.of > 0 }.map(\.percent)
            return (p.max() ?? 0) - (p.min() ?? 0)
        }
    }

    public var year: AcademicYear
    public var outcomes: [Outcome]
    /// For comparison: the trainee-optimal stable matching of the same trainees and places (trainees rank schools
    /// by travel and preference, schools rank trainees nearest first; without the mentor limit, as the benchmark's
    /// stable variant). How many it places and its total travel in metres.
    public var stablePlaced: Int?
    public var stableDistance: Int?
    /// What became of the fairness setting, when one was set.
    public var fairness: Fairness?
    public var placed: Int { outcomes.count { $0.school != nil } }
    public var totalDistance: Int { outcomes.compactMap(\.distance).reduce(0, +) }

    /// The terms a trainee's placement runs in: first placements in the autumn term, second placements in the
    /// spring and summer terms. A school hosts the placement when it offers any of them.
    public static func terms(ofPlacement placement: Int) -> Set<Term> {
        placement == 1 ? [.autumn] : [.spring, .summer]
    }

    /// The capacity index of SEND places in the allocation's instance: after the subjects.
    static let sendIndex = PlacementSubject.allCases.count

    /// Computes the optimal allocation: the most trainees placed, then the least travel plus preference costs,
    /// within places per school and subject (and SEND places for trainees interested in SEND), one trainee per
    /// trained mentor, each trainee's travel limit, the school's terms, and a second placement never at the first
    /// placement's school (and unlike it, when the coordinator asks for contrast). With a fairness setting, every
    /// provider's placement rate is brought within the given points of the others' when that is possible without
    /// leaving places empty, and the plan says why when it is not.
    public static func run(
        year: AcademicYear, offers: [PlacementOffer], hosts: [URN: Host], trainees: [Trainee],
        constraints: Constraints = Constraints()
    ) -> AllocationPlan {
        // Term windows, SEND placements and penalty passes came with the second rules.
        let secondRules = constraints.rules >= 2
        let usable = offers.filter { $0.appetite.offersPlaces && $0.trainedMentors > 0 && hosts[$0.urn] != nil }
            .sorted { $0.urn < $1.urn }
        let index = Dictionary(uniqueKeysWithValues: usable.enumerated().map { ($1.urn, $0) })
        let subjects = PlacementSubject.allCases
        let schools = usable.map { o in
            let p = hosts[o.urn]!.point
            return PlacementInstance.School(
                x: Int64(p.easting.rounded()), y: Int64(p.northing.rounded()), phase: "",
                mentors: Int32(o.trainedMentors),
                capacity: subjects.map { Int32(o.usablePlaces($0)) } + [
                    Int32(secondRules ? o.usableSendPlaces : 0)
                ])
        }
        let limit = Int64(trainees.map(\.travelLimitMetres).max() ?? 1)
        let providers = Array(Set(trainees.map(\.provider))).sorted { $0.description < $1.description }
        let providerIndex = Dictionary(uniqueKeysWithValues: providers.enumerated().map { ($1, $0) })
        // Offering schools outside each placement's terms.
        var outOfTerm: [Int: [URN]] = [:]
        for placement in [1, 2] where secondRules {
            outOfTerm[placement] = usable.filter { $0.terms.isDisjoint(with: terms(ofPlacement: placement)) }
                .map(\.urn)
        }
        var instance = PlacementInstance(
            schools: schools,
            trainees: trainees.map { t in
                var entry = PlacementInstance.Trainee(
                    x: Int64(t.home.easting.rounded()), y: Int64(t.home.northing.rounded()),
                    subject: t.subject.rawValue,
                    travelLimit: Int64(t.travelLimitMetres),
                    excluded: Set(
                        ([t.firstPlacementURN].compactMap { $0 } + Array(constraints.forbidden[t.id] ?? [])
                            + constraints.notContrasting(t, among: usable.map(\.urn))
                            + (outOfTerm[t.placement == 1 ? 1 : 2] ?? []))
                            .compactMap { index[$0] }),
                    preferred: t.preferences.compactMap { index[$0] },
                    pinned: constraints.pinned[t.id].flatMap { index[$0] },
                    previous: constraints.previous[t.id].flatMap { index[$0] })
                entry.sendInterest = t.sendInterest && secondRules
                entry.group = providerIndex[t.provider]!
                return entry
            },
            subjects: subjects.map(\.label) + ["SEND"], travelLimit: max(limit, 1), unassignedPenalty: 1_000_000)
        instance.sendSubject = secondRules ? sendIndex : nil
        instance.penaltyPasses = secondRules
        // On a re-run, break ties towards last time's schools, exactly: scale every cost past the number of
        // trainees and add one for each move. (Left out when costs would no longer fit in 32 bits.)
        let scale = Int64(trainees.count + 1)
        if !constraints.previous.isEmpty && (limit + 4 * PlacementInstance.preferenceStep) * scale < Int64(Int32.max) {
            instance.costScale = scale
            instance.unassignedPenalty *= scale
        }
        var (allocation, _) = PlacementAllocator.optimal(instance)
        var fairness: Fairness?
        if let points = constraints.fairnessPoints {
            let outcome = Self.fair(instance, allocation, points: points, providers: providers)
            allocation = outcome.allocation
            fairness = outcome.fairness
        }
        var plain = instance
        plain.costScale = 1
        plain.unassignedPenalty = 1_000_000
        plain.sendSubject = nil
        let stable = StableMatching.residentOptimal(plain, ranking: .distance)
        var stableDistance = 0
        for (t, s) in stable.school.enumerated() where s >= 0 {
            stableDistance += Int(hosts[usable[Int(s)].urn]!.point.distance(to: trainees[t].home).rounded())
        }
        let candidates = instance.candidates()
        // Who holds each school's places in each subject (and its SEND places), for the reasons.
        var holders: [Int: [Int]] = [:]
        for (t, s) in allocation.school.enumerated() where s >= 0 {
            holders[Int(s) * 64 + Int(allocation.subject[t]), default: []].append(t)
        }
        var outcomes: [Outcome] = []
        for (t, trainee) in trainees.enumerated() {
            let s = allocation.school[t]
            if s >= 0 {
                let host = hosts[usable[Int(s)].urn]!
                outcomes.append(
                    Outcome(
                        trainee: trainee.id, school: host.urn,
                        distance: Int(host.point.distance(to: trainee.home).rounded()), reason: nil,
                        sendPlace: allocation.subject[t] == Int32(sendIndex)))
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
                    + (secondRules
                        ? " in the \(trainee.placement == 1 ? "autumn term" : "spring or summer term")" : "")
                    + (trainee.firstPlacementURN == nil
                        ? ""
                        : constraints.contrast.map { " " + $0.phrase } ?? " other than the first placement's school")
                    + (constraints.contrast != nil
                        && trainee.firstPlacementURN.map { constraints.contrastValue[$0] } == .some(nil)
                        ? " (which is not known for the first placement's school, so no school can be shown to differ)"
                        : "")
            } else {
                let takers = options.flatMap { c in
                    holders[Int(candidates.school[c]) * 64 + Int(candidates.subject[c])] ?? []
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
            year: year, outcomes: outcomes, stablePlaced: stable.placed, stableDistance: stableDistance,
            fairness: fairness)
    }

    /// Brings every provider's placement rate within `points` of the others' by requiring each to place at least
    /// a floor (the best rate less the points), raising the floor until the rates fit or a floor cannot be met.
    /// Only floors are used, never ceilings: a place a trainee could take is never left empty to pull the best
    /// rate down. When it cannot be honoured the draft is the unconstrained optimum, with each provider's most
    /// possible placements.
    static func fair(
        _ instance: PlacementInstance, _ optimum: PlacementAllocator.Allocation, points: Int,
        providers: [OrganisationID]
    ) -> (allocation: PlacementAllocator.Allocation, fairness: Fairness) {
        let counts = instance.trainees.reduce(into: [Int](repeating: 0, count: providers.count)) { $0[$1.group] += 1 }
        func placed(_ a: PlacementAllocator.Allocation) -> [Int] {
            var out = [Int](repeating: 0, count: providers.count)
            for (t, s) in a.school.enumerated() where s >= 0 { out[instance.trainees[t].group] += 1 }
            return out
        }
        // Rates in percent as Doubles of small integers; comparisons allow 1e-9 for rounding.
        func spread(_ placed: [Int]) -> (low: Double, high: Double) {
            let r = placed.indices.filter { counts[$0] > 0 }.map { Double(placed[$0]) * 100 / Double(counts[$0]) }
            return (r.min() ?? 0, r.max() ?? 0)
        }
        func solve(floor: Double) -> PlacementAllocator.Allocation? {
            var constrained = instance
            constrained.groupUnplacedLimit = counts.map { n in
                let least = Int((floor * Double(n) / 100 - 1e-9).rounded(.up))
                return Int32(max(0, n - min(n, max(0, least))))
            }
            let (a, _) = PlacementAllocator.optimal(constrained)
            return a.feasible ? a : nil
        }
        func rates(_ a: PlacementAllocator.Allocation, most: [Int]? = nil) -> [Fairness.Rate] {
            let p = placed(a)
            return providers.indices.map {
                Fairness.Rate(provider: providers[$0], placed: p[$0], of: counts[$0], mostPossible: most?[$0])
            }
        }
        let (optimumLow, optimumHigh) = spread(placed(optimum))
        if optimumHigh - optimumLow <= Double(points) + 1e-9 {
            return (optimum, Fairness(points: points, honoured: true, rates: rates(optimum)))
        }
        // The highest floor every provider can meet at once: feasibility only falls as the floor rises, so a
        // binary search over the rates a provider can have.
        let thresholds = Array(
            Set(counts.filter { $0 > 0 }.flatMap { n in (0...n).map { Double($0) * 100 / Double(n) } })
        ).sorted()
        var lo = 0
        var hi = thresholds.count - 1
        var best: PlacementAllocator.Allocation = optimum
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if let a = solve(floor: thresholds[mid]) {
                lo = mid
                best = a
            } else {
                hi = mid - 1
            }
        }
        let highest = thresholds.isEmpty ? 0 : thresholds[lo]
        // From the optimum, raise the floor to the best rate less the points (never past the highest): the first
        // floor whose allocation fits is the least change from the optimum that honours the setting.
        var current = optimum
        var (low, high) = (optimumLow, optimumHigh)
        var floor = -1.0
        while high - low > Double(points) + 1e-9 && floor < highest - 1e-9 {
            // The new lowest rate is at least the floor, so while the rates do not fit, the best rate less the
            // points is above it: every round raises the floor.
            floor = min(high - Double(points), highest)
            current = floor >= highest - 1e-9 && lo > 0 ? best : solve(floor: floor) ?? best
            (low, high) = spread(placed(current))
        }
        if high - low <= Double(points) + 1e-9 {
            return (current, Fairness(points: points, honoured: true, rates: rates(current)))
        }
        let failedFloor = high - Double(points)
        // The most each provider could place on its own, others unconstrained: a floor of 100% for that provider
        // alone, relaxed until it can be met.
        var most = [Int](repeating: 0, count: providers.count)
        for g in providers.indices where counts[g] > 0 {
            var lo = 0
            var hi = counts[g]
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                var constrained = instance
                constrained.groupUnplacedLimit = counts.indices.map { Int32($0 == g ? counts[$0] - mid : counts[$0]) }
                if PlacementAllocator.optimal(constrained).0.feasible { lo = mid } else { hi = mid - 1 }
            }
            most[g] = lo
        }
        let short = providers.indices.filter {
            counts[$0] > 0 && Double(most[$0]) * 100 / Double(counts[$0]) < failedFloor - 1e-9
        }
        let explanation: String
        if short.isEmpty {
            explanation =
                "Each provider could reach \(Self.percent(failedFloor)) on its own, but their trainees need the same places: they cannot all reach it at once"
        } else {
            explanation =
                "Within \(points) points every provider would need at least \(Self.percent(failedFloor)) placed, and "
                + (short.count == 1 ? "one provider" : "\(short.count) providers")
                + " cannot reach that whatever the others get (no more of their trainees have a school in reach); pulling the others down would leave places empty"
        }
        return (
            optimum,
            Fairness(points: points, honoured: false, rates: rates(optimum, most: most), explanation: explanation)
        )
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value) }
}

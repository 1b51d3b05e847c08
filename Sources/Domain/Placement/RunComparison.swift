import Foundation

/// Two allocation runs side by side: how many each placed and how far trainees travel, who moved, who became placed
/// or unplaced, and why: the pin, forbidden pair, changed trainee, changed offer or changed setting that explains
/// each change, or, when nothing about the trainee or their schools changed, whose move took their place.
public struct RunComparison: Sendable, Hashable {
    /// What a run read and what it made.
    public struct Side: Sendable {
        public var trainees: [Trainee]
        public var offers: [PlacementOffer]
        public var constraints: AllocationPlan.Constraints
        public var plan: AllocationPlan

        public init(
            trainees: [Trainee], offers: [PlacementOffer], constraints: AllocationPlan.Constraints,
            plan: AllocationPlan
        ) {
            self.trainees = trainees
            self.offers = offers
            self.constraints = constraints
            self.plan = plan
        }
    }

    public struct Totals: Sendable, Hashable {
        public var trainees: Int
        public var placed: Int
        /// Straight-line metres from home, summed over those placed.
        public var distance: Int
        public var averageKm: Double? { placed == 0 ? nil : Double(distance) / Double(placed) / 1000 }
    }

    public enum Change: Sendable, Hashable {
        case moved(from: URN, to: URN)
        case becamePlaced(at: URN)
        case becameUnplaced(from: URN, reason: String?)
        /// In the second run only (added, or no longer withdrawn).
        case added(at: URN?)
        /// In the first run only (withdrawn or removed since).
        case removed(from: URN?)
    }

    public enum Cause: Sendable, Hashable {
        case pinned(URN)
        case pinRemoved(URN)
        case forbidden(URN)
        case forbiddenLifted(URN)
        /// Which of the trainee's details changed, in words ("home postcode", "maximum travel").
        case traineeChanged([String])
        /// The school's offer changed in a way that matters to this trainee ("no longer offers places", "places in
        /// Physics 2 → 1", "trained mentors 2 → 1", "terms").
        case offerChanged(URN, String)
        case settingsChanged(String)
        /// Nothing about the trainee or their schools changed: these trainees took the place they had.
        case placeTakenBy(URN, [UUID])
        /// Nothing about the trainee, their schools or their old place explains it: the optimum moved as a whole
        /// (a shorter total elsewhere, or room made for someone else).
        case knockOn
    }

    public struct Entry: Sendable, Hashable {
        public var trainee: UUID
        public var change: Change
        public var causes: [Cause]
    }

    public var first: Totals
    public var second: Totals
    public var entries: [Entry]
    /// Trainees at the same school in both runs.
    public var unchanged: Int

    public static func compare(_ a: Side, _ b: Side) -> RunComparison {
        func totals(_ s: Side) -> Totals {
            Totals(trainees: s.plan.outcomes.count, placed: s.plan.placed, distance: s.plan.totalDistance)
        }
        let before = Dictionary(a.plan.outcomes.map { ($0.trainee, $0) }, uniquingKeysWith: { x, _ in x })
        let after = Dictionary(b.plan.outcomes.map { ($0.trainee, $0) }, uniquingKeysWith: { x, _ in x })
        let traineesBefore = Dictionary(a.trainees.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let traineesAfter = Dictionary(b.trainees.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let offersBefore = Dictionary(a.offers.map { ($0.urn, $0) }, uniquingKeysWith: { x, _ in x })
        let offersAfter = Dictionary(b.offers.map { ($0.urn, $0) }, uniquingKeysWith: { x, _ in x })
        // Who is at each school in each run, for "their place went to".
        var atBefore: [URN: Set<UUID>] = [:]
        var atAfter: [URN: Set<UUID>] = [:]
        for o in a.plan.outcomes { if let s = o.school { atBefore[s, default: []].insert(o.trainee) } }
        for o in b.plan.outcomes { if let s = o.school { atAfter[s, default: []].insert(o.trainee) } }

        let settings = settingChanges(a.constraints, b.constraints)
        var entries: [Entry] = []
        var unchanged = 0
        let ids = Set(before.keys).union(after.keys)
        for id in ids {
            let old = before[id]
            let new = after[id]
            let change: Change
            switch (old?.school, new?.school, old, new) {
            case (_, _, nil, _): change = .added(at: new?.school)
            case (_, _, _, nil): change = .removed(from: old?.school)
            case (let x?, let y?, _, _) where x == y:
                unchanged += 1
                continue
            case (let x?, let y?, _, _): change = .moved(from: x, to: y)
            case (nil, let y?, _, _): change = .becamePlaced(at: y)
            case (let x?, nil, _, _): change = .becameUnplaced(from: x, reason: new?.reason)
            default:
                continue  // unplaced in both
            }
            var causes: [Cause] = []
            if old != nil && new != nil {
                let pinA = a.constraints.pinned[id]
                let pinB = b.constraints.pinned[id]
                if let pinB, pinB != pinA { causes.append(.pinned(pinB)) }
                if let pinA, pinB == nil { causes.append(.pinRemoved(pinA)) }
                let forbiddenA = a.constraints.forbidden[id] ?? []
                let forbiddenB = b.constraints.forbidden[id] ?? []
                if let x = old?.school, forbiddenB.contains(x), !forbiddenA.contains(x) { causes.append(.forbidden(x)) }
                if let y = new?.school, forbiddenA.contains(y), !forbiddenB.contains(y) {
                    causes.append(.forbiddenLifted(y))
                }
                if let t = traineesBefore[id], let u = traineesAfter[id] {
                    let fields = traineeChanges(t, u)
                    if !fields.isEmpty { causes.append(.traineeChanged(fields)) }
                }
                let subject = traineesAfter[id]?.subject ?? traineesBefore[id]?.subject
                for urn in [old?.school, new?.school].compactMap({ $0 }) {
                    if let detail = offerChange(offersBefore[urn], offersAfter[urn], subject: subject) {
                        causes.append(.offerChanged(urn, detail))
                    }
                }
                if causes.isEmpty { causes += settings.map(Cause.settingsChanged) }
                if causes.isEmpty, let x = old?.school {
                    let newcomers = (atAfter[x] ?? []).subtracting(atBefore[x] ?? [])
                    causes.append(newcomers.isEmpty ? .knockOn : .placeTakenBy(x, newcomers.sorted()))
                }
                if causes.isEmpty { causes.append(.knockOn) }
            }
            entries.append(Entry(trainee: id, change: change, causes: causes))
        }
        entries.sort { $0.trainee < $1.trainee }
        return RunComparison(first: totals(a), second: totals(b), entries: entries, unchanged: unchanged)
    }

    static func settingChanges(_ a: AllocationPlan.Constraints, _ b: AllocationPlan.Constraints) -> [String] {
        var changes: [String] = []
        if a.contrast != b.contrast {
            changes.append(
                "second placements' contrast \(a.contrast?.rawValue ?? "none") → \(b.contrast?.rawValue ?? "none")")
        }
        if a.fairnessPoints != b.fairnessPoints {
            changes.append(
                "fairness \(a.fairnessPoints.map { "\($0) points" } ?? "none") → \(b.fairnessPoints.map { "\($0) points" } ?? "none")"
            )
        }
        if a.rules != b.rules { changes.append("allocation rules version \(a.rules) → \(b.rules)") }
        return changes
    }

    static func traineeChanges(_ t: Trainee, _ u: Trainee) -> [String] {
        var fields: [String] = []
        if t.subject != u.subject { fields.append("subject") }
        if t.phase != u.phase { fields.append("phase") }
        if t.placement != u.placement || t.firstPlacementURN != u.firstPlacementURN { fields.append("placement") }
        if t.homePostcode != u.homePostcode || t.home != u.home { fields.append("home postcode") }
        if t.maximumTravelKm != u.maximumTravelKm { fields.append("maximum travel") }
        if t.noCar != u.noCar { fields.append("car") }
        if t.sendInterest != u.sendInterest { fields.append("SEND interest") }
        if t.preferences != u.preferences { fields.append("preferred schools") }
        return fields
    }

    static func offerChange(_ x: PlacementOffer?, _ y: PlacementOffer?, subject: PlacementSubject?) -> String? {
        let offeredBefore = x?.appetite.offersPlaces == true
        let offeredAfter = y?.appetite.offersPlaces == true
        if offeredBefore && !offeredAfter { return "no longer offers places" }
        if !offeredBefore && offeredAfter { return "began offering places" }
        guard let x, let y, offeredBefore else { return nil }
        var parts: [String] = []
        if let subject, x.places[subject] ?? 0 != y.places[subject] ?? 0 {
            parts.append("places in \(subject.label) \(x.places[subject] ?? 0) → \(y.places[subject] ?? 0)")
        }
        if x.trainedMentors != y.trainedMentors {
            parts.append("trained mentors \(x.trainedMentors) → \(y.trainedMentors)")
        }
        if x.terms != y.terms {
            func list(_ t: Set<Term>) -> String { t.sorted().map(\.label).joined(separator: ", ") }
            parts.append("terms \(list(x.terms)) → \(list(y.terms))")
        }
        if x.sendPlaces != y.sendPlaces { parts.append("SEND places \(x.sendPlaces) → \(y.sendPlaces)") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

/// The optimal allocation of a placement instance: places trainees and minimises total travel plus the penalty
/// for each trainee left unplaced, respecting capacity per school and subject and one trainee per mentor.
public enum PlacementAllocator {
    public struct Allocation: Sendable, Equatable {
        /// The school of each trainee, or -1 when unplaced.
        public var school: [Int32]
        public var placed: Int
        /// Metres travelled by placed trainees, in all.
        public var distance: Int64
        /// Distance plus the penalty for each unplaced trainee.
        public var objective: Int64
        /// The capacity index each placed trainee uses (their subject, or the instance's SEND index), or -1.
        public var subject: [Int32] = []
        /// False when the instance's group limits on unplaced trainees cannot all be met; the rest is then
        /// meaningless.
        public var feasible = true
    }

    public struct Statistics: Sendable {
        public var arcs = 0
        public var searches = 0
        public var settled = 0
        /// The penalties of the passes run before the true one (see `PlacementFlow.passPenalties`), whether the
        /// passes stopped early at a maximum flow, and how many unplaced trainees later passes routed again.
        public var passPenalties: [Int64] = []
        public var stoppedAtMaximumFlow = false
        public var rerouted = 0
        public var candidates: Duration = .zero
        public var network: Duration = .zero
        public var solve: Duration = .zero
    }

    public static func optimal(_ instance: PlacementInstance) -> (Allocation, Statistics) {
        let clock = ContinuousClock()
        let t0 = clock.now
        let candidates = instance.candidates()
        let t1 = clock.now
        let t = instance.trainees.count
        // Slots: (school, subject) pairs with capacity at schools with mentors, grouped by school.
        var slotOf: [Int: Int32] = [:]
        var slotSchool: [Int32] = []
        var slotCapacity: [Int32] = []
        var schoolFirstSlot: [Int32] = [0]
        var hostSchool: [Int32] = []
        var schoolMentors: [Int32] = []
        for (s, school) in instance.schools.enumerated() where school.mentors > 0 {
            for k in school.capacity.indices where school.capacity[k] > 0 {
                slotOf[s * 64 + k] = Int32(slotSchool.count)
                slotSchool.append(Int32(hostSchool.count))
                slotCapacity.append(school.capacity[k])
            }
            hostSchool.append(Int32(s))
            schoolMentors.append(school.mentors)
            schoolFirstSlot.append(Int32(slotSchool.count))
        }
        // Each trainee's candidates in order of cost (then school), which lets the search stop scanning early.
        var order = Array(0..<Int32(candidates.school.count))
        for trainee in 0..<t {
            let range = Int(candidates.start[trainee])..<Int(candidates.start[trainee + 1])
            order[range].sort { (candidates.cost[Int($0)], $0) < (candidates.cost[Int($1)], $1) }
        }
        var candidateSlot = [Int32](repeating: 0, count: candidates.school.count)
        var candidateCost = [Int32](repeating: 0, count: candidates.school.count)
        var candidateSchool = [Int32](repeating: 0, count: candidates.school.count)
        var slotSubject = [Int32](repeating: 0, count: candidates.school.count)
        for trainee in 0..<t {
            for c in Int(candidates.start[trainee])..<Int(candidates.start[trainee + 1]) {
                let o = Int(order[c])
                candidateSchool[c] = candidates.school[o]
                candidateCost[c] = candidates.cost[o]
                slotSubject[c] = candidates.subject[o]
                candidateSlot[c] = slotOf[Int(candidates.school[o]) * 64 + Int(candidates.subject[o])]!
            }
        }
        var flow = PlacementFlow(
            candidateStart: candidates.start, candidateSlot: candidateSlot, candidateCost: candidateCost,
            penalty: instance.trainees.map { $0.pinned == nil ? instance.unassignedPenalty : instance.pinnedPenalty },
            slotSchool: slotSchool, slotCapacity: slotCapacity,
            schoolFirstSlot: schoolFirstSlot, schoolMentors: schoolMentors)
        if let limits = instance.groupUnplacedLimit {
            flow.group = instance.trainees.map { Int32($0.group) }
            flow.groupUnplacedLimit = limits
        } else if instance.penaltyPasses && instance.trainees.allSatisfy({ $0.pinned == nil }) {
            // Equal penalties: pass penalties from about five eighths of the dearest candidate trip, four times
            // larger each pass. If a pass ends in a maximum flow x' (no unplaced trainee can be placed at any cost),
            // x' is optimal at the true penalty P too: for any flow y, cost(y) + P u(y) = cost(y) + P' u(y) +
            // (P - P') u(y) >= cost(x') + P' u(x') + (P - P') u(x'), as x' is optimal at P' and u(y) >= u(x').
            // Otherwise the last pass runs at P itself. Measured on the benchmark instances, the first pass's short
            // searches make the whole solve three to four times faster than routing at P from the start.
            var p = (candidateCost.max().map(Int64.init) ?? 0) * 5 / 8 + 1
            while p < instance.unassignedPenalty {
                flow.passPenalties.append(p)
                p *= 4
            }
        }
        let t2 = clock.now
        let outcome = flow.solve()
        let t3 = clock.now
        var school = [Int32](repeating: -1, count: t)
        var subject = [Int32](repeating: -1, count: t)
        var distance: Int64 = 0
        for trainee in 0..<t where outcome.arc[trainee] >= 0 {
            let c = Int(outcome.arc[trainee])
            school[trainee] = candidateSchool[c]
            subject[trainee] = slotSubject[c]
            distance += Int64(candidateCost[c])
        }
        let placed = school.count { $0 >= 0 }
        let unplacedCost = instance.trainees.indices.reduce(Int64(0)) { sum, i in
            school[i] >= 0
                ? sum : sum + (instance.trainees[i].pinned == nil ? instance.unassignedPenalty : instance.pinnedPenalty)
        }
        let allocation = Allocation(
            school: school, placed: placed, distance: distance,
            objective: distance + unplacedCost, subject: subject, feasible: outcome.feasible)
        return (
            allocation,
            Statistics(
                arcs: candidates.school.count, searches: outcome.searches, settled: outcome.settled,
                passPenalties: Array(flow.passPenalties.prefix(outcome.passes)),
                stoppedAtMaximumFlow: outcome.stoppedAtMaximumFlow, rerouted: outcome.rerouted,
                candidates: t1 - t0,
                network: t2 - t1, solve: t3 - t2)
        )
    }
}

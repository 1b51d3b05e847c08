/// Stable allocation when trainees and schools rank each other: trainee-proposing deferred acceptance for the
/// hospitals/residents problem with capacities (Gale and Shapley; Roth). The result is the stable matching every
/// trainee likes at least as well as any other stable matching.
///
/// The benchmark's variant: each trainee ranks the schools they may go to by distance (then school id); each
/// school-subject ranks trainees by a fixed score; capacities are per school and subject, without the mentor limit.
public enum StableMatching {
    /// The benchmark's fixed ranking score of trainee t (Knuth's multiplicative hash): higher is preferred.
    public static func score(_ trainee: Int) -> UInt64 { (UInt64(trainee) + 1) &* 2_654_435_761 % (1 << 32) }

    public struct Preferences: Sendable {
        /// Each trainee's acceptable school-subjects (slot ids), most preferred first, with the distance to each.
        public var trainee: [[(slot: Int32, cost: Int32)]]
        /// Each slot's rank of each trainee who finds it acceptable: lower is preferred.
        public var rank: [[Int32: Int32]]
        public var capacity: [Int32]
        public var slotSchool: [Int32]
    }

    /// How a school-subject ranks the trainees who would accept it.
    public enum SchoolRanking: Sendable {
        /// The benchmark's fixed score (an arbitrary but fixed order).
        case score
        /// Nearest first (then trainee order): what the service uses, absent schools' own rankings.
        case distance
    }

    public static func preferences(_ instance: PlacementInstance, ranking: SchoolRanking = .score) -> Preferences {
        let candidates = instance.candidates()
        var slotOf: [Int: Int32] = [:]
        var capacity: [Int32] = []
        var slotSchool: [Int32] = []
        for (s, school) in instance.schools.enumerated() where school.mentors > 0 {
            for k in school.capacity.indices where school.capacity[k] > 0 {
                slotOf[s * 64 + k] = Int32(capacity.count)
                capacity.append(school.capacity[k])
                slotSchool.append(Int32(s))
            }
        }
        var trainee: [[(slot: Int32, cost: Int32)]] = []
        var applicants = [[Int32]](repeating: [], count: capacity.count)
        var costOf: [Int64: Int32] = [:]
        for t in instance.trainees.indices {
            var list: [(slot: Int32, cost: Int32, school: Int32)] = []
            for c in Int(candidates.start[t])..<Int(candidates.start[t + 1]) {
                let slot = slotOf[Int(candidates.school[c]) * 64 + Int(candidates.subject[c])]!
                list.append((slot, candidates.cost[c], candidates.school[c]))
                applicants[Int(slot)].append(Int32(t))
                if ranking == .distance { costOf[Int64(slot) << 32 | Int64(t)] = candidates.cost[c] }
            }
            list.sort { ($0.cost, $0.school) < ($1.cost, $1.school) }
            trainee.append(list.map { ($0.slot, $0.cost) })
        }
        let rank = applicants.enumerated().map { slot, list -> [Int32: Int32] in
            let ordered: [Int32]
            switch ranking {
            case .score: ordered = list.sorted { score(Int($0)) > score(Int($1)) }
            case .distance:
                ordered = list.sorted {
                    (costOf[Int64(slot) << 32 | Int64($0)]!, $0) < (costOf[Int64(slot) << 32 | Int64($1)]!, $1)
                }
            }
            return Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, Int32($0)) })
        }
        return Preferences(trainee: trainee, rank: rank, capacity: capacity, slotSchool: slotSchool)
    }

    /// The trainee-optimal stable matching: each trainee's slot (index into `preferences`), or -1.
    public static func deferredAcceptance(_ p: Preferences) -> [Int32] {
        let t = p.trainee.count
        var next = [Int](repeating: 0, count: t)
        var match = [Int32](repeating: -1, count: t)
        // Each slot holds its accepted trainees in a max-heap by rank, so the worst is at the top.
        var held = [[(rank: Int32, trainee: Int32)]](repeating: [], count: p.capacity.count)
        var free = Array((0..<Int32(t)).reversed())
        while let trainee = free.popLast() {
            let i = Int(trainee)
            guard next[i] < p.trainee[i].count else { continue }
            let slot = Int(p.trainee[i][next[i]].slot)
            next[i] += 1
            let r = p.rank[slot][trainee]!
            if held[slot].count < Int(p.capacity[slot]) {
                heapPush(&held[slot], (r, trainee))
                match[i] = Int32(slot)
            } else if let worst = held[slot].first, worst.rank > r {
                heapPop(&held[slot])
                heapPush(&held[slot], (r, trainee))
                match[i] = Int32(slot)
                match[Int(worst.trainee)] = -1
                free.append(worst.trainee)
            } else {
                free.append(trainee)
            }
        }
        return match
    }

    /// Pairs (trainee, slot) that would both rather be together than with what they have: none in a stable
    /// matching.
    public static func blockingPairs(_ p: Preferences, _ match: [Int32]) -> [(trainee: Int, slot: Int)] {
        var count = [Int32](repeating: 0, count: p.capacity.count)
        var worst = [Int32](repeating: -1, count: p.capacity.count)
        for (t, slot) in match.enumerated() where slot >= 0 {
            count[Int(slot)] += 1
            worst[Int(slot)] = max(worst[Int(slot)], p.rank[Int(slot)][Int32(t)]!)
        }
        var blocking: [(Int, Int)] = []
        for t in p.trainee.indices {
            for choice in p.trainee[t] {
                if choice.slot == match[t] { break }  // everything after is worse for t
                let s = Int(choice.slot)
                if count[s] < p.capacity[s] || p.rank[s][Int32(t)]! < worst[s] { blocking.append((t, s)) }
            }
        }
        return blocking
    }

    /// Runs deferred acceptance on the instance and reports it as an allocation.
    public static func residentOptimal(_ instance: PlacementInstance, ranking: SchoolRanking = .score)
        -> PlacementAllocator.Allocation
    {
        let p = preferences(instance, ranking: ranking)
        let match = deferredAcceptance(p)
        var school = [Int32](repeating: -1, count: match.count)
        var distance: Int64 = 0
        for (t, slot) in match.enumerated() where slot >= 0 {
            school[t] = p.slotSchool[Int(slot)]
            distance += Int64(p.trainee[t].first { $0.slot == slot }!.cost)
        }
        let placed = school.count { $0 >= 0 }
        return .init(
            school: school, placed: placed, distance: distance,
            objective: distance + Int64(match.count - placed) * instance.unassignedPenalty)
    }

    static func heapPush(_ h: inout [(rank: Int32, trainee: Int32)], _ e: (rank: Int32, trainee: Int32)) {
        h.append(e)
        var i = h.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if h[parent].rank >= h[i].rank { break }
            h.swapAt(parent, i)
            i = parent
        }
    }

    static func heapPop(_ h: inout [(rank: Int32, trainee: Int32)]) {
        h.swapAt(0, h.count - 1)
        h.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < h.count && h[l].rank > h[m].rank { m = l }
            if r < h.count && h[r].rank > h[m].rank { m = r }
            if m == i { break }
            h.swapAt(i, m)
            i = m
        }
    }
}

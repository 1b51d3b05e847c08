import Foundation

/// Subject families for early-career peer groups: secondary ECTs meet with others teaching related subjects where
/// there are enough of them. The same families as the shared benchmark's scorer.
public enum SubjectFamily: String, Sendable, CaseIterable, Comparable {
    case maths, science, english, languages, humanities, arts, pe, primary

    public init(_ subject: TeachingSubject) {
        switch subject {
        case .mathematics, .computing: self = .maths
        case .biology, .chemistry, .physics, .combinedScience: self = .science
        case .english, .drama: self = .english
        case .modernLanguages: self = .languages
        case .history, .geography, .religiousEducation: self = .humanities
        case .artAndDesign, .music, .designAndTechnology: self = .arts
        case .physicalEducation: self = .pe
        case .primary: self = .primary
        }
    }

    public var label: String {
        switch self {
        case .maths: "Mathematics and computing"
        case .science: "Science"
        case .english: "English and drama"
        case .languages: "Modern languages"
        case .humanities: "Humanities"
        case .arts: "Arts and technology"
        case .pe: "Physical education"
        case .primary: "Primary"
        }
    }

    public static func < (l: Self, r: Self) -> Bool {
        allCases.firstIndex(of: l)! < allCases.firstIndex(of: r)!
    }
}

public enum PeerGroupPhase: String, Sendable, CaseIterable, Comparable {
    case primary, secondary

    public static func < (l: Self, r: Self) -> Bool { l == .primary && r == .secondary }
}

/// An early-career teacher to be grouped: where their school is (British National Grid metres), its phase and
/// the subject they teach.
public struct PeerGroupMember: Sendable, Hashable {
    public var id: String
    public var school: String
    public var phase: PeerGroupPhase
    public var subject: TeachingSubject
    public var x: Double
    public var y: Double

    public init(id: String, school: String, phase: PeerGroupPhase, subject: TeachingSubject, x: Double, y: Double) {
        self.id = id
        self.school = school
        self.phase = phase
        self.subject = subject
        self.x = x
        self.y = y
    }

    public var family: SubjectFamily { phase == .primary ? .primary : SubjectFamily(subject) }
}

/// The coordinator's rules for forming groups.
public struct PeerGroupRules: Sendable, Hashable {
    public static let sizes = 2...50
    public var minimum: Int
    public var maximum: Int
    /// Secondary groups of one subject family where a family has enough ECTs to form its own groups.
    public var subjectFamilies: Bool
    /// As few groups as the largest size allows (fewer meetings to arrange), instead of the number of groups
    /// with less travel.
    public var fewestGroups: Bool

    /// Nil unless 2 <= minimum <= maximum <= 50.
    public init?(minimum: Int = 5, maximum: Int = 8, subjectFamilies: Bool = true, fewestGroups: Bool = false) {
        guard Self.sizes.contains(minimum), Self.sizes.contains(maximum), minimum <= maximum else { return nil }
        self.minimum = minimum
        self.maximum = maximum
        self.subjectFamilies = subjectFamilies
        self.fewestGroups = fewestGroups
    }
}

/// Peer groups: every member in one group; each group's meeting school is the member school with the least total
/// straight-line distance from all members, and a member's travel is their distance to it.
public struct PeerGrouping: Sendable {
    public struct Group: Sendable, Hashable {
        /// Indices into the members the grouping was formed from.
        public var members: [Int]
        /// The member whose school is the meeting school.
        public var meeting: Int
        public var travel: Double
        public var locked: Bool
    }

    public var members: [PeerGroupMember]
    public var groups: [Group]
    /// The rules it could not keep, in words (empty when every rule held).
    public var unkept: [String]

    public var totalTravel: Double { groups.reduce(0) { $0 + $1.travel } }
    public var meanTravel: Double { members.isEmpty ? 0 : totalTravel / Double(members.count) }

    /// The group index of each member.
    public var groupOf: [Int] {
        var g = [Int](repeating: -1, count: members.count)
        for (k, group) in groups.enumerated() { for m in group.members { g[m] = k } }
        return g
    }

    public func distance(_ a: Int, _ b: Int) -> Double {
        let dx = members[a].x - members[b].x
        let dy = members[a].y - members[b].y
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The rules checked on these groups, as the benchmark's scorer counts them.
    public struct Check: Sendable, Hashable {
        public var sizeViolations = 0
        public var mixedPhaseGroups = 0
        /// Members beyond the first from one school in a group, where that school has no more ECTs of the phase
        /// than there are groups of the phase.
        public var avoidableSameSchool = 0
        public var mixedFamilySecondaryGroups = 0
        public var missing = 0
    }

    public func check(_ rules: PeerGroupRules) -> Check {
        var c = Check()
        var groupsOfPhase: [PeerGroupPhase: Int] = [:]
        var perSchool: [String: Int] = [:]
        for m in members { perSchool[m.school + "\u{1}" + m.phase.rawValue, default: 0] += 1 }
        var seen = [Bool](repeating: false, count: members.count)
        for g in groups {
            for m in g.members { seen[m] = true }
            let phases = Set(g.members.map { members[$0].phase })
            if phases.count > 1 { c.mixedPhaseGroups += 1 }
            if let p = phases.min() { groupsOfPhase[p, default: 0] += 1 }
            if !(rules.minimum...rules.maximum).contains(g.members.count) { c.sizeViolations += 1 }
            if phases == [.secondary], Set(g.members.map { members[$0].family }).count > 1 {
                c.mixedFamilySecondaryGroups += 1
            }
        }
        c.missing = seen.filter { !$0 }.count
        for g in groups {
            var count: [String: Int] = [:]
            for m in g.members { count[members[m].school + "\u{1}" + members[m].phase.rawValue, default: 0] += 1 }
            for (key, k) in count where k > 1 {
                let phase = PeerGroupPhase(rawValue: String(key.split(separator: "\u{1}").last ?? ""))!
                if perSchool[key, default: 0] <= groupsOfPhase[phase, default: 0] { c.avoidableSameSchool += k - 1 }
            }
        }
        return c
    }

    /// Forms the groups. `locked` groups (indices into `members`) are kept as they are; everyone else is grouped
    /// afresh. Groups are of one phase; with `subjectFamilies`, a secondary family with at least `minimum` ECTs
    /// forms its own groups and smaller families are grouped together. Within each set: as few groups as the
    /// maximum size allows, no two ECTs of one school in a group unless the school has more ECTs of the phase than
    /// there are groups of the phase, and the least total travel a local search finds (moves and swaps between
    /// nearby groups, from groups cut along a Hilbert curve). Deterministic.
    public static func form(
        _ members: [PeerGroupMember], rules: PeerGroupRules, locked: [[Int]] = []
    ) -> PeerGrouping {
        var result = PeerGrouping(members: members, groups: [], unkept: [])
        var isLocked = [Bool](repeating: false, count: members.count)
        for g in locked where !g.isEmpty {
            for m in g { isLocked[m] = true }
            result.groups.append(meetingOf(g, members: members, locked: true))
        }
        for phase in PeerGroupPhase.allCases {
            let all = members.indices.filter { !isLocked[$0] && members[$0].phase == phase }
            if all.isEmpty { continue }
            var pools: [(label: String, members: [Int])] = []
            if phase == .secondary && rules.subjectFamilies {
                var byFamily: [SubjectFamily: [Int]] = [:]
                for i in all { byFamily[members[i].family, default: []].append(i) }
                var small: [Int] = []
                for family in byFamily.keys.sorted() {
                    let f = byFamily[family]!
                    if f.count >= rules.minimum { pools.append((family.label, f)) } else { small += f }
                }
                if !small.isEmpty {
                    if small.count >= rules.minimum || pools.isEmpty {
                        pools.append(("Secondary, subjects with too few ECTs for their own groups", small))
                    } else {
                        // Too few to group on their own: they join the largest family's groups.
                        let largest = pools.indices.max { pools[$0].members.count < pools[$1].members.count }!
                        pools[largest].members += small
                        pools[largest].label = "Secondary, \(pools[largest].label.lowercased()) and others"
                    }
                }
            } else {
                pools.append((phase == .primary ? "Primary" : "Secondary", all))
            }
            let lockedOfPhase = result.groups.filter { members[$0.members[0]].phase == phase }.count
            var perSchool: [String: Int] = [:]
            for i in members.indices where members[i].phase == phase { perSchool[members[i].school, default: 0] += 1 }
            for pool in pools {
                let fewest = groupCount(pool.members.count, rules, averageSize: Double(rules.maximum))
                if pool.members.count < rules.minimum {
                    result.unkept.append(
                        "\(pool.label): \(pool.members.count) ECTs, fewer than the smallest group of \(rules.minimum); they form one group"
                    )
                } else if fewest * rules.minimum > pool.members.count {
                    result.unkept.append(
                        "\(pool.label): \(pool.members.count) ECTs cannot be split into groups of \(rules.minimum) to \(rules.maximum)"
                    )
                }
            }
            // Smaller groups travel less, but the fewer ECTs a group can lose or gain the less room there is to
            // keep colleagues apart: try groups of about one and of about a half above the minimum (no more than
            // the maximum) and keep the one with less travel.
            var best: (groups: [Group], travel: Double)? = nil
            let sizes =
                rules.fewestGroups
                ? [Double(rules.maximum)]
                : Set([0.5, 1].map { min(Double(rules.minimum) + $0, Double(rules.maximum)) }).sorted()
            for size in sizes {
                let counts = pools.map { groupCount($0.members.count, rules, averageSize: size) }
                let groupsOfPhase = lockedOfPhase + counts.reduce(0, +)
                var groups: [Group] = []
                for (pool, k) in zip(pools, counts) {
                    var solver = PoolSolver(
                        pool.members, members: members, groups: k, rules: rules,
                        restricted: { perSchool[$0, default: 0] <= groupsOfPhase })
                    solver.solve()
                    groups += solver.groupMembers().map { meetingOf($0, members: members, locked: false) }
                }
                let travel = groups.reduce(0) { $0 + $1.travel }
                if best == nil || travel < best!.travel { best = (groups, travel) }
            }
            result.groups += best?.groups ?? []
        }
        let c = result.check(rules)
        if c.avoidableSameSchool > 0 {
            result.unkept.append(
                "\(c.avoidableSameSchool) ECT\(c.avoidableSameSchool == 1 ? " shares" : "s share") a group with a colleague from their school although there are enough groups to separate them"
            )
        }
        if c.mixedFamilySecondaryGroups > 0 && rules.subjectFamilies {
            result.unkept.append(
                "\(c.mixedFamilySecondaryGroups) secondary group\(c.mixedFamilySecondaryGroups == 1 ? " mixes" : "s mix") subject families (too few ECTs of a family to group them alone)"
            )
        }
        return result
    }

    /// Groups of about `averageSize`, within what the smallest and largest sizes allow (as few as the largest
    /// allows when no split is possible).
    static func groupCount(_ n: Int, _ rules: PeerGroupRules, averageSize: Double) -> Int {
        let fewest = max(1, (n + rules.maximum - 1) / rules.maximum)
        let most = max(1, n / rules.minimum)
        return max(fewest, min(most, Int((Double(n) / averageSize).rounded())))
    }

    /// A group with its meeting school (the member school with the least total distance; the first on ties).
    public static func meetingOf(_ group: [Int], members: [PeerGroupMember], locked: Bool) -> Group {
        var best = Double.infinity
        var meeting = group.first ?? 0
        for c in group {
            var s = 0.0
            for m in group {
                let dx = members[c].x - members[m].x
                let dy = members[c].y - members[m].y
                s += (dx * dx + dy * dy).squareRoot()
            }
            if s < best {
                best = s
                meeting = c
            }
        }
        return Group(members: group, meeting: meeting, travel: group.isEmpty ? 0 : best, locked: locked)
    }

    /// Moves one member to another group (a coordinator's correction), keeping everything else; the meeting
    /// schools of both groups are chosen again.
    public func moving(_ member: Int, to target: Int) -> PeerGrouping {
        var next = self
        guard let from = groups.firstIndex(where: { $0.members.contains(member) }), groups.indices.contains(target),
            from != target
        else { return self }
        next.groups[from] = Self.meetingOf(
            groups[from].members.filter { $0 != member }, members: members, locked: groups[from].locked)
        next.groups[target] = Self.meetingOf(
            groups[target].members + [member], members: members, locked: groups[target].locked)
        next.groups.removeAll { $0.members.isEmpty }
        return next
    }
}

/// The local search for one set of members that must be grouped together (one phase, or one subject family).
struct PoolSolver {
    let n: Int
    let global: [Int]
    let xs: [Double]
    let ys: [Double]
    /// Each member's school, as a small integer.
    let school: [Int32]
    /// Whether two members of this school in one group break the rule.
    let restricted: [Bool]
    let lower: Int
    let upper: Int
    var groupOf: [Int]
    var members: [[Int]]
    var sums: [[Double]]
    var cost: [Double]
    var conflicts: [Int]
    /// The price of one avoidable same-school pair: above any travel a move can save.
    static let penalty = 1e12
    static let neighbours = 10

    init(
        _ pool: [Int], members all: [PeerGroupMember], groups k: Int, rules: PeerGroupRules,
        restricted isRestricted: (String) -> Bool
    ) {
        n = pool.count
        var schoolIndex: [String: Int32] = [:]
        var school: [Int32] = []
        var restricted: [Bool] = []
        for i in pool {
            let s = all[i].school
            if schoolIndex[s] == nil { schoolIndex[s] = Int32(schoolIndex.count) }
            school.append(schoolIndex[s]!)
            restricted.append(isRestricted(s))
        }
        // Cut along a Hilbert curve (schools kept together, then id order) into k runs of balanced sizes.
        let minX = pool.map { all[$0].x }.min() ?? 0
        let minY = pool.map { all[$0].y }.min() ?? 0
        let span = max(1, (pool.map { all[$0].x }.max() ?? 0) - minX, (pool.map { all[$0].y }.max() ?? 0) - minY)
        let keys = pool.map { i in
            Hilbert.index(
                x: UInt32(min(65535, max(0, (all[i].x - minX) / span * 65535))),
                y: UInt32(min(65535, max(0, (all[i].y - minY) / span * 65535))))
        }
        let order = pool.indices.sorted { (keys[$0], school[$0], $0) < (keys[$1], school[$1], $1) }
        global = order.map { pool[$0] }
        self.school = order.map { school[$0] }
        self.restricted = order.map { restricted[$0] }
        xs = global.map { all[$0].x }
        ys = global.map { all[$0].y }
        let k = max(1, min(k, n))
        lower = min(rules.minimum, n / k)
        upper = max(rules.maximum, (n + k - 1) / k)
        members = []
        var start = 0
        for g in 0..<k {
            let size = n / k + (g < n % k ? 1 : 0)
            members.append(Array(start..<(start + size)))
            start += size
        }
        groupOf = [Int](repeating: 0, count: n)
        for (g, ms) in members.enumerated() { for m in ms { groupOf[m] = g } }
        sums = []
        cost = []
        conflicts = []
        for g in members.indices {
            sums.append([])
            cost.append(0)
            conflicts.append(0)
            refresh(g)
        }
    }

    @inline(__always) func d(_ a: Int, _ b: Int) -> Double {
        let dx = xs[a] - xs[b]
        let dy = ys[a] - ys[b]
        return (dx * dx + dy * dy).squareRoot()
    }

    mutating func refresh(_ g: Int) {
        let ms = members[g]
        var s = [Double](repeating: 0, count: ms.count)
        for p in ms.indices {
            for q in (p + 1)..<ms.count {
                let v = d(ms[p], ms[q])
                s[p] += v
                s[q] += v
            }
        }
        sums[g] = s
        cost[g] = s.min() ?? 0
        conflicts[g] = conflictCount(ms)
    }

    func conflictCount(_ ms: [Int]) -> Int {
        var c = 0
        for p in ms.indices where restricted[ms[p]] {
            for q in 0..<p where school[ms[q]] == school[ms[p]] {
                c += 1
                break
            }
        }
        return c
    }

    /// Whether a member of `s`'s school is in the group, not counting the member at `except`.
    @inline(__always) func hasSchool(_ s: Int32, in g: Int, except: Int) -> Bool {
        for m in members[g] where m != except && school[m] == s { return true }
        return false
    }

    func groupMembers() -> [[Int]] { members.map { $0.map { global[$0] } } }

    func centroids() -> [(Double, Double)] {
        members.map { ms in
            var x = 0.0
            var y = 0.0
            for m in ms {
                x += xs[m]
                y += ys[m]
            }
            let c = Double(max(1, ms.count))
            return (x / c, y / c)
        }
    }

    /// Each group's nearest groups by centroid.
    func nearby() -> [[Int]] {
        let c = centroids()
        return Self.nearest(
            queries: c, centres: c, want: min(Self.neighbours, c.count - 1), excludingSelf: true)
    }

    /// For each query point, the indices of the `want` nearest centres (nearest first), found through a grid so
    /// that each query looks only at nearby cells. With `excludingSelf`, query i is centre i and is skipped.
    static func nearest(
        queries: [(Double, Double)], centres c: [(Double, Double)], want: Int, excludingSelf: Bool
    ) -> [[Int]] {
        let k = c.count
        let available = excludingSelf ? k - 1 : k
        let want = min(want, available)
        guard want > 0 else { return [[Int]](repeating: [], count: queries.count) }
        let cell = max(1.0, cellSize(c))
        var grid: [Int64: [Int]] = [:]
        func key(_ x: Double, _ y: Double) -> (Int64, Int64) {
            (Int64((x / cell).rounded(.down)), Int64((y / cell).rounded(.down)))
        }
        for (g, p) in c.enumerated() {
            let (a, b) = key(p.0, p.1)
            grid[a &* 1_000_003 &+ b, default: []].append(g)
        }
        var result: [[Int]] = []
        result.reserveCapacity(queries.count)
        var found: [(Double, Int)] = []
        for (q, p) in queries.enumerated() {
            let (a, b) = key(p.0, p.1)
            var radius: Int64 = 1
            while true {
                found.removeAll(keepingCapacity: true)
                let side = 2 * radius + 1
                if side > 4096 || side * side >= Int64(grid.count) {
                    // The square would visit more cells than are occupied: look at every centre instead.
                    for (h, centre) in c.enumerated() where !(excludingSelf && h == q) {
                        let dx = centre.0 - p.0
                        let dy = centre.1 - p.1
                        found.append((dx * dx + dy * dy, h))
                    }
                    break
                }
                for i in (a - radius)...(a + radius) {
                    for j in (b - radius)...(b + radius) {
                        for h in grid[i &* 1_000_003 &+ j] ?? [] where !(excludingSelf && h == q) {
                            let dx = c[h].0 - p.0
                            let dy = c[h].1 - p.1
                            found.append((dx * dx + dy * dy, h))
                        }
                    }
                }
                // Enough within the circle the searched square surely covers, or the square holds everything.
                let inside = found.filter { $0.0 <= Double(radius * radius) * cell * cell }.count
                if inside >= want || found.count == available { break }
                radius *= 2
            }
            // The `want` nearest, nearest first, without sorting everything found.
            var chosen: [(Double, Int)] = []
            chosen.reserveCapacity(want + 1)
            for f in found where chosen.count < want || f < chosen[chosen.count - 1] {
                var at = chosen.count
                while at > 0 && f < chosen[at - 1] { at -= 1 }
                chosen.insert(f, at: at)
                if chosen.count > want { chosen.removeLast() }
            }
            result.append(chosen.map(\.1))
        }
        return result
    }

    /// A grid cell holding about four centres on average were they spread over the square around them (a
    /// square, not the bounding box, so that points on a line do not make cells of nothing).
    static func cellSize(_ c: [(Double, Double)]) -> Double {
        guard let minX = c.map(\.0).min(), let maxX = c.map(\.0).max(), let minY = c.map(\.1).min(),
            let maxY = c.map(\.1).max()
        else { return 1 }
        let side = max(1, maxX - minX, maxY - minY)
        return side / max(1, (Double(c.count) / 4).squareRoot())
    }

    func totalObjective() -> (conflicts: Int, travel: Double) {
        (conflicts.reduce(0, +), cost.reduce(0, +))
    }

    mutating func setGroups(_ groups: [[Int]]) {
        members = groups
        for (g, ms) in members.enumerated() {
            for m in ms { groupOf[m] = g }
            refresh(g)
        }
    }

    /// Capacitated clustering for a good start: centres move to their members' geometric median (Weiszfeld's
    /// iteration) and members go to near centres, nearest pairs first, within the size bounds and apart from
    /// their school's colleagues. Keeps the best grouping of the rounds.
    mutating func cluster(rounds: Int = 10) {
        let k = members.count
        guard k > 1 else { return }
        var centres = centroids()
        var best = (groups: members, score: totalObjective())
        let want = min(k, 8)
        for _ in 0..<rounds {
            let queries = (0..<n).map { (xs[$0], ys[$0]) }
            let near = Self.nearest(queries: queries, centres: centres, want: want, excludingSelf: false)
            var pairs: [(Double, Int32, Int32)] = []
            pairs.reserveCapacity(n * want)
            for i in 0..<n {
                for g in near[i] {
                    let dx = xs[i] - centres[g].0
                    let dy = ys[i] - centres[g].1
                    pairs.append(((dx * dx + dy * dy).squareRoot(), Int32(i), Int32(g)))
                }
            }
            pairs.sort { ($0.0, $0.1) < ($1.0, $1.1) }
            var assigned = [Int](repeating: -1, count: n)
            var groups = [[Int]](repeating: [], count: k)
            func clashes(_ i: Int, _ g: Int) -> Bool {
                restricted[i] && groups[g].contains { school[$0] == school[i] }
            }
            func put(_ i: Int, _ g: Int) {
                assigned[i] = g
                groups[g].append(i)
            }
            for (_, i32, g32) in pairs {
                let i = Int(i32)
                let g = Int(g32)
                if assigned[i] < 0 && groups[g].count < upper && !clashes(i, g) { put(i, g) }
            }
            // Anyone left goes to the nearest centre with room, apart from colleagues if any such centre has room.
            let centreNear = Self.nearest(queries: centres, centres: centres, want: 24, excludingSelf: true)
            func distance2(_ i: Int, _ g: Int) -> Double {
                let dx = xs[i] - centres[g].0
                let dy = ys[i] - centres[g].1
                return dx * dx + dy * dy
            }
            for i in 0..<n where assigned[i] < 0 {
                // The centres near i's nearest first; every centre only if none of those has room.
                var apart: (Double, Int)? = nil
                var any: (Double, Int)? = nil
                func consider(_ g: Int) {
                    guard groups[g].count < upper else { return }
                    let d = distance2(i, g)
                    if any == nil || d < any!.0 { any = (d, g) }
                    if !clashes(i, g) && (apart == nil || d < apart!.0) { apart = (d, g) }
                }
                if let first = near[i].first { for g in [first] + centreNear[first] { consider(g) } }
                if apart == nil { for g in 0..<k { consider(g) } }
                put(i, apart?.1 ?? any?.1 ?? 0)
            }
            // Groups below the smallest size take the nearest member a larger group can spare: from nearby groups
            // first, from anywhere if none nearby can.
            for g in 0..<k {
                while groups[g].count < lower {
                    var pick: (Double, Int)? = nil
                    func consider(_ i: Int) {
                        guard assigned[i] != g, groups[assigned[i]].count > lower, !clashes(i, g) else { return }
                        let d = distance2(i, g)
                        if pick == nil || d < pick!.0 { pick = (d, i) }
                    }
                    for h in centreNear[g] { for i in groups[h] { consider(i) } }
                    if pick == nil { for i in 0..<n { consider(i) } }
                    guard let (_, i) = pick else { break }
                    let from = assigned[i]
                    groups[from].removeAll { $0 == i }
                    put(i, g)
                }
            }
            setGroups(groups)
            let score = totalObjective()
            if (score.conflicts, score.travel) < (best.score.conflicts, best.score.travel) { best = (groups, score) }
            // Each centre moves towards its members' geometric median.
            for g in 0..<k where !groups[g].isEmpty {
                var (x, y) = centres[g]
                for _ in 0..<5 {
                    var wx = 0.0
                    var wy = 0.0
                    var w = 0.0
                    for m in groups[g] {
                        let d = max(1.0, ((xs[m] - x) * (xs[m] - x) + (ys[m] - y) * (ys[m] - y)).squareRoot())
                        wx += xs[m] / d
                        wy += ys[m] / d
                        w += 1 / d
                    }
                    x = wx / w
                    y = wy / w
                }
                centres[g] = (x, y)
            }
        }
        setGroups(best.groups)
    }

    mutating func solve(maximumPasses: Int = 200) {
        let k = members.count
        guard k > 1 else { return }
        cluster()
        var changed = [Int](repeating: 0, count: k)
        var removal = [Double](repeating: 0, count: upper + 1)
        var toI = [Double](repeating: 0, count: upper + 1)
        for pass in 1...maximumPasses {
            let near = nearby()
            var improved = false
            for i in 0..<n {
                let a = groupOf[i]
                if pass > 2 && changed[a] < pass - 1 && !near[a].contains(where: { changed[$0] >= pass - 1 }) {
                    continue
                }
                let ma = members[a]
                let si = school[i]
                // Group a without i: each remaining candidate's sum, and the conflicts that remain.
                var aWithout = Double.infinity
                for (q, c) in ma.enumerated() {
                    if c == i {
                        removal[q] = .infinity
                        continue
                    }
                    removal[q] = sums[a][q] - d(c, i)
                    aWithout = min(aWithout, removal[q])
                }
                let iConflictsInA = restricted[i] && hasSchool(si, in: a, except: i)
                let aConflictsWithout = conflicts[a] - (iConflictsInA ? 1 : 0)
                var bestDelta = -1e-6
                var bestMove: (b: Int, j: Int)? = nil
                for b in near[a] {
                    let mb = members[b]
                    // i's distances to b's members, and b's sums with i added.
                    var iSum = 0.0
                    var bWith = Double.infinity
                    for (q, c) in mb.enumerated() {
                        toI[q] = d(c, i)
                        iSum += toI[q]
                        bWith = min(bWith, sums[b][q] + toI[q])
                    }
                    let before = cost[a] + cost[b]
                    let conflictsBefore = conflicts[a] + conflicts[b]
                    let iClashesInB = restricted[i] && hasSchool(si, in: b, except: -1)
                    if ma.count > lower && mb.count < upper {
                        let delta =
                            (aWithout + min(bWith, iSum) - before)
                            + Double(aConflictsWithout + conflicts[b] + (iClashesInB ? 1 : 0) - conflictsBefore)
                            * Self.penalty
                        if delta < bestDelta {
                            bestDelta = delta
                            bestMove = (b, -1)
                        }
                    }
                    for (r, j) in mb.enumerated() {
                        let sj = school[j]
                        // a with j in place of i.
                        var aNew = Double.infinity
                        var jSum = 0.0
                        for (q, c) in ma.enumerated() where c != i {
                            let v = d(c, j)
                            jSum += v
                            aNew = min(aNew, removal[q] + v)
                        }
                        aNew = min(aNew, jSum)
                        // b with i in place of j.
                        var bNew = Double.infinity
                        for (q, c) in mb.enumerated() where c != j {
                            bNew = min(bNew, sums[b][q] - d(c, j) + toI[q])
                        }
                        bNew = min(bNew, iSum - toI[r])
                        var ca = aConflictsWithout
                        if restricted[j] && hasSchool(sj, in: a, except: i) { ca += 1 }
                        var cb = conflicts[b]
                        if restricted[j] && hasSchool(sj, in: b, except: j) { cb -= 1 }
                        if restricted[i] && hasSchool(si, in: b, except: j) { cb += 1 }
                        let delta = (aNew + bNew - before) + Double(ca + cb - conflictsBefore) * Self.penalty
                        if delta < bestDelta {
                            bestDelta = delta
                            bestMove = (b, j)
                        }
                    }
                }
                guard let move = bestMove else { continue }
                members[a].removeAll { $0 == i }
                members[move.b].append(i)
                groupOf[i] = move.b
                if move.j >= 0 {
                    members[move.b].removeAll { $0 == move.j }
                    members[a].append(move.j)
                    groupOf[move.j] = a
                }
                refresh(a)
                refresh(move.b)
                changed[a] = pass
                changed[move.b] = pass
                improved = true
            }
            if !improved { break }
        }
    }
}

/// Positions along a Hilbert curve on a 65,536 x 65,536 grid: points close on the curve are close on the map.
enum Hilbert {
    static func index(x: UInt32, y: UInt32) -> UInt64 {
        var x = x
        var y = y
        var d: UInt64 = 0
        var s: UInt32 = 1 << 15
        while s > 0 {
            let rx: UInt32 = (x & s) > 0 ? 1 : 0
            let ry: UInt32 = (y & s) > 0 ? 1 : 0
            d += UInt64(s) * UInt64(s) * UInt64((3 * rx) ^ ry)
            if ry == 0 {
                if rx == 1 {
                    x = 65535 &- x
                    y = 65535 &- y
                }
                swap(&x, &y)
            }
            s >>= 1
        }
        return d
    }
}

extension PeerGrouping {
    /// Groups given by a label per member (as an `id,group` file gives them), with their meeting schools.
    public init(members: [PeerGroupMember], labels: [String]) {
        var order: [String] = []
        var byLabel: [String: [Int]] = [:]
        for (i, label) in labels.enumerated() {
            if byLabel[label] == nil { order.append(label) }
            byLabel[label, default: []].append(i)
        }
        self.init(
            members: members,
            groups: order.map { PeerGrouping.meetingOf(byLabel[$0]!, members: members, locked: false) },
            unkept: [])
    }
}

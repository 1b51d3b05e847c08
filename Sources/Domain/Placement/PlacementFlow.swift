/// The exact minimum-cost flow of a placement network, solved on the network's own shape rather than a general
/// graph: trainees -> (school, subject) slots -> schools (one unit per mentor) -> sink, and each trainee's
/// "unplaced" arc straight to the sink at the penalty.
///
/// Successive shortest paths: each trainee in turn is routed by a Dijkstra search on reduced costs (node
/// potentials keep them non-negative), which may move earlier trainees to other schools or out when that is
/// cheaper. A search stops when the sink is settled, skips anything already dearer than the best route to the sink
/// found so far, and updates potentials only where it went, so routine trainees cost a few hundred steps. The
/// result is optimal: equal in cost to any other minimum-cost flow on the same network.
struct PlacementFlow {
    // Trainees: candidate slots and costs (CSR), and where each is now.
    let candidateStart: [Int32]
    let candidateSlot: [Int32]
    let candidateCost: [Int32]
    /// What leaving each trainee unplaced costs.
    let penalty: [Int64]
    // Slots, grouped by school: school, remaining capacity, and the trainees placed there (doubly linked).
    let slotSchool: [Int32]
    let slotCapacity: [Int32]
    let schoolFirstSlot: [Int32]
    let schoolMentors: [Int32]
    /// Optional groups of trainees (providers) with a limit on how many of each may be left unplaced: each
    /// trainee's unplaced arc then runs through its group's node, whose arc to the sink carries the limit. Empty
    /// when there are no limits.
    var group: [Int32] = []
    var groupUnplacedLimit: [Int32] = []
    /// Penalty passes (only without groups): when set, the first pass routes every trainee as if leaving them
    /// unplaced cost `passPenalties[0]` (where that is below their own penalty), and each later pass routes the
    /// trainees still unplaced again at the next penalty, then at their own. Raising a penalty keeps every reduced
    /// cost non-negative and an unplaced trainee carries no flow, so each pass continues from the last one's flow
    /// and potentials. After each pass but the last, if no unplaced trainee could be placed at any cost (a
    /// maximum flow), the passes stop: with equal penalties the flow is then optimal for them too (see
    /// `PlacementAllocator.optimal`). Small first penalties keep the searches of a saturated area short.
    var passPenalties: [Int64] = []

    static let unplaced: Int32 = -1

    struct Outcome {
        /// Each trainee's slot, or -1.
        var slot: [Int32]
        /// Each trainee's candidate index (into candidateSlot), or -1.
        var arc: [Int32]
        var searches = 0
        var settled = 0
        /// False when the group limits cannot all be met: some trainee could be neither placed nor left unplaced.
        var feasible = true
        /// The penalty passes run, and whether they stopped early at a maximum flow (no unplaced trainee could be
        /// placed by moving others).
        var passes = 0
        var stoppedAtMaximumFlow = false
        /// Unplaced trainees routed again in later passes.
        var rerouted = 0
    }

    func solve() -> Outcome {
        let t = candidateStart.count - 1
        let j = slotSchool.count
        let h = schoolMentors.count
        let slotBase = t
        let schoolBase = t + j
        let groupBase = t + j + h
        let groups = group.isEmpty ? 0 : groupUnplacedLimit.count
        let sink = groupBase + groups
        let n = sink + 1

        // All working state in raw buffers: the search loop is the hot path of every allocation.
        func buffer<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
            p.initialize(repeating: value, count: max(count, 1))
            return p
        }
        let slotResidual = buffer(j, Int32(0))
        let schoolResidual = buffer(h, Int32(0))
        for s in 0..<j { slotResidual[s] = slotCapacity[s] }
        for s in 0..<h { schoolResidual[s] = schoolMentors[s] }
        let groupResidual = buffer(groups, Int32(0))
        let groupHead = buffer(groups, Int32(-1))
        for g in 0..<groups { groupResidual[g] = groupUnplacedLimit[g] }
        let groupOf = buffer(t, Int32(-1))
        if groups > 0 { for i in 0..<t { groupOf[i] = group[i] } }
        let assigned = buffer(t, Self.unplaced)
        let assignedArc = buffer(t, Int32(-1))
        let memberHead = buffer(j, Int32(-1))
        let memberNext = buffer(t, Int32(-1))
        let memberPrev = buffer(t, Int32(-1))
        // Each node's distance in the current search and potential side by side: one memory access for both.
        let ns = buffer(n, NodeState(dist: .max, pot: 0))
        let parent = buffer(n, Int32(-1))
        let parentArc = buffer(n, Int32(-1))
        let visited = buffer(n, false)
        let touched = buffer(n, Int32(0))
        let settled = buffer(n, Int32(0))
        let path = buffer(n, Int32(0))
        var heap = MinHeap(capacity: 1024)
        let pen = buffer(t, Int64(0))
        for i in 0..<t { pen[i] = passPenalties.first.map { Swift.min($0, penalty[i]) } ?? penalty[i] }
        let queue = buffer(n, Int32(0))
        defer {
            for p in [
                slotResidual, schoolResidual, assigned, assignedArc, memberHead, memberNext, memberPrev, parent,
                parentArc, touched, settled, path, groupResidual, groupHead, groupOf,
            ] as [UnsafeMutablePointer<Int32>] {
                p.deallocate()
            }
            ns.deallocate()
            pen.deallocate()
            queue.deallocate()
            visited.deallocate()
            heap.deallocate()
        }
        var outcome = Outcome(slot: [], arc: [])

        candidateStart.withUnsafeBufferPointer { startBuffer in
            candidateSlot.withUnsafeBufferPointer { slotBuffer in
                candidateCost.withUnsafeBufferPointer { costBuffer in
                    slotSchool.withUnsafeBufferPointer { slotSchoolBuffer in
                        slotCapacity.withUnsafeBufferPointer { capacityBuffer in
                            schoolFirstSlot.withUnsafeBufferPointer { firstSlotBuffer in
                                let start = startBuffer.baseAddress!
                                let cslot = slotBuffer.baseAddress!
                                let ccost = costBuffer.baseAddress!
                                let slotSchool = slotSchoolBuffer.baseAddress!
                                let slotCapacity = capacityBuffer.baseAddress!
                                let firstSlot = firstSlotBuffer.baseAddress!
                                // Trainees in id order: any order reaches the same optimum; measured on the
                                // benchmark instances, id order (spatially random) explored least.
                                var sources = Array(0..<Int32(t))
                                var pass = 0
                                passes: while true {
                                    search: for source32 in sources {
                                        let source = Int(source32)
                                        var touchedCount = 0
                                        var settledCount = 0
                                        ns[source].dist = 0
                                        touched[0] = Int32(source)
                                        touchedCount = 1
                                        heap.push(0, Int32(source))
                                        @inline(__always) func relax(_ v: Int, _ nd: Int64, from u: Int, arc: Int32) {
                                            // (A settled node never improves: reduced costs are non-negative.)
                                            if nd < ns[v].dist && nd < ns[sink].dist {
                                                if ns[v].dist == .max {
                                                    touched[touchedCount] = Int32(v)
                                                    touchedCount &+= 1
                                                }
                                                ns[v].dist = nd
                                                parent[v] = Int32(truncatingIfNeeded: u)
                                                parentArc[v] = arc
                                                heap.push(nd, Int32(truncatingIfNeeded: v))
                                            }
                                        }
                                        @inline(__always) func relaxSink(_ nd: Int64, from u: Int) {
                                            if nd < ns[sink].dist {
                                                if ns[sink].dist == .max {
                                                    touched[touchedCount] = Int32(sink)
                                                    touchedCount &+= 1
                                                }
                                                ns[sink].dist = nd
                                                parent[sink] = Int32(truncatingIfNeeded: u)
                                                heap.push(nd, Int32(sink))
                                            }
                                        }
                                        while heap.count > 0 {
                                            let (d, u32) = heap.pop()
                                            let u = Int(u32)
                                            if d > ns[u].dist { continue }
                                            if d >= ns[sink].dist && u != sink { break }
                                            settled[settledCount] = u32
                                            settledCount &+= 1
                                            if u == sink { break }
                                            let pu = ns[u].pot
                                            if u < slotBase {
                                                // A trainee: to any candidate slot but its own; or out, at the penalty.
                                                // Candidates are in order of cost and potentials are never positive,
                                                // so once d + cost + pu reaches the best route to the sink, none after
                                                // can beat it. A slot with room at a school with a free mentor
                                                // completes a route at once: its reduced length telescopes to
                                                // d + cost + pu.
                                                let mine = Int(assigned[u])
                                                // (An unplaced trainee reached back from its group's node is already
                                                // on its unplaced arc.)
                                                if groups == 0 {
                                                    relaxSink(d &+ pen[u] &+ pu &- ns[sink].pot, from: u)
                                                } else if mine >= 0 || u == source {
                                                    let g = groupBase &+ Int(groupOf[u])
                                                    relax(g, d &+ pen[u] &+ pu &- ns[g].pot, from: u, arc: -1)
                                                }
                                                var c = Int(start[u])
                                                let end = Int(start[u &+ 1])
                                                while c < end {
                                                    let base = d &+ Int64(ccost[c]) &+ pu
                                                    if base >= ns[sink].dist { break }
                                                    let s = Int(cslot[c])
                                                    if s != mine {
                                                        let v = slotBase &+ s
                                                        let nd = base &- ns[v].pot
                                                        relax(v, nd, from: u, arc: Int32(truncatingIfNeeded: c))
                                                        if slotResidual[s] > 0 && ns[v].dist == nd {
                                                            let school = Int(slotSchool[s])
                                                            if schoolResidual[school] > 0 {
                                                                let w = schoolBase &+ school
                                                                let nw = nd &+ ns[v].pot &- ns[w].pot
                                                                relax(w, nw, from: v, arc: -1)
                                                                if ns[w].dist == nw { relaxSink(base, from: w) }
                                                            }
                                                        }
                                                    }
                                                    c &+= 1
                                                }
                                            } else if u < schoolBase {
                                                // A slot: on to its school if it has room; or back from a trainee placed
                                                // here.
                                                let s = u &- slotBase
                                                if slotResidual[s] > 0 {
                                                    let v = schoolBase &+ Int(slotSchool[s])
                                                    relax(v, d &+ pu &- ns[v].pot, from: u, arc: -1)
                                                }
                                                var m = memberHead[s]
                                                while m >= 0 {
                                                    let v = Int(m)
                                                    relax(
                                                        v, d &- Int64(ccost[Int(assignedArc[v])]) &+ pu &- ns[v].pot,
                                                        from: u,
                                                        arc: -1)
                                                    m = memberNext[v]
                                                }
                                            } else if u >= groupBase {
                                                // A provider's unplaced node: to the sink while under its limit; or back
                                                // to a trainee left unplaced, who may then be placed instead.
                                                let g = u &- groupBase
                                                if groupResidual[g] > 0 { relaxSink(d &+ pu &- ns[sink].pot, from: u) }
                                                var m = groupHead[g]
                                                while m >= 0 {
                                                    let v = Int(m)
                                                    relax(v, d &- pen[v] &+ pu &- ns[v].pot, from: u, arc: -1)
                                                    m = memberNext[v]
                                                }
                                            } else {
                                                // A school: to the sink if a mentor is free; or back into a slot that has
                                                // trainees.
                                                let school = u &- schoolBase
                                                if schoolResidual[school] > 0 {
                                                    relaxSink(d &+ pu &- ns[sink].pot, from: u)
                                                }
                                                var s = Int(firstSlot[school])
                                                let last = Int(firstSlot[school &+ 1])
                                                while s < last {
                                                    if slotResidual[s] < slotCapacity[s] {
                                                        let v = slotBase &+ s
                                                        relax(v, d &+ pu &- ns[v].pot, from: u, arc: -1)
                                                    }
                                                    s &+= 1
                                                }
                                            }
                                        }
                                        let reach = ns[sink].dist
                                        if reach == .max {
                                            // Only group limits can leave a trainee with nowhere to go.
                                            precondition(groups > 0, "a trainee cannot reach the sink")
                                            outcome.feasible = false
                                            break passes
                                        }
                                        for i in 0..<settledCount {
                                            let v = Int(settled[i])
                                            ns[v].pot = ns[v].pot &+ ns[v].dist &- reach
                                        }
                                        // Apply the path from the source to the sink (a trainee leaves its old slot
                                        // before it joins a new one).
                                        var length = 0
                                        var w = sink
                                        while w != source {
                                            path[length] = Int32(w)
                                            length &+= 1
                                            w = Int(parent[w])
                                        }
                                        path[length] = Int32(source)
                                        var i = length
                                        while i > 0 {
                                            let u = Int(path[i])
                                            let v = Int(path[i &- 1])
                                            if u < slotBase {
                                                if v == sink {
                                                    assigned[u] = Self.unplaced
                                                    assignedArc[u] = -1
                                                } else if v >= groupBase {
                                                    let g = v &- groupBase
                                                    assigned[u] = Self.unplaced
                                                    assignedArc[u] = -1
                                                    memberPrev[u] = -1
                                                    memberNext[u] = groupHead[g]
                                                    if groupHead[g] >= 0 { memberPrev[Int(groupHead[g])] = Int32(u) }
                                                    groupHead[g] = Int32(u)
                                                } else {
                                                    let s = v &- slotBase
                                                    assigned[u] = Int32(s)
                                                    assignedArc[u] = parentArc[v]
                                                    memberPrev[u] = -1
                                                    memberNext[u] = memberHead[s]
                                                    if memberHead[s] >= 0 { memberPrev[Int(memberHead[s])] = Int32(u) }
                                                    memberHead[s] = Int32(u)
                                                }
                                            } else if u < schoolBase {
                                                let s = u &- slotBase
                                                if v < slotBase {
                                                    let p = memberPrev[v]
                                                    let q = memberNext[v]
                                                    if p >= 0 { memberNext[Int(p)] = q } else { memberHead[s] = q }
                                                    if q >= 0 { memberPrev[Int(q)] = p }
                                                } else {
                                                    slotResidual[s] &-= 1
                                                }
                                            } else if u >= groupBase {
                                                let g = u &- groupBase
                                                if v == sink {
                                                    groupResidual[g] &-= 1
                                                } else {
                                                    let p = memberPrev[v]
                                                    let q = memberNext[v]
                                                    if p >= 0 { memberNext[Int(p)] = q } else { groupHead[g] = q }
                                                    if q >= 0 { memberPrev[Int(q)] = p }
                                                }
                                            } else {
                                                let school = u &- schoolBase
                                                if v == sink {
                                                    schoolResidual[school] &-= 1
                                                } else {
                                                    slotResidual[v &- slotBase] &+= 1
                                                }
                                            }
                                            i &-= 1
                                        }
                                        outcome.searches &+= 1
                                        outcome.settled &+= settledCount
                                        for i in 0..<touchedCount {
                                            let v = Int(touched[i])
                                            ns[v].dist = .max
                                        }
                                        heap.removeAll()
                                    }
                                    outcome.passes = pass &+ 1
                                    guard pass < passPenalties.count, groups == 0 else { break passes }
                                    // Is there still a route from an unplaced trainee to a free place, whatever it
                                    // costs? A breadth-first search of the residual network from all of them.
                                    var head = 0
                                    var tail = 0
                                    func visit(_ v: Int) {
                                        if visited[v] { return }
                                        visited[v] = true
                                        queue[tail] = Int32(truncatingIfNeeded: v)
                                        tail &+= 1
                                    }
                                    for u in 0..<t where assigned[u] == Self.unplaced { visit(u) }
                                    var augmentable = false
                                    bfs: while head < tail {
                                        let u = Int(queue[head])
                                        head &+= 1
                                        if u < slotBase {
                                            let mine = Int(assigned[u])
                                            for c in Int(start[u])..<Int(start[u &+ 1]) where Int(cslot[c]) != mine {
                                                visit(slotBase &+ Int(cslot[c]))
                                            }
                                        } else if u < schoolBase {
                                            let s = u &- slotBase
                                            if slotResidual[s] > 0 {
                                                let w = Int(slotSchool[s])
                                                if schoolResidual[w] > 0 {
                                                    augmentable = true
                                                    break bfs
                                                }
                                                visit(schoolBase &+ w)
                                            }
                                            var m = memberHead[s]
                                            while m >= 0 {
                                                visit(Int(m))
                                                m = memberNext[Int(m)]
                                            }
                                        } else {
                                            let school = u &- schoolBase
                                            for s in Int(firstSlot[school])..<Int(firstSlot[school &+ 1])
                                            where slotResidual[s] < slotCapacity[s] {
                                                visit(slotBase &+ s)
                                            }
                                        }
                                    }
                                    for i in 0..<tail { visited[Int(queue[i])] = false }
                                    if !augmentable {
                                        outcome.stoppedAtMaximumFlow = true
                                        break passes
                                    }
                                    // Route the unplaced again at the next penalty (the potentials stand: see above).
                                    let next = pass &+ 1 < passPenalties.count ? passPenalties[pass &+ 1] : Int64.max
                                    for i in 0..<t { pen[i] = Swift.min(next, penalty[i]) }
                                    sources = (0..<Int32(t)).filter { assigned[Int($0)] == Self.unplaced }
                                    outcome.rerouted &+= sources.count
                                    pass &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
        outcome.slot = Array(UnsafeBufferPointer(start: assigned, count: t))
        outcome.arc = Array(UnsafeBufferPointer(start: assignedArc, count: t))
        return outcome
    }
}

/// A node's distance in the current search and its potential.
struct NodeState {
    var dist: Int64
    var pot: Int64
}

/// A binary min-heap of (key, node) in raw buffers that grow as needed; stale entries are skipped by the caller.
struct MinHeap {
    var keys: UnsafeMutablePointer<Int64>
    var nodes: UnsafeMutablePointer<Int32>
    var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        keys = .allocate(capacity: capacity)
        nodes = .allocate(capacity: capacity)
    }

    func deallocate() {
        keys.deallocate()
        nodes.deallocate()
    }

    mutating func grow() {
        let k = UnsafeMutablePointer<Int64>.allocate(capacity: capacity * 2)
        let n = UnsafeMutablePointer<Int32>.allocate(capacity: capacity * 2)
        k.moveInitialize(from: keys, count: count)
        n.moveInitialize(from: nodes, count: count)
        keys.deallocate()
        nodes.deallocate()
        keys = k
        nodes = n
        capacity *= 2
    }

    @inline(__always)
    mutating func push(_ key: Int64, _ node: Int32) {
        if count == capacity { grow() }
        var i = count
        count &+= 1
        while i > 0 {
            let parent = (i &- 1) >> 1
            if keys[parent] <= key { break }
            keys[i] = keys[parent]
            nodes[i] = nodes[parent]
            i = parent
        }
        keys[i] = key
        nodes[i] = node
    }

    @inline(__always)
    mutating func pop() -> (Int64, Int32) {
        let top = keys[0]
        let topNode = nodes[0]
        count &-= 1
        let n = count
        if n > 0 {
            let lastKey = keys[n]
            let lastNode = nodes[n]
            var i = 0
            while true {
                var c = 2 &* i &+ 1
                if c >= n { break }
                if c &+ 1 < n && keys[c &+ 1] < keys[c] { c &+= 1 }
                if keys[c] >= lastKey { break }
                keys[i] = keys[c]
                nodes[i] = nodes[c]
                i = c
            }
            keys[i] = lastKey
            nodes[i] = lastNode
        }
        return (top, topNode)
    }

    mutating func removeAll() { count = 0 }
}

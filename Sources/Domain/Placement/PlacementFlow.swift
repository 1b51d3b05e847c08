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

    static let unplaced: Int32 = -1

    struct Outcome {
        /// Each trainee's slot, or -1.
        var slot: [Int32]
        /// Each trainee's candidate index (into candidateSlot), or -1.
        var arc: [Int32]
        var searches = 0
        var settled = 0

    }

    func solve() -> Outcome {
        let t = candidateStart.count - 1
        let j = slotSchool.count
        let h = schoolMentors.count
        let slotBase = t
        let schoolBase = t + j
        let sink = t + j + h
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
        let assigned = buffer(t, Self.unplaced)
        let assignedArc = buffer(t, Int32(-1))
        let memberHead = buffer(j, Int32(-1))
        let memberNext = buffer(t, Int32(-1))
        let memberPrev = buffer(t, Int32(-1))
        let pot = buffer(n, Int64(0))
        let dist = buffer(n, Int64.max)
        let parent = buffer(n, Int32(-1))
        let parentArc = buffer(n, Int32(-1))
        let done = buffer(n, false)
        let touched = buffer(n, Int32(0))
        let settled = buffer(n, Int32(0))
        let path = buffer(n, Int32(0))
        var heap = MinHeap(capacity: 1024)
        defer {
            for p in [
                slotResidual, schoolResidual, assigned, assignedArc, memberHead, memberNext, memberPrev, parent,
                parentArc, touched, settled, path,
            ] as [UnsafeMutablePointer<Int32>] {
                p.deallocate()
            }
            pot.deallocate()
            dist.deallocate()
            done.deallocate()
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
                                for source in 0..<t {
                                    var touchedCount = 0
                                    var settledCount = 0
                                    dist[source] = 0
                                    touched[0] = Int32(source)
                                    touchedCount = 1
                                    heap.push(0, Int32(source))
                                    @inline(__always) func relax(_ v: Int, _ nd: Int64, from u: Int, arc: Int32) {
                                        if nd < dist[v] && nd < dist[sink] && !done[v] {
                                            if dist[v] == .max {
                                                touched[touchedCount] = Int32(v)
                                                touchedCount &+= 1
                                            }
                                            dist[v] = nd
                                            parent[v] = Int32(truncatingIfNeeded: u)
                                            parentArc[v] = arc
                                            heap.push(nd, Int32(truncatingIfNeeded: v))
                                        }
                                    }
                                    @inline(__always) func relaxSink(_ nd: Int64, from u: Int) {
                                        if nd < dist[sink] {
                                            if dist[sink] == .max {
                                                touched[touchedCount] = Int32(sink)
                                                touchedCount &+= 1
                                            }
                                            dist[sink] = nd
                                            parent[sink] = Int32(truncatingIfNeeded: u)
                                            heap.push(nd, Int32(sink))
                                        }
                                    }
                                    while heap.count > 0 {
                                        let (d, u32) = heap.pop()
                                        let u = Int(u32)
                                        if done[u] || d > dist[u] { continue }
                                        if d >= dist[sink] && u != sink { break }
                                        done[u] = true
                                        settled[settledCount] = u32
                                        settledCount &+= 1
                                        if u == sink { break }
                                        let pu = pot[u]
                                        if u < slotBase {
                                            // A trainee: to any candidate slot but its own; or out, at the penalty.
                                            // Candidates are in order of cost and potentials are never positive,
                                            // so once d + cost + pu reaches the best route to the sink, none after
                                            // can beat it. A slot with room at a school with a free mentor
                                            // completes a route at once: its reduced length telescopes to
                                            // d + cost + pu.
                                            relaxSink(d &+ penalty[u] &+ pu &- pot[sink], from: u)
                                            let mine = Int(assigned[u])
                                            var c = Int(start[u])
                                            let end = Int(start[u &+ 1])
                                            while c < end {
                                                let base = d &+ Int64(ccost[c]) &+ pu
                                                if base >= dist[sink] { break }
                                                let s = Int(cslot[c])
                                                if s != mine {
                                                    let v = slotBase &+ s
                                                    let nd = base &- pot[v]
                                                    relax(v, nd, from: u, arc: Int32(truncatingIfNeeded: c))
                                                    if slotResidual[s] > 0 && dist[v] == nd {
                                                        let school = Int(slotSchool[s])
                                                        if schoolResidual[school] > 0 {
                                                            let w = schoolBase &+ school
                                                            let nw = nd &+ pot[v] &- pot[w]
                                                            relax(w, nw, from: v, arc: -1)
                                                            if dist[w] == nw { relaxSink(base, from: w) }
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
                                                relax(v, d &+ pu &- pot[v], from: u, arc: -1)
                                            }
                                            var m = memberHead[s]
                                            while m >= 0 {
                                                let v = Int(m)
                                                relax(
                                                    v, d &- Int64(ccost[Int(assignedArc[v])]) &+ pu &- pot[v], from: u,
                                                    arc: -1)
                                                m = memberNext[v]
                                            }
                                        } else {
                                            // A school: to the sink if a mentor is free; or back into a slot that has
                                            // trainees.
                                            let school = u &- schoolBase
                                            if schoolResidual[school] > 0 { relaxSink(d &+ pu &- pot[sink], from: u) }
                                            var s = Int(firstSlot[school])
                                            let last = Int(firstSlot[school &+ 1])
                                            while s < last {
                                                if slotResidual[s] < slotCapacity[s] {
                                                    let v = slotBase &+ s
                                                    relax(v, d &+ pu &- pot[v], from: u, arc: -1)
                                                }
                                                s &+= 1
                                            }
                                        }
                                    }
                                    let reach = dist[sink]
                                    precondition(reach != .max, "a trainee cannot reach the sink")
                                    for i in 0..<settledCount {
                                        let v = Int(settled[i])
                                        pot[v] = pot[v] &+ dist[v] &- reach
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
                                        dist[v] = .max
                                        done[v] = false
                                    }
                                    heap.removeAll()
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

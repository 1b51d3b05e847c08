import Foundation

/// How neighbours are chosen for Gi*.
public enum Neighbourhood: Hashable, Sendable {
    /// Every other point within this many metres (inclusive), by squared distance so that integer coordinates
    /// are compared exactly.
    case distanceBand(metres: Double)
    /// The k nearest other points; ties at the k-th distance are broken by the lower index.
    case nearest(k: Int)
}

/// How the weights of a point's neighbourhood are scaled.
public enum WeightTransform: String, Hashable, Sendable, CaseIterable {
    /// w_ij = 1 for j in the neighbourhood, and w_ii = 1.
    case binary
    /// Each row divided by its sum: w_ij = 1 / (k_i + 1) over the neighbourhood and i itself.
    case rowStandardised = "row-standardised"
}

/// Which p-values count when deciding whether a point is significant.
public enum MultipleTesting: Hashable, Sendable {
    case none
    /// Benjamini-Hochberg: control the false discovery rate at q.
    case falseDiscoveryRate(q: Double)
}

/// Options for a Gi* run.
public struct GetisOrdOptions: Hashable, Sendable {
    public var neighbourhood: Neighbourhood
    public var transform: WeightTransform
    /// Conditional permutations for pseudo p-values; 0 for none.
    public var permutations: Int
    public var seed: UInt64
    public var multipleTesting: MultipleTesting

    public init(
        neighbourhood: Neighbourhood = .distanceBand(metres: 10_000), transform: WeightTransform = .binary,
        permutations: Int = 0, seed: UInt64 = 12345, multipleTesting: MultipleTesting = .none
    ) {
        self.neighbourhood = neighbourhood
        self.transform = transform
        self.permutations = permutations
        self.seed = seed
        self.multipleTesting = multipleTesting
    }
}

/// Gi* for one point.
public struct GiStar: Hashable, Sendable {
    /// Neighbours, not counting the point itself.
    public var neighbours: Int
    /// The statistic G*_i = sum_j w_ij x_j / sum_j x_j (j over all points, w_ii included).
    public var g: Double
    public var z: Double
    /// Two-sided p-value of z under the normal approximation.
    public var pNorm: Double
    /// One-sided pseudo p-value from conditional permutations, (extreme + 1) / (permutations + 1), where extreme
    /// is the smaller of the two tails' counts, each counting ties (see `conditionalPermutations`); nil without
    /// permutations.
    public var pSim: Double?
    /// -3, -2, -1: cold spot at 99, 95, 90% confidence; 0 not significant; 1, 2, 3: hot spot at 90, 95, 99%.
    public var classification: Int
}

/// Why Gi* cannot be computed for the input.
public enum GetisOrdError: Error, Hashable, Sendable, CustomStringConvertible {
    case tooFewPoints(Int)
    case negativeValue(index: Int, value: Double)
    case notFinite(index: Int)
    case allValuesEqual
    case badOption(String)

    public var description: String {
        switch self {
        case .tooFewPoints(let n): "Gi* needs at least 3 points; got \(n)"
        case .negativeValue(let i, let v):
            "value \(v) of point \(i + 1) is negative: Gi* needs non-negative values (counts or rates)"
        case .notFinite(let i): "point \(i + 1) has a coordinate or value that is not a finite number"
        case .allValuesEqual: "all values are equal, so nothing can stand out: Gi* is undefined"
        case .badOption(let m): m
        }
    }
}

/// Getis-Ord Gi* (Ord and Getis 1995): the local statistic with the point included in its own neighbourhood.
///
/// For point i with weights w_ij (w_ii included), n points, mean x̄ and population standard deviation s,
/// W_i = Σ_j w_ij and S1_i = Σ_j w_ij²:
///
///     z_i = (Σ_j w_ij x_j − x̄ W_i) / (s √((n S1_i − W_i²) / (n − 1)))
///
/// The z-score does not change when a row of weights is multiplied by a constant, so row-standardised weights
/// (a constant 1/(k_i+1) per row) give exactly the binary z. PySAL's esda computes the row-standardised variance
/// as W_i(n − W_i)/(n − 1) in place of n S1_i − W_i², which is the binary formula's shape evaluated at W_i = 1;
/// its z is smaller than the textbook one by about √(k_i+1), understating every hot and cold spot. Chalkface uses
/// the textbook formula for both and its tests check that row-standardised z equals binary z.
public enum GetisOrd {
    /// Coordinates further from the origin than this (10,000 km) are not metres on one national grid.
    public static let coordinateLimit = 1e7
    /// The widest distance band (1,000 km: wider than Great Britain).
    public static let bandLimit = 1e6
    /// The largest value; keeps sums of squares far from overflow.
    public static let valueLimit = 1e12

    public static func compute(
        x: [Double], y: [Double], values: [Double], options: GetisOrdOptions = GetisOrdOptions()
    ) throws(GetisOrdError) -> [GiStar] {
        let n = values.count
        guard x.count == n, y.count == n else { throw .badOption("coordinates and values differ in length") }
        guard n >= 3 else { throw .tooFewPoints(n) }
        for i in 0..<n {
            guard x[i].isFinite, y[i].isFinite, values[i].isFinite else { throw .notFinite(index: i) }
            guard abs(x[i]) <= coordinateLimit, abs(y[i]) <= coordinateLimit else {
                throw .badOption(
                    "point \(i + 1) lies more than \(Int(coordinateLimit / 1000)) km from the grid's origin: coordinates must be metres on one grid"
                )
            }
            if values[i] < 0 { throw .negativeValue(index: i, value: values[i]) }
            guard values[i] <= valueLimit else {
                throw .badOption("point \(i + 1) has a value above \(Int(valueLimit)): use smaller units")
            }
        }
        guard options.permutations >= 0, options.permutations <= 99_999 else {
            throw .badOption("permutations must be between 0 and 99999")
        }
        if case .falseDiscoveryRate(let q) = options.multipleTesting, !(q > 0 && q < 1) {
            throw .badOption("the false discovery rate must be between 0 and 1")
        }

        // Neighbour count and the sum of neighbours' values, for every point.
        let (counts, sums): ([Int32], [Double])
        switch options.neighbourhood {
        case .distanceBand(let metres):
            guard metres >= 1, metres <= bandLimit else {
                throw .badOption("the distance band must be from 1 to \(Int(bandLimit)) metres")
            }
            (counts, sums) = bandSums(x: x, y: y, values: values, band: metres)
        case .nearest(let k):
            guard k >= 1, k < n else { throw .badOption("k must be at least 1 and less than the number of points") }
            (counts, sums) = nearestSums(x: x, y: y, values: values, k: k)
        }

        var total = 0.0
        var totalSquares = 0.0
        for v in values {
            total += v
            totalSquares += v * v
        }
        let nd = Double(n)
        let mean = total / nd
        let variance = totalSquares / nd - mean * mean
        guard variance > 1e-12 * max(1, mean * mean) else { throw .allValuesEqual }
        let s = variance.squareRoot()

        var results = [GiStar](
            repeating: GiStar(neighbours: 0, g: 0, z: 0, pNorm: 1, pSim: nil, classification: 0), count: n)
        for i in 0..<n {
            let k = Double(counts[i])
            let lag = values[i] + sums[i]
            // Binary weights; the row-standardised z is identical (see above), only G is scaled.
            let wi = k + 1
            let z = (lag - mean * wi) / (s * ((nd * wi - wi * wi) / (nd - 1)).squareRoot())
            let g = options.transform == .binary ? lag / total : lag / wi / total
            results[i] = GiStar(
                neighbours: Int(counts[i]), g: g, z: z.isFinite ? z : 0, pNorm: z.isFinite ? twoSidedNormalP(z) : 1,
                pSim: nil, classification: 0)
        }

        if options.permutations > 0 {
            let pSim = conditionalPermutations(
                values: values, counts: counts, sums: sums, permutations: options.permutations, seed: options.seed)
            for i in 0..<n { results[i].pSim = pSim[i] }
        }
        classify(&results, permutations: options.permutations, multipleTesting: options.multipleTesting)
        return results
    }

    /// Two-sided p-value of a standard normal z.
    public static func twoSidedNormalP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// Assigns classes from the p-values: two-sided p_norm, or without a normal approximation 2 × p_sim
    /// (p_sim is one-sided, from the smaller tail with ties counted in both). With a false discovery rate, the p-values are first
    /// adjusted by Benjamini-Hochberg, so "significant at 95%" means an adjusted p below 0.05.
    static func classify(_ results: inout [GiStar], permutations: Int, multipleTesting: MultipleTesting) {
        var p = results.map { r in permutations > 0 ? min(1, 2 * (r.pSim ?? 1)) : r.pNorm }
        if case .falseDiscoveryRate = multipleTesting { p = benjaminiHochberg(p) }
        let fdrLevel: Double? =
            if case .falseDiscoveryRate(let q) = multipleTesting { q } else { nil }
        for i in results.indices {
            let level: Int =
                if p[i] <= 0.01 { 3 } else if p[i] <= 0.05 { 2 } else if p[i] <= 0.10 { 1 } else { 0 }
            // With an FDR, a point is significant at all only if its adjusted p is within q.
            let allowed = fdrLevel.map { p[i] <= $0 } ?? true
            results[i].classification = allowed && level > 0 ? (results[i].z >= 0 ? level : -level) : 0
        }
    }

    /// Benjamini-Hochberg adjusted p-values (step-up; monotone; capped at 1).
    public static func benjaminiHochberg(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { p[$0] > p[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 1.0
        for (rankFromTop, i) in order.enumerated() {
            let rank = m - rankFromTop
            running = min(running, p[i] * Double(m) / Double(rank))
            adjusted[i] = running
        }
        return adjusted
    }

    // MARK: - Neighbours

    static func bandSums(x: [Double], y: [Double], values: [Double], band: Double) -> ([Int32], [Double]) {
        let n = values.count
        let grid = SpatialGrid(x: x, y: y, cellSize: band)
        let band2 = band * band
        var counts = [Int32](repeating: 0, count: n)
        var sums = [Double](repeating: 0, count: n)
        // Points in cell order, with their coordinates and values alongside, so the inner loop reads memory in order.
        let sx = grid.order.map { x[Int($0)] }
        let sy = grid.order.map { y[Int($0)] }
        let sv = grid.order.map { values[Int($0)] }
        var scount = [Int32](repeating: 0, count: n)
        var ssum = [Double](repeating: 0, count: n)
        sx.withUnsafeBufferPointer { sx in
            sy.withUnsafeBufferPointer { sy in
                sv.withUnsafeBufferPointer { sv in
                    grid.cellStart.withUnsafeBufferPointer { start in
                        scount.withUnsafeMutableBufferPointer { scount in
                            ssum.withUnsafeMutableBufferPointer { ssum in
                                // Each pair once: a cell against itself (j > i) and against four of its neighbours.
                                let offsets = [(1, 0), (-1, 1), (0, 1), (1, 1)]
                                for cy in 0..<grid.rows {
                                    for cx in 0..<grid.columns {
                                        let c = cy * grid.columns + cx
                                        let a0 = Int(start[c])
                                        let a1 = Int(start[c + 1])
                                        if a0 == a1 { continue }
                                        for a in a0..<a1 {
                                            let ax = sx[a]
                                            let ay = sy[a]
                                            var b = a + 1
                                            while b < a1 {
                                                let dx = sx[b] - ax
                                                let dy = sy[b] - ay
                                                if dx * dx + dy * dy <= band2 {
                                                    scount[a] += 1
                                                    ssum[a] += sv[b]
                                                    scount[b] += 1
                                                    ssum[b] += sv[a]
                                                }
                                                b += 1
                                            }
                                        }
                                        for (ox, oy) in offsets {
                                            let nx = cx + ox
                                            let ny = cy + oy
                                            guard nx >= 0, nx < grid.columns, ny < grid.rows else { continue }
                                            let d = ny * grid.columns + nx
                                            let b0 = Int(start[d])
                                            let b1 = Int(start[d + 1])
                                            if b0 == b1 { continue }
                                            for a in a0..<a1 {
                                                let ax = sx[a]
                                                let ay = sy[a]
                                                let av = sv[a]
                                                var count: Int32 = 0
                                                var sum = 0.0
                                                for b in b0..<b1 {
                                                    let dx = sx[b] - ax
                                                    let dy = sy[b] - ay
                                                    if dx * dx + dy * dy <= band2 {
                                                        count += 1
                                                        sum += sv[b]
                                                        scount[b] += 1
                                                        ssum[b] += av
                                                    }
                                                }
                                                scount[a] += count
                                                ssum[a] += sum
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (sorted, original) in grid.order.enumerated() {
            counts[Int(original)] = scount[sorted]
            sums[Int(original)] = ssum[sorted]
        }
        return (counts, sums)
    }

    static func nearestSums(x: [Double], y: [Double], values: [Double], k: Int) -> ([Int32], [Double]) {
        let n = values.count
        let neighbours = nearestNeighbours(x: x, y: y, k: k)
        var sums = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for j in neighbours[(i * k)..<((i + 1) * k)] { s += values[Int(j)] }
            sums[i] = s
        }
        return ([Int32](repeating: Int32(k), count: n), sums)
    }

    /// The k nearest other points of every point, row by row (`k` entries per point), nearest first; ties by index.
    public static func nearestNeighbours(x: [Double], y: [Double], k: Int) -> [Int32] {
        let n = x.count
        // Cells holding about two points each on average.
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        for i in 0..<n {
            minX = min(minX, x[i])
            maxX = max(maxX, x[i])
            minY = min(minY, y[i])
            maxY = max(maxY, y[i])
        }
        let area = max(1, (maxX - minX) * (maxY - minY))
        let cell = max(1, (area * 2 / Double(max(n, 1))).squareRoot())
        let grid = SpatialGrid(x: x, y: y, cellSize: cell)
        var out = [Int32](repeating: 0, count: n * k)
        var candidates: [(d2: Double, j: Int32)] = []
        for i in 0..<n {
            let cx = Int((x[i] - grid.minX) / cell).clamped(to: 0...(grid.columns - 1))
            let cy = Int((y[i] - grid.minY) / cell).clamped(to: 0...(grid.rows - 1))
            candidates.removeAll(keepingCapacity: true)
            var ring = 0
            while true {
                // Add the cells on the square ring at Chebyshev distance `ring`.
                for gy in (cy - ring)...(cy + ring) where gy >= 0 && gy < grid.rows {
                    let onEdgeRow = gy == cy - ring || gy == cy + ring
                    var gx = cx - ring
                    while gx <= cx + ring {
                        if gx >= 0 && gx < grid.columns {
                            let c = gy * grid.columns + gx
                            for idx in Int(grid.cellStart[c])..<Int(grid.cellStart[c + 1]) {
                                let j = grid.order[idx]
                                if Int(j) == i { continue }
                                let dx = x[Int(j)] - x[i]
                                let dy = y[Int(j)] - y[i]
                                candidates.append((dx * dx + dy * dy, j))
                            }
                        }
                        gx += onEdgeRow ? 1 : 2 * ring
                        if ring == 0 { break }
                    }
                }
                // Every point outside the rings searched is farther than ring * cell.
                let covered = Double(ring) * cell
                if candidates.count >= k {
                    candidates.sort { $0.d2 != $1.d2 ? $0.d2 < $1.d2 : $0.j < $1.j }
                    if candidates[k - 1].d2 <= covered * covered || ring > grid.columns + grid.rows { break }
                } else if ring > grid.columns + grid.rows {
                    break
                }
                ring += 1
            }
            for m in 0..<k { out[i * k + m] = candidates[m].j }
        }
        return out
    }

    // MARK: - Permutations

    /// The pseudo p-value counts each tail on its own, with ties in both:
    ///
    ///     upper = #{simulated ≥ observed},  lower = #{simulated ≤ observed},
    ///     p_sim = (min(upper, lower) + 1) / (N + 1)
    ///
    /// esda counts only `upper` and folds it, p = (min(upper, N − upper) + 1) / (N + 1), which treats every tie as
    /// "below". For counts with many zeros (ITT lead schools, partnership schools, take-up) a school whose
    /// neighbourhood sum is 0 ties with most permutations, so esda gives it the smallest possible p and calls it a
    /// 99% cold spot although most random arrangements look exactly like it. Counting ties in both tails makes such
    /// a sum extreme in neither. Without ties (continuous data) lower = N − upper and both rules agree exactly.
    /// (A point with no neighbours ties every permutation: here p = 1; esda's fold gives it 1 / (N + 1).)
    public static func pseudoPValue(atLeast: Int, atMost: Int, permutations: Int) -> Double {
        // Each tail counted on its own, ties in both: a sum that most permutations match is extreme in neither.
        Double(min(atLeast, atMost) + 1) / Double(permutations + 1)
    }

    /// Conditional permutation: for each point, its own value fixed, the neighbours' values replaced by k_i values
    /// drawn at random without replacement from the other n − 1 points; `pseudoPValue` turns the counts into p.
    ///
    /// Each round shuffles all points once and takes, for point i, the first k_i points of the shuffle other than
    /// i itself: a uniformly random k_i-subset of the others. With prefix sums over the shuffle that is O(1) per
    /// point: the first k_i entries if i is not among them, otherwise the first k_i + 1 less x_i. A round costs
    /// O(n) rather than O(Σ k_i), which is what makes 999 permutations of 50,000 points take a second.
    static func conditionalPermutations(
        values: [Double], counts: [Int32], sums: [Double], permutations: Int, seed: UInt64
    ) -> [Double] {
        let n = values.count
        var rng = Xoshiro256StarStar(seed: seed)
        var shuffle = [Int32](0..<Int32(n))
        var position = [Int32](repeating: 0, count: n)
        var prefix = [Double](repeating: 0, count: n + 1)
        var atLeast = [Int32](repeating: 0, count: n)
        var atMost = [Int32](repeating: 0, count: n)
        // Exact comparison for integer-valued data; a relative tolerance for rates.
        let tolerance = 1e-9 * max(1, values.max() ?? 1)
        shuffle.withUnsafeMutableBufferPointer { shuffle in
            position.withUnsafeMutableBufferPointer { position in
                prefix.withUnsafeMutableBufferPointer { prefix in
                    atLeast.withUnsafeMutableBufferPointer { atLeast in
                        atMost.withUnsafeMutableBufferPointer { atMost in
                            values.withUnsafeBufferPointer { values in
                                counts.withUnsafeBufferPointer { counts in
                                    sums.withUnsafeBufferPointer { sums in
                                        for _ in 0..<permutations {
                                            var i = n - 1
                                            while i > 0 {
                                                let j = Int(rng.next(below: UInt64(i + 1)))
                                                shuffle.swapAt(i, j)
                                                i -= 1
                                            }
                                            var running = 0.0
                                            for m in 0..<n {
                                                let p = Int(shuffle[m])
                                                position[p] = Int32(m)
                                                prefix[m] = running
                                                running += values[p]
                                            }
                                            prefix[n] = running
                                            for p in 0..<n {
                                                let k = Int(counts[p])
                                                let simulated =
                                                    Int(position[p]) >= k ? prefix[k] : prefix[k + 1] - values[p]
                                                if simulated >= sums[p] - tolerance { atLeast[p] += 1 }
                                                if simulated <= sums[p] + tolerance { atMost[p] += 1 }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (0..<n).map { p in
            pseudoPValue(atLeast: Int(atLeast[p]), atMost: Int(atMost[p]), permutations: permutations)
        }
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}

/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64: fast, and the same sequence on every platform,
/// so a seed reproduces a run exactly.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var z = seed
        func splitMix() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var r = z
            r = (r ^ (r >> 30)) &* 0xBF58_476D_1CE4_E5B9
            r = (r ^ (r >> 27)) &* 0x94D0_49BB_1331_11EB
            return r ^ (r >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// A uniform integer in 0..<bound without modulo bias (Lemire's method).
    public mutating func next(below bound: UInt64) -> UInt64 {
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return m.high
    }
}

import Foundation

/// The log-rank test that two or more groups share one survival curve (lifelines' `multivariate_logrank_test`):
/// at each event time, each group's expected events under a common hazard and their hypergeometric covariance;
/// the statistic (O - E)' V⁻ (O - E) over all groups but the last is chi-square with groups - 1 degrees of freedom.
public struct LogRankTest: Sendable, Hashable {
    public var statistic: Double
    public var degreesOfFreedom: Int
    public var pValue: Double
    public var observed: [Int]
    public var expected: [Double]

    /// `groups[i]` in 0..<groupCount. Nil when there are fewer than two groups with anyone in them.
    public init?(_ data: SurvivalData, groups: [Int], groupCount: Int) {
        precondition(groups.count == data.count)
        let present = Set(groups)
        guard present.count >= 2 else { return nil }
        // Only the groups with people: an empty group would make the covariance singular.
        let order = present.sorted()
        var position = [Int](repeating: -1, count: groupCount)
        for (k, g) in order.enumerated() { position[g] = k }
        let k = order.count
        let index = TimeIndex(data.durations)
        let t = index.times.count
        var ev = [Int](repeating: 0, count: t * k)
        var out = [Int](repeating: 0, count: t * k)
        for i in 0..<data.count {
            let slot = Int(index.index[i]) * k + position[groups[i]]
            out[slot] += 1
            if data.events[i] { ev[slot] += 1 }
        }
        var atRisk = [Double](repeating: 0, count: k)
        for i in 0..<data.count { atRisk[position[groups[i]]] += 1 }
        var observed = [Int](repeating: 0, count: k)
        var expected = [Double](repeating: 0, count: k)
        var v = [Double](repeating: 0, count: k * k)
        for step in 0..<t {
            let n = atRisk.reduce(0, +)
            var d = 0.0
            for g in 0..<k { d += Double(ev[step * k + g]) }
            if d > 0 {
                for g in 0..<k {
                    observed[g] += ev[step * k + g]
                    expected[g] += d * atRisk[g] / n
                }
                if n > 1 {
                    let factor = d * (n - d) / (n - 1)
                    for a in 0..<k {
                        let pa = atRisk[a] / n
                        for b in 0..<k {
                            let pb = atRisk[b] / n
                            v[a * k + b] += factor * pa * ((a == b ? 1 : 0) - pb)
                        }
                    }
                }
            }
            for g in 0..<k { atRisk[g] -= Double(out[step * k + g]) }
        }
        let m = k - 1
        var sub = [Double](repeating: 0, count: m * m)
        for a in 0..<m { for b in 0..<m { sub[a * m + b] = v[a * k + b] } }
        let diff = (0..<m).map { Double(observed[$0]) - expected[$0] }
        let statistic: Double
        if let solved = LinearAlgebra.solveSymmetric(sub, diff, size: m) {
            statistic = zip(diff, solved).reduce(0) { $0 + $1.0 * $1.1 }
        } else {
            statistic = 0
        }
        self.statistic = statistic
        self.degreesOfFreedom = m
        self.pValue = Distributions.chiSquareSurvival(statistic, degreesOfFreedom: m)
        var fullObserved = [Int](repeating: 0, count: groupCount)
        var fullExpected = [Double](repeating: 0, count: groupCount)
        for (slot, g) in order.enumerated() {
            fullObserved[g] = observed[slot]
            fullExpected[g] = expected[slot]
        }
        self.observed = fullObserved
        self.expected = fullExpected
    }
}

/// Distribution functions the analyses need.
public enum Distributions {
    /// P(X > x) for X chi-square with `degreesOfFreedom` (the regularised upper incomplete gamma Q(k/2, x/2)).
    public static func chiSquareSurvival(_ x: Double, degreesOfFreedom: Int) -> Double {
        guard x > 0 else { return 1 }
        guard x.isFinite else { return 0 }
        return upperGammaRegularised(Double(degreesOfFreedom) / 2, x / 2)
    }

    /// Two-sided p-value of a standard normal z.
    public static func twoSidedNormal(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// Q(a, x) by the series for x < a + 1 and Lentz's continued fraction otherwise (Numerical Recipes 6.2).
    static func upperGammaRegularised(_ a: Double, _ x: Double) -> Double {
        let lnPrefix = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            var sum = 1 / a
            var term = sum
            var ap = a
            for _ in 0..<10_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-17 { break }
            }
            return max(0, 1 - sum * exp(lnPrefix))
        }
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-17 { break }
        }
        return min(1, exp(lnPrefix) * h)
    }
}

/// Small dense linear algebra for the models (covariance matrices of a few dozen rows at most).
public enum LinearAlgebra {
    /// The Cholesky factor L (row-major, lower) of a symmetric positive-definite matrix; nil when it is not.
    public static func cholesky(_ a: [Double], size n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        return l
    }

    /// x with A x = b for symmetric positive-definite A; nil when A is not.
    public static func solveSymmetric(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
        guard let l = cholesky(a, size: n) else { return nil }
        return solve(cholesky: l, b, size: n)
    }

    static func solve(cholesky l: [Double], _ b: [Double], size n: Int) -> [Double] {
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }

    /// The inverse of a symmetric positive-definite matrix; nil when it is not.
    public static func inverseSymmetric(_ a: [Double], size n: Int) -> [Double]? {
        guard let l = cholesky(a, size: n) else { return nil }
        var inverse = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let column = solve(cholesky: l, e, size: n)
            for i in 0..<n { inverse[i * n + j] = column[i] }
        }
        return inverse
    }
}

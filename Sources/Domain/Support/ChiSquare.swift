import Foundation

/// Pearson's chi-square test of independence on a table of counts, as `scipy.stats.chi2_contingency(table,
/// correction=False)` computes it. Chalkface does not apply Yates's continuity correction to 2×2 tables (scipy's
/// default does): the uncorrected statistic is the one that is consistent across table sizes, and the test is only
/// run when every expected count is at least 5, where the correction matters little.
public struct ChiSquareTest: Hashable, Sendable, Codable {
    public var statistic: Double
    public var degreesOfFreedom: Int
    public var pValue: Double

    /// The smallest expected count the test is run with (Cochran's rule).
    public static let minimumExpected = 5.0

    /// The test, or nil when a row or column is empty, the table is smaller than 2×2, or an expected count is under
    /// `minimumExpected` ("counts too small").
    public static func run(_ table: [[Int]]) -> ChiSquareTest? {
        let rows = table.filter { $0.reduce(0, +) > 0 }
        guard rows.count >= 2, let width = rows.first?.count, rows.allSatisfy({ $0.count == width }) else {
            return nil
        }
        let columnTotals = (0..<width).map { j in rows.reduce(0) { $0 + $1[j] } }
        let kept = columnTotals.indices.filter { columnTotals[$0] > 0 }
        guard kept.count >= 2 else { return nil }
        let total = Double(columnTotals.reduce(0, +))
        var statistic = 0.0
        for row in rows {
            let rowTotal = Double(row.reduce(0, +))
            for j in kept {
                let expected = rowTotal * Double(columnTotals[j]) / total
                if expected < minimumExpected { return nil }
                let d = Double(row[j]) - expected
                statistic += d * d / expected
            }
        }
        let dof = (rows.count - 1) * (kept.count - 1)
        return ChiSquareTest(
            statistic: statistic, degreesOfFreedom: dof, pValue: Self.survival(statistic, degreesOfFreedom: dof))
    }

    /// P(X ≥ x) for a chi-square variable with the degrees of freedom: the regularised upper incomplete gamma
    /// function Q(k/2, x/2).
    public static func survival(_ x: Double, degreesOfFreedom k: Int) -> Double {
        guard x > 0 else { return 1 }
        return upperGamma(a: Double(k) / 2, x: x / 2)
    }

    /// Q(a, x), by its series below a + 1 and its continued fraction (modified Lentz) above (Numerical Recipes
    /// §6.2), to double precision.
    static func upperGamma(a: Double, x: Double) -> Double {
        let logPrefix = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            var sum = 1 / a
            var term = sum
            var n = a
            for _ in 0..<1_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(logPrefix))
        }
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...1_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(logPrefix) * h
    }
}

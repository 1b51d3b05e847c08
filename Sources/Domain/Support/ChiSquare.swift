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

    /// P(X ≥ x) for a chi-square variable with the degrees of freedom (the log-rank test's distribution).
    public static func survival(_ x: Double, degreesOfFreedom k: Int) -> Double {
        Distributions.chiSquareSurvival(x, degreesOfFreedom: k)
    }
}

import Foundation

/// A count of people out of a group, with the Wilson score interval a statistician would quote for it.
public struct Proportion: Hashable, Sendable, Codable {
    public var count: Int
    public var of: Int

    public init(_ count: Int, of: Int) {
        self.count = count
        self.of = of
    }

    /// Figures resting on fewer people than this are not shown (the partnership's disclosure rule).
    public static let minimumGroup = 10

    /// The normal quantile for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    /// The share, or nil when the group is empty.
    public var share: Double? { of > 0 ? Double(count) / Double(of) : nil }

    /// Whether the share may be shown: the group has at least `minimumGroup` people.
    public var isShown: Bool { of >= Self.minimumGroup }

    /// Whether the share may be shown to a viewer: the group has at least `minimumGroup` people and, unless the
    /// figures are the viewer's own, so does the count (or it is none), because a share and its group give the
    /// count away.
    public func isShown(own: Bool) -> Bool {
        isShown && (own || count == 0 || count >= Self.minimumGroup)
    }

    /// The Wilson score interval (Wilson 1927), as `statsmodels.stats.proportion.proportion_confint(method=
    /// "wilson")` gives it. Unlike the normal ("Wald") interval it stays inside 0...1 and is sound for shares near 0
    /// or 1 and for small groups.
    public func wilson(z: Double = Proportion.z95) -> ClosedRange<Double>? {
        guard of > 0 else { return nil }
        let n = Double(of)
        let p = Double(count) / n
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return max(0, centre - half)...min(1, centre + half)
    }

    /// "62% (55% to 68%)", or nil when it may not be shown.
    public func described(own: Bool = true) -> String? {
        guard isShown(own: own), let share, let interval = wilson() else { return nil }
        func pc(_ v: Double) -> String { "\(Int((v * 100).rounded()))%" }
        return "\(pc(share)) (\(pc(interval.lowerBound)) to \(pc(interval.upperBound)))"
    }
}

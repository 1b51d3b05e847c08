import Foundation

/// Right-censored survival data: for each person, how long they were followed and whether the event (leaving) was
/// seen at the end of it. Durations are finite and not negative (checked where the data is read).
public struct SurvivalData: Sendable, Hashable {
    public var durations: [Double]
    public var events: [Bool]

    public init(durations: [Double], events: [Bool]) {
        precondition(durations.count == events.count, "one event flag per duration")
        self.durations = durations
        self.events = events
    }

    public var count: Int { durations.count }

    /// The people whose index `keep` accepts.
    public func filter(_ keep: (Int) -> Bool) -> SurvivalData {
        var d: [Double] = []
        var e: [Bool] = []
        for i in durations.indices where keep(i) {
            d.append(durations[i])
            e.append(events[i])
        }
        return SurvivalData(durations: d, events: e)
    }
}

/// The distinct durations of some data, ascending, and for each person the index of their duration among them.
/// Annual data (whole years, heavy ties) is counted directly; anything else is sorted once.
public struct TimeIndex: Sendable {
    public var times: [Double]
    public var index: [Int32]

    public init(_ durations: [Double]) {
        let n = durations.count
        var whole = true
        var largest = 0.0
        for d in durations {
            if d != d.rounded(.towardZero) || d < 0 {
                whole = false
                break
            }
            if d > largest { largest = d }
        }
        let bucketLimit = Double(max(4 * n, 1 << 16))
        if whole, largest <= bucketLimit {
            let size = Int(largest) + 1
            var seen = [Int32](repeating: -1, count: size)
            for d in durations { seen[Int(d)] = 0 }
            var times: [Double] = []
            var next: Int32 = 0
            for t in 0..<size where seen[t] == 0 {
                seen[t] = next
                next += 1
                times.append(Double(t))
            }
            self.times = times
            self.index = durations.map { seen[Int($0)] }
        } else {
            var sorted = durations
            sorted.sort()
            var times: [Double] = []
            times.reserveCapacity(sorted.count)
            for d in sorted where times.last != d { times.append(d) }
            self.times = times
            self.index = durations.map { d in
                var lo = 0
                var hi = times.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if times[mid] < d { lo = mid + 1 } else { hi = mid }
                }
                return Int32(lo)
            }
        }
    }
}

/// At each distinct duration: how many were at risk just before it, how many left (events) and how many were
/// censored there. Events at a time are counted before censorings at the same time, as lifelines and every
/// textbook do: someone censored at t was still at risk at t.
public struct EventTable: Sendable, Hashable {
    public var times: [Double]
    public var atRisk: [Int]
    public var events: [Int]
    public var censored: [Int]

    public init(times: [Double], atRisk: [Int], events: [Int], censored: [Int]) {
        self.times = times
        self.atRisk = atRisk
        self.events = events
        self.censored = censored
    }

    public init(_ data: SurvivalData) {
        self.init(data, index: TimeIndex(data.durations))
    }

    /// The table of everyone in `data`, over the times of `index` (built from these durations).
    public init(_ data: SurvivalData, index: TimeIndex) {
        let tables = Self.grouped(index: index, events: data.events, groups: nil, groupCount: 1)
        self = tables[0]
    }

    /// One table per group (0..<groupCount), each over the times at which that group has anyone; `groups` nil puts
    /// everyone in group 0.
    public static func grouped(index: TimeIndex, events: [Bool], groups: [Int]?, groupCount: Int) -> [EventTable] {
        let t = index.times.count
        var ev = [[Int]](repeating: [Int](repeating: 0, count: t), count: groupCount)
        var ce = ev
        for i in index.index.indices {
            let g = groups?[i] ?? 0
            let k = Int(index.index[i])
            if events[i] { ev[g][k] += 1 } else { ce[g][k] += 1 }
        }
        return (0..<groupCount).map { g in
            var times: [Double] = []
            var events: [Int] = []
            var censored: [Int] = []
            for k in 0..<t where ev[g][k] + ce[g][k] > 0 {
                times.append(index.times[k])
                events.append(ev[g][k])
                censored.append(ce[g][k])
            }
            var atRisk = [Int](repeating: 0, count: times.count)
            var running = 0
            for k in stride(from: times.count - 1, through: 0, by: -1) {
                running += events[k] + censored[k]
                atRisk[k] = running
            }
            return EventTable(times: times, atRisk: atRisk, events: events, censored: censored)
        }
    }

    /// Where `t` falls: the index of the last table time at or before it, or nil before the first.
    public func step(at t: Double) -> Int? {
        var lo = 0
        var hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }

    /// How many were still at risk at `t` (duration at or after t).
    public func atRisk(at t: Double) -> Int {
        var lo = 0
        var hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo < times.count ? atRisk[lo] : 0
    }

    /// Events and censorings exactly at `t`.
    public func counts(at t: Double) -> (events: Int, censored: Int) {
        guard let k = step(at: t), times[k] == t else { return (0, 0) }
        return (events[k], censored[k])
    }
}

/// The Kaplan-Meier (product-limit) estimate of survival with 95% confidence intervals from Greenwood's variance on
/// the log(-log) scale ("exponential Greenwood"), as lifelines' `KaplanMeierFitter` computes them: S(t) is
/// exp(sum of log((n - d) / n)) and the bounds are exp(-exp(log(-log S) -/+ z sqrt(V) / log S)), V the cumulative
/// sum of d / (n (n - d)) (0 where everyone at risk left). Where S is still 1 both bounds are 1.
public struct KaplanMeier: Sendable, Hashable {
    /// z for a two-sided 95% interval: the 0.975 quantile of the standard normal, to double precision.
    public static let z95 = 1.959963984540054

    public var table: EventTable
    /// S(t) just after each table time.
    public var survival: [Double]
    /// Greenwood's cumulative sum at each table time.
    public var greenwood: [Double]
    public var lower: [Double]
    public var upper: [Double]

    public init(_ data: SurvivalData) { self.init(table: EventTable(data)) }

    public init(table: EventTable) {
        self.table = table
        let count = table.times.count
        survival = []
        greenwood = []
        lower = []
        upper = []
        survival.reserveCapacity(count)
        greenwood.reserveCapacity(count)
        lower.reserveCapacity(count)
        upper.reserveCapacity(count)
        var logS = 0.0
        var v = 0.0
        for k in 0..<count {
            let n = Double(table.atRisk[k])
            let d = Double(table.events[k])
            if d > 0 {
                logS += log(n - d) - log(n)
                if n > d { v += d / (n * (n - d)) }
            }
            let s = exp(logS)
            survival.append(s)
            greenwood.append(v)
            let (lo, hi) = Self.bounds(logS: logS, variance: v)
            lower.append(lo)
            upper.append(hi)
        }
    }

    static func bounds(logS: Double, variance: Double) -> (Double, Double) {
        if logS == 0 { return (1, 1) }
        if logS == -.infinity { return (0, 0) }
        let centre = log(-logS)
        let half = z95 * variance.squareRoot() / logS
        let lo = exp(-exp(centre - half))
        let hi = exp(-exp(centre + half))
        return (lo.isNaN ? 1 : lo, hi.isNaN ? 1 : hi)
    }

    /// The estimate at `t`: the step function's value at the last table time at or before t (1 before the first).
    public func at(_ t: Double) -> (survival: Double, lower: Double, upper: Double) {
        guard let k = table.step(at: t) else { return (1, 1, 1) }
        return (survival[k], lower[k], upper[k])
    }

    /// The first time at which S(t) is at or below one half; nil if it never falls that far.
    public var median: Double? {
        survival.firstIndex { $0 <= 0.5 }.map { table.times[$0] }
    }
}

import Foundation

/// Retention from the register: for each teacher, how long they have stayed in the partnership's schools since
/// their first post (or in one school since starting there), and whether they have left.
public enum Retention {
    /// DfE's published retention of the 2010 entrant cohort: share still in service after 1..5 years
    /// (School workforce in England; ../shared/guide/DOMAIN.md).
    public static let national2010: [(years: Int, share: Double)] = [
        (1, 0.87), (2, 0.82), (3, 0.77), (4, 0.73), (5, 0.70),
    ]
    /// Figures resting on fewer people than this are not shown.
    public static let suppressionThreshold = 10

    /// What a spell is grouped by.
    public enum Dimension: String, Sendable, CaseIterable {
        case none = "all"
        case cohort, subject, phase, route
        case provider = "itt-provider"
        case school
        case localAuthority = "local-authority"

        public var label: String {
            switch self {
            case .none: "Everyone"
            case .cohort: "Entry cohort (academic year of first post)"
            case .subject: "Subject (first specialism)"
            case .phase: "Phase of first school"
            case .route: "Training route"
            case .provider: "ITT provider"
            case .school: "First school"
            case .localAuthority: "Local authority of first school"
            }
        }
    }

    /// What the analysis needs to know of a school.
    public struct SchoolFacts: Sendable, Hashable {
        public var name: String
        public var phase: String
        public var localAuthority: String
        public init(name: String, phase: String, localAuthority: String) {
            self.name = name
            self.phase = phase
            self.localAuthority = localAuthority
        }
    }

    /// One person's time at risk of leaving.
    public struct Spell: Sendable, Hashable {
        public var years: Double
        public var left: Bool
        public var groups: [Dimension: String]
        /// The first day of the spell.
        public var startedOn: Day
        /// The URN of the spell's first school.
        public var firstURN: Int? = nil
    }

    /// Survival in the partnership's schools from first post: a spell ends, with an event, when the teacher's
    /// last period has finished for a reason other than a move within the partnership; a teacher in post, or
    /// whose last recorded move was within the partnership, is censored (at `asOf`, or at that move).
    public static func partnershipSpells(
        _ teachers: [TeacherRecord], asOf: Day, schools: [Int: SchoolFacts]
    ) -> [Spell] {
        teachers.compactMap { t in
            guard let first = t.periods.min(by: { $0.startedOn < $1.startedOn }), first.startedOn <= asOf else {
                return nil
            }
            let end: Day
            let left: Bool
            if t.inPost {
                end = asOf
                left = false
            } else {
                let last = t.periods.max { ($0.finishedOn ?? asOf) < ($1.finishedOn ?? asOf) }!
                end = min(last.finishedOn ?? asOf, asOf)
                left = last.endReason != .movedWithinPartnership && (last.finishedOn.map { $0 <= asOf } ?? false)
            }
            return Spell(
                years: max(0, Double(end.ordinal - first.startedOn.ordinal)) / 365.25, left: left,
                groups: groups(t, first: first, schools: schools), startedOn: first.startedOn, firstURN: first.urn)
        }
    }

    /// Survival in one school from starting there: every teacher's time at the school, ended (an event) by any
    /// reason, a move within the partnership included.
    public static func schoolSpells(_ teachers: [TeacherRecord], urn: Int, asOf: Day, schools: [Int: SchoolFacts])
        -> [Spell]
    {
        teachers.compactMap { t in
            let here = t.periods.filter { $0.urn == urn && $0.startedOn <= asOf }
            guard let first = here.min(by: { $0.startedOn < $1.startedOn }) else { return nil }
            let open = here.contains(where: { $0.finishedOn.map { $0 > asOf } ?? true })
            let end = open ? asOf : here.compactMap(\.finishedOn).max()!
            return Spell(
                years: max(0, Double(end.ordinal - first.startedOn.ordinal)) / 365.25, left: !open,
                groups: groups(t, first: first, schools: schools), startedOn: first.startedOn, firstURN: urn)
        }
    }

    static func groups(_ t: TeacherRecord, first: ServicePeriod, schools: [Int: SchoolFacts]) -> [Dimension: String] {
        let school = schools[first.urn]
        let cohortYear = first.startedOn.month >= 9 ? first.startedOn.year : first.startedOn.year - 1
        return [
            .none: "All teachers",
            .cohort: "\(cohortYear) to \(cohortYear + 1)",
            .subject: t.specialisms.first?.label ?? "None recorded",
            .phase: school?.phase ?? "Unknown",
            .route: t.route.flatMap { TrainingRoute(rawValue: $0)?.label }
                ?? (t.route == "other" ? "Other" : "Unknown"),
            .provider: t.ittProvider ?? "Unknown",
            .school: school.map { "\($0.name) (\(first.urn))" } ?? "URN \(first.urn)",
            .localAuthority: school?.localAuthority ?? "Unknown",
        ]
    }

    /// Kaplan-Meier curves of the spells, one per group of the dimension (largest groups first, at most `limit`),
    /// with the log-rank test between them.
    public struct Analysis: Sendable {
        public struct Curve: Sendable {
            public var label: String
            public var people: Int
            public var left: Int
            public var fit: KaplanMeier
        }
        public var dimension: Dimension
        public var overall: Curve
        public var curves: [Curve]
        public var logRank: LogRankTest?
        /// Groups left out of the chart and test because they are small or beyond the limit.
        public var omitted: Int
    }

    public static func analyse(_ spells: [Spell], by dimension: Dimension, limit: Int = 8) -> Analysis {
        func curve(_ label: String, _ part: [Spell]) -> Analysis.Curve {
            let data = SurvivalData(durations: part.map(\.years), events: part.map(\.left))
            return Analysis.Curve(
                label: label, people: part.count, left: part.filter(\.left).count, fit: KaplanMeier(data))
        }
        let overall = curve("All teachers", spells)
        guard dimension != .none else {
            return Analysis(dimension: dimension, overall: overall, curves: [overall], logRank: nil, omitted: 0)
        }
        var byGroup: [String: [Spell]] = [:]
        for s in spells { byGroup[s.groups[dimension] ?? "Unknown", default: []].append(s) }
        let eligible = byGroup.filter { $0.value.count >= suppressionThreshold }
        let chosen = eligible.sorted {
            dimension == .cohort ? $0.key < $1.key : ($0.value.count, $1.key) > ($1.value.count, $0.key)
        }
        .prefix(dimension == .cohort ? 20 : limit)
        let curves = chosen.map { curve($0.key, $0.value) }
        var logRank: LogRankTest?
        if curves.count >= 2 {
            var durations: [Double] = []
            var events: [Bool] = []
            var groups: [Int] = []
            for (g, pair) in chosen.enumerated() {
                for s in pair.value {
                    durations.append(s.years)
                    events.append(s.left)
                    groups.append(g)
                }
            }
            logRank = LogRankTest(
                SurvivalData(durations: durations, events: events), groups: groups, groupCount: chosen.count)
        }
        return Analysis(
            dimension: dimension, overall: overall, curves: curves, logRank: logRank,
            omitted: byGroup.count - curves.count)
    }
}

extension Retention {
    /// Dimensions a hazard model may use (a school has too many levels to estimate one ratio each).
    public static let modelFactors: [Dimension] = [.cohort, .subject, .phase, .route, .provider, .localAuthority]

    /// A Cox model of leaving on the chosen factors: each factor's groups of 10 or more people (at most the 12
    /// largest; the rest pooled as "Other") compared with its largest group.
    public struct HazardRatios: Sendable {
        public struct Row: Sendable {
            public var factor: Dimension
            public var level: String
            public var baseline: String
            public var people: Int
            public var coefficient: CoxModel.Coefficient
        }
        public var rows: [Row]
        public var model: CoxModel
    }

    public static func hazardRatios(_ spells: [Spell], factors: [Dimension]) throws(CoxModel.FitError) -> HazardRatios {
        var names: [String] = []
        var columns: [[Double]] = []
        var meta: [(Dimension, String, String, Int)] = []
        for factor in factors where factor != .none {
            var counts: [String: Int] = [:]
            for s in spells { counts[s.groups[factor] ?? "Unknown", default: 0] += 1 }
            let ranked = counts.filter { $0.value >= suppressionThreshold }.sorted {
                ($0.value, $1.key) > ($1.value, $0.key)
            }
            let kept = Array(ranked.prefix(12).map(\.key))
            guard let baseline = kept.first else { continue }
            let keptSet = Set(kept)
            let otherCount = spells.count - kept.reduce(0) { $0 + counts[$1]! }
            var levels = Array(kept.dropFirst())
            if otherCount >= suppressionThreshold { levels.append("Other (smaller groups)") }
            for level in levels {
                let isOther = !keptSet.contains(level)
                columns.append(
                    spells.map { s in
                        let g = s.groups[factor] ?? "Unknown"
                        return (isOther ? !keptSet.contains(g) : g == level) ? 1 : 0
                    })
                names.append("\(factor.rawValue)=\(level)")
                meta.append((factor, level, baseline, isOther ? otherCount : counts[level]!))
            }
        }
        let n = spells.count
        let p = names.count
        var x = [Double](repeating: 0, count: n * p)
        for (j, column) in columns.enumerated() { for i in 0..<n { x[i * p + j] = column[i] } }
        let model = try CoxModel.fit(
            SurvivalData(durations: spells.map(\.years), events: spells.map(\.left)), covariates: x, names: names)
        let rows = zip(meta, model.coefficients).map { m, c in
            HazardRatios.Row(factor: m.0, level: m.1, baseline: m.2, people: m.3, coefficient: c)
        }
        return HazardRatios(rows: rows, model: model)
    }
}

extension Retention {
    /// Early-career retention per school against what its size allows by chance (a funnel plot): of the teachers
    /// whose first post was at the school at least `years` ago, the share still teaching in the partnership
    /// `years` later, beside the partnership's share, with binomial control limits at 95% and 99.8%.
    public struct Funnel: Sendable {
        public struct School: Sendable {
            public var label: String
            public var urn: Int?
            public var starters: Int
            public var retained: Int
            public var share: Double { Double(retained) / Double(starters) }
            /// Below the lower 95% limit (alert) or the lower 99.8% limit (alarm).
            public var belowAlert: Bool
            public var belowAlarm: Bool
        }
        public var years: Int
        public var overall: Double
        public var starters: Int
        public var retained: Int
        public var schools: [School]
        /// Schools left out because fewer than 10 people started there.
        public var small: Int

        public static let z95 = 1.959963984540054
        public static let z998 = 3.090232306167813

        public func limits(n: Double, z: Double) -> (lower: Double, upper: Double) {
            let half = z * (overall * (1 - overall) / n).squareRoot()
            return (max(0, overall - half), min(1, overall + half))
        }
    }

    public static func funnel(_ spells: [Spell], asOf: Day, years: Int = 3) -> Funnel {
        let cutoff = Day(year: asOf.year - years, month: asOf.month, day: min(asOf.day, 28))!
        var bySchool: [String: (Int, Int)] = [:]
        var urns: [String: Int] = [:]
        var starters = 0
        var retained = 0
        for s in spells where s.startedOn <= cutoff {
            let kept = !(s.left && s.years < Double(years))
            let label = s.groups[.school] ?? "Unknown"
            if let u = s.firstURN { urns[label] = u }
            var v = bySchool[label] ?? (0, 0)
            v.0 += 1
            if kept { v.1 += 1 }
            bySchool[label] = v
            starters += 1
            if kept { retained += 1 }
        }
        var f = Funnel(
            years: years, overall: starters == 0 ? 0 : Double(retained) / Double(starters), starters: starters,
            retained: retained, schools: [], small: 0)
        for (label, v) in bySchool {
            guard v.0 >= suppressionThreshold else {
                f.small += 1
                continue
            }
            let share = Double(v.1) / Double(v.0)
            f.schools.append(
                .init(
                    label: label, urn: urns[label], starters: v.0, retained: v.1,
                    belowAlert: share < f.limits(n: Double(v.0), z: Funnel.z95).lower,
                    belowAlarm: share < f.limits(n: Double(v.0), z: Funnel.z998).lower))
        }
        f.schools.sort { ($0.share, $0.label) < ($1.share, $1.label) }
        return f
    }
}

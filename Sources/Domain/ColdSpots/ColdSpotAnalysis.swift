/// Gi* over schools: which schools sit in cold or hot spots of an indicator, and how that adds up per area.
public struct ColdSpotAnalysis: Sendable {
    public struct SchoolResult: Sendable, Hashable {
        public var school: School
        public var value: Double
        public var gi: GiStar
    }

    public struct AreaSummary: Sendable, Hashable {
        public var code: String
        public var name: String
        public var schools: Int
        public var coldSpots: Int
        public var hotSpots: Int
        public var meanValue: Double
    }

    public var options: GetisOrdOptions
    /// The lowest confidence shown as significant: 1 (90%), 2 (95%) or 3 (99%).
    public var minimumLevel: Int
    public var results: [SchoolResult]
    /// Schools left out because they have no position or no value.
    public var excluded: Int

    /// Runs Gi* over the schools that have a position and a value.
    public init(
        schools: [School], values: (School) -> Double?, options: GetisOrdOptions, minimumLevel: Int = 1
    ) throws(GetisOrdError) {
        var used: [(School, GridPoint, Double)] = []
        for s in schools {
            if let p = s.location, let v = values(s) { used.append((s, p, v)) }
        }
        let gi = try GetisOrd.compute(
            x: used.map(\.1.easting), y: used.map(\.1.northing), values: used.map(\.2), options: options)
        self.options = options
        self.minimumLevel = min(3, max(1, minimumLevel))
        self.excluded = schools.count - used.count
        var results: [SchoolResult] = []
        results.reserveCapacity(used.count)
        for (i, u) in used.enumerated() {
            var g = gi[i]
            // Below the chosen confidence, a point is shown as not significant.
            if abs(g.classification) < self.minimumLevel { g.classification = 0 }
            results.append(SchoolResult(school: u.0, value: u.2, gi: g))
        }
        self.results = results
    }

    /// The most significant cold spots first: by class, then z.
    public var rankedColdSpots: [SchoolResult] {
        results.filter { $0.gi.classification < 0 }
            .sorted { ($0.gi.classification, $0.gi.z, $0.school.urn) < ($1.gi.classification, $1.gi.z, $1.school.urn) }
    }

    public var rankedHotSpots: [SchoolResult] {
        results.filter { $0.gi.classification > 0 }
            .sorted { ($0.gi.classification, $0.gi.z, $1.school.urn) > ($1.gi.classification, $1.gi.z, $0.school.urn) }
    }

    public func byLocalAuthority() -> [AreaSummary] {
        summarise { s in s.localAuthority.map { ($0.code, $0.name) } }
    }

    public func byDistrict() -> [AreaSummary] {
        summarise { s in s.district.map { ($0.code, $0.name) } }
    }

    func summarise(_ area: (School) -> (String, String)?) -> [AreaSummary] {
        var out: [String: AreaSummary] = [:]
        var totals: [String: Double] = [:]
        for r in results {
            guard let (code, name) = area(r.school) else { continue }
            var a =
                out[code] ?? AreaSummary(code: code, name: name, schools: 0, coldSpots: 0, hotSpots: 0, meanValue: 0)
            a.schools += 1
            if r.gi.classification < 0 { a.coldSpots += 1 }
            if r.gi.classification > 0 { a.hotSpots += 1 }
            totals[code, default: 0] += r.value
            out[code] = a
        }
        return out.values.map { a in
            var a = a
            a.meanValue = (totals[a.code] ?? 0) / Double(max(1, a.schools))
            return a
        }
        .sorted { ($1.coldSpots, $0.name) < ($0.coldSpots, $1.name) }
    }
}

extension ColdSpotAnalysis {
    /// The fixed neighbourhoods a cold spot is checked against: 5, 10 and 15 km bands, 8 and 16 nearest schools.
    public static let robustnessNeighbourhoods: [Neighbourhood] = [
        .distanceBand(metres: 5_000), .distanceBand(metres: 10_000), .distanceBand(metres: 15_000),
        .nearest(k: 8), .nearest(k: 16),
    ]

    /// In how many of `robustnessNeighbourhoods` each school is a cold spot, with every other setting (confidence,
    /// permutations, seed, false discovery rate) as in `options`. A cold spot that appears in one neighbourhood only
    /// depends on where the line around "nearby" is drawn; one in all five does not.
    public static func robustness(
        schools: [School], values: (School) -> Double?, options: GetisOrdOptions, minimumLevel: Int
    ) -> [URN: Int] {
        var counts: [URN: Int] = [:]
        for neighbourhood in robustnessNeighbourhoods {
            var o = options
            o.neighbourhood = neighbourhood
            // A neighbourhood that cannot be computed (too few schools for k) counts as not cold.
            guard
                let a = try? ColdSpotAnalysis(schools: schools, values: values, options: o, minimumLevel: minimumLevel)
            else { continue }
            for r in a.results where r.gi.classification < 0 { counts[r.school.urn, default: 0] += 1 }
        }
        return counts
    }
}

import Domain
import Plot

/// Cold spots: where an indicator is significantly lower than around it, on a map, in a ranked table and per area.
public enum ColdSpotsPage {
    public struct Settings: Sendable, Hashable {
        public var indicator: String
        public var subject: String?
        /// Metres, when the neighbourhood is a distance band.
        public var band: Double
        /// Nearest neighbours instead of a band, when set.
        public var knn: Int?
        /// 90, 95 or 99.
        public var confidence: Int
        /// False discovery rate, when set.
        public var fdr: Double?
        public var permutations: Int
        public var seed: UInt64
        /// Only this local authority (GSS or DfE code).
        public var localAuthority: String?
        /// How the cold spots are listed: by significance (class, then z) or by robustness (in how many of the
        /// standard neighbourhoods the school is a cold spot).
        public var sort: Sort = .significance

        public enum Sort: String, Sendable, Hashable, CaseIterable {
            case significance, robustness
        }

        public init(
            indicator: String = Indicator.ittLeadSchools.id, subject: String? = nil, band: Double = 10_000,
            knn: Int? = nil, confidence: Int = 90, fdr: Double? = nil, permutations: Int = 0, seed: UInt64 = 12345,
            localAuthority: String? = nil
        ) {
            self.indicator = indicator
            self.subject = subject
            self.band = band
            self.knn = knn
            self.confidence = confidence
            self.fdr = fdr
            self.permutations = permutations
            self.seed = seed
            self.localAuthority = localAuthority
        }

        public var options: GetisOrdOptions {
            GetisOrdOptions(
                neighbourhood: knn.map { .nearest(k: $0) } ?? .distanceBand(metres: band), permutations: permutations,
                seed: seed, multipleTesting: fdr.map { .falseDiscoveryRate(q: $0) } ?? .none)
        }

        public var minimumLevel: Int { confidence >= 99 ? 3 : confidence >= 95 ? 2 : 1 }

        /// The query string that reproduces these settings.
        public var query: [(String, String?)] {
            [
                ("indicator", indicator), ("subject", subject), ("neighbours", knn == nil ? "band" : "knn"),
                ("band", knn == nil ? format(band) : nil), ("k", knn.map(String.init)),
                ("confidence", String(confidence)), ("fdr", fdr.map(format)),
                ("permutations", permutations > 0 ? String(permutations) : nil),
                ("seed", permutations > 0 ? String(seed) : nil), ("la", localAuthority),
                ("sort", sort == .significance ? nil : sort.rawValue),
            ]
        }

        func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
    }

    public struct Model: Sendable {
        public var settings: Settings
        public var indicators: [Indicator]
        public var authorities: [LocalAuthority]
        public var analysis: ColdSpotAnalysis?
        /// Why there is no analysis (for example, all values equal), in plain words.
        public var problem: String?
        public var errors: [ValidationError.Problem]
        public var labels: [SVGMap.Label]
        /// In how many of the standard neighbourhoods each school is a cold spot.
        public var robustness: [URN: Int]
        /// The most permutations this viewer may ask for (fewer when not signed in).
        public var permutationLimit: Int
        /// The partnership's supply and demand by area, below the analysis.
        public var areas: AreaTableSection.Model?

        public init(
            settings: Settings, indicators: [Indicator], authorities: [LocalAuthority], analysis: ColdSpotAnalysis?,
            problem: String?, errors: [ValidationError.Problem] = [], labels: [SVGMap.Label],
            robustness: [URN: Int] = [:], permutationLimit: Int = 9_999, areas: AreaTableSection.Model? = nil
        ) {
            self.areas = areas
            self.robustness = robustness
            self.permutationLimit = permutationLimit
            self.settings = settings
            self.indicators = indicators
            self.authorities = authorities
            self.analysis = analysis
            self.problem = problem
            self.errors = errors
            self.labels = labels
        }
    }

    public static let path = "/coldspots"

    public static func html(_ m: Model, chrome: Chrome) -> HTML {
        let s = m.settings
        let indicator = m.indicators.first { $0.id == s.indicator }
        var content: [Node<HTML.BodyContext>] = [
            .h1(.text("Cold spots")),
            .p(
                .class("app-body-l"),
                .text(
                    "Where an indicator is significantly lower than in the surrounding area, school by school, so that recruitment and training effort goes where it is most needed."
                )),
        ]
        content.append(Form.errorSummary(m.errors))
        content.append(form(m))
        // A wrong subject for the area table is reported beside its own form; the analysis above still stands.
        if m.errors.contains(where: { $0.field != AreaTableSection.subjectField }) {
            // Nothing is drawn for settings that were not applied: a map of other settings would mislead.
            content.append(
                .div(
                    .class("app-inset"),
                    .text("Correct the settings above and choose \u{201C}Update map\u{201D} to see the cold spots.")))
            content.append(method(s))
            return Layout.page(
                title: "Error: Cold spots", section: .coldSpots, chrome: chrome, content: content)
        }
        if let indicator {
            content.append(.h2(.text(indicator.title + (s.subject.map { ": \($0)" } ?? ""))))
            content.append(.p(.text(indicator.description)))
            content.append(.p(.class("app-hint"), .text("Source: \(indicator.source)")))
        }
        if let problem = m.problem {
            content.append(.div(.class("app-inset"), .text(problem)))
        }
        if let a = m.analysis {
            content += results(a, m)
        }
        content += AreaTableSection.html(m.areas, keep: s.query, problems: m.errors)
        content.append(method(s))
        return Layout.page(
            title: m.errors.isEmpty ? "Cold spots" : "Error: Cold spots", section: .coldSpots, chrome: chrome,
            content: content)
    }

    static func form(_ m: Model) -> Node<HTML.BodyContext> {
        let s = m.settings
        let indicator = m.indicators.first { $0.id == s.indicator }
        return .form(
            .class("app-filters"), .method(.get), .action(path),
            .h2(.text("Choose what to map")),
            .div(
                .class("app-grid-row"),
                .div(
                    .class("app-grid-column-one-third"),
                    select(
                        "indicator", "Indicator", s.indicator, m.indicators.map { ($0.id, $0.title) }, any: nil,
                        errors: m.errors),
                    .if(
                        !(indicator?.subjects.isEmpty ?? true),
                        select(
                            "subject", "Subject", s.subject, (indicator?.subjects ?? []).map { ($0, $0) }, any: nil,
                            errors: m.errors)),
                    select(
                        "la", "Local authority", s.localAuthority, m.authorities.map { ($0.code, $0.name) },
                        any: "All in the partnership", errors: m.errors)
                ),
                .div(
                    .class("app-grid-column-one-third"),
                    select(
                        "neighbours", "Neighbourhood", s.knn == nil ? "band" : "knn",
                        [("band", "Distance band"), ("knn", "Nearest neighbours")], any: nil, errors: m.errors),
                    input("band", "Distance band (metres)", s.format(s.band), errors: m.errors),
                    input("k", "Nearest neighbours (k)", s.knn.map(String.init) ?? "8", errors: m.errors)
                ),
                .div(
                    .class("app-grid-column-one-third"),
                    select(
                        "confidence", "Confidence", String(s.confidence),
                        [("90", "90% or more"), ("95", "95% or more"), ("99", "99%")], any: nil, errors: m.errors),
                    select(
                        "fdr", "Multiple-testing correction", s.fdr.map(s.format),
                        [("0.05", "False discovery rate 5%"), ("0.1", "False discovery rate 10%")], any: "None",
                        errors: m.errors),
                    select(
                        "permutations", "Pseudo p-values", s.permutations > 0 ? String(s.permutations) : nil,
                        [("99", "99 permutations"), ("999", "999 permutations")]
                            + (m.permutationLimit >= 9_999 ? [("9999", "9,999 permutations (slower)")] : []),
                        any: "None (normal approximation)", errors: m.errors)
                )
            ),
            .if(
                m.permutationLimit < 9_999,
                .p(
                    .class("app-hint"),
                    .text(
                        "Signed-in users can ask for up to 9,999 permutations; without signing in the limit is \(m.permutationLimit.formatted). Results for the same settings are kept for a while, and when many analyses run at once a request may be asked to try again in a few seconds."
                    ))),
            .input(.type(.hidden), .name("sort"), .value(s.sort.rawValue)),
            .button(.class("app-button"), .type(.submit), .text("Update map"))
        )
    }

    static func select(
        _ id: String, _ label: String, _ selected: String?, _ options: [(String, String)], any: String?,
        errors: [ValidationError.Problem] = []
    ) -> Node<HTML.FormContext> {
        let error = Form.message(for: id, in: errors)
        var nodes: [Node<HTML.BodyContext>] = [
            .attribute(named: "class", value: "app-select"), .attribute(named: "id", value: id),
            .attribute(named: "name", value: id),
        ]
        if let any { nodes.append(.raw("<option value=\"\">\(Escape.attribute(any))</option>")) }
        for (value, text) in options {
            nodes.append(
                .element(
                    named: "option",
                    nodes: [
                        .attribute(named: "value", value: Escape.attribute(value)),
                        .if(value == selected, .attribute(named: "selected", value: "selected")),
                        .text(text),
                    ]))
        }
        if error != nil { nodes.append(.attribute(named: "aria-describedby", value: "\(id)-error")) }
        return .div(
            .class(error == nil ? "app-form-group" : "app-form-group app-form-group--error"),
            .label(.class("app-label"), .for(id), .text(label)),
            Form.errorMessage(id, error),
            .element(named: "select", nodes: nodes))
    }

    static func input(_ id: String, _ label: String, _ value: String, errors: [ValidationError.Problem] = [])
        -> Node<HTML.FormContext>
    {
        let error = Form.message(for: id, in: errors)
        return .div(
            .class(error == nil ? "app-form-group" : "app-form-group app-form-group--error"),
            .label(.class("app-label"), .for(id), .text(label)),
            Form.errorMessage(id, error),
            .input(
                .class(error == nil ? "app-input" : "app-input app-input--error"), .id(id), .name(id), .type(.text),
                .attribute(named: "inputmode", value: "numeric"), .value(Escape.attribute(value)),
                .attribute(named: "aria-describedby", value: error == nil ? "" : "\(id)-error")))
    }

    static func results(_ a: ColdSpotAnalysis, _ m: Model) -> [Node<HTML.BodyContext>] {
        let s = m.settings
        let cold = a.rankedColdSpots
        let hot = a.rankedHotSpots
        var out: [Node<HTML.BodyContext>] = [
            .ul(
                .class("app-stats"),
                .li(.strong(.text(a.results.count.formatted)), .text("schools analysed")),
                .li(.strong(.text(cold.count.formatted)), .text("in cold spots")),
                .li(.strong(.text(hot.count.formatted)), .text("in hot spots"))
            )
        ]
        if a.excluded > 0 {
            out.append(
                .p(
                    .class("app-hint"),
                    .text(
                        "\(a.excluded.formatted) schools were left out: they have no map position or no value for this indicator."
                    )))
        }
        out.append(
            .p(
                .a(
                    .class("app-button app-button--secondary"), .href(SitePath.with(path + ".csv", query: s.query)),
                    .text("Download CSV")),
                .a(
                    .class("app-button app-button--secondary"), .href(SitePath.with(path + ".geojson", query: s.query)),
                    .text("Download GeoJSON"))))
        let byRegion = Dictionary(grouping: a.results) { $0.school.region?.name ?? "Other" }
        out.append(.h2(.text("Map")))
        out.append(.raw(SVGMap.giLegend()))
        for (i, region) in byRegion.keys.sorted().enumerated() {
            let rs = byRegion[region] ?? []
            let points = rs.compactMap { r in
                r.school.location.map {
                    SVGMap.Point(
                        at: $0, marker: .giClass(r.gi.classification), title: "\(r.school.name): z = \(rounded(r.gi.z))"
                    )
                }
            }
            guard let bounds = SVGMap.Bounds.around(points.map(\.at)) else { continue }
            let codes = Set(rs.compactMap { $0.school.localAuthority?.code })
            let labels = m.labels.filter { l in m.authorities.contains { codes.contains($0.code) && $0.name == l.text }
            }
            let coldHere = rs.filter { $0.gi.classification < 0 }.count
            let hotHere = rs.filter { $0.gi.classification > 0 }.count
            out.append(.h3(.text(region)))
            out.append(
                .raw(
                    SVGMap.render(
                        id: "coldspot-map-\(i + 1)", title: "Gi* classes of schools in \(region)",
                        description:
                            "\(rs.count) schools: \(coldHere) in cold spots (downward triangles), \(hotHere) in hot spots (upward triangles), the rest not significant (small grey circles).",
                        bounds: bounds, points: points, labels: labels, width: 960)))
        }
        out.append(
            .p(
                .class("app-map-caption"),
                .text(
                    "Downward triangles: cold spots; upward triangles: hot spots; larger and darker is more confident. The tables below give the same results."
                )))

        out.append(.h2(.text(s.sort == .robustness ? "Most robust cold spots" : "Most significant cold spots")))
        if cold.isEmpty {
            out.append(.p(.text("No school is in a cold spot at this confidence.")))
        } else {
            let total = ColdSpotAnalysis.robustnessNeighbourhoods.count
            out.append(
                .p(
                    .text(
                        "\u{201C}Cold in\u{201D} says in how many of \(total) standard neighbourhoods (within 5, 10 and 15 km; the 8 and 16 nearest schools) the school is also a cold spot, at the same confidence. A cold spot found in one neighbourhood only depends on where the line around \u{201C}nearby\u{201D} is drawn; one found in all \(total) does not."
                    )))
            let sorted = SortLinks(settings: s)
            out.append(sorted.links())
            let rows =
                s.sort == .robustness
                ? cold.sorted { a, b in
                    let (ra, rb) = (m.robustness[a.school.urn] ?? 0, m.robustness[b.school.urn] ?? 0)
                    return ra != rb ? ra > rb : (a.gi.classification, a.gi.z) < (b.gi.classification, b.gi.z)
                } : cold
            out.append(
                table(
                    Array(rows.prefix(25)), robustness: m.robustness, of: total,
                    caption:
                        "The \(min(25, cold.count)) \(s.sort == .robustness ? "most robust" : "most significant") cold spots of \(cold.count)"
                ))
        }
        out.append(.h2(.text("By local authority")))
        out.append(
            areaTable(
                a.byLocalAuthority(), caption: "Schools in cold and hot spots per local authority",
                first: "Local authority"))
        out.append(.h2(.text("By district")))
        out.append(areaTable(a.byDistrict(), caption: "Schools in cold and hot spots per district", first: "District"))
        return out
    }

    /// Links that list the cold spots by significance or by robustness, keeping every other setting.
    struct SortLinks {
        var settings: Settings

        func links() -> Node<HTML.BodyContext> {
            .p(
                .class("app-sort-links"),
                .text("Sort by: "),
                .forEach(Settings.Sort.allCases) { sort in
                    var s = settings
                    s.sort = sort
                    let label = sort == .significance ? "significance" : "robustness"
                    return sort == settings.sort
                        ? .strong(.text(label + " "))
                        : .a(.href(SitePath.with(path, query: s.query) + "#cold-spots-table"), .text(label + " "))
                })
        }
    }

    static func table(
        _ rows: [ColdSpotAnalysis.SchoolResult], robustness: [URN: Int], of total: Int, caption: String
    ) -> Node<HTML.BodyContext> {
        .table(
            .class("app-table"), .id("cold-spots-table"),
            .caption(.text(caption)),
            .thead(
                .tr(
                    .th(.attribute(named: "scope", value: "col"), .text("School")),
                    .th(.attribute(named: "scope", value: "col"), .text("Local authority")),
                    .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("Value")),
                    .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("Neighbours")),
                    .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("Gi* z")),
                    .th(.attribute(named: "scope", value: "col"), .text("Class")),
                    .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("Cold in"))
                )),
            .tbody(
                .forEach(rows) { r in
                    .tr(
                        .td(.a(.href(SitePath.school(r.school.urn)), .text(r.school.name))),
                        .td(.text(r.school.localAuthority?.name ?? "")),
                        .td(.class("app-numeric"), .text(rounded(r.value))),
                        .td(.class("app-numeric"), .text(String(r.gi.neighbours))),
                        .td(.class("app-numeric"), .text(rounded(r.gi.z))),
                        .td(.text(classLabel(r.gi.classification))),
                        .td(.class("app-numeric"), .text("\(robustness[r.school.urn] ?? 0) of \(total)"))
                    )
                })
        )
    }

    static func areaTable(_ rows: [ColdSpotAnalysis.AreaSummary], caption: String, first: String) -> Node<
        HTML.BodyContext
    > {
        .table(
            .class("app-table"),
            .caption(.text(caption)),
            .thead(
                .tr(
                    .th(.attribute(named: "scope", value: "col"), .text(first)),
                    .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("Schools")),
                    .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("In cold spots")),
                    .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("In hot spots")),
                    .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("Mean value"))
                )),
            .tbody(
                .forEach(rows) { a in
                    .tr(
                        .td(.text(a.name)),
                        .td(.class("app-numeric"), .text(a.schools.formatted)),
                        .td(.class("app-numeric"), .text(a.coldSpots.formatted)),
                        .td(.class("app-numeric"), .text(a.hotSpots.formatted)),
                        .td(.class("app-numeric"), .text(rounded(a.meanValue)))
                    )
                })
        )
    }

    public static func classLabel(_ c: Int) -> String {
        switch c {
        case -3: "Cold spot, 99%"
        case -2: "Cold spot, 95%"
        case -1: "Cold spot, 90%"
        case 1: "Hot spot, 90%"
        case 2: "Hot spot, 95%"
        case 3: "Hot spot, 99%"
        default: "Not significant"
        }
    }

    static func rounded(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    static func method(_ s: Settings) -> Node<HTML.BodyContext> {
        .details(
            .summary(.text("How this is worked out")),
            .div(
                .p(
                    .text(
                        "For every school, Chalkface adds up the indicator over the school and its neighbours (\(s.knn.map { "its \($0) nearest schools" } ?? "every school within \(s.format(s.band / 1000)) km")) and compares that local total with what the whole region would lead you to expect. The comparison is the Getis-Ord Gi* statistic, a z-score: a strongly negative z means the school sits among schools with much less of the indicator than the region's average, a cold spot; a strongly positive z, a hot spot."
                    )),
                .p(
                    .text(
                        "A school is shown as a cold or hot spot when its z-score would be unlikely by chance: beyond ±1.645 for 90% confidence, ±1.96 for 95% and ±2.576 for 99% (two-sided). With pseudo p-values, the chance is measured instead by shuffling the other schools' values around each school many times (conditional permutation). When many schools are tested at once some will look significant by chance; the false discovery rate correction (Benjamini-Hochberg) keeps the expected share of such false alarms among the highlighted schools below the chosen rate."
                    )),
                .p(
                    .text(
                        "Why the answer depends on the neighbourhood: \u{201C}around a school\u{201D} has to be drawn somewhere. A small neighbourhood compares a school with a few close schools, so one lead school more or less changes the picture; a large one averages over many, so only broad shortfalls stand out. A cold spot that appears whichever neighbourhood is used is a firmer finding than one that appears in a single neighbourhood, which is why the table says in how many of five standard neighbourhoods each school is cold."
                    )),
                .p(
                    .text(
                        "Ties: for indicators that are mostly zero (such as \u{201C}is an ITT lead school\u{201D}), many shuffles give exactly the same local total as the real one. Chalkface counts those ties as neither unusually low nor unusually high, so a school surrounded by zeros is not called a cold spot when most random arrangements would look the same. (PySAL's esda counts ties as low, and would.)"
                    )),
                .p(
                    .text(
                        "Weights are binary: 1 for each neighbour and for the school itself. Row-standardised weights give exactly the same z-scores (Gi*'s z does not change when a school's weights are all scaled alike), which is why Chalkface does not offer them here; the command-line tool documents the formula. Schools without a map position are left out."
                    ))
            ))
    }
}

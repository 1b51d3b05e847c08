import Domain
import Foundation
import Plot

/// Who stays: Kaplan-Meier survival curves by a chosen grouping, with intervals, the numbers at risk, a log-rank
/// test and the national comparison; and one teacher's record and timeline.
public enum RetentionPages {
    public struct Model: Sendable {
        /// What the figures cover ("All teachers in the partnership's schools", one school's staff, ...).
        public var scope: String
        /// Survival in one school (any leaving counts) rather than in the partnership's schools.
        public var inSchool: Bool
        public var analysis: Retention.Analysis
        public var asOf: Day
        public var generatedShare: Double
        /// The school whose staff list the viewer may open.
        public var staffListURN: Int?
        /// The factors chosen for the hazard model, and the model (or why it could not be fitted).
        public var factors: [Retention.Dimension] = []
        public var hazards: Result<Retention.HazardRatios, CoxModel.FitError>?
        /// Early-career retention by first school against the funnel's control limits (not for one school's view).
        public var funnel: Retention.Funnel?
        /// Coordinators may look at one school's staff (time at the school); the school they chose.
        public var canChooseSchool = false
        public var chosenSchool: Int?
        public init(
            scope: String, inSchool: Bool, analysis: Retention.Analysis, asOf: Day, generatedShare: Double,
            staffListURN: Int? = nil
        ) {
            self.staffListURN = staffListURN
            self.scope = scope
            self.inSchool = inSchool
            self.analysis = analysis
            self.asOf = asOf
            self.generatedShare = generatedShare
        }
    }

    public static let reportYears = [1, 2, 3, 5, 10]
    static let dashes = ["", "8 4", "2 3", "12 4 2 4", "4 4", "1 2", "10 2", "6 2 2 2"]
    static let colours = ["#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#5694ca", "#b58840", "#6f72af"]

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    public static func page(_ m: Model, chrome: Chrome) -> HTML {
        let a = m.analysis
        let query = (["by=\(a.dimension.rawValue)"] + m.factors.map { "factor=\($0.rawValue)" }).joined(separator: "&")
        let options = Retention.Dimension.allCases.map { (value: $0.rawValue, label: $0.label) }
        return Layout.page(
            title: "Retention", section: .retention, chrome: chrome,
            content: [
                .h1(.text("Who stays")),
                .p(
                    .class("app-lead"),
                    .text(
                        "\(m.scope): Kaplan-Meier estimates of the share still \(m.inSchool ? "at the school" : "teaching in the partnership's schools") by years since \(m.inSchool ? "starting there" : "their first post"), as of \(m.asOf.longDescription)."
                    )),
                .if(
                    m.generatedShare > 0,
                    .div(
                        .class("app-inset"), .id("generated-notice"),
                        .text(
                            "\(percent(m.generatedShare)) of these records are generated demo data, not real teachers."
                        ))),
                .if(
                    chrome.isCoordinator,
                    .p(
                        .a(
                            .id("forecast-link"), .href("/retention/forecast"),
                            .text("Supply forecast: teachers against need, five years ahead")))),
                .if(
                    m.chosenSchool != nil,
                    .p(.a(.id("partnership-link"), .href("/retention"), .text("Back to the whole partnership")))),
                .unwrap(m.staffListURN) { urn in
                    .p(
                        .a(
                            .id("staff-list-link"), .href("/schools/\(urn)/staff"),
                            .text("The school's staff in the register")))
                },
                .form(
                    .method(.get), .action("/retention"),
                    .if(
                        m.canChooseSchool,
                        Form.input(
                            "school", label: "One school's staff (URN)",
                            hint: "Leave empty for the whole partnership, or enter a school's URN, like 138982.",
                            value: m.chosenSchool.map(String.init) ?? "", kind: .number)),
                    Form.select(
                        "by", label: "Compare by", options: options, selected: a.dimension.rawValue),
                    .div(
                        .class("app-form-group"),
                        .fieldset(
                            .class("app-fieldset"),
                            .element(
                                named: "legend",
                                nodes: [.class("app-fieldset__legend"), .text("Explain leaving by (a Cox model)")]),
                            .div(
                                .class("app-hint"),
                                .text(
                                    "Each factor's groups are compared with its largest group, the others held equal.")),
                            .group(
                                Retention.modelFactors.enumerated().map { i, f in
                                    .div(
                                        .class("app-checkbox"),
                                        .input(
                                            .type(.checkbox), .id("factor-\(i + 1)"), .name("factor"),
                                            .value(f.rawValue),
                                            .checked(m.factors.contains(f))),
                                        .label(.for("factor-\(i + 1)"), .text(f.label)))
                                }))),
                    Form.submit("Show", secondary: true)),
                .if(
                    a.overall.people < Retention.suppressionThreshold,
                    .p(
                        .id("too-few"),
                        .text(
                            "There are \(a.overall.people) teachers in this view: figures resting on fewer than \(Retention.suppressionThreshold) people are not shown."
                        )),
                    else: .group(
                        .raw(chart(a, inSchool: m.inSchool)),
                        atRiskTable(a),
                        survivalTable(a),
                        logRank(a),
                        hazardTable(m),
                        .if(
                            m.hazards.map { if case .success = $0 { true } else { false } } ?? false,
                            .p(
                                .a(
                                    .href(
                                        Escape.attribute(
                                            "/retention/hazards.csv?"
                                                + m.factors.map { "factor=\($0.rawValue)" }.joined(separator: "&"))),
                                    .text("Download the hazard ratios (CSV)")))),
                        .unwrap(m.funnel) { funnelSection($0) },
                        .if(
                            m.funnel != nil,
                            .p(
                                .a(
                                    .href("/retention/funnel.csv"),
                                    .text("Download the schools' early-career retention (CSV)")))),
                        .p(
                            .a(
                                .href(Escape.attribute("/retention.csv?\(query)")),
                                .text("Download these figures (CSV)"))),
                        method(m)
                    )),
            ])
    }

    /// The curves as an SVG: a step line per group with its 95% band, and DfE's national points, years 0-10.
    static func chart(_ a: Retention.Analysis, inSchool: Bool) -> String {
        let width = 680.0
        let height = 360.0
        let left = 56.0
        let right = 190.0
        let top = 16.0
        let bottom = 44.0
        let plotW = width - left - right
        let plotH = height - top - bottom
        let maxYears = 10.0
        func x(_ t: Double) -> Double { left + min(t, maxYears) / maxYears * plotW }
        func y(_ s: Double) -> Double { top + (1 - s) * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg =
            "<figure class=\"app-chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"km-title km-desc\" id=\"survival-chart\">"
        svg +=
            "<title id=\"km-title\">Share still \(inSchool ? "at the school" : "teaching") by years of service</title>"
        svg +=
            "<desc id=\"km-desc\">Kaplan-Meier curves for \(a.curves.map { Escape.attribute($0.label) }.joined(separator: "; ")), with 95% confidence bands. The same figures are in the tables below.</desc>"
        // Axes and grid.
        for p in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg +=
                "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y(p)))\" y2=\"\(f(y(p)))\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>"
            svg +=
                "<text x=\"\(f(left - 6))\" y=\"\(f(y(p) + 4))\" text-anchor=\"end\" font-size=\"13\" fill=\"#0b0c0c\">\(Int(p * 100))%</text>"
        }
        for t in 0...Int(maxYears) {
            svg +=
                "<text x=\"\(f(x(Double(t))))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\" font-size=\"13\" fill=\"#0b0c0c\">\(t)</text>"
        }
        svg +=
            "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" font-size=\"14\" fill=\"#0b0c0c\">Years since \(inSchool ? "starting at the school" : "first post")</text>"
        svg +=
            "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" stroke=\"#0b0c0c\"/><line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH))\" stroke=\"#0b0c0c\"/>"
        for (i, c) in a.curves.prefix(8).enumerated() {
            let fit = c.fit
            // Points of the step function up to the last time with at least 10 at risk.
            var times: [Double] = [0]
            var s: [Double] = [1]
            var lo: [Double] = [1]
            var hi: [Double] = [1]
            for k in fit.table.times.indices
            where fit.table.atRisk[k] >= Retention.suppressionThreshold && fit.table.times[k] <= maxYears {
                times.append(fit.table.times[k])
                s.append(fit.survival[k])
                lo.append(fit.lower[k])
                hi.append(fit.upper[k])
            }
            let end = min(maxYears, times.last ?? 0)
            var line = "M\(f(x(0))),\(f(y(1)))"
            var upper = "M\(f(x(0))),\(f(y(1)))"
            var lower: [String] = []
            for k in 1..<times.count {
                line += " H\(f(x(times[k]))) V\(f(y(s[k])))"
                upper += " H\(f(x(times[k]))) V\(f(y(hi[k])))"
            }
            line += " H\(f(x(end)))"
            upper += " H\(f(x(end)))"
            for k in stride(from: times.count - 1, through: 0, by: -1) {
                let next = k + 1 < times.count ? times[k + 1] : end
                lower.append("H\(f(x(next))) V\(f(y(lo[k])))")
                lower.append("H\(f(x(times[k])))")
            }
            let colour = colours[i % colours.count]
            svg +=
                "<path d=\"\(upper) V\(f(y(lo.last ?? 1))) \(lower.joined(separator: " ")) Z\" fill=\"\(colour)\" fill-opacity=\"0.12\" stroke=\"none\"/>"
            svg +=
                "<path d=\"\(line)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\" stroke-dasharray=\"\(dashes[i % dashes.count])\"><title>\(Escape.attribute(c.label))</title></path>"
            // Legend: the line's own dash pattern beside its name.
            let ly = top + 14 + Double(i) * 22
            svg +=
                "<line x1=\"\(f(width - right + 12))\" x2=\"\(f(width - right + 42))\" y1=\"\(f(ly))\" y2=\"\(f(ly))\" stroke=\"\(colour)\" stroke-width=\"2.5\" stroke-dasharray=\"\(dashes[i % dashes.count])\"/>"
            svg +=
                "<text x=\"\(f(width - right + 48))\" y=\"\(f(ly + 4))\" font-size=\"12\" fill=\"#0b0c0c\">\(Escape.attribute(String(c.label.prefix(24))))</text>"
        }
        if !inSchool {
            let ly = top + 14 + Double(min(a.curves.count, 8)) * 22
            for (years, share) in Retention.national2010 {
                svg +=
                    "<rect x=\"\(f(x(Double(years)) - 4))\" y=\"\(f(y(share) - 4))\" width=\"8\" height=\"8\" fill=\"#0b0c0c\"><title>England, 2010 entrants: \(Int(share * 100))% after \(years) year\(years == 1 ? "" : "s")</title></rect>"
            }
            svg +=
                "<rect x=\"\(f(width - right + 23))\" y=\"\(f(ly - 4))\" width=\"8\" height=\"8\" fill=\"#0b0c0c\"/><text x=\"\(f(width - right + 48))\" y=\"\(f(ly + 4))\" font-size=\"12\" fill=\"#0b0c0c\">England, 2010 entrants</text>"
        }
        svg +=
            "</svg><figcaption>Shaded bands are 95% confidence intervals; curves stop where fewer than \(Retention.suppressionThreshold) people remain at risk.</figcaption></figure>"
        return svg
    }

    static func atRiskTable(_ a: Retention.Analysis) -> Node<HTML.BodyContext> {
        let years = Array(0...10)
        return .table(
            .class("app-table"), .id("at-risk"),
            .caption(.text("Number at risk (still followed) at the start of each year")),
            .thead(
                .tr(
                    .th(.attribute(named: "scope", value: "col"), .text("Group")),
                    .forEach(years) {
                        .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("\($0)"))
                    })),
            .tbody(
                .forEach(a.curves) { c in
                    .tr(
                        .th(.attribute(named: "scope", value: "row"), .text(c.label)),
                        .forEach(years) { t in
                            let n = c.fit.table.atRisk(at: Double(t))
                            return .td(
                                .class("app-numeric"),
                                .text(n == 0 ? "0" : n < Retention.suppressionThreshold ? "<10" : "\(n)"))
                        })
                }))
    }

    static func survivalTable(_ a: Retention.Analysis) -> Node<HTML.BodyContext> {
        .table(
            .class("app-table"), .id("survival-table"),
            .caption(.text("Share still in post (95% confidence interval)")),
            .thead(
                .tr(
                    .th(.attribute(named: "scope", value: "col"), .text("Group")),
                    .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("People")),
                    .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("Left")),
                    .forEach(reportYears) {
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-numeric"),
                            .text("After \($0) year\($0 == 1 ? "" : "s")"))
                    })),
            .tbody(
                .forEach(a.curves) { c in
                    .tr(
                        .th(.attribute(named: "scope", value: "row"), .text(c.label)),
                        .td(.class("app-numeric"), .text("\(c.people)")),
                        .td(.class("app-numeric"), .text("\(c.left)")),
                        .forEach(reportYears) { t in
                            let atRisk = c.fit.table.atRisk(at: Double(t))
                            guard atRisk >= Retention.suppressionThreshold else {
                                return .td(.class("app-numeric"), .text("fewer than 10 at risk"))
                            }
                            let v = c.fit.at(Double(t))
                            return .td(
                                .class("app-numeric"),
                                .text("\(percent(v.survival)) (\(percent(v.lower)) to \(percent(v.upper)))"))
                        })
                },
                .tr(
                    .th(.attribute(named: "scope", value: "row"), .text("England, 2010 entrants (DfE)")),
                    .td(.class("app-numeric"), .text("24,100")), .td(.class("app-numeric"), .text("")),
                    .forEach(reportYears) { t in
                        .td(
                            .class("app-numeric"),
                            .text(
                                Retention.national2010.first { $0.years == t }.map { "\(Int($0.share * 100))%" }
                                    ?? "not published"))
                    })))
    }

    static func logRank(_ a: Retention.Analysis) -> Node<HTML.BodyContext> {
        guard let test = a.logRank else {
            return .p(
                .id("logrank"),
                .text(
                    a.dimension == .none
                        ? "Choose a grouping to compare curves."
                        : "There are not two groups of 10 or more people to compare."))
        }
        let p = test.pValue < 0.0001 ? "less than 0.0001" : String(format: "%.4f", test.pValue)
        return .div(
            .id("logrank"),
            .h2(.text("Do the groups differ?")),
            .p(
                .text(
                    "Log-rank test across the \(a.curves.count) groups shown: chi-square \(String(format: "%.2f", test.statistic)) on \(test.degreesOfFreedom) degree\(test.degreesOfFreedom == 1 ? "" : "s") of freedom, p \(p). "
                        + (test.pValue < 0.05
                            ? "The groups' retention differs by more than chance would explain (at the 5% level)."
                            : "The differences between the groups are within what chance would give (at the 5% level).")
                )),
            .if(
                a.omitted > 0,
                .p(
                    .text(
                        "\(a.omitted) smaller group\(a.omitted == 1 ? " is" : "s are") not shown: groups of fewer than \(Retention.suppressionThreshold) people are left out, and at most 8 of the largest are drawn."
                    ))))
    }

    static func hazardTable(_ m: Model) -> Node<HTML.BodyContext> {
        guard let result = m.hazards else { return .empty }
        switch result {
        case .failure(let error):
            return .div(
                .id("hazard-ratios"), .h2(.text("Hazard ratios")),
                .p(.text("The model could not be fitted: \(error.description).")))
        case .success(let h):
            func p(_ v: Double) -> String { v < 0.0001 ? "<0.0001" : String(format: "%.4f", v) }
            func r(_ v: Double) -> String { String(format: "%.2f", v) }
            return .div(
                .id("hazard-ratios"),
                .h2(.text("Hazard ratios")),
                .p(
                    .text(
                        "A Cox proportional-hazards model (Efron ties) of \(h.model.observations) teachers, \(h.model.events) of whom left. A ratio above 1 means leaving sooner than the comparison group, with the other factors held equal; an interval that includes 1 is consistent with no difference."
                    )),
                .table(
                    .class("app-table"),
                    .caption(.text("Hazard ratios with 95% confidence intervals")),
                    .thead(
                        .tr(
                            .th(.text("Factor")), .th(.text("Group")), .th(.text("Compared with")),
                            .th(.class("app-numeric"), .text("People")),
                            .th(.class("app-numeric"), .text("Hazard ratio (95% CI)")),
                            .th(.class("app-numeric"), .text("p")))),
                    .tbody(
                        .forEach(h.rows) { row in
                            .tr(
                                .td(.text(row.factor.label)), .td(.text(row.level)), .td(.text(row.baseline)),
                                .td(.class("app-numeric"), .text("\(row.people)")),
                                .td(
                                    .class("app-numeric"),
                                    .text(
                                        "\(r(row.coefficient.hazardRatio)) (\(r(row.coefficient.hazardRatioLower)) to \(r(row.coefficient.hazardRatioUpper)))"
                                    )),
                                .td(.class("app-numeric"), .text(p(row.coefficient.pValue))))
                        })))
        }
    }

    static func funnelSection(_ f: Retention.Funnel) -> Node<HTML.BodyContext> {
        let flagged = f.schools.filter(\.belowAlert)
        return .div(
            .id("funnel"),
            .h2(.text("Schools whose early-career retention is low for their size")),
            .p(
                .text(
                    "Of \(f.starters) teachers whose first post began at least \(f.years) years ago, \(f.retained) (\(percent(f.overall))) were still teaching in the partnership's schools \(f.years) years later. Each school with 10 or more such starters is a point; the lines are the limits within which a school of that size would fall by chance 95% and 99.8% of the time. \(f.small) schools with fewer than 10 starters are not shown."
                )),
            .raw(funnelChart(f)),
            .if(
                flagged.isEmpty,
                .p(.text("No school is below the 95% limit.")),
                else: .table(
                    .class("app-table"), .id("funnel-flagged"),
                    .caption(.text("Schools below the lower 95% limit")),
                    .thead(
                        .tr(
                            .th(.text("School")), .th(.class("app-numeric"), .text("Starters")),
                            .th(.class("app-numeric"), .text("Still teaching after \(f.years) years")),
                            .th(.class("app-numeric"), .text("Lower 95% limit")), .th(.text("Below 99.8% limit")))),
                    .tbody(
                        .forEach(flagged) { s in
                            .tr(
                                .td(
                                    .unwrap(
                                        s.urn,
                                        { urn in
                                            .a(
                                                .href("/retention?school=\(urn)"),
                                                .text(s.label),
                                                .span(.class("app-visually-hidden"), .text(": time at the school")))
                                        }, else: .text(s.label))),
                                .td(.class("app-numeric"), .text("\(s.starters)")),
                                .td(.class("app-numeric"), .text("\(s.retained) (\(percent(s.share)))")),
                                .td(
                                    .class("app-numeric"),
                                    .text(percent(f.limits(n: Double(s.starters), z: Retention.Funnel.z95).lower))),
                                .td(.text(s.belowAlarm ? "Yes" : "No")))
                        }))))
    }

    static func funnelChart(_ f: Retention.Funnel) -> String {
        let width = 680.0
        let height = 320.0
        let left = 56.0
        let top = 12.0
        let plotW = width - left - 20
        let plotH = height - top - 44
        let maxN = max(20.0, Double(f.schools.map(\.starters).max() ?? 20) * 1.1)
        func x(_ n: Double) -> Double { left + n / maxN * plotW }
        func y(_ p: Double) -> Double { top + (1 - p) * plotH }
        func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg =
            "<figure class=\"app-chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"funnel-title funnel-desc\" id=\"funnel-chart\">"
        svg += "<title id=\"funnel-title\">Early-career retention by school against its number of starters</title>"
        svg +=
            "<desc id=\"funnel-desc\">\(f.schools.count) schools; \(f.schools.filter(\.belowAlert).count) below the 95% limit, listed in the table below.</desc>"
        for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg +=
                "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + plotW))\" y1=\"\(fmt(y(p)))\" y2=\"\(fmt(y(p)))\" stroke=\"#b1b4b6\"/><text x=\"\(fmt(left - 6))\" y=\"\(fmt(y(p) + 4))\" text-anchor=\"end\" font-size=\"13\" fill=\"#0b0c0c\">\(Int(p * 100))%</text>"
        }
        let step = maxN / 5
        for k in 0...5 {
            let n = Double(k) * step
            svg +=
                "<text x=\"\(fmt(x(n)))\" y=\"\(fmt(top + plotH + 18))\" text-anchor=\"middle\" font-size=\"13\" fill=\"#0b0c0c\">\(Int(n.rounded()))</text>"
        }
        svg +=
            "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(height - 6))\" text-anchor=\"middle\" font-size=\"14\" fill=\"#0b0c0c\">Teachers who started there (at least \(f.years) years ago)</text>"
        svg +=
            "<line x1=\"\(fmt(x(0)))\" x2=\"\(fmt(x(maxN)))\" y1=\"\(fmt(y(f.overall)))\" y2=\"\(fmt(y(f.overall)))\" stroke=\"#0b0c0c\" stroke-width=\"2\"/>"
        for (z, dash) in [(Retention.Funnel.z95, "6 4"), (Retention.Funnel.z998, "2 3")] {
            var lower: [String] = []
            var upper: [String] = []
            for k in stride(from: 10.0, through: maxN, by: max(1, (maxN - 10) / 60)) {
                let l = f.limits(n: k, z: z)
                lower.append("\(fmt(x(k))),\(fmt(y(l.lower)))")
                upper.append("\(fmt(x(k))),\(fmt(y(l.upper)))")
            }
            for line in [lower, upper] {
                svg +=
                    "<polyline points=\"\(line.joined(separator: " "))\" fill=\"none\" stroke=\"#505a5f\" stroke-width=\"1.5\" stroke-dasharray=\"\(dash)\"/>"
            }
        }
        for s in f.schools {
            let cx = fmt(x(Double(s.starters)))
            let cy = fmt(y(s.share))
            // Flagged schools are drawn as squares as well as in another colour, so they read without colour.
            if s.belowAlert {
                svg +=
                    "<rect x=\"\(fmt(x(Double(s.starters)) - 5))\" y=\"\(fmt(y(s.share) - 5))\" width=\"10\" height=\"10\" fill=\"#d4351c\"><title>\(Escape.attribute(s.label)): \(s.retained) of \(s.starters)</title></rect>"
            } else {
                svg +=
                    "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"3.5\" fill=\"#1d70b8\" fill-opacity=\"0.7\"><title>\(Escape.attribute(s.label)): \(s.retained) of \(s.starters)</title></circle>"
            }
        }
        svg +=
            "</svg><figcaption>Solid line: the partnership's share. Dashed: 95% limits; dotted: 99.8% limits. Squares: schools below the 95% limit.</figcaption></figure>"
        return svg
    }

    static func method(_ m: Model) -> Node<HTML.BodyContext> {
        .details(
            .class("app-details"),
            .summary(.text("How these figures are worked out")),
            .ul(
                .class("app-list"),
                .li(
                    .text(
                        m.inSchool
                            ? "Each teacher's time at the school runs from the first day of their first period there to the end of their last; any ending counts as leaving, a move to another partnership school included."
                            : "Each teacher's time runs from their first post in a partnership school. It ends in leaving when their last period ends for any reason but a move within the partnership; someone still in post is followed to today."
                    )),
                .li(
                    .text(
                        "Survival is the Kaplan-Meier estimate; the 95% intervals use Greenwood's variance on the log(-log) scale, as lifelines computes them (the same code as `chalkface survival`)."
                    )),
                .li(.text("Figures resting on fewer than 10 people at risk are not shown.")),
                .li(
                    .text(
                        "The national comparison is DfE's School Workforce in England: of 24,100 teachers who entered in 2010, 87% were in service after 1 year and 70% after 5. It counts any state school in England, so moves out of the region count as staying there."
                    ))))
    }
}

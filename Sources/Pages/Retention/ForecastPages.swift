import Domain
import Foundation
import Plot

/// The supply forecast: teachers (FTE) by phase and subject now and five years ahead against need, under the
/// partnership's own leaving rates or DfE's national ones, with a what-if.
public enum ForecastPages {
    public struct Row: Sendable {
        public var inputs: SupplyForecast.Inputs
        public var chosen: [SupplyForecast.Year]
        public var other: [SupplyForecast.Year]
        public var whatIf: [SupplyForecast.Year]?
        public init(
            inputs: SupplyForecast.Inputs, chosen: [SupplyForecast.Year], other: [SupplyForecast.Year],
            whatIf: [SupplyForecast.Year]?
        ) {
            self.inputs = inputs
            self.chosen = chosen
            self.other = other
            self.whatIf = whatIf
        }
    }

    public struct Model: Sendable {
        public var source: SupplyForecast.RateSource
        public var whatIf: SupplyForecast.WhatIf
        public var rows: [Row]
        public var startYear: AcademicYear
        public var traineeYear: AcademicYear
        public var problems: [ValidationError.Problem]
        public var form: [String: String]
        public init(
            source: SupplyForecast.RateSource, whatIf: SupplyForecast.WhatIf, rows: [Row], startYear: AcademicYear,
            traineeYear: AcademicYear, problems: [ValidationError.Problem], form: [String: String]
        ) {
            self.source = source
            self.whatIf = whatIf
            self.rows = rows
            self.startYear = startYear
            self.traineeYear = traineeYear
            self.problems = problems
            self.form = form
        }
    }

    static func fte(_ v: Double) -> String { String(format: "%.0f", v) }
    static func signed(_ v: Double) -> String {
        let r = v.rounded()
        return r > 0 ? "+\(Int(r))" : r == 0 ? "0" : "\(Int(r))"
    }

    public static func page(_ m: Model, chrome: Chrome) -> HTML {
        let other: SupplyForecast.RateSource = m.source == .partnership ? .national : .partnership
        let years = Array(1...5)
        let subjects = TeachingSubject.allCases.map { (value: $0.rawValue, label: $0.label) }
        return Layout.page(
            title: "Supply forecast", section: .retention, chrome: chrome,
            breadcrumbs: [.init("Retention", "/retention")],
            content: [
                .h1(.text("Teacher supply forecast")),
                .p(
                    .text(
                        "Teachers (full-time equivalent) in the partnership's schools by phase and subject from \(m.startYear), projected five years ahead against need. A negative gap is a shortfall."
                    )),
                Form.errorSummary(m.problems),
                .form(
                    .method(.get), .action("/retention/forecast"),
                    Form.radios(
                        "rates", legend: "Leaving rates",
                        options: SupplyForecast.RateSource.allCases.map { ($0.rawValue, $0.label, nil) },
                        selected: m.source.rawValue),
                    .fieldset(
                        .class("app-fieldset"),
                        .element(named: "legend", nodes: [.class("app-fieldset__legend"), .text("What if")]),
                        Form.select(
                            "subject", label: "Recruit more trainees in", options: [("", "No subject")] + subjects,
                            selected: m.form["subject"] ?? "", problems: m.problems),
                        Form.input(
                            "extra", label: "How many more trainees a year", value: m.form["extra"] ?? "",
                            kind: .number,
                            problems: m.problems),
                        Form.input(
                            "cut", label: "Cut early-career leaving by (percentage points)",
                            value: m.form["cut"] ?? "", problems: m.problems)),
                    Form.submit("Show forecast", secondary: true)),
                .table(
                    .class("app-table"), .id("forecast"),
                    .caption(.text("Supply minus need, FTE (\(m.source.label.lowercased()))")),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("Phase and subject")),
                            .th(.attribute(named: "scope", value: "col"), .class("app-numeric"), .text("FTE now")),
                            .forEach(years) { y in
                                .th(
                                    .attribute(named: "scope", value: "col"), .class("app-numeric"),
                                    .text(AcademicYear(start: m.startYear.start + y)?.description ?? "+\(y)"))
                            },
                            .th(
                                .attribute(named: "scope", value: "col"), .class("app-numeric"),
                                .text("Year 5 with \(other == .national ? "national" : "partnership") rates")),
                            .if(
                                !m.whatIf.isEmpty,
                                .th(
                                    .attribute(named: "scope", value: "col"), .class("app-numeric"),
                                    .text("Year 5 with the what-if"))))),
                    .tbody(
                        .forEach(m.rows) { row in
                            let now = row.chosen[0].supply
                            guard now >= Double(Retention.suppressionThreshold) else {
                                return .tr(
                                    .th(.attribute(named: "scope", value: "row"), .text(row.inputs.line.label)),
                                    .td(
                                        .class("app-numeric"),
                                        .attribute(
                                            named: "colspan", value: "\(years.count + (m.whatIf.isEmpty ? 2 : 3))"),
                                        .text("fewer than 10 FTE: not projected")))
                            }
                            return .tr(
                                .th(.attribute(named: "scope", value: "row"), .text(row.inputs.line.label)),
                                .td(.class("app-numeric"), .text(fte(now))),
                                .forEach(years) { y in .td(.class("app-numeric"), .text(signed(row.chosen[y].gap))) },
                                .td(.class("app-numeric"), .text(signed(row.other[5].gap))),
                                .unwrap(row.whatIf) { w in .td(.class("app-numeric"), .text(signed(w[5].gap))) })
                        })),
                .p(
                    .a(
                        .id("forecast-csv"),
                        .href(
                            Escape.attribute(
                                "/retention/forecast.csv?"
                                    + ["rates", "subject", "extra", "cut"].compactMap { k in
                                        m.form[k].map {
                                            "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                                        }
                                    }.joined(separator: "&"))),
                        .text("Download the forecast (CSV)"))),
                .h2(.text("What each line assumes")),
                .table(
                    .class("app-table"), .id("forecast-inputs"),
                    .caption(.text("Inputs per line")),
                    .thead(
                        .tr(
                            .th(.text("Phase and subject")), .th(.class("app-numeric"), .text("Early-career FTE")),
                            .th(.class("app-numeric"), .text("Others FTE")),
                            .th(.class("app-numeric"), .text("Leaving: early / others")),
                            .th(.class("app-numeric"), .text("New teachers this year (trainees)")),
                            .th(.class("app-numeric"), .text("Returners and other entrants a year")),
                            .th(.text("Where the rates come from")))),
                    .tbody(
                        .forEach(m.rows) { row in
                            let i = row.inputs
                            return .tr(
                                .td(.text(i.line.label)), .td(.class("app-numeric"), .text(fte(i.early))),
                                .td(.class("app-numeric"), .text(fte(i.established))),
                                .td(
                                    .class("app-numeric"),
                                    .text(
                                        String(
                                            format: "%.1f%% / %.1f%%", i.earlyLeaving * 100, i.establishedLeaving * 100)
                                    )),
                                .td(.class("app-numeric"), .text("\(fte(i.newlyQualified)) (\(i.trainees))")),
                                .td(
                                    .class("app-numeric"), .text(String(format: "%.1f", i.returners + i.otherEntrants))),
                                .td(.text(i.rateNote)))
                        })),
                .h2(.text("Assumptions and sources")),
                .ul(
                    .class("app-list"), .id("assumptions"),
                    .li(
                        .text(
                            "Supply now: teachers in post today in the teacher register, each counted once at their largest FTE. Phase is the school's (GIAS), or the teacher's specialism where the school's phase is unknown; secondary teachers count in their first specialism."
                        )),
                    .li(
                        .text(
                            "Need now is today's supply (the model assumes schools are staffed as they need today); it then moves with DfE's projected pupil numbers for the phase (Teacher Workforce Model, held at the last projection, 2027/28, after it)."
                        )),
                    .li(
                        .text(
                            "Leaving: the partnership's own rates are last academic year's leavers from the register over those in post at its start, early-career (first two years) and others separately; where fewer than 10 were at risk, DfE's national rate is used instead. DfE's national rates are the Teacher Workforce Model's total leaver rate for the phase and subject, and 9.5% a year for early-career teachers (of 100 new teachers, 11 leave within a year and 26 within three)."
                        )),
                    .li(
                        .text(
                            "Newly qualified entrants: this year's measured intake, the FTE of teachers whose first post in a partnership school began this September, repeated every year; the what-if adds its extra trainees on top, each assumed to qualify and take a full-time post. The partnership's trainees for \(m.traineeYear) are shown beside the intake for comparison: the register does not yet link each trainee to the post they take."
                        )),
                    .li(
                        .text(
                            "Returners and other entrants: DfE's national figures for the phase and subject, scaled by the partnership's share of the phase's teachers in England."
                        )),
                    .li(
                        .text(
                            "Early-career teachers spend two years in that stage: each year those who stay, half complete it."
                        ))),
            ])
    }
}

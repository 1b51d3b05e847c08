import Domain
import Foundation
import Plot

/// Two allocation runs side by side, for the coordinator: totals, then every trainee whose outcome changed and why.
public enum RunComparisonPages {
    public struct RunOption: Sendable {
        public var id: UUID
        public var label: String
        public init(id: UUID, label: String) {
            self.id = id
            self.label = label
        }
    }

    public struct Row: Sendable {
        public var trainee: String
        public var provider: String
        public var change: String
        public var why: [String]
        public init(trainee: String, provider: String, change: String, why: [String]) {
            self.trainee = trainee
            self.provider = provider
            self.change = change
            self.why = why
        }
    }

    public struct Model: Sendable {
        public var year: AcademicYear
        public var runs: [RunOption]
        public var first: RunOption
        public var second: RunOption
        public var totals: (first: RunComparison.Totals, second: RunComparison.Totals)
        public var unchanged: Int
        public var rows: [Row]
        public init(
            year: AcademicYear, runs: [RunOption], first: RunOption, second: RunOption,
            totals: (first: RunComparison.Totals, second: RunComparison.Totals), unchanged: Int, rows: [Row]
        ) {
            self.year = year
            self.runs = runs
            self.first = first
            self.second = second
            self.totals = totals
            self.unchanged = unchanged
            self.rows = rows
        }
    }

    static func km(_ metres: Int) -> String { "\((metres + 500) / 1000) km" }

    public static func page(_ m: Model, chrome: Chrome) -> HTML {
        let base = "/placements/allocation"
        let options = m.runs.map { (value: $0.id.uuidString.lowercased(), label: $0.label) }
        func average(_ t: RunComparison.Totals) -> String {
            t.averageKm.map { String(format: "%.1f km", $0) } ?? "–"
        }
        let placedDifference = m.totals.second.placed - m.totals.first.placed
        let travelDifference = m.totals.second.distance - m.totals.first.distance
        return Layout.page(
            title: "Compare allocation runs \(m.year)", section: .placements, chrome: chrome,
            breadcrumbs: [.init("Allocation \(m.year)", "\(base)?year=\(m.year)")],
            content: [
                .span(.class("app-caption-l"), .text("Allocation \(m.year)")),
                .h1(.text("Compare two runs")),
                .form(
                    .method(.get), .action("\(base)/compare"),
                    .input(.type(.hidden), .name("year"), .value(m.year.description)),
                    Form.select(
                        "first", label: "First run", options: options,
                        selected: options.first { $0.value == m.first.id.uuidString.lowercased() }?.value),
                    Form.select(
                        "second", label: "Second run", options: options,
                        selected: options.first { $0.value == m.second.id.uuidString.lowercased() }?.value),
                    Form.submit("Compare", secondary: true)),
                .table(
                    .class("app-table"), .id("comparison-totals"),
                    .caption(.text("Totals")),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("Measure")),
                            .th(.attribute(named: "scope", value: "col"), .text(m.first.label)),
                            .th(.attribute(named: "scope", value: "col"), .text(m.second.label)))),
                    .tbody(
                        .tr(
                            .th(.attribute(named: "scope", value: "row"), .text("Trainees placed")),
                            .td(.text("\(m.totals.first.placed) of \(m.totals.first.trainees)")),
                            .td(.text("\(m.totals.second.placed) of \(m.totals.second.trainees)"))),
                        .tr(
                            .th(.attribute(named: "scope", value: "row"), .text("Travel in all")),
                            .td(.text(km(m.totals.first.distance))), .td(.text(km(m.totals.second.distance)))),
                        .tr(
                            .th(.attribute(named: "scope", value: "row"), .text("Average travel of those placed")),
                            .td(.text(average(m.totals.first))), .td(.text(average(m.totals.second)))))),
                .p(
                    .id("comparison-summary"),
                    .text(
                        "\(m.rows.count) trainee\(m.rows.count == 1 ? "" : "s") changed and \(m.unchanged) stayed at the same school. The second run places \(placedDifference == 0 ? "as many" : "\(abs(placedDifference)) \(placedDifference > 0 ? "more" : "fewer")") with \(travelDifference == 0 ? "the same travel" : "\(km(abs(travelDifference))) \(travelDifference > 0 ? "more" : "less") travel in all")."
                    )),
                .if(
                    m.rows.isEmpty,
                    .p(.text("No trainee's outcome differs between these runs.")),
                    else: .table(
                        .class("app-table"), .id("comparison-changes"),
                        .caption(.text("Trainees whose outcome changed")),
                        .thead(
                            .tr(.th(.text("Trainee")), .th(.text("Provider")), .th(.text("Change")), .th(.text("Why")))),
                        .tbody(
                            .forEach(m.rows) { r in
                                .tr(
                                    .td(.text(r.trainee)), .td(.text(r.provider)), .td(.text(r.change)),
                                    .td(
                                        r.why.count == 1
                                            ? .text(r.why[0])
                                            : .ul(.class("app-list"), .forEach(r.why) { .li(.text($0)) })))
                            }))),
                .p(.a(.href(Escape.attribute("\(base)?year=\(m.year)")), .text("Back to the allocation"))),
            ])
    }
}

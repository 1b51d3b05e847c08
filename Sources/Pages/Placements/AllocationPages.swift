import Domain
import Foundation
import Plot

/// The coordinator's allocation: run it for a year, read the draft by trainee, provider and school, publish.
public enum AllocationPages {
    public struct TraineeRow: Sendable {
        public var label: String
        public var provider: String
        public var subject: String
        public var school: String?
        public var km: String?
        public var reason: String?
        public var takenBy: [String]
        public var trainee: UUID?
        public var schoolURN: URN?
        public init(
            label: String, provider: String, subject: String, school: String?, km: String?, reason: String?,
            takenBy: [String], trainee: UUID? = nil, schoolURN: URN? = nil
        ) {
            self.trainee = trainee
            self.schoolURN = schoolURN
            self.label = label
            self.provider = provider
            self.subject = subject
            self.school = school
            self.km = km
            self.reason = reason
            self.takenBy = takenBy
        }
    }

    public struct Summary: Sendable {
        public var name: String
        public var placed: Int
        public var of: Int
        public init(name: String, placed: Int, of: Int) {
            self.name = name
            self.placed = placed
            self.of = of
        }
    }

    public struct Model: Sendable {
        public var year: AcademicYear
        public var runID: UUID?
        public var createdAt: Date?
        public var publishedAt: Date?
        public var runs: Int
        public var trainees: [TraineeRow]
        public var providers: [Summary]
        public var schools: [Summary]
        public var totalKm: Int
        /// Whether the shown run required contrasting second placements.
        public var contrast = false
        /// The stable matching's placed count and kilometres, for comparison.
        public var stable: (placed: Int, km: Int)?
        public var offers: Int
        public var traineeCount: Int
        public var namesHidden: Bool
        /// Pins and forbidden pairs: description and the path that removes each.
        public var constraints: [(text: String, remove: String)] = []
        /// Placed trainees' homes to schools, and the offering schools, for the map.
        public var lines: [SVGMap.Line] = []
        public var schoolPoints: [SVGMap.Point] = []

        public init(
            year: AcademicYear, runID: UUID?, createdAt: Date?, publishedAt: Date?, runs: Int, trainees: [TraineeRow],
            providers: [Summary], schools: [Summary], totalKm: Int, offers: Int, traineeCount: Int, namesHidden: Bool
        ) {
            self.year = year
            self.runID = runID
            self.createdAt = createdAt
            self.publishedAt = publishedAt
            self.runs = runs
            self.trainees = trainees
            self.providers = providers
            self.schools = schools
            self.totalKm = totalKm
            self.offers = offers
            self.traineeCount = traineeCount
            self.namesHidden = namesHidden
        }
    }

    /// Lines from each placed trainee's home to their school, over the offering schools.
    static func map(_ m: Model) -> Node<HTML.BodyContext> {
        let places: [GridPoint] = m.schoolPoints.map(\.at) + m.lines.map(\.from)
        guard let bounds = SVGMap.Bounds.around(places) else { return .empty }
        let svg = SVGMap.render(
            id: "allocation-map", title: "Placements in the draft",
            description:
                "Each line joins a placed trainee's home to their school; squares are schools offering places.",
            bounds: bounds, points: m.schoolPoints, lines: m.lines)
        return .div(
            .class("app-map-figure"), .raw(svg),
            .p(
                .class("app-hint"),
                .text("Lines join each placed trainee's home (dot) to their placement school (square).")))
    }

    /// "Keep here" pins a placed trainee to their school; "Not here" forbids the pair. Both apply at the next run.
    static func constrainButtons(_ t: TraineeRow, year: AcademicYear, csrf: String) -> Node<HTML.BodyContext> {
        guard let trainee = t.trainee, let urn = t.schoolURN else { return .empty }
        let action = "/placements/allocation/constraints?year=\(year)"
        func button(_ kind: String, _ text: String) -> Node<HTML.BodyContext> {
            .form(
                .method(.post), .action(Escape.attribute(action)), .class("app-inline-form"),
                Form.csrf(csrf),
                .input(.type(.hidden), .name("trainee"), .value(trainee.uuidString.lowercased())),
                .input(.type(.hidden), .name("urn"), .value(String(urn.value))),
                .input(.type(.hidden), .name("kind"), .value(kind)),
                .button(
                    .class("app-link-button"), .type(.submit), .text(text),
                    .span(.class("app-visually-hidden"), .text(" for \(t.label)"))))
        }
        return .group(button("pin", "Keep here"), .text(" "), button("forbid", "Not here"))
    }

    /// The stable matching of the same trainees and places, beside the optimum.
    static func stableComparison(_ m: Model, placed: Int) -> Node<HTML.BodyContext> {
        guard let st = m.stable else { return .empty }
        return .p(
            .id("stable-comparison"),
            .text(
                "For comparison, a stable matching (trainees choose in order of travel and preference, schools prefer the nearest trainees, no mentor limit) places \(st.placed) with \(st.km) km of travel; this allocation places \(placed) with \(m.totalKm) km."
            ))
    }

    static func rate(_ s: Summary) -> String {
        s.of == 0 ? "" : "\(Int((Double(s.placed) / Double(s.of) * 100).rounded()))%"
    }

    public static func page(_ m: Model, chrome: Chrome) -> HTML {
        let base = "/placements/allocation"
        let placed = m.trainees.count { $0.school != nil }
        var content: [Node<HTML.BodyContext>] = [
            .span(.class("app-caption-l"), .text("Placements")),
            .h1(.text("Allocation for \(m.year)")),
            .p(
                .text(
                    "\(m.traineeCount) trainees from providers and \(m.offers) schools offering places with trained mentors. One run places as many trainees as possible, then as close to home as possible (with each trainee's travel limit, a second placement never at the first school, and preferences as a small cost)."
                )),
            .form(
                .method(.post), .action(Escape.attribute("\(base)?year=\(m.year)")),
                Form.csrf(chrome.csrfToken),
                Form.checkbox(
                    "contrast",
                    label:
                        "Second placements must be at a school in the other pupil-premium band from the first (DfE's PP50 list)",
                    checked: m.contrast),
                Form.submit(m.runID == nil ? "Run the allocation" : "Run again with today's offers and trainees")
            ),
        ]
        guard let run = m.runID else {
            content.append(.p(.text("No allocation has been run for \(m.year) yet.")))
            return Layout.page(title: "Allocation \(m.year)", section: .placements, chrome: chrome, content: content)
        }
        content += [
            .h2(.text(m.publishedAt == nil ? "Draft" : "Published")),
            .p(
                .id("allocation-summary"),
                .text(
                    "\(placed) of \(m.trainees.count) trainees placed, \(m.totalKm) km of travel in all. Run \(m.createdAt.map(DateText.dateTime) ?? "")\(m.publishedAt.map { ", published \(DateText.dateTime($0))" } ?? "") (\(m.runs) run\(m.runs == 1 ? "" : "s") this year)."
                )),
            stableComparison(m, placed: placed),
            .p(
                .a(
                    .href(
                        Escape.attribute("/placements/allocation.csv?year=\(m.year)&run=\(run.uuidString.lowercased())")
                    ), .text("Download as CSV"))),
            .if(
                m.publishedAt == nil,
                Form.button(
                    "Publish: providers and schools see their own allocations",
                    action: "\(base)/\(run.uuidString.lowercased())/publish?year=\(m.year)", csrf: chrome.csrfToken)),
            .if(
                m.namesHidden,
                .div(
                    .class("app-inset"),
                    .p(.text("The partnership shares aggregates only, so trainees are shown by number, not name.")))),
            map(m),
            .if(
                !m.constraints.isEmpty,
                .div(
                    .class("app-inset"), .id("constraints"),
                    .h3(.text("Pins and forbidden pairs (applied at the next run)")),
                    .ul(
                        .class("app-list"),
                        .forEach(m.constraints) { c in
                            .li(.text(c.text + " "), Form.button("Remove", action: c.remove, csrf: chrome.csrfToken))
                        }))),
            .table(
                .class("app-table"), .id("by-provider"),
                .caption(.text("By provider")),
                .thead(
                    .tr(
                        .th(.text("Provider")), .th(.class("app-numeric"), .text("Placed")),
                        .th(.class("app-numeric"), .text("Rate")))),
                .tbody(
                    .forEach(m.providers) { s in
                        .tr(
                            .td(.text(s.name)), .td(.class("app-numeric"), .text("\(s.placed) of \(s.of)")),
                            .td(.class("app-numeric"), .text(rate(s))))
                    })),
            .table(
                .class("app-table"), .id("by-trainee"),
                .caption(.text("By trainee")),
                .thead(
                    .tr(
                        .th(.text("Trainee")), .th(.text("Provider")), .th(.text("Subject")), .th(.text("School")),
                        .th(.class("app-numeric"), .text("Distance")), .th(.text("Change")))),
                .tbody(
                    .forEach(m.trainees) { t in
                        .tr(
                            .td(.text(t.label)), .td(.text(t.provider)), .td(.text(t.subject)),
                            .td(
                                .unwrap(t.school) { .text($0) },
                                .unwrap(t.reason) { reason in
                                    .group(
                                        .strong(.class("app-tag app-tag--grey"), .text("Unplaced")), .text(reason),
                                        .if(
                                            !t.takenBy.isEmpty,
                                            .text(". Held by: \(t.takenBy.joined(separator: ", ")).")))
                                }),
                            .td(.class("app-numeric"), .text(t.km ?? "")),
                            .td(constrainButtons(t, year: m.year, csrf: chrome.csrfToken)))
                    })),
            .table(
                .class("app-table"), .id("by-school"),
                .caption(.text("By school")),
                .thead(
                    .tr(
                        .th(.text("School")), .th(.class("app-numeric"), .text("Trainees placed")),
                        .th(.class("app-numeric"), .text("Places offered")))),
                .tbody(
                    .forEach(m.schools) { s in
                        .tr(
                            .td(.text(s.name)), .td(.class("app-numeric"), .text(String(s.placed))),
                            .td(.class("app-numeric"), .text(String(s.of))))
                    })),
        ]
        return Layout.page(title: "Allocation \(m.year)", section: .placements, chrome: chrome, content: content)
    }
}

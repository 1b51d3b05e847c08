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
        /// Placed in one of the school's SEND places.
        public var sendPlace = false
        /// The school's answer, in a published run: "Confirmed by the school", or the problem it raised.
        public var answer: String?
        public init(
            label: String, provider: String, subject: String, school: String?, km: String?, reason: String?,
            takenBy: [String], trainee: UUID? = nil, schoolURN: URN? = nil, sendPlace: Bool = false
        ) {
            self.sendPlace = sendPlace
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
        /// For providers, when the fairness setting could not be honoured: the most it could place.
        public var mostPossible: Int?
        public init(name: String, placed: Int, of: Int, mostPossible: Int? = nil) {
            self.name = name
            self.placed = placed
            self.of = of
            self.mostPossible = mostPossible
        }
    }

    /// One region's map: its offering schools and the lines to them.
    public struct RegionMap: Sendable {
        public var region: String
        public var lines: [SVGMap.Line]
        public var points: [SVGMap.Point]
        /// Local authorities' names at their centres, for orientation.
        public var labels: [SVGMap.Label] = []
        public init(region: String, lines: [SVGMap.Line], points: [SVGMap.Point]) {
            self.region = region
            self.lines = lines
            self.points = points
        }
    }

    public struct Model: Sendable {
        public var year: AcademicYear
        /// The year has started: its placements are being delivered, not planned.
        public var underWay = false
        /// The shown run's number within the year.
        public var runNumber: Int?
        /// The run providers and schools see, if any (not always the one shown).
        public var published: Published?

        public struct Published: Sendable {
            public var runID: UUID
            public var number: Int
            public var at: Date
            public var by: String?

            public init(runID: UUID, number: Int, at: Date, by: String?) {
                self.runID = runID
                self.number = number
                self.at = at
                self.by = by
            }
        }
        public var runID: UUID?
        public var createdAt: Date?
        public var publishedAt: Date?
        public var runs: Int
        public var trainees: [TraineeRow]
        public var providers: [Summary]
        public var schools: [Summary]
        public var totalKm: Int
        /// What the shown run required second placements to contrast in.
        public var contrast: AllocationPlan.Contrast?
        /// The fairness field as entered (from the shown run, or the form in error).
        public var fairnessPoints = ""
        /// What became of the shown run's fairness setting.
        public var fairness: (honoured: Bool, text: String)?
        /// Problems with the run form.
        public var problems: [ValidationError.Problem] = []
        /// The stable matching's placed count and kilometres, for comparison.
        public var stable: (placed: Int, km: Int)?
        public var offers: Int
        public var traineeCount: Int
        public var namesHidden: Bool
        /// Pins and forbidden pairs: description and the path that removes each.
        public var constraints: [(text: String, remove: String)] = []
        /// Placed trainees' homes to schools, and the offering schools: one map per region.
        public var maps: [RegionMap] = []

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

    /// Lines from each placed trainee's home to their school, over the offering schools: one map per region, so
    /// that each fills its frame.
    static func maps(_ m: Model) -> Node<HTML.BodyContext> {
        .group(
            m.maps.enumerated().map { i, region in
                let places: [GridPoint] = region.points.map(\.at) + region.lines.map(\.from)
                guard let bounds = SVGMap.Bounds.around(places) else { return .empty }
                let svg = SVGMap.render(
                    id: "allocation-map-\(i + 1)", title: "Placements in the draft: \(region.region)",
                    description:
                        "Each line joins a placed trainee's home to their school in \(region.region); squares are schools offering places.",
                    bounds: bounds, points: region.points, labels: region.labels.filter { bounds.contains($0.at) },
                    lines: region.lines)
                return .div(
                    .class("app-map-figure"),
                    .h3(.text(region.region)),
                    .raw(svg),
                    .p(
                        .class("app-hint"),
                        .text(
                            "\(region.lines.count) placed trainee\(region.lines.count == 1 ? "" : "s"): lines join each home (dot) to the placement school (square)."
                        )))
            })
    }

    /// "Keep here" pins a placed trainee to their school; "Not here" forbids the pair. Both apply at the next run.
    static func constrainButtons(_ t: TraineeRow, year: AcademicYear, csrf: String) -> Node<HTML.BodyContext> {
        if let trainee = t.trainee, t.schoolURN == nil {
            return .a(
                .href(
                    Escape.attribute(
                        "/placements/allocation/place?year=\(year)&trainee=\(trainee.uuidString.lowercased())")),
                .text("Place by hand"), .span(.class("app-visually-hidden"), .text(" \(t.label)")))
        }
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

    /// Which run providers and schools see, at all times, with the way to withdraw it.
    static func publicationBanner(_ m: Model, base: String, chrome: Chrome) -> Node<HTML.BodyContext> {
        guard let p = m.published else {
            return .div(
                .class("app-inset"), .id("publication"),
                .p(.text("Nothing is published for \(m.year): providers and schools see no allocation.")))
        }
        return .div(
            .class("app-inset"), .id("publication"),
            .p(
                .strong(
                    .text("Run \(p.number), published \(DateText.dateTime(p.at))\(p.by.map { " by \($0)" } ?? ""). ")),
                .text(
                    "Providers see their trainees' schools and schools the trainees allocated to them from this run."),
                .if(
                    m.runID != p.runID,
                    .a(
                        .href(Escape.attribute("\(base)?year=\(m.year)&run=\(p.runID.uuidString.lowercased())")),
                        .text(" Show run \(p.number)")))),
            Form.button(
                "Withdraw the publication", action: "\(base)/withdraw?year=\(m.year)", csrf: chrome.csrfToken,
                warning: true))
    }

    public struct PublishModel: Sendable {
        public var year: AcademicYear
        public var runID: UUID
        public var number: Int
        public var placed: Int
        public var trainees: Int
        public var providers: Int
        public var schools: Int
        /// The published run this one replaces, if any.
        public var replaces: Int?

        public init(
            year: AcademicYear, runID: UUID, number: Int, placed: Int, trainees: Int, providers: Int, schools: Int,
            replaces: Int?
        ) {
            self.year = year
            self.runID = runID
            self.number = number
            self.placed = placed
            self.trainees = trainees
            self.providers = providers
            self.schools = schools
            self.replaces = replaces
        }
    }

    /// "Are you sure?": what publishing shows, to whom, and that it can be withdrawn.
    public static func confirmPublish(_ m: PublishModel, chrome: Chrome) -> HTML {
        let base = "/placements/allocation"
        return Layout.page(
            title: "Publish run \(m.number) for \(m.year)", section: .placements, chrome: chrome,
            breadcrumbs: [.init("Allocation \(m.year)", "\(base)?year=\(m.year)")],
            content: [
                .span(.class("app-caption-l"), .text("Allocation \(m.year)")),
                .h1(.text("Publish run \(m.number)?")),
                .p(
                    .text(
                        "\(m.placed) of \(m.trainees) trainees are placed in this run. When you publish it, each of the \(m.providers) providers sees, on its trainee page, the school each of its trainees is allocated to, and each of the \(m.schools) schools sees, on its placement offer page, the trainees allocated to it, with SEND placements marked. Trainees who are not placed are shown as not placed."
                    )),
                .unwrap(m.replaces) { n in
                    .div(
                        .class("app-warning"),
                        .p(
                            .text(
                                "Run \(n) is published now. Publishing run \(m.number) replaces it: providers and schools will see run \(m.number) instead."
                            )))
                },
                .p(
                    .text(
                        "You can withdraw the publication at any time; providers and schools then see no allocation until you publish again."
                    )),
                Form.button(
                    "Publish run \(m.number)",
                    action: "\(base)/\(m.runID.uuidString.lowercased())/publish?year=\(m.year)",
                    csrf: chrome.csrfToken),
                .p(.a(.href("\(base)?year=\(m.year)"), .text("Cancel: go back to the allocation"))),
            ])
    }

    static func rate(_ s: Summary) -> String {
        s.of == 0 ? "" : "\(Int((Double(s.placed) / Double(s.of) * 100).rounded()))%"
    }

    public static func page(_ m: Model, chrome: Chrome) -> HTML {
        let base = "/placements/allocation"
        let placed = m.trainees.count { $0.school != nil }
        var content: [Node<HTML.BodyContext>] = [
            Form.errorSummary(m.problems),
            .span(.class("app-caption-l"), .text("Placements")),
            .h1(.text("Allocation for \(m.year)")),
            .if(
                m.underWay,
                .div(
                    .class("app-inset"),
                    .text(
                        "\(m.year) is under way: its placements were arranged before it began. A run now is for changes during the year; the year being planned is \(AcademicYear(start: m.year.start + 1).map(\.description) ?? "the next")."
                    ),
                    .a(
                        .href(
                            "/placements/allocation?year=\(AcademicYear(start: m.year.start + 1).map(\.description) ?? "")"
                        ),
                        .text(
                            " Go to the allocation for \(AcademicYear(start: m.year.start + 1).map(\.description) ?? "next year")"
                        )))),
            .p(
                .text(
                    "\(m.traineeCount) trainees from providers and \(m.offers) schools offering places with trained mentors. One run places as many trainees as possible, then as close to home as possible: within each trainee's travel limit, in the school's terms (first placements in the autumn, second placements in the spring or summer), a second placement never at the first school, SEND places for trainees interested in SEND (who prefer them), and preferences as a small cost."
                )),
            .form(
                .method(.post), .action(Escape.attribute("\(base)?year=\(m.year)")),
                Form.csrf(chrome.csrfToken),
                Form.radios(
                    "contrast", legend: "Second placements must differ from the first school in",
                    hint: "Schools whose value is not known never count as different.",
                    options: [("none", "Nothing more: any other school", nil)]
                        + AllocationPlan.Contrast.allCases.map { c in
                            (
                                c.rawValue, c.label,
                                c == .schoolType
                                    ? "School types come from a full GIAS import (chalkface import schools); the bundled list has none."
                                    : nil
                            )
                        },
                    selected: m.contrast?.rawValue ?? "none", problems: m.problems),
                Form.input(
                    "fairness_points", label: "Fairness between providers (percentage points, optional)",
                    hint:
                        "Each provider's placement rate within this many points of every other's. Contested places go to the provider further behind; places are never left empty to hold others back. Leave empty for none.",
                    value: m.fairnessPoints, kind: .number, problems: m.problems),
                Form.submit(m.runID == nil ? "Run the allocation" : "Run again with today's offers and trainees")
            ),
        ]
        content.append(publicationBanner(m, base: base, chrome: chrome))
        guard let run = m.runID else {
            content.append(.p(.text("No allocation has been run for \(m.year) yet.")))
            return Layout.page(title: "Allocation \(m.year)", section: .placements, chrome: chrome, content: content)
        }
        content += [
            .h2(
                .text(
                    (m.runNumber.map { "Run \($0): " } ?? "") + (m.publishedAt == nil ? "draft" : "published"))),
            .p(
                .id("allocation-summary"),
                .text(
                    "\(placed) of \(m.trainees.count) trainees placed, \(m.totalKm) km of travel in all. Run \(m.createdAt.map(DateText.dateTime) ?? "")\(m.publishedAt.map { ", published \(DateText.dateTime($0))" } ?? "") (\(m.runs) run\(m.runs == 1 ? "" : "s") this year)."
                )),
            stableComparison(m, placed: placed),
            .unwrap(m.fairness) { f in
                .div(
                    .class(f.honoured ? "app-inset" : "app-warning"), .id("fairness"),
                    .p(.strong(.text(f.honoured ? "Fairness honoured. " : "Fairness not possible. ")), .text(f.text)))
            },
            .p(
                .a(
                    .href(
                        Escape.attribute("/placements/allocation.csv?year=\(m.year)&run=\(run.uuidString.lowercased())")
                    ), .text("Download as CSV")),
                .if(
                    m.runs >= 2,
                    .group(
                        .text(" · "),
                        .a(
                            .id("compare-runs"),
                            .href(
                                Escape.attribute(
                                    "\(base)/compare?year=\(m.year)&second=\(run.uuidString.lowercased())")),
                            .text("Compare with another run"))))),
            .if(
                m.publishedAt == nil,
                .p(
                    .a(
                        .class("app-button"), .id("publish"),
                        .href(Escape.attribute("\(base)/\(run.uuidString.lowercased())/publish?year=\(m.year)")),
                        .text(
                            m.published == nil
                                ? "Publish this run" : "Publish this run in place of run \(m.published!.number)")))),
            .if(
                m.namesHidden,
                .div(
                    .class("app-inset"),
                    .p(.text("The partnership shares aggregates only, so trainees are shown by number, not name.")))),
            maps(m),
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
                        .th(.class("app-numeric"), .text("Rate")),
                        .if(
                            m.providers.contains { $0.mostPossible != nil },
                            .th(.class("app-numeric"), .text("Most it could place"))))),
                .tbody(
                    .forEach(m.providers) { s in
                        .tr(
                            .td(.text(s.name)), .td(.class("app-numeric"), .text("\(s.placed) of \(s.of)")),
                            .td(.class("app-numeric"), .text(rate(s))),
                            .unwrap(s.mostPossible) { .td(.class("app-numeric"), .text(String($0))) })
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
                                .if(t.sendPlace, .group(.text(" "), .strong(.class("app-tag"), .text("SEND place")))),
                                .unwrap(t.answer) { .group(.br(), .text($0)) },
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
                        .th(.class("app-numeric"), .text("Usable places")))),
                .tbody(
                    .forEach(m.schools) { s in
                        .tr(
                            .td(.text(s.name)), .td(.class("app-numeric"), .text(String(s.placed))),
                            .td(.class("app-numeric"), .text(String(s.of))))
                    })),
        ]
        return Layout.page(title: "Allocation \(m.year)", section: .placements, chrome: chrome, content: content)
    }

    public struct PlaceModel: Sendable {
        public struct Row: Sendable {
            public var urn: URN
            public var school: String
            public var km: String
            public var places: String
            public var heldBy: [String]
            public var displaces: [String]
            public init(urn: URN, school: String, km: String, places: String, heldBy: [String], displaces: [String]) {
                self.urn = urn
                self.school = school
                self.km = km
                self.places = places
                self.heldBy = heldBy
                self.displaces = displaces
            }
        }
        public var year: AcademicYear
        public var trainee: UUID
        public var label: String
        public var summary: String
        public var reason: String?
        public var runNumber: Int
        public var rows: [Row]
        public init(
            year: AcademicYear, trainee: UUID, label: String, summary: String, reason: String?, runNumber: Int,
            rows: [Row]
        ) {
            self.year = year
            self.trainee = trainee
            self.label = label
            self.summary = summary
            self.reason = reason
            self.runNumber = runNumber
            self.rows = rows
        }
    }

    /// The schools that could take an unplaced trainee, each with what placing them there would displace.
    public static func place(_ m: PlaceModel, chrome: Chrome) -> HTML {
        let base = "/placements/allocation"
        return Layout.page(
            title: "Place \(m.label) by hand", section: .placements, chrome: chrome,
            breadcrumbs: [.init("Allocation \(m.year)", "\(base)?year=\(m.year)")],
            content: [
                .span(.class("app-caption-l"), .text("Allocation \(m.year), run \(m.runNumber)")),
                .h1(.text("Place \(m.label) by hand")),
                .p(.id("trainee-summary"), .text(m.summary)),
                .unwrap(m.reason) { .p(.text("Not placed in run \(m.runNumber): \($0).")) },
                .p(
                    .text(
                        "Choosing a school pins \(m.label) there: the next run places them at it and re-plans everyone else around them. Where the school is full, one of the trainees named moves to their next best school or becomes unplaced."
                    )),
                .if(
                    m.rows.isEmpty,
                    .p(
                        .id("no-candidates"),
                        .text(
                            "No school could take them: none offers their subject (or SEND places) with a trained mentor, in the placement's terms, within their travel limit. A school would need to offer a place, or the provider to raise their travel limit."
                        )),
                    else: .table(
                        .class("app-table"), .id("candidates"),
                        .caption(.text("Schools that could take them, those with room first, then nearest first")),
                        .thead(
                            .tr(
                                .th(.text("School")), .th(.class("app-numeric"), .text("Distance")),
                                .th(.text("Places")), .th(.text("Placing them here")),
                                .th(.span(.class("app-visually-hidden"), .text("Action"))))),
                        .tbody(
                            .forEach(m.rows) { r in
                                .tr(
                                    .td(.text(r.school)), .td(.class("app-numeric"), .text(r.km)),
                                    .td(
                                        .text(r.places),
                                        .if(
                                            !r.heldBy.isEmpty,
                                            .text(", held by \(r.heldBy.joined(separator: ", "))"))),
                                    .td(
                                        .text(
                                            r.displaces.isEmpty
                                                ? "Fills a free place: nobody moves"
                                                : "Displaces one of: \(r.displaces.joined(separator: ", "))")),
                                    .td(
                                        .form(
                                            .method(.post),
                                            .action(Escape.attribute("\(base)/constraints?year=\(m.year)")),
                                            .class("app-inline-form"),
                                            Form.csrf(chrome.csrfToken),
                                            .input(
                                                .type(.hidden), .name("trainee"),
                                                .value(m.trainee.uuidString.lowercased())),
                                            .input(.type(.hidden), .name("urn"), .value(String(r.urn.value))),
                                            .input(.type(.hidden), .name("kind"), .value("pin")),
                                            .button(
                                                .class("app-button app-button--secondary"), .type(.submit),
                                                .text("Place here"),
                                                .span(.class("app-visually-hidden"), .text(" at \(r.school)"))))))
                            }))),
                .p(.a(.href(Escape.attribute("\(base)?year=\(m.year)")), .text("Back to the allocation"))),
            ])
    }
}

import Domain
import Foundation
import Plot

/// The Research School's evidence: its resources by Toolkit strand, teachers' research engagement, and each
/// school's research-engagement share.
public enum EvidencePages {
    static let toolkitNote =
        "Strands are the EEF Teaching and Learning Toolkit's, by name only: Chalkface shows no per-strand cost, evidence strength or months' progress. Read those on the EEF's own Toolkit pages."

    public static func percent(_ c: ResearchEngagementShare.Cell) -> String {
        guard let s = c.share else { return "Fewer than 10 teachers" }
        return "\(Int((s * 100).rounded()))% (\(c.engaged) of \(c.staff))"
    }

    // MARK: The library

    public struct Library: Sendable {
        public var rows: [EvidenceResource]
        public var total: Int
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var strands: [EEFStrand]
        public var resourcesByStrand: [String: Int]
        public var usesByStrand: [String: Int]
        public var canRecord: Bool
        public var seesShare: Bool
        public var canManage: Bool
        public var notice: String?

        public init(
            rows: [EvidenceResource], total: Int, form: [String: String], problems: [ValidationError.Problem],
            strands: [EEFStrand], resourcesByStrand: [String: Int], usesByStrand: [String: Int], canRecord: Bool,
            seesShare: Bool, canManage: Bool, notice: String?
        ) {
            self.rows = rows
            self.total = total
            self.form = form
            self.problems = problems
            self.strands = strands
            self.resourcesByStrand = resourcesByStrand
            self.usesByStrand = usesByStrand
            self.canRecord = canRecord
            self.seesShare = seesShare
            self.canManage = canManage
            self.notice = notice
        }
    }

    static func strandOptions(_ strands: [EEFStrand], any: String) -> [(value: String, label: String)] {
        [(value: "", label: any)] + strands.map { (value: $0.slug, label: $0.name) }
    }

    public static func library(_ m: Library, chrome: Chrome) -> HTML {
        let f = m.form
        let names = Dictionary(uniqueKeysWithValues: m.strands.map { ($0.slug, $0.name) })
        let filtered = f.values.contains { !$0.isEmpty }
        var links: [Node<HTML.BodyContext>] = []
        if m.canRecord {
            links.append(.a(.id("record-engagement"), .href("/evidence/engagement"), .text("Your research engagement")))
        }
        if m.seesShare {
            links.append(.a(.id("engagement-share"), .href("/evidence/share"), .text("Research engagement by school")))
        }
        if m.canManage { links.append(.a(.id("add-resource"), .href("/evidence/new"), .text("Add a resource"))) }
        return Layout.page(
            title: m.problems.isEmpty ? "Research School evidence" : "Error: Research School evidence",
            section: .evidence, chrome: chrome,
            content: [
                .h1(.text("Evidence for teaching")),
                .p(
                    .text(
                        "The partnership's Research School's resources, each linked to the strands of the EEF Teaching and Learning Toolkit it draws on. Search them, then record how you used the evidence: the partnership's aim is that research engagement becomes the norm in every school."
                    )),
                .p(.class("app-hint"), .text(toolkitNote)),
                .if(
                    !links.isEmpty, .p(.group(links.enumerated().flatMap { i, l in i == 0 ? [l] : [.text(" · "), l] }))),
                .unwrap(m.notice) { Layout.notice($0) },
                Form.errorSummary(m.problems),
                .div(
                    .class("app-grid-row"),
                    Layout.filterPanel(
                        heading: "Search", action: "/evidence", filtered: filtered, submit: "Search",
                        clear: "Clear search",
                        Form.input("q", label: "Words", value: f["q"] ?? "", problems: m.problems),
                        Form.select(
                            "strand", label: "Toolkit strand", options: strandOptions(m.strands, any: "Any"),
                            selected: f["strand"], problems: m.problems),
                        Form.select(
                            "kind", label: "Kind",
                            options: Form.anyOptions(EvidenceKind.self, \.label),
                            selected: f["kind"], problems: m.problems),
                        Form.select(
                            "phase", label: "Phase",
                            options: Form.anyOptions(CPDPhase.self, \.label),
                            selected: f["phase"], problems: m.problems)),
                    .div(
                        .class("app-grid-column-two-thirds"),
                        .h2(
                            .id("results-count"),
                            .text(
                                "\(m.rows.count) resource\(m.rows.count == 1 ? "" : "s")\(filtered ? " of \(m.total)" : "")"
                            )),
                        .if(m.rows.isEmpty, .p(.text("No resource matches this search. Try fewer words."))),
                        .ul(
                            .class("app-list"), .id("resources"),
                            .forEach(m.rows) { r in
                                .li(
                                    .class("app-result"),
                                    .h3(
                                        .unwrap(r.url, { .a(.href($0), .text(r.title)) }, else: .text(r.title)),
                                        .if(r.generated, .strong(.class("app-tag app-tag--grey"), .text("Demo")))),
                                    .p(
                                        .class("app-hint"),
                                        .text(
                                            "\(r.kind.label) · \(r.publishedOn.longDescription) · \(r.phases.isEmpty ? "All phases" : CPDPhase.allCases.filter(r.phases.contains).map(\.label).joined(separator: ", "))"
                                        )),
                                    .p(.text(r.summary)),
                                    .p(
                                        .text("Toolkit strands: "),
                                        .group(
                                            r.strands.sorted().enumerated().flatMap {
                                                i, s -> [Node<HTML.BodyContext>] in
                                                let link: Node<HTML.BodyContext> = .a(
                                                    .href("/evidence?strand=\(s)"), .text(names[s] ?? s))
                                                return i == 0 ? [link] : [.text(", "), link]
                                            })))
                            }))),
                .h2(.id("strands"), .text("Toolkit strands")),
                .table(
                    .class("app-table"), .id("strand-table"),
                    .caption(.class("app-visually-hidden"), .text("Resources and reported uses by Toolkit strand")),
                    .thead(
                        .tr(
                            .th(.text("Strand")), .th(.class("app-numeric"), .text("Resources")),
                            .th(.class("app-numeric"), .text("Times teachers reported using it")))),
                    .tbody(
                        .forEach(m.strands) { s in
                            .tr(
                                .td(.a(.href("/evidence?strand=\(s.slug)"), .text(s.name))),
                                .td(.class("app-numeric"), .text("\(m.resourcesByStrand[s.slug] ?? 0)")),
                                .td(.class("app-numeric"), .text("\(m.usesByStrand[s.slug] ?? 0)")))
                        })),
            ])
    }

    // MARK: Adding a resource

    public static func newResource(
        form f: [String: String], strands: [EEFStrand], problems: [ValidationError.Problem], chrome: Chrome
    ) -> HTML {
        Layout.page(
            title: problems.isEmpty ? "Add a resource" : "Error: Add a resource", section: .evidence, chrome: chrome,
            breadcrumbs: [.init("Evidence", "/evidence")],
            content: [
                .h1(.text("Add a Research School resource")),
                Form.errorSummary(problems),
                .form(
                    .method(.post), .action("/evidence/new"), .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    Form.input(
                        "title", label: "Title", hint: "\(EvidenceResource.maxTitle) characters or fewer",
                        value: f["title"] ?? "", problems: problems),
                    Form.textarea(
                        "summary", label: "Summary", hint: "\(EvidenceResource.maxSummary) characters or fewer",
                        value: f["summary"] ?? "", problems: problems),
                    Form.select(
                        "kind", label: "Kind", options: EvidenceKind.allCases.map { ($0.rawValue, $0.label) },
                        selected: f["kind"], problems: problems),
                    Form.checkboxes(
                        "strands", "Toolkit strands", options: strands.map { ($0.slug, $0.name) }, form: f,
                        hint: "Select every strand it draws on", problems: problems),
                    Form.checkboxes("phases", "Phases", CPDPhase.self, \.label, form: f),
                    Form.input(
                        "url", label: "Web address (optional)", hint: "Starting https://", value: f["url"] ?? "",
                        kind: .url, problems: problems),
                    Form.input(
                        "published", label: "Date published", hint: "For example 2026-09-14",
                        value: f["published"] ?? "", kind: .date, problems: problems),
                    Form.submit("Add resource")),
            ])
    }

    // MARK: A teacher's engagement

    public struct Mine: Sendable {
        public var linked: Bool
        public var school: String?
        public var records: [ResearchEngagement]
        public var strands: [EEFStrand]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?

        public init(
            linked: Bool, school: String?, records: [ResearchEngagement], strands: [EEFStrand], form: [String: String],
            problems: [ValidationError.Problem], notice: String?
        ) {
            self.linked = linked
            self.school = school
            self.records = records
            self.strands = strands
            self.form = form
            self.problems = problems
            self.notice = notice
        }
    }

    public static func mine(_ m: Mine, today: Day, chrome: Chrome) -> HTML {
        let names = Dictionary(uniqueKeysWithValues: m.strands.map { ($0.slug, $0.name) })
        let f = m.form
        var content: [Node<HTML.BodyContext>] = [
            .h1(.text("Your research engagement")),
            .unwrap(m.notice) { Layout.notice($0) },
        ]
        guard m.linked else {
            content.append(
                .p(
                    .id("not-linked"),
                    .text(
                        "Your account is not yet linked to your record in the partnership's teacher register, so there is nowhere to record your research engagement. Ask your school's staff to link your account (they do it from your school's staff list)."
                    )))
            return Layout.page(
                title: "Your research engagement", section: .evidence, chrome: chrome,
                breadcrumbs: [.init("Evidence", "/evidence")], content: content)
        }
        content += [
            .p(
                .text(
                    "Record the Research School events you attend, the Toolkit strands you use in your teaching (with a short reflection) and the trials or enquiries you join. Each goes on your teacher-register timeline\(m.school.map { " and counts towards \($0)'s research-engagement share" } ?? ""). Only you see your reflections; others see counts."
                )),
            Form.errorSummary(m.problems),
            .form(
                .method(.post), .action("/evidence/engagement"), .attribute(named: "novalidate", value: "novalidate"),
                Form.csrf(chrome.csrfToken),
                Form.radios(
                    "kind", legend: "What did you do?",
                    options: ResearchEngagement.Kind.allCases.map { ($0.rawValue, $0.label, nil) },
                    selected: f["kind"], problems: m.problems),
                Form.select(
                    "strand", label: "Toolkit strand", hint: "If you used a strand in your teaching",
                    options: strandOptions(m.strands, any: "Choose a strand"), selected: f["strand"],
                    problems: m.problems),
                Form.input(
                    "title", label: "Event, trial or enquiry", hint: "Its name, if you attended or joined one",
                    value: f["title"] ?? "", problems: m.problems),
                Form.textarea(
                    "reflection", label: "Reflection",
                    hint:
                        "How did it go, and what will you do next? Required for a strand you used; \(ResearchEngagement.maxReflection) characters or fewer.",
                    value: f["reflection"] ?? "", problems: m.problems),
                Form.input(
                    "on", label: "Date", hint: "For example \(today)", value: f["on"] ?? today.description,
                    kind: .date, problems: m.problems),
                Form.submit("Record it")),
            .h2(.text("What you have recorded")),
        ]
        if m.records.isEmpty {
            content.append(.p(.id("no-engagement"), .text("Nothing yet.")))
        } else {
            content.append(
                .table(
                    .class("app-table"), .id("my-engagement"),
                    .caption(.class("app-visually-hidden"), .text("Your research engagement, newest first")),
                    .thead(.tr(.th(.text("Date")), .th(.text("What")), .th(.text("Reflection")))),
                    .tbody(
                        .forEach(m.records) { e in
                            .tr(
                                .td(.text(e.on.longDescription)),
                                .td(
                                    .text(
                                        "\(e.kind.label)\(e.strand.map { ": \(names[$0] ?? $0)" } ?? "")\(e.title.map { ": \($0)" } ?? "")"
                                    )),
                                .td(.text(e.reflection ?? "")))
                        })))
        }
        return Layout.page(
            title: m.problems.isEmpty ? "Your research engagement" : "Error: Your research engagement",
            section: .evidence, chrome: chrome, breadcrumbs: [.init("Evidence", "/evidence")], content: content)
    }

    // MARK: The share by school

    public struct ShareRow: Sendable {
        public var urn: Int
        public var name: String
        public var authority: String
        public var cells: [AcademicYear: ResearchEngagementShare.Cell]
        public init(urn: Int, name: String, authority: String, cells: [AcademicYear: ResearchEngagementShare.Cell]) {
            self.urn = urn
            self.name = name
            self.authority = authority
            self.cells = cells
        }
    }

    public struct ShareMap: Sendable {
        public var region: String
        public var points: [SVGMap.Point]
        public init(region: String, points: [SVGMap.Point]) {
            self.region = region
            self.points = points
        }
    }

    public struct Share: Sendable {
        public var years: [AcademicYear]
        public var totals: [AcademicYear: ResearchEngagementShare.Cell]
        public var rows: [ShareRow]
        public var maps: [ShareMap]
        public var authority: String?
        public var authorities: [(code: String, name: String)]

        public init(
            years: [AcademicYear], totals: [AcademicYear: ResearchEngagementShare.Cell], rows: [ShareRow],
            maps: [ShareMap], authority: String?, authorities: [(code: String, name: String)]
        ) {
            self.years = years
            self.totals = totals
            self.rows = rows
            self.maps = maps
            self.authority = authority
            self.authorities = authorities
        }
    }

    public static func share(_ m: Share, chrome: Chrome) -> HTML {
        let current = m.years.last
        var content: [Node<HTML.BodyContext>] = [
            .h1(.text("Research engagement by school")),
            .p(
                .text(
                    "Of the teachers in post at a school during an academic year (from the teacher register), the share who recorded at least one piece of research engagement there: a Research School event, a Toolkit strand used in their teaching, or a trial or enquiry. A share resting on fewer than 10 teachers is not shown. Counts only: no individual is shown."
                )),
            .p(
                .a(
                    .id("share-cold-spots"), .href("/coldspots?indicator=research-engagement"),
                    .text("Where research engagement is low: research-engagement cold spots"))),
            .form(
                .method(.get), .action("/evidence/share"),
                Form.select(
                    "la", label: "Local authority",
                    options: [("", "Every local authority")] + m.authorities.map { ($0.code, $0.name) },
                    selected: m.authority),
                Form.submit("Show", secondary: true)),
            .table(
                .class("app-table"), .id("share-years"),
                .caption(.text("The region, year by year")),
                .thead(
                    .tr(
                        .th(.text("Academic year")), .th(.class("app-numeric"), .text("Teachers engaged")),
                        .th(.class("app-numeric"), .text("Teachers in post")),
                        .th(.class("app-numeric"), .text("Share")))),
                .tbody(
                    .forEach(m.years) { y in
                        let c = m.totals[y] ?? .init(engaged: 0, staff: 0)
                        return .tr(
                            .td(.text(y == current ? "\(y) (so far)" : y.description)),
                            .td(.class("app-numeric"), .text("\(c.engaged)")),
                            .td(.class("app-numeric"), .text("\(c.staff)")),
                            .td(
                                .class("app-numeric"),
                                .text(c.share.map { "\(Int(($0 * 100).rounded()))%" } ?? "Fewer than 10 teachers")))
                    })),
        ]
        if let current, !m.maps.isEmpty {
            content.append(.h2(.text("Share by school, \(current.description) so far")))
            for (i, map) in m.maps.enumerated() {
                guard let bounds = SVGMap.Bounds.around(map.points.map(\.at)) else { continue }
                content.append(.h3(.text(map.region)))
                content.append(
                    .raw(
                        SVGMap.render(
                            id: "share-map-\(i + 1)",
                            title: "Research-engagement share by school in \(map.region), \(current.description)",
                            description:
                                "\(map.points.count) schools with teachers in the register; larger, darker circles for higher shares; hollow grey circles where fewer than 10 teachers make the share too small to show. The table below gives the same figures.",
                            bounds: bounds, points: map.points, width: 960)))
            }
            content.append(.div(.class("app-map-legend"), .raw(SVGMap.shareLegend())))
        }
        content.append(
            .table(
                .class("app-table"), .id("share-schools"),
                .caption(.text("By school, each academic year")),
                .thead(
                    .tr(
                        .th(.text("School")), .th(.text("Local authority")),
                        .forEach(m.years) { y in
                            .th(.class("app-numeric"), .text(y == current ? "\(y) (so far)" : y.description))
                        })),
                .tbody(
                    .forEach(m.rows) { r in
                        .tr(
                            .td(.a(.href("/schools/\(r.urn)"), .text(r.name))), .td(.text(r.authority)),
                            .forEach(m.years) { y in
                                .td(.class("app-numeric"), .text(r.cells[y].map(percent) ?? "No teachers"))
                            })
                    })))
        return Layout.page(
            title: "Research engagement by school", section: .evidence, chrome: chrome,
            breadcrumbs: [.init("Evidence", "/evidence")], content: content)
    }
}

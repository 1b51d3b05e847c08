import Domain
import Plot

/// The schools list: search, filters and pages. A GET form, so it works without JavaScript and every result
/// page has an address that can be shared.
public enum SchoolsPage {
    public struct Model: Sendable {
        public var query: SchoolQuery
        public var results: Page<School>
        public var authorities: [LocalAuthority]
        public var districts: [District]
        public var errors: [ValidationError.Problem]

        public init(
            query: SchoolQuery, results: Page<School>, authorities: [LocalAuthority], districts: [District],
            errors: [ValidationError.Problem] = []
        ) {
            self.query = query
            self.results = results
            self.authorities = authorities
            self.districts = districts
            self.errors = errors
        }
    }

    /// The query string for a page of the same search.
    public static func link(_ q: SchoolQuery, page: Int) -> String {
        SitePath.with(
            SitePath.schools,
            query: [
                ("q", q.search), ("la", q.localAuthority), ("district", q.district), ("phase", q.phase?.rawValue),
                ("itt_lead_school", q.ittLeadSchool.map { $0 ? "true" : "false" }),
                ("status", q.status == .open ? nil : q.status.rawValue),
                ("page", page == 1 ? nil : String(page)),
            ])
    }

    public static func html(_ m: Model, chrome: Chrome) -> HTML {
        let q = m.query
        let r = m.results
        let first = r.total == 0 ? 0 : (r.page - 1) * r.perPage + 1
        let last = min(r.total, r.page * r.perPage)
        var content: [Node<HTML.BodyContext>] = [.h1(.text("Schools"))]
        if !m.errors.isEmpty {
            content.append(
                .div(
                    .class("app-error-summary"), .attribute(named: "role", value: "alert"),
                    .h2(.text("There is a problem")),
                    .ul(.forEach(m.errors) { .li(.text("\($0.field) \($0.message)")) })
                ))
        }
        content.append(
            .div(
                .class("app-grid-row"),
                .div(
                    .class("app-grid-column-one-third"),
                    .form(
                        .class("app-filters"), .method(.get), .action(SitePath.schools),
                        .attribute(named: "role", value: "search"),
                        .h2(.text("Search and filter")),
                        .div(
                            .class("app-form-group"),
                            .label(.class("app-label"), .for("q"), .text("School name, postcode or URN")),
                            .input(
                                .class("app-input"), .id("q"), .name("q"), .type(.search),
                                .value(Escape.attribute(q.search ?? "")),
                                .attribute(named: "autocomplete", value: "off"))
                        ),
                        select(
                            id: "la", label: "Local authority", selected: q.localAuthority,
                            options: m.authorities.map { ($0.code, $0.name) },
                            selectedAlternatives: m.authorities.filter { $0.dfeCode == q.localAuthority }.map(\.code)),
                        select(
                            id: "district", label: "District", selected: q.district,
                            options: m.districts.map { ($0.code, $0.name) }),
                        select(
                            id: "phase", label: "Phase", selected: q.phase?.rawValue,
                            options: Phase.allCases.map { ($0.rawValue, $0.label) }),
                        .div(
                            .class("app-form-group app-checkbox"),
                            .input(
                                .id("itt_lead_school"), .name("itt_lead_school"), .type(.checkbox), .value("true"),
                                .checked(q.ittLeadSchool == true)),
                            .label(.for("itt_lead_school"), .text("ITT lead schools only"))
                        ),
                        .button(.class("app-button"), .type(.submit), .text("Apply filters")),
                        .a(.class("app-button app-button--secondary"), .href(SitePath.schools), .text("Clear filters"))
                    )
                ),
                .div(
                    .class("app-grid-column-two-thirds"),
                    .p(
                        .attribute(named: "role", value: "status"), .id("result-count"),
                        .text(
                            r.total == 0
                                ? "No schools match."
                                : r.items.isEmpty
                                    ? "There is nothing on page \(r.page.formatted): \(r.total.formatted) schools match, on \(r.pageCount.formatted) \(r.pageCount == 1 ? "page" : "pages")."
                                    : "Showing \(first.formatted) to \(last.formatted) of \(r.total.formatted) schools")
                    ),
                    .if(
                        !r.items.isEmpty,
                        .table(
                            .class("app-table"),
                            .caption(.class("app-visually-hidden"), .text("Schools")),
                            .thead(
                                .tr(
                                    .th(.attribute(named: "scope", value: "col"), .text("School")),
                                    .th(.attribute(named: "scope", value: "col"), .text("URN")),
                                    .th(.attribute(named: "scope", value: "col"), .text("Phase")),
                                    .th(.attribute(named: "scope", value: "col"), .text("Local authority")),
                                    .th(.attribute(named: "scope", value: "col"), .text("Postcode"))
                                )),
                            .tbody(
                                .forEach(r.items) { s in
                                    .tr(
                                        .td(
                                            .a(.href(SitePath.school(s.urn)), .text(s.name)),
                                            .if(
                                                s.isITTLeadSchool,
                                                .group(.text(" "), .strong(.class("app-tag"), .text("ITT lead"))))
                                        ),
                                        .td(.text(String(s.urn.value))),
                                        .td(.text(s.phase.label)),
                                        .td(.text(s.localAuthority?.name ?? "Not known")),
                                        .td(.class("app-nowrap"), .text(s.postcode ?? ""))
                                    )
                                })
                        )),
                    pagination(m)
                )
            ))
        return Layout.page(
            title: q.search.map { "Schools matching \($0)" } ?? "Schools", section: .schools, chrome: chrome,
            content: content)
    }

    static func select(
        id: String, label: String, selected: String?, options: [(String, String)], selectedAlternatives: [String] = []
    ) -> Node<HTML.FormContext> {
        .div(
            .class("app-form-group"),
            .label(.class("app-label"), .for(id), .text(label)),
            .element(
                named: "select",
                nodes: [
                    .attribute(named: "class", value: "app-select"), .attribute(named: "id", value: id),
                    .attribute(named: "name", value: id),
                    // Plot leaves out attributes whose value is empty; "Any" must submit an empty value.
                    .raw("<option value=\"\">Any</option>"),
                ]
                    + options.map { value, text in
                        Node<HTML.BodyContext>.element(
                            named: "option",
                            nodes: [
                                .attribute(named: "value", value: Escape.attribute(value)),
                                .if(
                                    value == selected || selectedAlternatives.contains(value),
                                    .attribute(named: "selected", value: "selected")),
                                .text(text),
                            ])
                    })
        )
    }

    static func pagination(_ m: Model) -> Node<HTML.BodyContext> {
        let r = m.results
        guard r.pageCount > 1 else { return .empty }
        // Current page, its neighbours, the first and the last, with gaps marked.
        let shown = Set([1, r.page - 1, r.page, r.page + 1, r.pageCount].filter { (1...r.pageCount).contains($0) })
            .sorted()
        var items: [Node<HTML.ListContext>] = []
        if r.page > 1 {
            items.append(
                .li(
                    .a(
                        .href(link(m.query, page: r.page - 1)), .attribute(named: "rel", value: "prev"),
                        .text("Previous"), .span(.class("app-visually-hidden"), .text(" page")))))
        }
        var previous = 0
        for p in shown {
            if p > previous + 1 { items.append(.li(.span(.text("…")))) }
            items.append(
                .li(
                    p == r.page
                        ? .a(
                            .href(link(m.query, page: p)), .attribute(named: "aria-current", value: "page"),
                            .attribute(named: "aria-label", value: "Page \(p)"), .text(String(p)))
                        : .a(
                            .href(link(m.query, page: p)), .attribute(named: "aria-label", value: "Page \(p)"),
                            .text(String(p)))))
            previous = p
        }
        if r.page < r.pageCount {
            items.append(
                .li(
                    .a(
                        .href(link(m.query, page: r.page + 1)), .attribute(named: "rel", value: "next"), .text("Next"),
                        .span(.class("app-visually-hidden"), .text(" page")))))
        }
        return .nav(.attribute(named: "aria-label", value: "Pagination"), .ul(.class("app-pagination"), .group(items)))
    }
}

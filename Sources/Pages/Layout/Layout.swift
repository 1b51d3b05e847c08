import Plot

/// The one layout every page shares: skip link, header, service navigation, phase banner, footer.
public enum Layout {
    public enum Section: String, Sendable {
        case home, schools, coldSpots, partnership, dashboard, people, accounts, audit, account, placements, retention,
            cpd, evidence, experience, none
    }

    public struct Breadcrumb: Sendable {
        public let title: String
        public let path: String
        public init(_ title: String, _ path: String) {
            self.title = title
            self.path = path
        }
    }

    public static func page(
        title: String, section: Section, chrome: Chrome, breadcrumbs: [Breadcrumb] = [],
        content: [Node<HTML.BodyContext>]
    ) -> HTML {
        HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                // Not Plot's .title(): it also copies the title, unescaped, into og:title and twitter:title.
                .element(named: "title", nodes: [.text("\(title) - Chalkface")]),
                .link(.rel(.stylesheet), .href(Stylesheet.path)),
                .meta(.name("theme-color"), .content("#0b0c0c"))
            ),
            .body(
                .a(.class("app-skip-link"), .href("#main-content"), .text("Skip to main content")),
                .header(
                    .class("app-header"),
                    .div(
                        .class("app-header__container"),
                        .a(.class("app-header__logo"), .href(SitePath.home), .text("Chalkface")),
                        .span(.class("app-header__service"), .text("Teacher recruitment and retention partnership")),
                        account(chrome)
                    )
                ),
                .nav(
                    .class("app-service-nav"), .attribute(named: "aria-label", value: "Menu"),
                    .ul(
                        navItem("Home", SitePath.home, current: section == .home),
                        navItem("Schools", SitePath.schools, current: section == .schools),
                        navItem("Cold spots", SitePath.coldSpots, current: section == .coldSpots),
                        navItem("Partnership", SitePath.partnership, current: section == .partnership),
                        navItem("CPD", "/cpd", current: section == .cpd),
                        navItem("Evidence", "/evidence", current: section == .evidence),
                        navItem("School experience", "/experience", current: section == .experience),
                        .if(
                            chrome.person != nil,
                            navItem("Dashboard", SitePath.dashboard, current: section == .dashboard)),
                        .if(chrome.seesPeople, navItem("People", SitePath.people, current: section == .people)),
                        .if(
                            chrome.seesPeople,
                            navItem("Placements", "/placements", current: section == .placements)),
                        .if(chrome.seesPeople, navItem("Retention", "/retention", current: section == .retention)),
                        .if(
                            chrome.isCoordinator,
                            .group(
                                navItem("Accounts", SitePath.accounts, current: section == .accounts),
                                navItem("Audit log", SitePath.audit, current: section == .audit))),
                        navItem("API", SitePath.apiDocument, current: false)
                    )
                ),
                // A labelled region, so that no content sits outside a landmark.
                .if(
                    chrome.isDemo,
                    .div(
                        .class("app-phase-banner"), .attribute(named: "role", value: "region"),
                        .attribute(named: "aria-label", value: "About this installation"),
                        .strong(.class("app-tag app-tag--blue"), .text("Demo")),
                        .text("This installation holds real public school data and a demonstration partnership.")
                    )),
                .div(
                    .class("app-width-container"),
                    .if(
                        !breadcrumbs.isEmpty,
                        .nav(
                            .class("app-breadcrumbs"), .attribute(named: "aria-label", value: "Breadcrumb"),
                            .ol(.forEach(breadcrumbs) { .li(.a(.href($0.path), .text($0.title))) })
                        )),
                    .main(.id("main-content"), .group(content))
                ),
                .footer(
                    .class("app-footer"),
                    .div(
                        .class("app-width-container"),
                        .p(
                            .text(
                                "Contains public sector information licensed under the Open Government Licence v3.0. School data: Get Information About Schools (DfE). Geography: Office for National Statistics; contains OS data © Crown copyright and database right."
                            )),
                        .p(.a(.href(SitePath.apiDocument), .text("API (OpenAPI 3.1)")))
                    )
                )
            )
        )
    }

    /// Who is signed in, with links to their account and a sign-out button; or a sign-in link.
    static func account(_ chrome: Chrome) -> Node<HTML.BodyContext> {
        guard let person = chrome.person else {
            return .div(.class("app-header__account"), .a(.href(SitePath.signIn), .text("Sign in")))
        }
        return .div(
            .class("app-header__account"),
            .a(.href(SitePath.account), .text(person)),
            .form(
                .method(.post), .action(SitePath.signOut), .class("app-inline-form"),
                Form.csrf(chrome.csrfToken),
                .button(.class("app-link-button"), .type(.submit), .text("Sign out"))
            )
        )
    }

    static func navItem(_ title: String, _ path: String, current: Bool) -> Node<HTML.ListContext> {
        .li(
            .if(current, .attribute(named: "aria-current", value: "page")),
            .a(.href(path), .text(title))
        )
    }

    /// A GOV.UK summary list: a definition list of key and value rows.
    /// The GOV.UK "filter a list" panel: a third-width column holding a plain GET form with its fields, a button,
    /// and (when anything is filtered) a link back to the whole list.
    public static func filterPanel(
        heading: String = "Filter", action: String, filtered: Bool, submit: String = "Apply filters",
        clear: String = "Clear filters", _ fields: Node<HTML.FormContext>...
    ) -> Node<HTML.BodyContext> {
        .div(
            .class("app-grid-column-one-third"),
            .div(
                .class("app-filters"),
                .h2(.text(heading)),
                .form(.method(.get), .action(action), .group(fields), Form.submit(submit, secondary: true)),
                .if(filtered, .p(.a(.href(action), .text(clear))))))
    }

    /// A green notification that something worked, announced to screen readers.
    public static func notice(_ text: String) -> Node<HTML.BodyContext> {
        .div(
            .class("app-notification app-notification--success"), .attribute(named: "role", value: "status"),
            .p(.text(text)))
    }

    public static func summaryList(_ rows: [(String, Node<HTML.BodyContext>)]) -> Node<HTML.BodyContext> {
        .dl(
            .class("app-summary-list"),
            .group(
                rows.map { key, value in
                    .div(
                        .class("app-summary-list__row"), .element(named: "dt", nodes: [.text(key)]),
                        .element(named: "dd", nodes: [value]))
                })
        )
    }
}

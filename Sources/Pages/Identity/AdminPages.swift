import Domain
import Foundation
import Plot

/// The coordinator's administration: accounts and roles, organisations, the partnership's data sharing, the audit
/// log and the outbox.
public enum AdminPages {
    public static func accounts(_ people: [(Person, [Membership])], chrome: Chrome) -> HTML {
        Layout.page(
            title: "Accounts", section: .accounts, chrome: chrome,
            content: [
                .h1(.text("Accounts")),
                .p(.a(.class("app-button"), .href(SitePath.invite), .text("Invite a person"))),
                .p(.text("\(people.count.formatted) accounts. Each one you open is recorded in the audit log.")),
                .table(
                    .class("app-table"),
                    .caption(.class("app-visually-hidden"), .text("Accounts")),
                    .thead(.tr(.th(.text("Name")), .th(.text("Email")), .th(.text("Roles")), .th(.text("Status")))),
                    .tbody(
                        .forEach(people) { p, ms in
                            .tr(
                                .td(.a(.href(SitePath.accountAdmin(p.id)), .text(p.name))),
                                .td(.text(p.email)),
                                .td(
                                    .text(ms.map { "\($0.role.label), \($0.organisationName)" }.joined(separator: "; "))
                                ),
                                .td(.text(PeoplePages.status(p)))
                            )
                        })
                ),
            ])
    }

    static func roleOptions() -> [(value: String, label: String)] {
        Role.allCases.map { ($0.rawValue, $0.label) }
    }

    static func organisationOptions(_ organisations: [Organisation]) -> [(value: String, label: String)] {
        [("", "Choose an organisation")] + organisations.map { ($0.id.description, "\($0.name) (\($0.kind.label))") }
    }

    public struct InviteForm: Sendable {
        public var name = ""
        public var email = ""
        public var organisation = ""
        public var role = ""
        public init(name: String = "", email: String = "", organisation: String = "", role: String = "") {
            self.name = name
            self.email = email
            self.organisation = organisation
            self.role = role
        }
    }

    public static func invite(
        _ form: InviteForm, organisations: [Organisation], problems: [ValidationError.Problem], chrome: Chrome
    ) -> HTML {
        Layout.page(
            title: problems.isEmpty ? "Invite a person" : "Error: Invite a person", section: .accounts, chrome: chrome,
            breadcrumbs: [.init("Accounts", SitePath.accounts)],
            content: [
                Form.errorSummary(problems),
                .h1(.text("Invite a person")),
                .p(.text("They get an email with a link to choose their password. The link works once, for 7 days.")),
                .form(
                    .method(.post), .action(SitePath.invite), .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    Form.input("name", label: "Full name", value: form.name, autocomplete: "off", problems: problems),
                    Form.input(
                        "email", label: "Email address", value: form.email, kind: .email, autocomplete: "off",
                        problems: problems),
                    Form.select(
                        "organisation", label: "Organisation", options: organisationOptions(organisations),
                        selected: form.organisation, problems: problems),
                    Form.select(
                        "role", label: "Role", options: [("", "Choose a role")] + roleOptions(), selected: form.role,
                        problems: problems),
                    Form.submit("Send invitation")
                ),
            ])
    }

    public struct AccountModel: Sendable {
        public var person: Person
        public var memberships: [Membership]
        public var organisations: [Organisation]
        public var problems: [ValidationError.Problem]
        public var notice: String?
        public var isSelf: Bool

        public init(
            person: Person, memberships: [Membership], organisations: [Organisation],
            problems: [ValidationError.Problem] = [], notice: String? = nil, isSelf: Bool
        ) {
            self.person = person
            self.memberships = memberships
            self.organisations = organisations
            self.problems = problems
            self.notice = notice
            self.isSelf = isSelf
        }
    }

    public static func account(_ m: AccountModel, chrome: Chrome) -> HTML {
        let p = m.person
        var content: [Node<HTML.BodyContext>] = [
            Form.errorSummary(m.problems),
            .unwrap(m.notice) {
                .div(
                    .class("app-notification app-notification--success"), .attribute(named: "role", value: "status"),
                    .p(.text($0)))
            },
            .span(.class("app-caption-l"), .text("Account")),
            .h1(.text(p.name)),
            Layout.summaryList([
                ("Email", .text(p.email)),
                ("Status", .text(PeoplePages.status(p))),
                ("Signed in last", .text(p.lastSignInAt.map(DateText.dateTime) ?? "Not yet")),
            ]),
            .h2(.text("Roles")),
        ]
        if m.memberships.isEmpty {
            content.append(.p(.text("No roles.")))
        } else {
            content.append(
                .table(
                    .class("app-table"),
                    .caption(.class("app-visually-hidden"), .text("Roles")),
                    .thead(.tr(.th(.text("Role")), .th(.text("Organisation")), .th(.text("Since")), .th(.text("")))),
                    .tbody(
                        .forEach(m.memberships) { ms in
                            .tr(
                                .td(.text(ms.role.label)), .td(.text(ms.organisationName)),
                                .td(.text(DateText.dateTime(ms.since))),
                                .td(
                                    Form.button(
                                        "Remove", action: SitePath.removeMembership(p.id, ms.id), csrf: chrome.csrfToken
                                    )))
                        })
                ))
        }
        if p.erasedAt == nil {
            content.append(
                .form(
                    .method(.post), .action(SitePath.memberships(p.id)),
                    .h3(.text("Give a role")),
                    Form.csrf(chrome.csrfToken),
                    Form.select(
                        "organisation", label: "Organisation", options: organisationOptions(m.organisations),
                        selected: nil, problems: m.problems),
                    Form.select(
                        "role", label: "Role", options: [("", "Choose a role")] + roleOptions(), selected: nil,
                        problems: m.problems),
                    Form.submit("Give role")
                ))
            if !p.hasPassword && p.active {
                content.append(.h2(.text("Invitation")))
                content.append(
                    .p(
                        .text(
                            "\(p.name) has not yet chosen a password. Sending the invitation again emails a new link, valid for 7 days; earlier links stop working."
                        )))
                content.append(
                    Form.button(
                        "Send the invitation again", action: SitePath.resendInvitation(p.id), csrf: chrome.csrfToken))
            }
            if !m.isSelf {
                content.append(.h2(.text("Access")))
                content.append(
                    p.active
                        ? Form.button(
                            "Deactivate account", action: SitePath.deactivate(p.id), csrf: chrome.csrfToken,
                            warning: true)
                        : Form.button("Reactivate account", action: SitePath.activate(p.id), csrf: chrome.csrfToken))
            }
        }
        return Layout.page(
            title: p.name, section: .accounts, chrome: chrome, breadcrumbs: [.init("Accounts", SitePath.accounts)],
            content: content)
    }

    public struct OrganisationForm: Sendable {
        public var id: OrganisationID?
        public var name = ""
        public var kind = ""
        public var urn = ""
        public var localAuthorityCode = ""
        public var ukprn = ""
        public var website = ""
        public var member = true
        public var joinedOn = ""

        public init(
            id: OrganisationID? = nil, name: String = "", kind: String = "", urn: String = "",
            localAuthorityCode: String = "", ukprn: String = "", website: String = "", member: Bool = true,
            joinedOn: String = ""
        ) {
            self.id = id
            self.name = name
            self.kind = kind
            self.urn = urn
            self.localAuthorityCode = localAuthorityCode
            self.ukprn = ukprn
            self.website = website
            self.member = member
            self.joinedOn = joinedOn
        }
    }

    public static func organisation(_ f: OrganisationForm, problems: [ValidationError.Problem], chrome: Chrome) -> HTML
    {
        let title = f.id == nil ? "Add an organisation" : "Change \(f.name)"
        return Layout.page(
            title: problems.isEmpty ? title : "Error: \(title)", section: .partnership, chrome: chrome,
            breadcrumbs: [.init("Partnership", SitePath.partnership)],
            content: [
                Form.errorSummary(problems),
                .h1(.text(title)),
                .form(
                    .method(.post),
                    .action(Escape.attribute(f.id.map(SitePath.organisation) ?? SitePath.organisations)),
                    .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    Form.input("name", label: "Name", value: f.name, autocomplete: "off", problems: problems),
                    Form.select(
                        "kind", label: "Kind",
                        options: [("", "Choose a kind")] + OrganisationKind.allCases.map { ($0.rawValue, $0.label) },
                        selected: f.kind, problems: problems),
                    Form.input(
                        "urn", label: "URN (schools only)",
                        hint: "The school's unique reference number in Get Information About Schools", value: f.urn,
                        problems: problems),
                    Form.input(
                        "la_code", label: "Local authority code (local authorities only)",
                        hint: "GSS code, for example E10000016", value: f.localAuthorityCode, problems: problems),
                    Form.input(
                        "ukprn", label: "UKPRN (optional)", hint: "UK Provider Reference Number: 8 digits",
                        value: f.ukprn, problems: problems),
                    Form.input(
                        "website", label: "Website (optional)", value: f.website, kind: .url, problems: problems),
                    Form.checkbox("member", label: "Member of the partnership", checked: f.member),
                    Form.input(
                        "joined_on", label: "Joined the partnership on (optional)", hint: "For example 2025-09-01",
                        value: f.joinedOn, problems: problems),
                    Form.submit(f.id == nil ? "Add organisation" : "Save changes")
                ),
            ])
    }

    public struct AuditModel: Sendable {
        public var events: [AuditEvent]
        public var total: Int
        public var page: Int
        public var perPage: Int
        /// Names of the people the events mention (actors and subjects).
        public var names: [PersonID: String]
        public var filter: [String: String]
        public var people: [(id: PersonID, name: String)]

        public init(
            events: [AuditEvent], total: Int, page: Int, perPage: Int, names: [PersonID: String],
            filter: [String: String], people: [(PersonID, String)]
        ) {
            self.events = events
            self.total = total
            self.page = page
            self.perPage = perPage
            self.names = names
            self.filter = filter
            self.people = people.map { (id: $0.0, name: $0.1) }
        }
    }

    public static func audit(_ m: AuditModel, problems: [ValidationError.Problem], chrome: Chrome) -> HTML {
        let peopleOptions = [("", "Anyone")] + m.people.map { ($0.id.description, $0.name) }
        func name(_ id: PersonID?) -> String { id.map { m.names[$0] ?? "Unknown person" } ?? "Not signed in" }
        let pages = max(1, (m.total + m.perPage - 1) / m.perPage)
        let query = m.filter.sorted { $0.key < $1.key }.map { ($0.key, Optional($0.value)) }
        return Layout.page(
            title: "Audit log", section: .audit, chrome: chrome,
            content: [
                Form.errorSummary(problems),
                .h1(.text("Audit log")),
                .p(
                    .text(
                        "Every read of a person's record and every change, newest first. Entries cannot be changed or deleted."
                    )),
                .form(
                    .method(.get), .action(SitePath.audit), .class("app-filters"),
                    Form.select("actor", label: "Who acted", options: peopleOptions, selected: m.filter["actor"]),
                    Form.select("person", label: "About whom", options: peopleOptions, selected: m.filter["person"]),
                    Form.select(
                        "action", label: "Action",
                        options: [("", "Any action")] + AuditAction.allCases.map { ($0.rawValue, $0.label) },
                        selected: m.filter["action"]),
                    Form.select(
                        "kind", label: "Reads or changes",
                        options: [("", "Both"), ("reads", "Reads of records"), ("changes", "Changes and sign-ins")],
                        selected: m.filter["kind"]),
                    Form.input(
                        "from", label: "From (date)", hint: "For example 2026-11-01", value: m.filter["from"] ?? "",
                        problems: problems),
                    Form.input("to", label: "To (date, inclusive)", value: m.filter["to"] ?? "", problems: problems),
                    Form.submit("Filter")
                ),
                .p(.id("audit-count"), .text(m.total == 1 ? "1 entry." : "\(m.total.formatted) entries.")),
                .table(
                    .class("app-table"),
                    .caption(.class("app-visually-hidden"), .text("Audit log entries")),
                    .thead(
                        .tr(
                            .th(.text("When")), .th(.text("Who")), .th(.text("What")), .th(.text("About")),
                            .th(.text("Detail")), .th(.text("From")))),
                    .tbody(
                        .forEach(m.events) { e in
                            .tr(
                                .td(.class("app-nowrap"), .text(DateText.dateTime(e.at))),
                                .td(.text(name(e.actor))),
                                .td(.text(e.action.label)),
                                .td(.text(e.subjectPerson.map { name($0) } ?? e.subjectType)),
                                .td(.text(e.detail)),
                                .td(.text("\(e.address ?? "") (\(e.channel))"))
                            )
                        })
                ),
                .if(
                    pages > 1,
                    .nav(
                        .class("app-pagination"), .attribute(named: "aria-label", value: "Pages"),
                        .p(.text("Page \(m.page) of \(pages)")),
                        .if(
                            m.page > 1,
                            .a(
                                .href(
                                    Escape.attribute(
                                        SitePath.with(SitePath.audit, query: query + [("page", String(m.page - 1))]))),
                                .text("Previous"))),
                        .text(" "),
                        .if(
                            m.page < pages,
                            .a(
                                .href(
                                    Escape.attribute(
                                        SitePath.with(SitePath.audit, query: query + [("page", String(m.page + 1))]))),
                                .text("Next")))
                    )),
            ])
    }

    public struct OutboxMessage: Sendable {
        public var recipient: String
        public var subject: String
        public var body: String
        public var createdAt: Date
        public init(recipient: String, subject: String, body: String, createdAt: Date) {
            self.recipient = recipient
            self.subject = subject
            self.body = body
            self.createdAt = createdAt
        }
    }

    public static func outbox(_ messages: [OutboxMessage], chrome: Chrome) -> HTML {
        Layout.page(
            title: "Outbox", section: .none, chrome: chrome,
            content: [
                .h1(.text("Outbox")),
                .p(
                    .text(
                        "Email Chalkface has sent, newest first. This page exists in development only: set CHALKFACE_ENV=production to hide it once real delivery is set up."
                    )),
                .if(messages.isEmpty, .p(.text("No email yet."))),
                .forEach(messages) { m in
                    .section(
                        .class("app-inset"),
                        .h2(.class("app-heading-s"), .text(m.subject)),
                        .p(.text("To \(m.recipient), \(DateText.dateTime(m.createdAt))")),
                        .element(named: "pre", nodes: [.class("app-email-body"), .text(m.body)])
                    )
                },
            ])
    }
}

import Domain
import Foundation
import Plot

/// The signed-in person's own pages: their home (one section per role), their account, API tokens, download
/// and erasure.
public enum AccountPages {
    public struct Dashboard: Sendable {
        public var principal: Principal
        public var sharing: DataSharing
        /// For staff: how many people each of their organisations holds.
        public var peopleInOrganisations: [OrganisationID: Int]
        /// For coordinators: totals across the partnership.
        public var totalPeople: Int
        public var organisations: Int
        /// For school staff: the schools whose placement offers they keep.
        public var ownSchools: [(urn: URN, name: String)] = []
        /// For teachers and mentors: their record in the teacher register, when their school has linked it.
        public var teacherRecord: UUID?

        public init(
            principal: Principal, sharing: DataSharing, peopleInOrganisations: [OrganisationID: Int],
            totalPeople: Int, organisations: Int
        ) {
            self.principal = principal
            self.sharing = sharing
            self.peopleInOrganisations = peopleInOrganisations
            self.totalPeople = totalPeople
            self.organisations = organisations
        }
    }

    public static func dashboard(_ m: Dashboard, chrome: Chrome) -> HTML {
        let p = m.principal
        var content: [Node<HTML.BodyContext>] = [
            .span(.class("app-caption-l"), .text(p.person.name)),
            .h1(.text("Your dashboard")),
        ]
        if p.memberships.isEmpty {
            content.append(
                .p(.text("You have no role in any organisation yet. Your partnership coordinator can give you one.")))
        }
        for role in Role.allCases where p.has(role) {
            let organisations = p.memberships.filter { $0.role == role }
            var items: [Node<HTML.BodyContext>] = []
            switch role {
            case .coordinator:
                items = [
                    .p(
                        .text(
                            "The partnership holds \(m.totalPeople.formatted) people in \(m.organisations.formatted) organisations. Data sharing: \(m.sharing.label.lowercased())."
                        )),
                    .ul(
                        .class("app-list"),
                        .li(
                            .a(
                                .href(SitePath.people),
                                .text(m.sharing == .individualRecords ? "People" : "People (counts)"))),
                        .li(.a(.href(SitePath.accounts), .text("Accounts: invite people, give and remove roles"))),
                        .li(.a(.href(SitePath.partnership), .text("Organisations and partnership settings"))),
                        .li(.a(.href("/placements"), .text("Placement offers from schools"))),
                        .li(.a(.href("/placements/allocation"), .text("Placement allocation"))),
                        .li(.a(.href("/cpd/manage"), .text("CPD catalogue: programmes and enrolments"))),
                        .li(.a(.href("/evidence/share"), .text("Research engagement by school"))),
                        .li(
                            .a(
                                .id("peer-groups-coordinator"), .href("/ects/peer-groups"),
                                .text("Early-career teachers' peer groups"))),
                        .li(
                            .a(
                                .id("induction-coordinator"), .href("/ects/induction"),
                                .text("Early-career teachers' induction: due, overdue, without a mentor"))),
                        .li(
                            .a(
                                .id("development-areas-coordinator"), .href("/ects/development/areas"),
                                .text("Early-career development areas against the CPD catalogue"))),
                        .li(.a(.href("/post16"), .text("Post-16 review: English, maths and science"))),
                        .li(
                            .a(
                                .id("specialists-coordinator"), .href("/specialists"),
                                .text("Specialist teaching: who teaches maths, science and English"))),
                        .li(.a(.href("/events"), .text("Recruitment events"))),
                        .li(
                            .a(
                                .id("internships-coordinator"), .href("/internships/matching"),
                                .text("Undergraduate internships: matching and outcomes"))),
                        .li(
                            .a(
                                .id("vacancies-coordinator"), .href("/vacancies"),
                                .text("Maths and science vacancies: fill rates and time to fill"))),
                        .li(
                            .a(
                                .id("returners-coordinator"), .href("/returners"),
                                .text("Returners to maths and science: the pipeline back into teaching"))),
                        .li(.a(.id("applications-coordinator"), .href("/applications"), .text("Application funnel"))),
                        .li(.a(.id("surveys-coordinator"), .href("/surveys"), .text("Barrier research: surveys"))),
                        .li(.a(.id("advice-coordinator"), .href("/advice/cases"), .text("Adviser caseload"))),
                        .li(.a(.href(SitePath.audit), .text("Audit log"))),
                        .li(.a(.href(SitePath.outbox), .text("Outbox (email sent by Chalkface)")))
                    ),
                ]
            case .providerStaff, .schoolStaff:
                items = [
                    role == .schoolStaff && !m.ownSchools.isEmpty
                        ? .ul(
                            .class("app-list"), .id("own-offers"),
                            .forEach(m.ownSchools) { school in
                                .li(
                                    .a(
                                        .href(SitePath.placementOfferForm(school.urn)),
                                        .text("\(school.name): placement offer and allocated trainees")),
                                    .text("; "),
                                    .a(.href("/schools/\(school.urn.value)/staff"), .text("staff list")),
                                    .text("; "),
                                    .a(
                                        .id("ects-\(school.urn.value)"), .href("/schools/\(school.urn.value)/ects"),
                                        .text("early-career teachers and mentors")),
                                    .text("; "),
                                    .a(
                                        .id("experience-\(school.urn.value)"),
                                        .href("/schools/\(school.urn.value)/experience"), .text("school experience")),
                                    .text("; "),
                                    .a(
                                        .id("internships-\(school.urn.value)"),
                                        .href("/schools/\(school.urn.value)/internships"),
                                        .text("undergraduate internships")),
                                    .text("; "),
                                    .a(
                                        .id("vacancies-\(school.urn.value)"),
                                        .href("/schools/\(school.urn.value)/vacancies"),
                                        .text("maths and science vacancies")))
                            })
                        : .p(
                            .a(
                                .href("/placements"),
                                .text(
                                    role == .schoolStaff
                                        ? "Record your school's placement offer" : "Placement offers from schools"))),
                    .ul(
                        .class("app-list"),
                        .forEach(organisations) { o in
                            .li(
                                .text("\(o.organisationName): "),
                                .a(
                                    .href(SitePath.people),
                                    .text("\((m.peopleInOrganisations[o.organisation] ?? 0).formatted) people")),
                                .if(
                                    role == .providerStaff,
                                    .group(
                                        .text("; "),
                                        .a(.href(TraineePages.path(o.organisation)), .text("trainees")),
                                        .text("; "),
                                        .a(.href("/cpd/manage"), .text("CPD programmes")),
                                        .text("; "),
                                        .a(
                                            .id("applications-\(o.organisation)"), .href("/applications"),
                                            .text("applications")),
                                        .text("; "),
                                        .a(
                                            .id("advice-\(o.organisation)"), .href("/advice/cases"),
                                            .text("adviser caseload")),
                                        .text("; "),
                                        .a(
                                            .id("vacancies-\(o.organisation)"), .href("/vacancies"),
                                            .text("maths and science vacancies to refer candidates to")),
                                        .text("; "),
                                        .a(
                                            .id("returners-\(o.organisation)"), .href("/returners"),
                                            .text("returners to maths and science")))))
                        }),
                    .p(
                        .a(.href("/evidence/share"), .text("Research engagement by school")), .text(" · "),
                        .a(.id("post16-\(role.rawValue)"), .href("/post16"), .text("Post-16 review")), .text(" · "),
                        .a(
                            .id("specialists-\(role.rawValue)"), .href("/specialists"),
                            .text(role == .schoolStaff ? "Specialist teaching at your school" : "Specialist teaching"))),
                ]
            case .mentor, .teacher, .applicant, .undergraduate:
                items = [
                    .p(.text("At \(organisations.map(\.organisationName).joined(separator: ", ")).")),
                    .if(
                        (role == .teacher || role == .mentor) && m.teacherRecord == nil,
                        .p(
                            .class("app-hint"),
                            .text(
                                "Your school can link your account to your record in the partnership's teacher register, so you can see it here."
                            ))),
                    .ul(
                        .class("app-list"),
                        .li(.a(.href(SitePath.person(p.id)), .text("Your account's record"))),
                        .unwrap(m.teacherRecord) { id in
                            .li(
                                .a(
                                    .id("teaching-record-\(role.rawValue)"),
                                    .href("/teachers/\(id.uuidString.lowercased())"),
                                    .text("Your teaching record: schools, roles and timeline")))
                        },
                        .if(
                            role == .teacher || role == .mentor,
                            .li(.a(.id("cpd-\(role.rawValue)"), .href("/cpd/enrolments"), .text("Your CPD enrolments")))
                        ),
                        .if(
                            role == .teacher || role == .mentor,
                            .group(
                                .li(.a(.href("/cpd"), .text("Find professional development"))),
                                .li(
                                    .a(
                                        .id("peer-group-\(role.rawValue)"), .href("/ects/my-group"),
                                        .text("Your early-career peer group"))),
                                .li(
                                    .a(
                                        .id("development-\(role.rawValue)"), .href("/ects/development"),
                                        .text("Your development profile and suggested CPD (early-career teachers)"))),
                                .li(
                                    .a(
                                        .id("mentees-\(role.rawValue)"), .href("/ects/mentees"),
                                        .text("Early-career teachers you mentor"))),
                                .li(
                                    .a(
                                        .id("career-\(role.rawValue)"), .href("/ects/career"),
                                        .text("Career planning: conversations, NPQs that fit, where peers went"))),
                                .li(
                                    .a(
                                        .id("evidence-\(role.rawValue)"), .href("/evidence/engagement"),
                                        .text("Research evidence: record your research engagement"))))),
                        .if(
                            role == .applicant || role == .undergraduate,
                            .group(
                                .li(
                                    .a(
                                        .id("experience-\(role.rawValue)"), .href("/experience"),
                                        .text("Find school experience near you"))),
                                .li(.a(.href("/experience/requests"), .text("Your school experience requests"))),
                                .li(
                                    .a(
                                        .id("advice-\(role.rawValue)"), .href("/advice"),
                                        .text("Talk to an adviser about applying"))),
                                .li(
                                    .a(
                                        .id("events-\(role.rawValue)"), .href("/events"),
                                        .text("Events: train to teach evenings, open days and workshops"))))),
                        .if(
                            role == .undergraduate,
                            .li(
                                .a(
                                    .id("internships-undergraduate"), .href("/internships"),
                                    .text("Undergraduate internships: a few weeks in a school this summer")))),
                        .li(.a(.href(SitePath.accountExport), .text("Download everything held about you")))
                    ),
                ]
            }
            content.append(
                .section(
                    .class("app-dashboard-section"), .id("role-\(role.rawValue)"),
                    .h2(.text(role.label)),
                    .group(items)))
        }
        content.append(.p(.a(.href(SitePath.account), .text("Your account, API tokens and your data"))))
        return Layout.page(title: "Your dashboard", section: .dashboard, chrome: chrome, content: content)
    }

    public struct Account: Sendable {
        public var person: Person
        public var memberships: [Membership]
        public var tokens: [APIToken]
        /// A token just created: its secret, shown this once.
        public var newToken: (token: APIToken, secret: String)?
        public var problems: [ValidationError.Problem]
        public var now: Date

        public init(
            person: Person, memberships: [Membership], tokens: [APIToken], newToken: (APIToken, String)? = nil,
            problems: [ValidationError.Problem] = [], now: Date
        ) {
            self.person = person
            self.memberships = memberships
            self.tokens = tokens
            self.newToken = newToken.map { (token: $0.0, secret: $0.1) }
            self.problems = problems
            self.now = now
        }
    }

    public static func account(_ m: Account, chrome: Chrome) -> HTML {
        let p = m.person
        var content: [Node<HTML.BodyContext>] = [Form.errorSummary(m.problems)]
        if let new = m.newToken {
            content.append(
                .div(
                    .class("app-notification app-notification--success"), .attribute(named: "role", value: "status"),
                    .h2(.text("Your new API token")),
                    .p(
                        .text(
                            "Copy it now: this is the only time it is shown. Send it as: Authorization: Bearer <token>")
                    ),
                    .code(.class("app-secret"), .id("new-token"), .text(new.secret)),
                    .p(
                        .text(
                            "\(new.token.name), \(new.token.scope.label.lowercased()), expires \(DateText.dateTime(new.token.expiresAt))."
                        ))
                ))
        }
        content += [
            .h1(.text("Your account")),
            Layout.summaryList([
                ("Name", .text(p.name)),
                ("Email", .text(p.email)),
                ("Signed in last", .text(p.lastSignInAt.map(DateText.dateTime) ?? "Not before")),
            ]),
            .h2(.text("Your roles")),
            memberships(m.memberships),
            .h2(.id("tokens"), .text("API tokens")),
            .p(
                .text(
                    "A personal token lets a script read (or change) what you can see, through the JSON API at /api/v1. Tokens are stored hashed and shown once."
                )),
        ]
        if !m.tokens.isEmpty {
            content.append(
                .table(
                    .class("app-table"),
                    .caption(.class("app-visually-hidden"), .text("Your API tokens")),
                    .thead(
                        .tr(
                            .th(.text("Name")), .th(.text("Scope")), .th(.text("Expires")), .th(.text("Last used")),
                            .th(.text("Status")), .th(.text("")))),
                    .tbody(
                        .forEach(m.tokens) { t in
                            .tr(
                                .td(.text(t.name)), .td(.text(t.scope.label)),
                                .td(.text(DateText.dateTime(t.expiresAt))),
                                .td(.text(t.lastUsedAt.map(DateText.dateTime) ?? "Never")),
                                .td(
                                    .text(t.revokedAt != nil ? "Revoked" : t.isUsable(at: m.now) ? "Active" : "Expired")
                                ),
                                .td(
                                    .if(
                                        t.isUsable(at: m.now),
                                        Form.button(
                                            "Revoke", action: SitePath.revokeToken(t.id), csrf: chrome.csrfToken)))
                            )
                        })
                ))
        }
        content += [
            .form(
                .method(.post), .action(SitePath.accountTokens),
                .h3(.text("Create a token")),
                Form.csrf(chrome.csrfToken),
                Form.input(
                    "name", label: "What the token is for", hint: "For example: weekly placement report",
                    problems: m.problems),
                Form.radios(
                    "scope", legend: "What it may do",
                    options: TokenScope.allCases.map { ($0.rawValue, $0.label, nil) },
                    selected: TokenScope.read.rawValue,
                    problems: m.problems),
                Form.select(
                    "expires_in_days", label: "Expires after",
                    options: APIToken.lifetimes.map { (String($0.days), $0.label) },
                    selected: "30", problems: m.problems),
                Form.submit("Create token")
            ),
            .h2(.text("Your data")),
            .p(
                .a(.href(SitePath.accountExport), .text("Download everything Chalkface holds about you")),
                .text(" (JSON).")),
            .p(.a(.href(SitePath.accountErase), .text("Ask for your record to be erased"))),
        ]
        return Layout.page(title: "Your account", section: .account, chrome: chrome, content: content)
    }

    static func memberships(_ memberships: [Membership]) -> Node<HTML.BodyContext> {
        guard !memberships.isEmpty else { return .p(.text("No roles.")) }
        return .ul(
            .class("app-list"),
            .forEach(memberships) { .li(.text("\($0.role.label), \($0.organisationName)")) })
    }

    public static func erase(problems: [ValidationError.Problem], chrome: Chrome) -> HTML {
        Layout.page(
            title: "Erase your record", section: .account, chrome: chrome,
            content: [
                Form.errorSummary(problems),
                .h1(.text("Erase your record")),
                .p(
                    .text(
                        "Your name, email address and password will be removed and you will be signed out for good. Your roles stay, without your name, so that the partnership's counts stay correct. The audit log keeps its entries, which name no one once your record is erased."
                    )),
                .p(
                    .class("app-warning-text"),
                    .text("You cannot undo this. Download your data first if you want a copy.")),
                .form(
                    .method(.post), .action(SitePath.accountErase),
                    Form.csrf(chrome.csrfToken),
                    Form.input(
                        "password", label: "Your password, to confirm", kind: .password,
                        autocomplete: "current-password", problems: problems),
                    Form.submit("Erase my record", warning: true)
                ),
            ])
    }

    public static func erased(chrome: Chrome) -> HTML {
        Layout.page(
            title: "Your record has been erased", section: .none, chrome: chrome,
            content: [
                .h1(.text("Your record has been erased")),
                .p(.text("Chalkface no longer holds your name, email address or password. You have been signed out.")),
            ])
    }
}

import Domain
import Foundation
import Plot

/// Undergraduate internships: the undergraduate's application, a school's offers and rankings, and the
/// coordinator's matching and outcomes.
public enum InternshipPages {
    public struct OfferRow: Sendable {
        public var offer: InternshipOffer
        public var school: String
        public var town: String?

        public init(offer: InternshipOffer, school: String, town: String?) {
            self.offer = offer
            self.school = school
            self.town = town
        }

        public var label: String {
            "\(offer.subject.label) at \(school)\(town.map { ", \($0)" } ?? ""): \(offer.startsOn.longDescription) to \(offer.endsOn.longDescription)"
        }
    }

    static func dates(_ o: InternshipOffer) -> String {
        "\(o.startsOn.longDescription) to \(o.endsOn.longDescription) (\(o.weeks) week\(o.weeks == 1 ? "" : "s"))"
    }

    static func th(_ text: String) -> Node<HTML.TableRowContext> {
        .th(.attribute(named: "scope", value: "col"), .text(text))
    }

    // MARK: The undergraduate

    public struct Mine: Sendable {
        public var year: Int
        public var offers: [OfferRow]
        public var application: InternshipApplication?
        /// The offer they were placed on.
        public var placed: OfferRow?
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?
        public var today: Day

        public init(
            year: Int, offers: [OfferRow], application: InternshipApplication?, placed: OfferRow?,
            form: [String: String], problems: [ValidationError.Problem], notice: String?, today: Day
        ) {
            self.year = year
            self.offers = offers
            self.application = application
            self.placed = placed
            self.form = form
            self.problems = problems
            self.notice = notice
            self.today = today
        }
    }

    public static func mine(_ m: Mine, chrome: Chrome) -> HTML {
        let title = "Undergraduate internships \(m.year)"
        var content: [Node<HTML.BodyContext>] = [
            .h1(.class("app-heading-xl"), .text(title)),
            .p(
                .class("app-body-l"),
                .text(
                    "Spend about three weeks in a school in June or July, working alongside teachers in a subject you study. Choose up to five places in the order you want them and say briefly why; schools rank the applicants who chose them, and the partnership matches everyone at once so that no one is passed over for a place they preferred by someone the school ranked lower."
                )),
        ]
        if let n = m.notice { content.append(Layout.notice(n)) }
        content.append(Form.errorSummary(m.problems))
        if let a = m.application {
            var rows: [(String, Node<HTML.BodyContext>)] = [("Status", .text(a.status.label))]
            if let placed = m.placed {
                rows.append(("Your internship", .text(placed.label)))
            }
            rows.append(
                (
                    "Your choices",
                    .ol(
                        .forEach(a.choices) { id in
                            .li(.text(m.offers.first { $0.offer.id == id }?.label ?? "A place no longer offered"))
                        })
                ))
            content.append(.h2(.text("Your application")))
            content.append(.div(.id("my-application"), Layout.summaryList(rows)))
            if a.status == .unplaced {
                content.append(
                    .p(
                        .text(
                            "There was no place for you in this year's matching. Schools sometimes add places: the partnership will contact you if one comes up."
                        )))
            }
            if let placed = m.placed, placed.offer.endsOn <= m.today {
                content.append(.h2(.text("After your internship")))
                content.append(
                    .form(
                        .method(.post), .action("/internships/intention"), .id("intention"),
                        Form.csrf(chrome.csrfToken),
                        Form.radios(
                            "intention", legend: "Do you now plan to train to teach?",
                            options: TrainingIntention.allCases.map { ($0.rawValue, $0.label, nil) },
                            selected: a.intention?.rawValue, problems: m.problems),
                        Form.submit("Save your answer")))
            }
        }
        if m.application == nil || m.application?.status == .applied {
            if m.offers.isEmpty {
                content.append(
                    .p(
                        .id("no-offers"),
                        .text("No school has offered an internship for \(m.year) yet. Look again soon.")))
            } else {
                content.append(
                    .table(
                        .class("app-table"), .id("offers"),
                        .caption(.class("app-table__caption"), .text("Places offered for \(m.year)")),
                        .thead(.tr(th("Subject"), th("School"), th("Dates"), th("Places"))),
                        .tbody(
                            .forEach(m.offers) { r in
                                .tr(
                                    .td(.text(r.offer.subject.label)),
                                    .td(.text(r.school + (r.town.map { ", \($0)" } ?? ""))),
                                    .td(.text(dates(r.offer))),
                                    .td(.class("app-table__cell--numeric"), .text(String(r.offer.places))))
                            })))
                let options = [("", "No choice")] + m.offers.map { ($0.offer.id.uuidString.lowercased(), $0.label) }
                content.append(.h2(.text(m.application == nil ? "Apply" : "Change your application")))
                content.append(
                    .form(
                        .method(.post), .action("/internships"), .id("apply"), Form.csrf(chrome.csrfToken),
                        .group(
                            (1...Internships.maximumChoices).map { i in
                                Form.select(
                                    "choice_\(i)", label: i == 1 ? "First choice" : "Choice \(i)",
                                    options: options, selected: m.form["choice_\(i)"], problems: m.problems)
                            }),
                        Form.textarea(
                            "statement", label: "Why would you like an internship?",
                            hint:
                                "At most \(Internships.maximumStatement) characters: what you study, what you hope to find out, anything schools should know.",
                            value: m.form["statement"] ?? "", problems: m.problems),
                        Form.submit(m.application == nil ? "Send your application" : "Save your changes")))
            }
        }
        return Layout.page(
            title: m.problems.isEmpty ? title : "Error: \(title)", section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }

    // MARK: A school

    public struct Applicant: Sendable {
        public var application: InternshipApplication
        /// Where the applicant put this offer among their choices (1 = first).
        public var choice: Int
        /// The school's rank of them, if ranked.
        public var rank: Int?

        public init(application: InternshipApplication, choice: Int, rank: Int?) {
            self.application = application
            self.choice = choice
            self.rank = rank
        }
    }

    public struct SchoolModel: Sendable {
        public var urn: Int
        public var school: String
        public var year: Int
        public var offers: [(offer: InternshipOffer, applicants: [Applicant], interns: [InternshipApplication])]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?
        public var today: Day

        public init(
            urn: Int, school: String, year: Int,
            offers: [(offer: InternshipOffer, applicants: [Applicant], interns: [InternshipApplication])],
            form: [String: String], problems: [ValidationError.Problem], notice: String?, today: Day
        ) {
            self.urn = urn
            self.school = school
            self.year = year
            self.offers = offers
            self.form = form
            self.problems = problems
            self.notice = notice
            self.today = today
        }
    }

    public static func school(_ m: SchoolModel, chrome: Chrome) -> HTML {
        let title = "Internships at \(m.school)"
        let base = "/schools/\(m.urn)/internships"
        var content: [Node<HTML.BodyContext>] = [
            .h1(.class("app-heading-xl"), .text(title)),
            .p(
                .class("app-body-l"),
                .text(
                    "Offer undergraduates a few weeks in your school (three weeks in June or July is the national pattern), rank those who apply, and after the internship record who came."
                )),
        ]
        if let n = m.notice { content.append(Layout.notice(n)) }
        content.append(Form.errorSummary(m.problems))
        if m.offers.isEmpty {
            content.append(.p(.id("no-offers"), .text("You have not offered an internship for \(m.year) yet.")))
        }
        for (offer, applicants, interns) in m.offers {
            let id = offer.id.uuidString.lowercased()
            content.append(.h2(.id("offer-\(id)"), .text("\(offer.subject.label): \(dates(offer))")))
            content.append(
                .p(.text("\(offer.places) place\(offer.places == 1 ? "" : "s"). \(offer.details)")))
            if !interns.isEmpty {
                content.append(
                    .form(
                        .method(.post), .action("\(base)/attendance"), .id("attendance-\(id)"),
                        Form.csrf(chrome.csrfToken),
                        .table(
                            .class("app-table"),
                            .caption(.class("app-table__caption"), .text("Interns placed with you")),
                            .thead(.tr(th("Intern"), th("University"), th("Attended"))),
                            .tbody(
                                .forEach(interns) { a in
                                    let field = "attended_\(a.id.uuidString.lowercased())"
                                    return .tr(
                                        .td(.text(a.name)), .td(.text(a.university ?? "")),
                                        .td(
                                            .element(
                                                named: "select",
                                                nodes: [
                                                    .class("app-select"), .id(field),
                                                    .attribute(named: "name", value: field),
                                                    .attribute(named: "aria-label", value: "Did \(a.name) attend?"),
                                                    .group(
                                                        [
                                                            ("", "Not yet recorded"), ("yes", "Attended"),
                                                            ("no", "Did not attend"),
                                                        ]
                                                        .map { v, l in
                                                            .element(
                                                                named: "option",
                                                                nodes: [
                                                                    .attribute(
                                                                        named: "value", value: v,
                                                                        ignoreIfValueIsEmpty: false),
                                                                    .if(
                                                                        (a.attended == true && v == "yes")
                                                                            || (a.attended == false && v == "no")
                                                                            || (a.attended == nil && v.isEmpty),
                                                                        .attribute(named: "selected", value: "selected")
                                                                    ),
                                                                    .text(l),
                                                                ])
                                                        }),
                                                ])))
                                })),
                        Form.submit(offer.endsOn > m.today ? "Save attendance so far" : "Save attendance")))
            } else if applicants.isEmpty {
                content.append(.p(.text("No one has chosen this place yet.")))
            } else {
                content.append(
                    .form(
                        .method(.post), .action("\(base)/\(id)/ranking"), .id("ranking-\(id)"),
                        Form.csrf(chrome.csrfToken),
                        .table(
                            .class("app-table"),
                            .caption(
                                .class("app-table__caption"),
                                .text(
                                    "Applicants who chose this place: rank them 1, 2, 3... (leave blank anyone you cannot take)"
                                )),
                            .thead(
                                .tr(
                                    th("Applicant"), th("University"), th("Their choice"), th("Statement"),
                                    th("Your rank"))),
                            .tbody(
                                .forEach(applicants) { ap in
                                    let field = "rank_\(ap.application.id.uuidString.lowercased())"
                                    return .tr(
                                        .td(.text(ap.application.name)), .td(.text(ap.application.university ?? "")),
                                        .td(.class("app-table__cell--numeric"), .text(String(ap.choice))),
                                        .td(.text(ap.application.statement)),
                                        .td(
                                            .input(
                                                .class("app-input app-input--short"), .id(field), .name(field),
                                                .type(.text), .attribute(named: "inputmode", value: "numeric"),
                                                .value(m.form[field] ?? ap.rank.map(String.init) ?? ""),
                                                .attribute(named: "aria-label", value: "Rank of \(ap.application.name)")
                                            )))
                                })),
                        Form.submit("Save the ranking")))
            }
        }
        let subjects = TeachingSubject.allCases.map { ($0.rawValue, $0.label) }
        content.append(.h2(.text("Offer an internship")))
        content.append(
            .form(
                .method(.post), .action(base), .id("offer"), Form.csrf(chrome.csrfToken),
                Form.select(
                    "subject", label: "Subject", options: [("", "Choose a subject")] + subjects,
                    selected: m.form["subject"], problems: m.problems),
                Form.input(
                    "starts_on", label: "First day", hint: "For example \(m.year)-06-15",
                    value: m.form["starts_on"] ?? "",
                    kind: .date, problems: m.problems),
                Form.input(
                    "ends_on", label: "Last day", hint: "At most 8 weeks after the first day",
                    value: m.form["ends_on"] ?? "", kind: .date, problems: m.problems),
                Form.input(
                    "places", label: "Places", value: m.form["places"] ?? "1", kind: .number, problems: m.problems),
                Form.textarea(
                    "details", label: "Details (optional)", hint: "What interns will do; who to ask.",
                    value: m.form["details"] ?? "", problems: m.problems),
                Form.submit("Offer the internship")))
        return Layout.page(
            title: m.problems.isEmpty ? title : "Error: \(title)", section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }

    // MARK: The coordinator

    public struct Proposal: Sendable {
        public var name: String
        public var university: String?
        public var offer: OfferRow?
        /// Which of their choices it is (1 = first).
        public var choice: Int?

        public init(name: String, university: String?, offer: OfferRow?, choice: Int?) {
            self.name = name
            self.university = university
            self.offer = offer
            self.choice = choice
        }
    }

    public struct Outcome: Sendable {
        public var year: Int
        public var placed: Int
        public var attended: Int
        public var answered: Int
        public var yes: Int
        public var maybe: Int

        public init(year: Int, placed: Int, attended: Int, answered: Int, yes: Int, maybe: Int) {
            self.year = year
            self.placed = placed
            self.attended = attended
            self.answered = answered
            self.yes = yes
            self.maybe = maybe
        }
    }

    public struct Matching: Sendable {
        public var year: Int
        public var offers: Int
        public var places: Int
        public var applying: Int
        public var proposal: [Proposal]
        public var blockingPairs: Int
        public var confirmed: [Proposal]
        public var outcomes: [Outcome]
        public var notice: String?

        public init(
            year: Int, offers: Int, places: Int, applying: Int, proposal: [Proposal], blockingPairs: Int,
            confirmed: [Proposal], outcomes: [Outcome], notice: String?
        ) {
            self.year = year
            self.offers = offers
            self.places = places
            self.applying = applying
            self.proposal = proposal
            self.blockingPairs = blockingPairs
            self.confirmed = confirmed
            self.outcomes = outcomes
            self.notice = notice
        }
    }

    static let smallest = 10

    static func count(_ n: Int) -> String { n == 0 || n >= smallest ? n.formatted : "Fewer than \(smallest)" }

    static func share(_ n: Int, _ of: Int) -> String {
        of >= smallest ? "\(Int((Double(n) / Double(of) * 100).rounded()))% (\(n) of \(of))" : "Not shown"
    }

    public static func matching(_ m: Matching, chrome: Chrome) -> HTML {
        let title = "Internship matching \(m.year)"
        func table(_ id: String, _ caption: String, _ rows: [Proposal]) -> Node<HTML.BodyContext> {
            .table(
                .class("app-table"), .id(id), .caption(.class("app-table__caption"), .text(caption)),
                .thead(.tr(th("Applicant"), th("University"), th("Internship"), th("Their choice"))),
                .tbody(
                    .forEach(rows) { p in
                        .tr(
                            .td(.text(p.name)), .td(.text(p.university ?? "")),
                            .td(.text(p.offer?.label ?? "No place")),
                            .td(.text(p.choice.map(String.init) ?? "")))
                    }))
        }
        var content: [Node<HTML.BodyContext>] = [
            .h1(.class("app-heading-xl"), .text(title)),
            .p(
                .class("app-body-l"),
                .text(
                    "\(m.offers) offer\(m.offers == 1 ? "" : "s") with \(m.places) place\(m.places == 1 ? "" : "s"); \(m.applying) application\(m.applying == 1 ? "" : "s") waiting to be matched."
                )),
            .p(
                .text(
                    "The proposal is a stable matching: applicants propose to their choices in order and each school keeps those it ranks highest (deferred acceptance). No applicant and school would both rather be together than with what they have. An applicant a school did not rank is not placed there. Confirming places those matched and tells the rest there was no place; applications made later are matched in a further round to the places left."
                )),
        ]
        if let n = m.notice { content.append(Layout.notice(n)) }
        if !m.proposal.isEmpty {
            content.append(table("proposal", "Proposed matching", m.proposal))
            content.append(
                .p(
                    .id("blocking"),
                    .text(
                        m.blockingPairs == 0
                            ? "Checked: no blocking pair."
                            : "Warning: \(m.blockingPairs) blocking pairs; do not confirm and report this fault.")))
            content.append(
                .form(
                    .method(.post), .action("/internships/matching/confirm"), .id("confirm"),
                    Form.csrf(chrome.csrfToken), Form.submit("Confirm the matching")))
        }
        if !m.confirmed.isEmpty {
            content.append(table("confirmed", "Confirmed internships", m.confirmed))
        }
        content.append(.h2(.text("Outcomes over the years")))
        content.append(
            .table(
                .class("app-table"), .id("outcomes"),
                .caption(
                    .class("app-table__caption"),
                    .text("Interns who came, and who now plan to train to teach (counts under 10 not shown)")),
                .thead(.tr(th("Year"), th("Placed"), th("Attended"), th("Answered"), th("Plan to train"), th("Maybe"))),
                .tbody(
                    .forEach(m.outcomes) { o in
                        .tr(
                            .td(.text(String(o.year))), .td(.text(count(o.placed))), .td(.text(count(o.attended))),
                            .td(.text(count(o.answered))), .td(.text(share(o.yes, o.answered))),
                            .td(.text(share(o.maybe, o.answered))))
                    })))
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }
}

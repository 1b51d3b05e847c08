import Domain
import Foundation
import Plot

/// Schools' placement offers: the partnership's overview for a year, and one school's form.
public enum PlacementOfferPages {
    public struct Row: Sendable {
        public var school: School
        public var offer: PlacementOffer?
        public var canEdit: Bool
        public init(school: School, offer: PlacementOffer?, canEdit: Bool) {
            self.school = school
            self.offer = offer
            self.canEdit = canEdit
        }
    }

    public struct Overview: Sendable {
        public var year: AcademicYear
        public var rows: [Row]
        public var years: [AcademicYear]
        public init(year: AcademicYear, rows: [Row], years: [AcademicYear]) {
            self.year = year
            self.rows = rows
            self.years = years
        }
    }

    /// Every school's offer for the year, with places per subject and trained mentors (never mentors' names).
    public static func overview(_ m: Overview, chrome: Chrome) -> HTML {
        let offered = m.rows.compactMap(\.offer).filter { $0.appetite.offersPlaces }
        let usable = PlacementSubject.allCases.map { s in offered.reduce(0) { $0 + $1.usablePlaces(s) } }
        return Layout.page(
            title: "Placement offers \(m.year)", section: .placements, chrome: chrome,
            content: [
                .span(.class("app-caption-l"), .text("Placements")),
                .h1(.text("Placement offers for \(m.year)")),
                .form(
                    .method(.get), .action("/placements"), .class("app-filters"),
                    Form.select(
                        "year", label: "Academic year", options: m.years.map { ($0.description, $0.description) },
                        selected: m.year.description),
                    Form.submit("Show", secondary: true)
                ),
                .p(
                    .id("offer-summary"),
                    .text(
                        "\(m.rows.filter { $0.offer != nil }.count) schools have answered; \(offered.count) offer places: \(offered.reduce(0) { $0 + $1.usablePlaceCount }) usable places with trained mentors (\(offered.reduce(0) { $0 + $1.usableSendPlaces }) of them SEND placements)."
                    )),
                .table(
                    .class("app-table"), .id("places-by-subject"),
                    .caption(.text("Usable places by subject")),
                    .thead(.tr(.th(.text("Subject")), .th(.class("app-numeric"), .text("Places")))),
                    .tbody(
                        .forEach(PlacementSubject.allCases) { s in
                            .tr(.td(.text(s.label)), .td(.class("app-numeric"), .text(String(usable[s.rawValue]))))
                        })
                ),
                .p(
                    .id("places-explained"),
                    .text(
                        "Places offered: every subject place and SEND placement a school offers. Usable places: those the allocation can use, which needs the school to be hosting and to have a trained mentor. The allocation page counts usable places."
                    )),
                .table(
                    .class("app-table"), .id("offers"),
                    .caption(.text("Schools")),
                    .thead(
                        .tr(
                            .th(.text("School")), .th(.text("Hosting")),
                            .th(.class("app-numeric"), .text("Places offered")),
                            .th(.class("app-numeric"), .text("Usable places")),
                            .th(.class("app-numeric"), .text("Trained mentors")), .th(.text("Terms")),
                            .th(.span(.class("app-visually-hidden"), .text("Action"))))),
                    .tbody(
                        .forEach(m.rows) { r in
                            .tr(
                                .td(.a(.href(SitePath.school(r.school.urn)), .text(r.school.name))),
                                .td(.text(r.offer.map { $0.appetite.label } ?? "Not answered")),
                                .td(.class("app-numeric"), .text(r.offer.map { String($0.offeredPlaceCount) } ?? "")),
                                .td(.class("app-numeric"), .text(r.offer.map { String($0.usablePlaceCount) } ?? "")),
                                .td(.class("app-numeric"), .text(r.offer.map { String($0.trainedMentors) } ?? "")),
                                .td(
                                    .text(
                                        r.offer.map { o in
                                            Term.allCases.filter { o.terms.contains($0) }.map(\.label).joined(
                                                separator: ", ")
                                        }
                                            ?? "")),
                                .td(
                                    .if(
                                        r.canEdit,
                                        .a(
                                            .href(Escape.attribute(SitePath.placementOffer(r.school.urn, m.year))),
                                            .text(r.offer == nil ? "Record offer" : "Change"),
                                            .span(.class("app-visually-hidden"), .text(" for \(r.school.name)")))))
                            )
                        })
                ),
            ])
    }

    /// A trainee the published allocation sends to the school, with whom to contact and the school's answer.
    public struct AllocatedTrainee: Sendable {
        public var trainee: UUID
        public var name: String
        public var subject: String
        public var placement: String
        public var provider: String
        public var contacts: [(name: String, email: String)]
        public var confirmed: Bool?
        public var note: String
        public init(
            trainee: UUID, name: String, subject: String, placement: String, provider: String,
            contacts: [(name: String, email: String)], confirmed: Bool?, note: String
        ) {
            self.trainee = trainee
            self.name = name
            self.subject = subject
            self.placement = placement
            self.provider = provider
            self.contacts = contacts
            self.confirmed = confirmed
            self.note = note
        }
    }

    /// The published allocation's trainees for the school: confirm each, or raise a problem in words.
    static func allocatedSection(
        _ allocated: [AllocatedTrainee], school: School, year: AcademicYear, runNumber: Int?,
        problems: [ValidationError.Problem], chrome: Chrome
    ) -> Node<HTML.BodyContext> {
        guard !allocated.isEmpty else { return .empty }
        let action = SitePath.placementOfferForm(school.urn) + "/respond?year=\(year)"
        return .section(
            .class("app-inset"), .id("allocated"),
            .h2(.text("Trainees allocated to the school\(runNumber.map { " (run \($0), published)" } ?? "")")),
            .p(
                .text(
                    "Confirm each trainee once you are ready to host them, or raise a problem: the partnership's coordinators and the trainee's provider see your answer."
                )),
            .table(
                .class("app-table"), .id("allocated-trainees"),
                .caption(.class("app-visually-hidden"), .text("Trainees allocated to the school")),
                .thead(
                    .tr(
                        .th(.text("Trainee")), .th(.text("Subject")), .th(.text("Placement")),
                        .th(.text("Provider contact")), .th(.text("Your answer")))),
                .tbody(
                    .forEach(allocated) { a in
                        let id = a.trainee.uuidString.lowercased()
                        return .tr(
                            .td(.text(a.name)), .td(.text(a.subject)), .td(.text(a.placement)),
                            .td(
                                .text(a.provider),
                                .forEach(a.contacts.prefix(2)) { c in
                                    .group(
                                        .br(), .a(.href(Escape.attribute("mailto:\(c.email)")), .text(c.name)))
                                }),
                            .td(
                                .unwrap(a.confirmed) { confirmed in
                                    .p(
                                        .strong(
                                            .class(confirmed ? "app-tag" : "app-tag app-tag--red"),
                                            .text(confirmed ? "Confirmed" : "Problem raised")),
                                        .if(!a.note.isEmpty, .text(" \(a.note)")))
                                },
                                .if(
                                    a.confirmed != true,
                                    .form(
                                        .method(.post), .action(Escape.attribute(action)),
                                        .class("app-inline-form"), Form.csrf(chrome.csrfToken),
                                        .input(.type(.hidden), .name("trainee"), .value(id)),
                                        .input(.type(.hidden), .name("status"), .value("confirmed")),
                                        .button(
                                            .class("app-button app-button--secondary"), .type(.submit),
                                            .text("Confirm"),
                                            .span(.class("app-visually-hidden"), .text(" \(a.name)"))))),
                                .element(
                                    named: "details",
                                    nodes: [
                                        .class("app-details"),
                                        .if(
                                            problems.contains { $0.field == "note-\(id)" },
                                            .attribute(named: "open", value: "open")),
                                        .element(
                                            named: "summary",
                                            nodes: [
                                                .text("Raise a problem"),
                                                .span(
                                                    .class("app-visually-hidden"), .text(" with \(a.name)'s placement")),
                                            ]),
                                        .form(
                                            .method(.post), .action(Escape.attribute(action)),
                                            .attribute(named: "novalidate", value: "novalidate"),
                                            Form.csrf(chrome.csrfToken),
                                            .input(.type(.hidden), .name("trainee"), .value(id)),
                                            .input(.type(.hidden), .name("status"), .value("problem")),
                                            Form.input(
                                                "note-\(id)", label: "What is the problem with \(a.name)'s placement?",
                                                value: a.confirmed == false ? a.note : "", problems: problems),
                                            Form.submit("Raise the problem", secondary: true)),
                                    ])))
                    })))
    }

    /// One school's offer for a year: appetite, places per subject, terms, SEND places and mentors.
    public static func form(
        school: School, offer: PlacementOffer, problems: [ValidationError.Problem], saved: Bool,
        allocated: [AllocatedTrainee] = [], runNumber: Int? = nil, responded: Bool = false,
        mentorNames: [String] = [], chrome: Chrome
    ) -> HTML {
        // The subjects of the school's phase, and any it already offers.
        let subjects = Set(PlacementSubject.hosted(at: school.phase)).union(offer.places.filter { $0.value > 0 }.keys)
            .sorted()
        let title = "Placement offer for \(offer.year)"
        var mentors = offer.mentors
        while mentors.count < offer.mentors.count + 3 {
            mentors.append(OfferedMentor(name: "", subject: .primary, trainedOn: nil))
        }
        let subjectOptions = PlacementSubject.allCases.map { ($0.key, $0.label) }
        return Layout.page(
            title: problems.isEmpty ? "\(title): \(school.name)" : "Error: \(title): \(school.name)",
            section: .placements,
            chrome: chrome,
            breadcrumbs: [
                .init("Placement offers", SitePath.placementOffers(offer.year)),
                .init(school.name, SitePath.school(school.urn)),
            ],
            content: [
                Form.errorSummary(problems),
                .if(
                    saved,
                    .div(
                        .class("app-notification app-notification--success"),
                        .attribute(named: "role", value: "status"),
                        .p(.text("Offer saved.")))),
                .span(.class("app-caption-l"), .text(school.name)),
                .h1(.text(title)),
                .if(
                    responded,
                    .div(
                        .class("app-notification app-notification--success"),
                        .attribute(named: "role", value: "status"),
                        .p(.text("Your answer has been recorded.")))),
                allocatedSection(
                    allocated, school: school, year: offer.year, runNumber: runNumber, problems: problems,
                    chrome: chrome),
                .form(
                    .method(.post), .action(Escape.attribute(SitePath.placementOfferForm(school.urn))),
                    .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    .input(.type(.hidden), .name("year"), .value(offer.year.description)),
                    Form.radios(
                        "appetite", legend: "Will the school host trainees this year?",
                        options: HostingAppetite.allCases.map { ($0.rawValue, $0.label, nil) },
                        selected: offer.appetite.rawValue, problems: problems),
                    Form.input(
                        "reason", label: "If not, why not? (optional when hosting)",
                        hint: "For example: staffing changes, an Ofsted inspection, already working with one provider",
                        value: offer.reason, problems: problems),
                    .fieldset(
                        .class("app-fieldset"),
                        .element(
                            named: "legend",
                            nodes: [.class("app-fieldset__legend"), .text("Trainees the school can host, by subject")]),
                        .div(
                            .class("app-hint"),
                            .text(
                                subjects.count == PlacementSubject.allCases.count
                                    ? "All subjects are shown: the school's phase is \(school.phase.label.lowercased())."
                                    : "The subjects of a \(school.phase.label.lowercased()) school."
                            )),
                        .group(
                            subjects.map { s in
                                Form.input(
                                    "places-\(s.key)", label: s.label, value: offer.places[s].map(String.init) ?? "",
                                    kind: .number, problems: problems)
                            })
                    ),
                    .fieldset(
                        .class("app-fieldset"), .id("terms"),
                        .element(
                            named: "legend",
                            nodes: [.class("app-fieldset__legend"), .text("Terms the school can host in")]),
                        .div(
                            .class("app-hint"),
                            .text(
                                "First placements run in the autumn term, second placements in the spring and summer terms."
                            )),
                        .group(
                            Term.allCases.map {
                                Form.checkbox("term-\($0.rawValue)", label: $0.label, checked: offer.terms.contains($0))
                            })
                    ),
                    Form.input(
                        "send_places", label: "SEND placements",
                        hint:
                            "Extra places in the school's special educational needs provision, for trainees interested in SEND in a subject the school hosts (or any subject, if it hosts SEND placements only)",
                        value: String(offer.sendPlaces), kind: .number, problems: problems),
                    .h2(.text("Mentors")),
                    .if(
                        !mentorNames.isEmpty,
                        .element(
                            named: "datalist",
                            nodes: [
                                .id("school-mentors"),
                                .group(
                                    mentorNames.map { name in
                                        .element(
                                            named: "option",
                                            nodes: [.attribute(named: "value", value: Escape.attribute(name))])
                                    }),
                            ])),
                    .div(
                        .class("app-hint"),
                        .text(
                            "Each mentor takes one trainee at a time and counts only once trained. Leave a row empty to remove it."
                        )),
                    .group(
                        mentors.enumerated().map { i, mentor in
                            .fieldset(
                                .class("app-fieldset app-mentor"),
                                .element(
                                    named: "legend", nodes: [.class("app-fieldset__legend"), .text("Mentor \(i + 1)")]),
                                Form.input(
                                    "mentor-\(i + 1)-name", label: "Name",
                                    hint: mentorNames.isEmpty
                                        ? nil : "Choose one of the school's mentors from the list, or type a name",
                                    value: mentor.name, autocomplete: "off",
                                    list: mentorNames.isEmpty ? nil : "school-mentors", problems: problems),
                                Form.select(
                                    "mentor-\(i + 1)-subject", label: "Subject", options: subjectOptions,
                                    selected: mentor.subject.key),
                                Form.input(
                                    "mentor-\(i + 1)-trained_on",
                                    label: "Mentor training completed on (leave empty if not yet)",
                                    hint: "For example 2025-07-14", value: mentor.trainedOn?.description ?? "",
                                    problems: problems)
                            )
                        }),
                    Form.submit("Save offer")
                ),
            ])
    }
}

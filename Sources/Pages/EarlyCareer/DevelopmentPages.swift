import Domain
import Foundation
import Plot

/// Early-career teachers' development: each term the ECT and their mentor rate the Early Career Framework areas;
/// the ECT sees programmes from the catalogue suggested for the areas to develop, with the reason, and asks for a
/// place; schools assign mentors; the coordinator sees the region's areas to develop against the catalogue.
public enum DevelopmentPages {
    public struct Suggestion: Sendable {
        public var programme: UUID
        public var cohort: UUID
        public var title: String
        public var provider: String
        public var reason: String
        public var startsOn: Day?
        public var format: String
        public var cost: String
        public var areas: [ECFArea]

        public init(_ s: CPDSuggestion) {
            programme = s.programme.id
            cohort = s.cohort.id
            title = s.programme.title
            provider = s.programme.provider
            reason = s.reason
            startsOn = s.cohort.startsOn
            format = s.programme.format.label
            cost =
                s.programme.costPounds == 0
                ? "Free" : "£\(s.programme.costPounds)" + (s.programme.fundedBy.map { ", funded by \($0)" } ?? "")
            areas = s.areas
        }
    }

    public struct TakenUp: Sendable {
        public var title: String
        public var programme: UUID
        public var requestedOn: Day
        public var status: String
        public var reason: String

        public init(title: String, programme: UUID, requestedOn: Day, status: String, reason: String) {
            self.title = title
            self.programme = programme
            self.requestedOn = requestedOn
            self.status = status
            self.reason = reason
        }
    }

    /// The ECT's own page.
    public struct Own: Sendable {
        public var year: AcademicYear
        public var term: Term
        /// Whether the account is linked to a register record with an early-career period open today.
        public var isECT = false
        public var linked = false
        public var mentor: String?
        public var induction: Induction?
        public var today: Day?
        public var own: DevelopmentProfile?
        public var mentors: DevelopmentProfile?
        public var suggestions: [Suggestion] = []
        public var takenUp: [TakenUp] = []
        public var form: [String: String] = [:]
        public var problems: [ValidationError.Problem] = []
        public var notice: String?

        public init(year: AcademicYear, term: Term) {
            self.year = year
            self.term = term
        }
    }

    static func ratingCell(_ p: DevelopmentProfile?, _ area: ECFArea) -> Node<HTML.TableRowContext> {
        guard let r = p?.ratings[area] else { return .td(.text("Not rated")) }
        return .td(r.toDevelop ? .strong(.text(r.label)) : .text(r.label))
    }

    /// The rating form: a fieldset of four radios for each area, and a note.
    static func profileForm(
        action: String, who: String, values: [String: String], problems: [ValidationError.Problem], csrf: String,
        submit: String
    ) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(Escape.attribute(action)), .attribute(named: "novalidate", value: "novalidate"),
            Form.csrf(csrf),
            .group(
                ECFArea.allCases.map { area in
                    Form.radios(
                        DevelopmentProfile.field(area), legend: area.label,
                        hint: "How secure \(who) in \(area.inSentence) this term",
                        options: DevelopmentRating.allCases.reversed().map { (String($0.rawValue), $0.label, nil) },
                        selected: values[DevelopmentProfile.field(area)], problems: problems)
                }),
            Form.textarea(
                "note", label: "Anything to add (optional)",
                hint: "At most \(DevelopmentProfile.noteLimit) characters", value: values["note"] ?? "",
                problems: problems),
            Form.submit(submit))
    }

    static func values(_ p: DevelopmentProfile?) -> [String: String] {
        guard let p else { return [:] }
        var out = Dictionary(
            uniqueKeysWithValues: p.ratings.map { (DevelopmentProfile.field($0.key), String($0.value.rawValue)) })
        out["note"] = p.note
        return out
    }

    public static func own(_ m: Own, chrome: Chrome) -> HTML {
        let title = "Your development and suggested CPD"
        var content: [Node<HTML.BodyContext>] = [
            Form.errorSummary(m.problems),
            .unwrap(m.notice) { Layout.notice($0) },
            .h1(.class("app-heading-xl"), .text(title)),
        ]
        guard m.isECT else {
            content.append(
                .p(
                    .text(
                        m.linked
                            ? "The teacher register has no early-career period for you today. Development profiles and suggestions are for early-career teachers in their first two years; your school can record your early-career period."
                            : "Your account is not linked to a record in the partnership's teacher register. Your school can link it; then your development profile and suggestions show here."
                    )))
            return Layout.page(
                title: title, section: .dashboard, chrome: chrome,
                breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
        }
        content.append(
            .p(
                .class("app-body-l"),
                .text(
                    "\(m.term.label) term \(m.year). Your mentor: \(m.mentor ?? "none recorded yet (your school assigns one)")."
                )))
        content.append(
            .p(
                .id("my-induction"),
                .text(
                    m.induction.map { i in
                        "Your induction: \(m.today.map { i.status(on: $0).label.lowercased() } ?? ""), \(i.termsRequired) terms from \(i.startedOn.longDescription), expected to end \(i.expectedEnd.longDescription), with \(i.appropriateBodyName) as appropriate body; your induction tutor is \(i.tutor)."
                    } ?? "Your school has not recorded your induction in Chalkface yet.")))
        content.append(.h2(.class("app-heading-m"), .text("Suggested for your areas to develop")))
        if m.suggestions.isEmpty {
            content.append(
                .p(
                    .text(
                        m.own == nil && m.mentors == nil
                            ? "Rate your development below, or ask your mentor to: suggestions come from the areas either of you rates as an area to develop or developing."
                            : "Nothing in the catalogue matches your areas to develop now (programmes for early-career teachers in your phase and subject, within 30 km or online, with a place on a cohort still to start). The coordinator sees which areas the catalogue lacks."
                    )))
        } else {
            content.append(
                .p(
                    .text(
                        "Ranked by how many of your areas to develop each develops (an area both you and your mentor rate counts most), then by distance. Asking for a place sends the request to the provider, who accepts or declines it."
                    )))
            for (i, s) in m.suggestions.enumerated() {
                content.append(
                    .div(
                        .class("app-summary-card"), .id("suggestion-\(i + 1)"),
                        .h3(
                            .class("app-heading-s"),
                            .a(.href("/cpd/\(s.programme.uuidString.lowercased())"), .text(s.title))),
                        .p(
                            .text("\(s.provider). \(s.format); \(s.cost). Starts \(s.startsOn?.longDescription ?? "").")
                        ),
                        .p(.class("app-inset"), .text(s.reason)),
                        .form(
                            .method(.post), .action("/ects/development/take-up"), Form.csrf(chrome.csrfToken),
                            .input(.type(.hidden), .name("programme"), .value(s.programme.uuidString)),
                            .input(.type(.hidden), .name("cohort"), .value(s.cohort.uuidString)),
                            .button(
                                .class("app-button app-button--secondary"), .type(.submit),
                                .text("Ask for a place"),
                                .span(.class("app-visually-hidden"), .text(" on \(s.title)"))))))
            }
        }
        if !m.takenUp.isEmpty {
            content.append(
                .table(
                    .class("app-table"),
                    .caption(.class("app-table__caption"), .text("Suggestions you took up")),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("Programme")),
                            .th(.attribute(named: "scope", value: "col"), .text("Asked on")),
                            .th(.attribute(named: "scope", value: "col"), .text("Status")),
                            .th(.attribute(named: "scope", value: "col"), .text("Suggested")))),
                    .tbody(
                        .forEach(m.takenUp) { t in
                            .tr(
                                .td(.a(.href("/cpd/\(t.programme.uuidString.lowercased())"), .text(t.title))),
                                .td(.text(t.requestedOn.longDescription)), .td(.text(t.status)), .td(.text(t.reason)))
                        })))
            content.append(.p(.a(.href("/cpd/enrolments"), .text("All your CPD enrolments"))))
        }
        content.append(
            .table(
                .class("app-table"),
                .caption(.class("app-table__caption"), .text("Your development profile this term")),
                .thead(
                    .tr(
                        .th(.attribute(named: "scope", value: "col"), .text("Area of the Early Career Framework")),
                        .th(.attribute(named: "scope", value: "col"), .text("You")),
                        .th(.attribute(named: "scope", value: "col"), .text("Your mentor")))),
                .tbody(
                    .forEach(ECFArea.allCases) { area in
                        .tr(
                            .th(.attribute(named: "scope", value: "row"), .text(area.label)), ratingCell(m.own, area),
                            ratingCell(m.mentors, area))
                    })))
        if let note = m.mentors?.note, !note.isEmpty {
            content.append(.p(.strong(.text("Your mentor's note: ")), .text(note)))
        }
        content.append(
            .h2(.class("app-heading-m"), .text(m.own == nil ? "Rate your development" : "Change your ratings")))
        content.append(
            profileForm(
                action: "/ects/development", who: "you are", values: m.form.isEmpty ? values(m.own) : m.form,
                problems: m.problems, csrf: chrome.csrfToken, submit: "Save your profile"))
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }

    // MARK: Mentors

    public struct Mentee: Sendable {
        public var teacher: UUID
        public var name: String
        public var school: String
        public var since: Day
        public var rated: Bool
        public var selfRated: Bool

        public init(teacher: UUID, name: String, school: String, since: Day, rated: Bool, selfRated: Bool) {
            self.teacher = teacher
            self.name = name
            self.school = school
            self.since = since
            self.rated = rated
            self.selfRated = selfRated
        }
    }

    public static func mentees(
        _ mentees: [Mentee], linked: Bool, year: AcademicYear, term: Term, chrome: Chrome
    ) -> HTML {
        let title = "Early-career teachers you mentor"
        var content: [Node<HTML.BodyContext>] = [.h1(.class("app-heading-xl"), .text(title))]
        if !linked {
            content.append(
                .p(
                    .text(
                        "Your account is not linked to a record in the partnership's teacher register. Your school can link it; the early-career teachers it assigns you then show here."
                    )))
        } else if mentees.isEmpty {
            content.append(
                .p(.text("No early-career teacher has you as their mentor today. Schools assign ECTs' mentors.")))
        } else {
            content.append(
                .p(
                    .text(
                        "Each term, rate each early-career teacher's development in the eight areas of the Early Career Framework. Your ratings and theirs decide the CPD Chalkface suggests to them."
                    )))
            content.append(
                .table(
                    .class("app-table"),
                    .caption(.class("app-table__caption"), .text("\(term.label) term \(year)")),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("Name")),
                            .th(.attribute(named: "scope", value: "col"), .text("School")),
                            .th(.attribute(named: "scope", value: "col"), .text("Mentoring since")),
                            .th(.attribute(named: "scope", value: "col"), .text("Their own profile")),
                            .th(.attribute(named: "scope", value: "col"), .text("Your profile")))),
                    .tbody(
                        .forEach(mentees) { e in
                            .tr(
                                .td(.text(e.name)), .td(.text(e.school)), .td(.text(e.since.longDescription)),
                                .td(.text(e.selfRated ? "Recorded" : "Not yet")),
                                .td(
                                    .a(
                                        .href("/ects/mentees/\(e.teacher.uuidString.lowercased())"),
                                        .text(e.rated ? "Change" : "Rate"),
                                        .span(.class("app-visually-hidden"), .text(" \(e.name)'s development")))))
                        })))
        }
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }

    public struct Rate: Sendable {
        public var teacher: UUID
        public var name: String
        public var year: AcademicYear
        public var term: Term
        public var own: DevelopmentProfile?
        public var mine: DevelopmentProfile?
        public var form: [String: String] = [:]
        public var problems: [ValidationError.Problem] = []
        public var notice: String?

        public init(teacher: UUID, name: String, year: AcademicYear, term: Term) {
            self.teacher = teacher
            self.name = name
            self.year = year
            self.term = term
        }
    }

    public static func rate(_ m: Rate, chrome: Chrome) -> HTML {
        let title = "\(m.name)'s development"
        let content: [Node<HTML.BodyContext>] = [
            Form.errorSummary(m.problems),
            .unwrap(m.notice) { Layout.notice($0) },
            .h1(.class("app-heading-xl"), .text(title)),
            .p(.class("app-body-l"), .text("\(m.term.label) term \(m.year), as their mentor.")),
            .table(
                .class("app-table"),
                .caption(.class("app-table__caption"), .text("This term's profiles")),
                .thead(
                    .tr(
                        .th(.attribute(named: "scope", value: "col"), .text("Area")),
                        .th(.attribute(named: "scope", value: "col"), .text("\(m.name)'s own rating")),
                        .th(.attribute(named: "scope", value: "col"), .text("Your rating")))),
                .tbody(
                    .forEach(ECFArea.allCases) { area in
                        .tr(
                            .th(.attribute(named: "scope", value: "row"), .text(area.label)), ratingCell(m.own, area),
                            ratingCell(m.mine, area))
                    })),
            .h2(.class("app-heading-m"), .text(m.mine == nil ? "Rate \(m.name)'s development" : "Change your ratings")),
            profileForm(
                action: "/ects/mentees/\(m.teacher.uuidString.lowercased())", who: "\(m.name) is",
                values: m.form.isEmpty ? values(m.mine) : m.form, problems: m.problems, csrf: chrome.csrfToken,
                submit: "Save the profile"),
        ]
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard), .init("Mentees", "/ects/mentees")],
            content: content)
    }

    // MARK: Schools

    public struct SchoolECT: Sendable {
        public var teacher: UUID
        public var name: String
        public var startedOn: Day
        public var mentor: String?
        public var mentorSince: Day?
        public var ownProfile: Bool
        public var mentorProfile: Bool
        public var induction: Induction?
        public var status: Induction.Status?

        public init(
            teacher: UUID, name: String, startedOn: Day, mentor: String?, mentorSince: Day?, ownProfile: Bool,
            mentorProfile: Bool
        ) {
            self.teacher = teacher
            self.name = name
            self.startedOn = startedOn
            self.mentor = mentor
            self.mentorSince = mentorSince
            self.ownProfile = ownProfile
            self.mentorProfile = mentorProfile
        }
    }

    public struct SchoolModel: Sendable {
        public var school: String
        public var urn: Int
        public var year: AcademicYear
        public var term: Term
        public var ects: [SchoolECT] = []
        /// Staff who can mentor: the school's teachers in the register other than its ECTs.
        public var staff: [(id: UUID, name: String)] = []
        /// Other ECTs who left the school within two years of starting, in the last three years.
        public var earlyLeavers = 0
        public var problems: [ValidationError.Problem] = []
        public var notice: String?

        public init(school: String, urn: Int, year: AcademicYear, term: Term) {
            self.school = school
            self.urn = urn
            self.year = year
            self.term = term
        }
    }

    public static func school(_ m: SchoolModel, chrome: Chrome) -> HTML {
        let title = "Early-career teachers at \(m.school)"
        var content: [Node<HTML.BodyContext>] = [
            Form.errorSummary(m.problems),
            .unwrap(m.notice) { Layout.notice($0) },
            .h1(.class("app-heading-xl"), .text(title)),
        ]
        let without = m.ects.filter { $0.mentor == nil }.count
        content.append(
            .p(
                .class("app-body-l"),
                .text(
                    "\(m.ects.count) early-career teacher\(m.ects.count == 1 ? "" : "s") in the register today"
                        + (without > 0 ? "; \(without) without a mentor." : ", each with a mentor."))))
        let flags: [(String, Int)] = [
            ("No induction recorded", m.ects.filter { $0.induction == nil }.count),
            ("Due to finish within 90 days", m.ects.filter { $0.status == .dueToFinish }.count),
            ("Overdue: past the expected end with no outcome", m.ects.filter { $0.status == .overdue }.count),
            ("Without a mentor", without),
            ("Other ECTs who left within two years of starting, in the last three years", m.earlyLeavers),
        ]
        content.append(
            .div(
                .id("induction-flags"),
                Layout.summaryList(flags.map { ($0.0, .text($0.1.formatted)) })))
        if m.ects.isEmpty {
            content.append(
                .p(
                    .text(
                        "Record an early-career period for a teacher in the school's staff list, and they show here."),
                    .text(" "), .a(.href("/schools/\(m.urn)/staff"), .text("The staff list"))))
        }
        for e in m.ects {
            let id = "mentor-\(e.teacher.uuidString.lowercased())"
            content.append(
                .div(
                    .class("app-summary-card"), .id("ect-\(e.teacher.uuidString.lowercased())"),
                    .h2(.class("app-heading-s"), .text(e.name)),
                    Layout.summaryList([
                        ("Early-career period from", .text(e.startedOn.longDescription)),
                        (
                            "Mentor",
                            e.mentor.map { .text("\($0), since \(e.mentorSince?.longDescription ?? "")") }
                                ?? .strong(.text("No mentor"))
                        ),
                        (
                            "Induction",
                            e.induction.map { i in
                                .text(
                                    "\(e.status?.label ?? ""): \(i.termsRequired) terms from \(i.startedOn.longDescription), expected to end \(i.expectedEnd.longDescription); \(i.appropriateBodyName) (\(i.appropriateBody.label.lowercased())), \(i.route.label.lowercased()), tutor \(i.tutor)"
                                )
                            } ?? .strong(.text("Not recorded"))
                        ),
                        (
                            "\(m.term.label) term profile",
                            .text(
                                [
                                    e.ownProfile ? "rated by the ECT" : nil,
                                    e.mentorProfile ? "rated by the mentor" : nil,
                                ]
                                .compactMap { $0 }.joined(separator: " and ").nonEmpty ?? "Not yet rated")
                        ),
                    ]),
                    .p(
                        .a(
                            .href("/schools/\(m.urn)/ects/\(e.teacher.uuidString.lowercased())/induction"),
                            .text(e.induction == nil ? "Record induction" : "Induction: details and outcome"),
                            .span(.class("app-visually-hidden"), .text(" for \(e.name)")))),
                    .form(
                        .method(.post), .action("/ects/school/\(m.urn)/mentor"), Form.csrf(chrome.csrfToken),
                        .input(.type(.hidden), .name("teacher"), .value(e.teacher.uuidString)),
                        Form.select(
                            id, label: e.mentor == nil ? "Assign a mentor" : "Change the mentor",
                            hint: "A change starts a new mentorship today; the earlier one is kept, ended.",
                            options: [("", "Choose a colleague")] + m.staff.map { ($0.id.uuidString, $0.name) },
                            selected: nil, problems: m.problems),
                        Form.submit(e.mentor == nil ? "Assign the mentor" : "Change the mentor", secondary: true))))
        }
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }

    public struct InductionModel: Sendable {
        public var urn: Int
        public var school: String
        public var teacher: UUID
        public var name: String
        public var periodStart: Day
        public var fte: Double
        public var induction: Induction?
        public var today: Day
        public var form: [String: String] = [:]
        public var problems: [ValidationError.Problem] = []
        public var notice: String?

        public init(
            urn: Int, school: String, teacher: UUID, name: String, periodStart: Day, fte: Double, induction: Induction?,
            today: Day
        ) {
            self.urn = urn
            self.school = school
            self.teacher = teacher
            self.name = name
            self.periodStart = periodStart
            self.fte = fte
            self.induction = induction
            self.today = today
        }
    }

    public static func induction(_ m: InductionModel, chrome: Chrome) -> HTML {
        let title = "\(m.name)'s induction"
        let path = "/schools/\(m.urn)/ects/\(m.teacher.uuidString.lowercased())/induction"
        var content: [Node<HTML.BodyContext>] = [
            Form.errorSummary(m.problems),
            .unwrap(m.notice) { Layout.notice($0) },
            .h1(.class("app-heading-xl"), .text(title)),
        ]
        if let i = m.induction {
            content.append(
                .div(
                    .id("induction"),
                    Layout.summaryList([
                        ("Status", .text(i.status(on: m.today).label)),
                        (
                            "Appropriate body",
                            .text("\(i.appropriateBodyName) (\(i.appropriateBody.label.lowercased()))")
                        ),
                        ("Training", .text(i.route.label)), ("Induction tutor", .text(i.tutor)),
                        ("Started", .text(i.startedOn.longDescription)),
                        (
                            "Length",
                            .text(
                                "\(i.termsRequired) terms"
                                    + (i.fte < 1
                                        ? " (part time at \(i.fte.formatted()) FTE: six terms in proportion)" : "")
                                    + (i.extensionTerms > 0 ? ", including an extension of \(i.extensionTerms)" : ""))
                        ),
                        ("Expected to end", .text(i.expectedEnd.longDescription)),
                        (
                            "Outcome",
                            .text(
                                i.outcome.map { "\($0.label), \(i.outcomeOn?.longDescription ?? "")" } ?? "None yet")
                        ),
                    ])))
            if i.outcome == nil || i.outcome == .extended {
                content.append(
                    .form(
                        .method(.post), .action("\(path)/outcome"), .id("outcome-form"),
                        .attribute(named: "novalidate", value: "novalidate"), Form.csrf(chrome.csrfToken),
                        .h2(.class("app-heading-m"), .text("Record the appropriate body's decision")),
                        Form.radios(
                            "outcome", legend: "Outcome",
                            options: InductionOutcome.allCases.map { ($0.rawValue, $0.label, nil) },
                            selected: m.form["outcome"], problems: m.problems),
                        Form.input(
                            "extension_terms", label: "Extension, in terms (when extended)",
                            hint: "A whole number from 1 to 6", value: m.form["extension_terms"] ?? "", kind: .number,
                            problems: m.problems),
                        Form.submit("Record the outcome")))
            }
        }
        if m.induction?.outcome == nil {
            let f = m.form.isEmpty ? values(m.induction, start: m.periodStart) : m.form
            content.append(
                .form(
                    .method(.post), .action(path), .id("induction-form"),
                    .attribute(named: "novalidate", value: "novalidate"), Form.csrf(chrome.csrfToken),
                    .h2(.class("app-heading-m"), .text(m.induction == nil ? "Record induction" : "Change the details")),
                    .p(
                        .text(
                            "Induction lasts six terms full time; part time (\(m.fte.formatted()) FTE in the register) it lasts longer in proportion, rounded up to a whole term."
                        )),
                    Form.radios(
                        "appropriate_body_kind", legend: "Appropriate body",
                        options: AppropriateBodyKind.allCases.map { ($0.rawValue, $0.label, nil) },
                        selected: f["appropriate_body_kind"], problems: m.problems),
                    Form.input(
                        "appropriate_body", label: "Appropriate body's name", value: f["appropriate_body"] ?? "",
                        problems: m.problems),
                    Form.radios(
                        "route", legend: "Induction training",
                        options: InductionRoute.allCases.map { ($0.rawValue, $0.label, nil) }, selected: f["route"],
                        problems: m.problems),
                    Form.input("tutor", label: "Induction tutor", value: f["tutor"] ?? "", problems: m.problems),
                    Form.input(
                        "started_on", label: "Induction started", hint: "For example, 2026-09-01",
                        value: f["started_on"] ?? "", problems: m.problems),
                    Form.submit(m.induction == nil ? "Record induction" : "Save the details")))
        }
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [
                .init("Dashboard", SitePath.dashboard), .init("Early-career teachers", "/schools/\(m.urn)/ects"),
            ], content: content)
    }

    static func values(_ i: Induction?, start: Day) -> [String: String] {
        guard let i else { return ["started_on": start.description] }
        return [
            "appropriate_body_kind": i.appropriateBody.rawValue, "appropriate_body": i.appropriateBodyName,
            "route": i.route.rawValue, "tutor": i.tutor, "started_on": i.startedOn.description,
        ]
    }

    /// The coordinator's view of induction across the partnership, by school.
    public struct InductionRow: Sendable {
        public var urn: Int
        public var school: String
        public var ects: Int
        public var unrecorded: Int
        public var dueToFinish: Int
        public var overdue: Int
        public var withoutMentor: Int
        public var earlyLeavers: Int

        public init(
            urn: Int, school: String, ects: Int, unrecorded: Int, dueToFinish: Int, overdue: Int, withoutMentor: Int,
            earlyLeavers: Int
        ) {
            self.urn = urn
            self.school = school
            self.ects = ects
            self.unrecorded = unrecorded
            self.dueToFinish = dueToFinish
            self.overdue = overdue
            self.withoutMentor = withoutMentor
            self.earlyLeavers = earlyLeavers
        }

        public var needsAttention: Bool { unrecorded + dueToFinish + overdue + withoutMentor + earlyLeavers > 0 }
    }

    public static func inductionOverview(_ rows: [InductionRow], today: Day, chrome: Chrome) -> HTML {
        let title = "Early-career teachers' induction"
        let total = rows.reduce(0) { $0 + $1.ects }
        func sum(_ k: KeyPath<InductionRow, Int>) -> Int { rows.reduce(0) { $0 + $1[keyPath: k] } }
        let shown = rows.filter(\.needsAttention).sorted {
            ($1.overdue, $1.withoutMentor, $1.dueToFinish, $0.school) < (
                $0.overdue, $0.withoutMentor, $0.dueToFinish, $1.school
            )
        }
        let content: [Node<HTML.BodyContext>] = [
            .h1(.class("app-heading-xl"), .text(title)),
            .p(
                .class("app-body-l"),
                .text(
                    "\(total.formatted) early-career teachers at \(rows.count.formatted) schools today: \(sum(\.unrecorded).formatted) with no induction recorded, \(sum(\.dueToFinish).formatted) due to finish within 90 days, \(sum(\.overdue).formatted) overdue, \(sum(\.withoutMentor).formatted) without a mentor."
                )),
            .p(
                .text(
                    "Schools record their ECTs' induction and mentors; this is each school's count, not individual records. \"Left early\" counts other ECTs who left the school (not by a move within the partnership) within two years of starting, in the last three years."
                )),
            .table(
                .class("app-table"), .id("induction-schools"),
                .caption(.class("app-table__caption"), .text("Schools with something to follow up (\(shown.count))")),
                .thead(
                    .tr(
                        .th(.attribute(named: "scope", value: "col"), .text("School")),
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                            .text("ECTs")),
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                            .text("No induction recorded")),
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                            .text("Due to finish")),
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                            .text("Overdue")),
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                            .text("Without a mentor")),
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                            .text("Others left early")))),
                .tbody(
                    .forEach(shown.prefix(500)) { r in
                        .tr(
                            .td(.a(.href("/schools/\(r.urn)"), .text(r.school))),
                            .td(.class("app-table__cell--numeric"), .text(r.ects.formatted)),
                            .td(.class("app-table__cell--numeric"), .text(r.unrecorded.formatted)),
                            .td(.class("app-table__cell--numeric"), .text(r.dueToFinish.formatted)),
                            .td(.class("app-table__cell--numeric"), .text(r.overdue.formatted)),
                            .td(.class("app-table__cell--numeric"), .text(r.withoutMentor.formatted)),
                            .td(.class("app-table__cell--numeric"), .text(r.earlyLeavers.formatted)))
                    })),
        ]
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }

    // MARK: Career planning

    public struct CareerNPQ: Sendable {
        public var programme: UUID
        public var title: String
        public var funding: String
        public var reason: String

        public init(programme: UUID, title: String, funding: String, reason: String) {
            self.programme = programme
            self.title = title
            self.funding = funding
            self.reason = reason
        }
    }

    public struct Adviser: Sendable {
        public var name: String
        public var role: String
        public var school: String
        public var offer: String

        public init(name: String, role: String, school: String, offer: String) {
            self.name = name
            self.role = role
            self.school = school
            self.offer = offer
        }
    }

    public struct Career: Sendable {
        public var linked = false
        public var aspiration: CareerAspiration?
        public var conversations: [CareerConversation] = []
        public var npqs: [CareerNPQ] = []
        public var basis = ""
        public var paths: [CareerPaths.Row] = []
        public var advisers: [Adviser] = []
        public var canOffer = false
        public var myOffer: String?
        public var form: [String: String] = [:]
        public var problems: [ValidationError.Problem] = []
        public var notice: String?

        public init() {}
    }

    static func share(_ n: Int, of total: Int) -> String {
        total >= CareerPaths.smallest
            ? "\(Int((Double(n) / Double(total) * 100).rounded()))% (\(n.formatted) of \(total.formatted))"
            : "Not shown"
    }

    public static func career(_ m: Career, chrome: Chrome) -> HTML {
        let title = "Career planning"
        var content: [Node<HTML.BodyContext>] = [
            Form.errorSummary(m.problems),
            .unwrap(m.notice) { Layout.notice($0) },
            .h1(.class("app-heading-xl"), .text(title)),
        ]
        guard m.linked else {
            content.append(
                .p(
                    .text(
                        "Your account is not linked to a record in the partnership's teacher register. Your school can link it; then you can record career conversations and see where peers went."
                    )))
            return Layout.page(
                title: title, section: .dashboard, chrome: chrome,
                breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
        }
        if let latest = m.conversations.first {
            content.append(
                .div(
                    .class("app-inset"), .id("latest-conversation"),
                    .p(
                        .strong(.text("Your plan: ")),
                        .text(
                            "\(latest.aspiration.label), \(latest.timescale.label.lowercased()). Next step: \(latest.nextStep) (\(latest.on.longDescription)\(latest.with.isEmpty ? "" : ", with \(latest.with)"))."
                        ))))
        }
        if let a = m.aspiration, a != .undecided {
            content.append(.h2(.class("app-heading-m"), .text("NPQs that fit: \(a.label.lowercased())")))
            if m.npqs.isEmpty {
                content.append(.p(.text("The catalogue has none of the NPQs for this step.")))
            } else {
                content.append(
                    .table(
                        .class("app-table"), .id("career-npqs"),
                        .caption(
                            .class("app-visually-hidden"), .text("NPQs and whether DfE funds them at your school")),
                        .thead(
                            .tr(
                                .th(.attribute(named: "scope", value: "col"), .text("NPQ")),
                                .th(.attribute(named: "scope", value: "col"), .text("Funded at your school?")))),
                        .tbody(
                            .forEach(m.npqs) { n in
                                .tr(
                                    .td(.a(.href("/cpd/\(n.programme.uuidString.lowercased())"), .text(n.title))),
                                    .td(.strong(.text(n.funding)), .text(": \(n.reason)")))
                            })))
            }
        }
        content.append(.h2(.class("app-heading-m"), .text("Where peers in the partnership went")))
        content.append(
            .p(
                .text(
                    "From the teacher register: \(m.basis) who started in the partnership's schools, by years after they started. Figures resting on fewer than \(CareerPaths.smallest) people are not shown. Leadership and mentoring count only where schools record those roles."
                )))
        content.append(
            .table(
                .class("app-table"), .id("career-paths"),
                .caption(.class("app-visually-hidden"), .text("Where peers were after one, three and five years")),
                .thead(
                    .tr(
                        .th(.attribute(named: "scope", value: "col"), .text("After")),
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                            .text("People")),
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                            .text("Still teaching here")),
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                            .text("Leading")),
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                            .text("Mentoring")),
                        .th(
                            .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                            .text("At another school")))),
                .tbody(
                    .forEach(m.paths) { r in
                        .tr(
                            .th(
                                .attribute(named: "scope", value: "row"),
                                .text("\(r.years) year\(r.years == 1 ? "" : "s")")),
                            .td(
                                .class("app-table__cell--numeric"),
                                .text(r.shown ? r.people.formatted : "Fewer than \(CareerPaths.smallest)")),
                            .td(.class("app-table__cell--numeric"), .text(share(r.teaching, of: r.people))),
                            .td(.class("app-table__cell--numeric"), .text(share(r.leading, of: r.people))),
                            .td(.class("app-table__cell--numeric"), .text(share(r.mentoring, of: r.people))),
                            .td(.class("app-table__cell--numeric"), .text(share(r.movedSchool, of: r.people))))
                    })))
        content.append(.h2(.class("app-heading-m"), .text("Mentors and leaders who offer career conversations")))
        if m.advisers.isEmpty {
            content.append(.p(.text("No one has offered yet.")))
        } else {
            content.append(
                .ul(
                    .class("app-list"), .id("career-advisers"),
                    .forEach(m.advisers) { a in
                        .li(.strong(.text(a.name)), .text(", \(a.role) at \(a.school): \(a.offer)"))
                    }))
        }
        content.append(
            .form(
                .method(.post), .action("/ects/career"), .id("conversation-form"),
                .attribute(named: "novalidate", value: "novalidate"), Form.csrf(chrome.csrfToken),
                .h2(.class("app-heading-m"), .text("Record a career conversation")),
                Form.radios(
                    "aspiration", legend: "Where do you want to go next?",
                    options: CareerAspiration.allCases.map { ($0.rawValue, $0.label, nil) },
                    selected: m.form["aspiration"] ?? m.aspiration?.rawValue, problems: m.problems),
                Form.radios(
                    "timescale", legend: "When?",
                    options: CareerTimescale.allCases.map { ($0.rawValue, $0.label, nil) },
                    selected: m.form["timescale"], problems: m.problems),
                Form.textarea(
                    "next_step", label: "The next step you agreed",
                    hint: "At most \(CareerConversation.textLimit) characters",
                    value: m.form["next_step"] ?? "", problems: m.problems),
                Form.input(
                    "with", label: "Who the conversation was with (optional)", value: m.form["with"] ?? "",
                    problems: m.problems),
                Form.submit("Save the conversation")))
        if m.canOffer {
            content.append(
                .form(
                    .method(.post), .action("/ects/career/offer"), .id("offer-form"),
                    .attribute(named: "novalidate", value: "novalidate"), Form.csrf(chrome.csrfToken),
                    .h2(.class("app-heading-m"), .text("Offer career conversations")),
                    .p(
                        .text(
                            "As a mentor or leader you can offer early-career teachers a career conversation: your name, role and school and what you write here are shown to teachers in the partnership. Leave it empty to stop offering."
                        )),
                    Form.input(
                        "offer", label: "What you offer",
                        hint: "For example: subject leadership in science; at most 200 characters",
                        value: m.form["offer"] ?? m.myOffer ?? "", problems: m.problems),
                    Form.submit(m.myOffer == nil ? "Offer conversations" : "Save", secondary: true)))
        }
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }

    // MARK: Coordinators

    public struct Areas: Sendable {
        public var year: AcademicYear
        public var term: Term
        public var ects: Int
        public var rows: [DevelopmentDemand.Row]
        /// Requests made from suggestions this academic year, and how many the providers accepted or completed.
        public var takenUp: Int
        public var accepted: Int

        public init(
            year: AcademicYear, term: Term, ects: Int, rows: [DevelopmentDemand.Row], takenUp: Int, accepted: Int
        ) {
            self.year = year
            self.term = term
            self.ects = ects
            self.rows = rows
            self.takenUp = takenUp
            self.accepted = accepted
        }
    }

    /// Counts of people under this are not shown.
    public static let smallest = 10

    static func people(_ n: Int) -> String { n == 0 ? "0" : n < smallest ? "Fewer than \(smallest)" : n.formatted }

    public static func areas(_ m: Areas, chrome: Chrome) -> HTML {
        let title = "Early-career development areas and the catalogue"
        let profiled = m.rows.first?.profiled ?? 0
        var content: [Node<HTML.BodyContext>] = [
            .h1(.class("app-heading-xl"), .text(title)),
            .p(
                .class("app-body-l"),
                .text(
                    "\(m.term.label) term \(m.year): \(people(profiled)) of \(m.ects.formatted) early-career teachers in the register have a development profile (their own or their mentor's)."
                )),
            .p(
                .text(
                    "An area counts for a teacher when they or their mentor rate it an area to develop or developing. Supply is the catalogue's programmes that develop the area with a cohort still to start that has a place left, and those places. Counts of fewer than \(smallest) teachers, and shares resting on them, are not shown."
                )),
        ]
        if profiled > 0 {
            content.append(
                .table(
                    .class("app-table"), .id("areas"),
                    .caption(.class("app-table__caption"), .text("Areas to develop against supply")),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("Area")),
                            .th(
                                .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                                .text("ECTs with it to develop")),
                            .th(
                                .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                                .text("Share of profiled ECTs")),
                            .th(
                                .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                                .text("Programmes")),
                            .th(
                                .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                                .text("Places left")),
                            .th(
                                .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                                .text("Places per ECT")),
                            .th(
                                .attribute(named: "scope", value: "col"), .class("app-table__header--numeric"),
                                .text("Asked for from a suggestion")))),
                    .tbody(
                        .forEach(m.rows.sorted { ($1.ects, $0.area) < ($0.ects, $1.area) }) { r in
                            let shown = r.ects >= smallest && r.profiled >= smallest
                            return .tr(
                                .th(.attribute(named: "scope", value: "row"), .text(r.area.label)),
                                .td(.class("app-table__cell--numeric"), .text(people(r.ects))),
                                .td(
                                    .class("app-table__cell--numeric"),
                                    .text(
                                        shown
                                            ? "\(Int((Double(r.ects) / Double(r.profiled) * 100).rounded()))% (\(r.ects) of \(r.profiled))"
                                            : "Not shown")),
                                .td(.class("app-table__cell--numeric"), .text(r.programmes.formatted)),
                                .td(.class("app-table__cell--numeric"), .text(r.places.formatted)),
                                .td(
                                    .class("app-table__cell--numeric"),
                                    .text(
                                        r.ects >= smallest
                                            ? String(format: "%.1f", Double(r.places) / Double(r.ects))
                                            : "Not shown")),
                                .td(.class("app-table__cell--numeric"), .text(r.takenUp.formatted)))
                        })))
            let short = m.rows.filter { $0.ects >= smallest && $0.places < $0.ects }.map(\.area.label)
            if !short.isEmpty {
                content.append(
                    .p(
                        .strong(.text("Fewer places than teachers who need them: ")),
                        .text(short.joined(separator: ", ") + ".")))
            }
        }
        content.append(
            .p(
                .text(
                    "This academic year early-career teachers asked for \(m.takenUp.formatted) place\(m.takenUp == 1 ? "" : "s") from a suggestion; providers have accepted or completed \(m.accepted.formatted)."
                )))
        content.append(
            .p(
                .a(.id("areas-csv"), .href("/ects/development/areas.csv"), .text("Download the table (CSV)")),
                .text(" · "), .a(.href("/cpd/new"), .text("Add a programme to the catalogue"))))
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}

import Domain
import Foundation
import Plot

/// One teacher's record and timeline; a school's staff from the register.
public enum TeacherPages {
    static func periodRows(_ periods: [ServicePeriod], schoolNames: [Int: String]) -> Node<HTML.BodyContext> {
        .table(
            .class("app-table"), .id("periods"),
            .caption(.text("Periods at schools")),
            .thead(
                .tr(
                    .th(.text("School")), .th(.text("Role")), .th(.text("Pattern")),
                    .th(.class("app-numeric"), .text("FTE")), .th(.text("Started")), .th(.text("Finished")),
                    .th(.text("Why it ended")))),
            .tbody(
                .forEach(periods) { p in
                    .tr(
                        .td(.text(schoolNames[p.urn].map { "\($0) (\(p.urn))" } ?? "URN \(p.urn)")),
                        .td(.text(p.role.label)), .td(.text(p.workingPattern.label)),
                        .td(.class("app-numeric"), .text(String(format: "%.2f", p.fte))),
                        .td(.text(p.startedOn.longDescription)),
                        .td(.text(p.finishedOn?.longDescription ?? "In post")),
                        .td(.text(p.endReason?.label ?? "")))
                }))
    }

    public struct LinkedAccount: Sendable {
        public var id: PersonID
        public var name: String
        public var linkedOn: Day
        public var linkedBy: String
        public init(id: PersonID, name: String, linkedOn: Day, linkedBy: String) {
            self.id = id
            self.name = name
            self.linkedOn = linkedOn
            self.linkedBy = linkedBy
        }
    }

    public struct LinkedTrainee: Sendable {
        public var label: String
        /// The trainee's register page, when the viewer may open the provider's trainees.
        public var href: String?
        public init(label: String, href: String?) {
            self.label = label
            self.href = href
        }
    }

    /// The records that are the same person as the teacher, and what the viewer may do with them.
    public struct Links: Sendable {
        public var accounts: [LinkedAccount]
        public var trainees: [LinkedTrainee]
        /// The viewer is the teacher.
        public var own: Bool
        public var canLink: Bool
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?
        public init(
            accounts: [LinkedAccount] = [], trainees: [LinkedTrainee] = [], own: Bool = false, canLink: Bool = false,
            form: [String: String] = [:], problems: [ValidationError.Problem] = [], notice: String? = nil
        ) {
            self.accounts = accounts
            self.trainees = trainees
            self.own = own
            self.canLink = canLink
            self.form = form
            self.problems = problems
            self.notice = notice
        }
    }

    static func linksSection(_ t: TeacherRecord, _ l: Links, chrome: Chrome) -> Node<HTML.BodyContext> {
        let base = "/teachers/\(t.id.uuidString.lowercased())"
        return .div(
            .id("links"),
            .h2(.text("Linked records")),
            .p(
                .text(
                    "The same person elsewhere in Chalkface: their account (so they can see this record) and their trainee records. Linked, not copied."
                )),
            .if(
                l.accounts.isEmpty && l.trainees.isEmpty,
                .p(.id("no-links"), .text("Nothing is linked to this record yet."))),
            .if(
                !l.accounts.isEmpty,
                .ul(
                    .class("app-list"), .id("linked-accounts"),
                    .forEach(l.accounts) { a in
                        .li(
                            .text(
                                "Account: \(a.name), linked on \(a.linkedOn.longDescription) by \(a.linkedBy)"),
                            .if(
                                l.canLink,
                                .group(
                                    .text(" "),
                                    Form.button(
                                        "Unlink", action: "\(base)/accounts/\(a.id)/remove", csrf: chrome.csrfToken))))
                    })),
            .if(
                !l.trainees.isEmpty,
                .ul(
                    .class("app-list"), .id("linked-trainees"),
                    .forEach(l.trainees) { tr in
                        .li(.unwrap(tr.href, { .a(.href($0), .text(tr.label)) }, else: .text(tr.label)))
                    })),
            .if(
                l.canLink,
                .group(
                    .h3(.text("Link a teacher's account")),
                    Form.errorSummary(l.problems),
                    .form(
                        .method(.post), .action("\(base)/accounts"),
                        .attribute(named: "novalidate", value: "novalidate"),
                        Form.csrf(chrome.csrfToken),
                        Form.input(
                            "email", label: "Their email address",
                            hint:
                                "The address they sign in with. They must have a teacher or mentor role at your school.",
                            value: l.form["email"] ?? "", kind: .email, problems: l.problems),
                        Form.submit("Link account", secondary: true))))
        )
    }

    public static func teacher(
        _ t: TeacherRecord, events: [TeacherEvent], generated: Bool, schoolNames: [Int: String],
        links: Links = Links(), chrome: Chrome
    ) -> HTML {
        Layout.page(
            title: links.problems.isEmpty ? t.name : "Error: \(t.name)",
            section: links.own ? .dashboard : .retention, chrome: chrome,
            breadcrumbs: links.own ? [.init("Your dashboard", "/dashboard")] : [.init("Retention", "/retention")],
            content: [
                .span(
                    .class("app-caption-l"),
                    .text(links.own ? "Your record in the teacher register" : "Teacher register")),
                .h1(.text(t.name)),
                .unwrap(links.notice) { Layout.notice($0) },
                .if(
                    links.own,
                    .p(
                        .text(
                            "Your schools keep this record. If something is wrong, ask your school to correct it: each change is recorded here with who made it."
                        ))),
                .if(
                    generated,
                    .div(.class("app-inset"), .text("This record is generated demo data, not a real teacher."))),
                Layout.summaryList([
                    ("TRN", .text(t.trn?.value ?? "None yet")),
                    ("Born", .text(t.birthYear.map(String.init) ?? "Not recorded")),
                    ("QTS", .text(t.qtsOn?.longDescription ?? "Not recorded")),
                    ("Trained by", .text(t.ittProvider ?? "Not recorded")),
                    (
                        "Route",
                        .text(t.route.flatMap { TrainingRoute(rawValue: $0)?.label } ?? t.route ?? "Not recorded")
                    ),
                    (
                        "Specialist in",
                        .text(
                            t.specialisms.isEmpty ? "None recorded" : t.specialisms.map(\.label).joined(separator: ", ")
                        )
                    ),
                ]),
                periodRows(t.periods, schoolNames: schoolNames),
                linksSection(t, links, chrome: chrome),
                .h2(.text("Timeline")),
                .ol(
                    .class("app-timeline"), .id("timeline"),
                    .forEach(events) { e in
                        .li(
                            .p(
                                .strong(
                                    .text(e.on?.longDescription ?? "Recorded \(Day.inUK(e.recordedAt).longDescription)")
                                ),
                                .text(": \(e.detail)")),
                            .p(
                                .class("app-hint"),
                                .text("Recorded by \(e.recordedBy) on \(Day.inUK(e.recordedAt).longDescription)")))
                    }),
            ])
    }

    public struct StaffModel: Sendable {
        public var school: School
        public var teachers: [TeacherRecord]
        public var today: Day
        public var notice: String?
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var uploadProblems: [String]
        public init(
            school: School, teachers: [TeacherRecord], today: Day, notice: String?, form: [String: String],
            problems: [ValidationError.Problem], uploadProblems: [String]
        ) {
            self.school = school
            self.teachers = teachers
            self.today = today
            self.notice = notice
            self.form = form
            self.problems = problems
            self.uploadProblems = uploadProblems
        }
    }

    public static func staff(_ m: StaffModel, chrome: Chrome) -> HTML {
        let school = m.school
        let base = "/schools/\(school.urn.value)/staff"
        let current = m.teachers.filter { t in
            t.periods.contains { $0.urn == school.urn.value && ($0.finishedOn.map { $0 >= m.today } ?? true) }
        }
        let former = m.teachers.filter { t in !current.contains(t) }
        func table(_ id: String, _ caption: String, _ list: [TeacherRecord], ending: Bool) -> Node<HTML.BodyContext> {
            .table(
                .class("app-table"), .id(id),
                .caption(.text("\(caption) (\(list.count))")),
                .thead(
                    .tr(
                        .th(.text("Name")), .th(.text("TRN")), .th(.text("Role here")), .th(.text("Started here")),
                        .th(.text("Finished here")), .th(.text("Specialist in")),
                        .if(ending, .th(.text("Changes"))))),
                .tbody(
                    .forEach(list) { t in
                        let here = t.periods.filter { $0.urn == school.urn.value }
                        let latest = here.max { $0.startedOn < $1.startedOn }
                        let open = here.contains { $0.finishedOn == nil }
                        return .tr(
                            .td(.a(.href("/teachers/\(t.id.uuidString.lowercased())"), .text(t.name))),
                            .td(.text(t.trn?.value ?? "None yet")),
                            .td(.text(latest?.role.label ?? "")),
                            .td(.text(here.map(\.startedOn).min()?.longDescription ?? "")),
                            .td(.text(latest?.finishedOn?.longDescription ?? "In post")),
                            .td(.text(t.specialisms.map(\.label).joined(separator: ", "))),
                            .if(
                                ending,
                                .td(
                                    .if(
                                        open,
                                        .group(
                                            .a(
                                                .href("\(base)/\(t.id.uuidString.lowercased())/change"),
                                                .text("Change role or hours"),
                                                .span(.class("app-visually-hidden"), .text(" for \(t.name)"))),
                                            .br(),
                                            .a(
                                                .href("\(base)/\(t.id.uuidString.lowercased())/end"),
                                                .text("Record leaving"),
                                                .span(.class("app-visually-hidden"), .text(" for \(t.name)"))))))))
                    }))
        }
        let f = m.form
        let roles = StaffRole.allCases.map { (value: $0.rawValue, label: $0.label) }
        let subjects =
            [(value: "", label: "Not recorded")]
            + TeachingSubject.allCases.map { (value: $0.rawValue, label: $0.label) }
        return Layout.page(
            title: m.problems.isEmpty && m.uploadProblems.isEmpty
                ? "Staff of \(school.name)" : "Error: Staff of \(school.name)",
            section: .retention, chrome: chrome,
            content: [
                .span(.class("app-caption-l"), .text(school.name)),
                .h1(.text("Staff in the teacher register")),
                .unwrap(m.notice) { Layout.notice($0) },
                .p(
                    .text(
                        "Everyone with a period at the school, as the register holds it. Periods are added and ended, never overwritten: each change goes on the teacher's timeline with your name."
                    )),
                .p(.a(.href("/retention"), .text("How long staff stay at the school"))),
                table("current-staff", "In post", current, ending: true),
                table("former-staff", "Former staff", former, ending: false),
                .h2(.id("add"), .text("Add someone starting at the school")),
                .p(
                    .text(
                        "Give their teacher reference number (TRN) if they have one: someone the register already holds keeps one record, with this as a new period."
                    )),
                Form.errorSummary(m.problems),
                .form(
                    .method(.post), .action(base), .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    Form.input(
                        "trn", label: "TRN (optional)", hint: "7 digits", value: f["trn"] ?? "", problems: m.problems),
                    Form.input("first_name", label: "First name", value: f["first_name"] ?? "", problems: m.problems),
                    Form.input("last_name", label: "Last name", value: f["last_name"] ?? "", problems: m.problems),
                    Form.input(
                        "birth_year", label: "Year of birth (optional)", value: f["birth_year"] ?? "", kind: .number,
                        problems: m.problems),
                    Form.select(
                        "specialisms", label: "Specialist subject",
                        hint: "A degree, ITT specialism or subject knowledge enhancement in it",
                        options: subjects, selected: f["specialisms"] ?? "", problems: m.problems),
                    Form.select(
                        "role", label: "Role", options: roles, selected: f["role"] ?? "teacher", problems: m.problems),
                    Form.select(
                        "working_pattern", label: "Working pattern",
                        options: WorkingPattern.allCases.map { ($0.rawValue, $0.label) },
                        selected: f["working_pattern"] ?? "full-time", problems: m.problems),
                    Form.input(
                        "fte", label: "FTE (optional for full time)", hint: "For example 0.6", value: f["fte"] ?? "",
                        problems: m.problems),
                    Form.input(
                        "started_on", label: "First day at the school", hint: "For example 2026-09-01",
                        value: f["started_on"] ?? "", kind: .date, problems: m.problems),
                    Form.submit("Add to the staff list")),
                .h2(.text("Upload the staff list")),
                .p(
                    .text(
                        "A CSV file with the header \(TeacherFile.columns.joined(separator: ",")), one row per period at this school. If any row is wrong nothing is saved and each problem is listed with its line."
                    )),
                Form.upload(
                    action: "\(base)/upload", label: "Staff file (CSV)", button: "Upload staff list",
                    problems: m.uploadProblems, csrf: chrome.csrfToken),
            ])
    }

    /// Changing a teacher's role or hours at the school, from a day.
    public static func change(
        school: School, teacher: TeacherRecord, form: [String: String], problems: [ValidationError.Problem],
        chrome: Chrome
    ) -> HTML {
        let base = "/schools/\(school.urn.value)/staff"
        let open = teacher.periods.filter { $0.urn == school.urn.value && $0.isOpen }
        let chosen = open.first { $0.role.rawValue == form["period"] } ?? open.first
        func describe(_ p: ServicePeriod) -> String {
            "\(p.role.label), \(p.workingPattern.label.lowercased()) (FTE \(String(format: "%.2f", p.fte))), since \(p.startedOn.longDescription)"
        }
        return Layout.page(
            title: problems.isEmpty
                ? "Change \(teacher.name)'s role or hours" : "Error: Change \(teacher.name)'s role or hours",
            section: .retention, chrome: chrome,
            breadcrumbs: [.init("Staff of \(school.name)", base)],
            content: [
                .span(.class("app-caption-l"), .text(school.name)),
                .h1(.text("Change \(teacher.name)'s role or hours")),
                .p(
                    .text(
                        "New hours in the same role change that period, and the timeline keeps the old hours. A new role ends the current period the day before and starts a new one, so the record shows both."
                    )),
                Form.errorSummary(problems),
                .form(
                    .method(.post), .action("\(base)/\(teacher.id.uuidString.lowercased())/change"),
                    .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    open.count > 1
                        ? Form.radios(
                            "period", legend: "Which period changes",
                            options: open.map { ($0.role.rawValue, describe($0), nil) },
                            selected: chosen?.role.rawValue, problems: problems)
                        : .group(
                            .input(.type(.hidden), .name("period"), .value(chosen?.role.rawValue ?? "")),
                            .p(.id("current-period"), .text("Now: \(chosen.map(describe) ?? "no open period")"))),
                    Form.select(
                        "role", label: "Role", options: StaffRole.allCases.map { ($0.rawValue, $0.label) },
                        selected: form["role"] ?? chosen?.role.rawValue, problems: problems),
                    Form.select(
                        "working_pattern", label: "Working pattern",
                        options: WorkingPattern.allCases.map { ($0.rawValue, $0.label) },
                        selected: form["working_pattern"] ?? chosen?.workingPattern.rawValue, problems: problems),
                    Form.input(
                        "fte", label: "FTE", hint: "1 for full time; for example 0.6 for three days a week",
                        value: form["fte"] ?? chosen.map { String(format: "%g", $0.fte) } ?? "", problems: problems),
                    Form.input(
                        "from", label: "From", hint: "The first day of the new role or hours, for example 2027-01-04",
                        value: form["from"] ?? "", kind: .date, problems: problems),
                    Form.submit("Save the change")),
                .p(.a(.href(base), .text("Back to the staff list"))),
            ])
    }

    public static func end(
        school: School, teacher: TeacherRecord, form: [String: String], problems: [ValidationError.Problem],
        chrome: Chrome
    ) -> HTML {
        let base = "/schools/\(school.urn.value)/staff"
        return Layout.page(
            title: problems.isEmpty ? "\(teacher.name) is leaving" : "Error: \(teacher.name) is leaving",
            section: .retention, chrome: chrome,
            breadcrumbs: [.init("Staff of \(school.name)", base)],
            content: [
                .span(.class("app-caption-l"), .text(school.name)),
                .h1(.text("\(teacher.name) is leaving")),
                Form.errorSummary(problems),
                .form(
                    .method(.post), .action("\(base)/\(teacher.id.uuidString.lowercased())/end"),
                    .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    Form.input(
                        "finished_on", label: "Last day at the school", hint: "For example 2027-08-31",
                        value: form["finished_on"] ?? "", kind: .date, problems: problems),
                    Form.radios(
                        "end_reason", legend: "Why they are leaving",
                        options: EndReason.allCases.map { ($0.rawValue, $0.label, nil) },
                        selected: form["end_reason"], problems: problems),
                    Form.submit("Record leaving")),
                .p(.a(.href(base), .text("Back to the staff list"))),
            ])
    }

    /// A trainee's record in the teacher register: linked, or the ways to link or start one.
    public struct TraineeLink: Sendable {
        public var providerID: String
        public var providerName: String
        public var trainee: Trainee
        public var withdrawn: Bool
        public var teacher: TeacherRecord?
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?
        public init(
            providerID: String, providerName: String, trainee: Trainee, withdrawn: Bool, teacher: TeacherRecord?,
            form: [String: String], problems: [ValidationError.Problem], notice: String?
        ) {
            self.providerID = providerID
            self.providerName = providerName
            self.trainee = trainee
            self.withdrawn = withdrawn
            self.teacher = teacher
            self.form = form
            self.problems = problems
            self.notice = notice
        }
    }

    public static func traineeLink(_ m: TraineeLink, chrome: Chrome) -> HTML {
        let list = "/providers/\(m.providerID)/trainees?year=\(m.trainee.year)"
        let action = "/providers/\(m.providerID)/trainees/\(m.trainee.id.uuidString.lowercased())/teacher"
        let t = m.trainee
        return Layout.page(
            title: m.problems.isEmpty
                ? "\(t.name) in the teacher register" : "Error: \(t.name) in the teacher register",
            section: .placements, chrome: chrome,
            breadcrumbs: [.init("Trainees of \(m.providerName)", list)],
            content: [
                .span(.class("app-caption-l"), .text(m.providerName)),
                .h1(.text("\(t.name) in the teacher register")),
                .unwrap(m.notice) { Layout.notice($0) },
                .p(
                    .text(
                        "\(t.year) trainee: \(t.subject.label), \(t.phase.label.lowercased()), \(t.route.label)\(m.withdrawn ? " (withdrawn)" : "")."
                    )),
                .unwrap(
                    m.teacher,
                    { teacher in
                        .div(
                            .id("linked-teacher"),
                            .p(
                                .text("Linked to "),
                                .a(.href("/teachers/\(teacher.id.uuidString.lowercased())"), .text(teacher.name)),
                                .text(
                                    teacher.trn.map { " (TRN \($0.value))" } ?? " (no TRN yet)"),
                                .text(
                                    ". When they start at a school in the partnership, the school adds them to its staff list with their TRN and the same record carries on."
                                )
                            ))
                    },
                    else: .group(
                        .p(
                            .text(
                                "\(t.name) has no record in the teacher register yet. Link them to the record the register holds for their TRN, or start one: as an early-career teacher in the partnership's schools they keep the same record, so their training and teaching read as one story."
                            )),
                        Form.errorSummary(m.problems),
                        .form(
                            .method(.post), .action(action), .attribute(named: "novalidate", value: "novalidate"),
                            Form.csrf(chrome.csrfToken),
                            Form.input(
                                "trn", label: "Teacher reference number (TRN)",
                                hint: "7 digits. Leave empty to start a record for a trainee without one yet.",
                                value: m.form["trn"] ?? "", problems: m.problems),
                            .div(
                                .class("app-form-group"),
                                .button(
                                    .class("app-button"), .type(.submit), .name("action"), .value("create"),
                                    .text("Start a register record")),
                                .button(
                                    .class("app-button app-button--secondary"), .type(.submit), .name("action"),
                                    .value("link"), .text("Link to the record with this TRN"))))
                    )),
                .p(.a(.href(list), .text("Back to the trainees"))),
            ])
    }
}

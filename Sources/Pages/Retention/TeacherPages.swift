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

    public static func teacher(
        _ t: TeacherRecord, events: [TeacherEvent], generated: Bool, schoolNames: [Int: String], chrome: Chrome
    ) -> HTML {
        Layout.page(
            title: t.name, section: .retention, chrome: chrome,
            breadcrumbs: [.init("Retention", "/retention")],
            content: [
                .span(.class("app-caption-l"), .text("Teacher register")),
                .h1(.text(t.name)),
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
                        .if(ending, .th(.text("Leaving"))))),
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
                                        .a(
                                            .href("\(base)/\(t.id.uuidString.lowercased())/end"),
                                            .text("Record leaving"),
                                            .span(.class("app-visually-hidden"), .text(" for \(t.name)")))))))
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
                .unwrap(m.notice) {
                    .div(
                        .class("app-notification app-notification--success"),
                        .attribute(named: "role", value: "status"), .p(.text($0)))
                },
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
                .if(
                    !m.uploadProblems.isEmpty,
                    .div(
                        .class("app-error-summary"), .id("upload-problems"),
                        .attribute(named: "role", value: "alert"),
                        .h2(.class("app-error-summary__title"), .text("The file was not imported")),
                        .ul(.forEach(m.uploadProblems) { .li(.text($0)) }))),
                .form(
                    .method(.post), .action("\(base)/upload"),
                    .attribute(named: "enctype", value: "multipart/form-data"),
                    Form.csrf(chrome.csrfToken),
                    .div(
                        .class("app-form-group"),
                        .label(.class("app-label"), .for("file"), .text("Staff file (CSV)")),
                        .input(
                            .id("file"), .name("file"), .type(.file),
                            .attribute(named: "accept", value: ".csv,text/csv"))),
                    Form.submit("Upload staff list")),
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
}

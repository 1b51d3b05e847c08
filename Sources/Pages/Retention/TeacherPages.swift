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

    public static func staff(school: School, teachers: [TeacherRecord], today: Day, chrome: Chrome) -> HTML {
        let current = teachers.filter { t in
            t.periods.contains { $0.urn == school.urn.value && ($0.finishedOn.map { $0 >= today } ?? true) }
        }
        let former = teachers.filter { t in !current.contains(t) }
        func table(_ id: String, _ caption: String, _ list: [TeacherRecord]) -> Node<HTML.BodyContext> {
            .table(
                .class("app-table"), .id(id),
                .caption(.text("\(caption) (\(list.count))")),
                .thead(
                    .tr(
                        .th(.text("Name")), .th(.text("TRN")), .th(.text("Role here")), .th(.text("Started here")),
                        .th(.text("Finished here")), .th(.text("Specialist in")))),
                .tbody(
                    .forEach(list) { t in
                        let here = t.periods.filter { $0.urn == school.urn.value }
                        let latest = here.max { $0.startedOn < $1.startedOn }
                        return .tr(
                            .td(.a(.href("/teachers/\(t.id.uuidString.lowercased())"), .text(t.name))),
                            .td(.text(t.trn?.value ?? "None yet")),
                            .td(.text(latest?.role.label ?? "")),
                            .td(.text(here.map(\.startedOn).min()?.longDescription ?? "")),
                            .td(.text(latest?.finishedOn?.longDescription ?? "In post")),
                            .td(.text(t.specialisms.map(\.label).joined(separator: ", "))))
                    }))
        }
        return Layout.page(
            title: "Staff of \(school.name)", section: .retention, chrome: chrome,
            content: [
                .span(.class("app-caption-l"), .text(school.name)),
                .h1(.text("Staff in the teacher register")),
                .p(
                    .text(
                        "Everyone with a period at the school, as the register holds it. Coordinators load region-wide extracts with `chalkface import teachers`."
                    )),
                .p(.a(.href("/retention"), .text("How long staff stay at the school"))),
                table("current-staff", "In post", current),
                table("former-staff", "Former staff", former),
            ])
    }
}

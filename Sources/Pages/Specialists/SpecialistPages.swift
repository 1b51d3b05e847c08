import Domain
import Foundation
import Plot

/// Who teaches what: the share of maths, science and English hours taught by specialists, for the partnership,
/// each local authority and each school, beside DfE's national figures; the school's upload; and, for those who
/// may see individuals, the teachers teaching outside their specialism.
public enum SpecialistPages {
    /// The subjects the area and school tables show as columns.
    public static let keySubjects: [TeachingSubject] = [
        .mathematics, .physics, .chemistry, .biology, .combinedScience, .english,
    ]

    public struct Place: Sendable {
        public var label: String
        public var code: String
        public var hours: [TeachingSubject: SpecialistHours]

        public init(label: String, code: String, hours: [TeachingSubject: SpecialistHours]) {
            self.label = label
            self.code = code
            self.hours = hours
        }
    }

    /// A teacher teaching a subject they hold no relevant qualification in.
    public struct NonSpecialist: Sendable {
        public var school: String
        public var urn: Int
        public var teacher: UUID
        public var name: String
        public var subject: TeachingSubject
        public var hours: TeachingHours
        public var specialisms: [TeachingSubject]
        /// Their subject specialism training in this subject: "Asked for a place on TSST mathematics", or nil.
        public var training: String?
        /// Where to find training in the subject, when the catalogue has some.
        public var findTraining: String?

        public init(
            school: String, urn: Int, teacher: UUID, name: String, subject: TeachingSubject, hours: TeachingHours,
            specialisms: [TeachingSubject], training: String? = nil, findTraining: String? = nil
        ) {
            self.training = training
            self.findTraining = findTraining
            self.school = school
            self.urn = urn
            self.teacher = teacher
            self.name = name
            self.subject = subject
            self.hours = hours
            self.specialisms = specialisms
        }
    }

    public struct Model: Sendable {
        /// "the partnership" or the school's name.
        public var scope: String
        public var partnership: [TeachingSubject: SpecialistHours]
        /// The viewer's own schools (school staff), each subject's hours.
        public var ownSchools: [Place]
        public var authorities: [Place]
        public var schools: [Place]
        /// Nil when the viewer may not see individuals; otherwise the list (maybe empty).
        public var nonSpecialists: [NonSpecialist]?
        public var whyNoIndividuals: String?
        public var canUpload: Bool
        public var uploadProblems: [String]
        public var notice: String?
        /// What subject specialism training moved in the viewer's scope: per subject, the hours now taught by
        /// specialists because of it, and the hours in all.
        public var moved: [TeachingSubject: (moved: TeachingHours, now: SpecialistHours)] = [:]

        public init(
            scope: String, partnership: [TeachingSubject: SpecialistHours], ownSchools: [Place] = [],
            authorities: [Place], schools: [Place], nonSpecialists: [NonSpecialist]?, whyNoIndividuals: String? = nil,
            canUpload: Bool, uploadProblems: [String] = [], notice: String? = nil,
            moved: [TeachingSubject: (moved: TeachingHours, now: SpecialistHours)] = [:]
        ) {
            self.moved = moved
            self.scope = scope
            self.partnership = partnership
            self.ownSchools = ownSchools
            self.authorities = authorities
            self.schools = schools
            self.nonSpecialists = nonSpecialists
            self.whyNoIndividuals = whyNoIndividuals
            self.canUpload = canUpload
            self.uploadProblems = uploadProblems
            self.notice = notice
        }
    }

    static func percent(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }

    /// Hours with thousands grouped: "4,803.5".
    public static func hoursText(_ h: TeachingHours) -> String {
        let text = h.description
        guard let dot = text.firstIndex(of: ".") else { return (h.hundredths / 100).formatted }
        return (h.hundredths / 100).formatted + text[dot...]
    }

    /// "87.2% (174 of 200 hours)", or why no share is shown.
    public static func cell(_ h: SpecialistHours?) -> String {
        guard let h, h.hours.hundredths > 0 else { return "No hours" }
        guard let share = h.share else { return "Not shown (\(hoursText(h.hours)) hours)" }
        return "\(percent(share)) (\(hoursText(h.specialistHours)) of \(hoursText(h.hours)) hours)"
    }

    static func numeric(_ text: String) -> Node<HTML.TableRowContext> {
        .td(.class("app-table__cell--numeric"), .text(text))
    }

    static func header(_ text: String, numeric: Bool = true) -> Node<HTML.TableRowContext> {
        .th(
            .attribute(named: "scope", value: "col"), .if(numeric, .class("app-table__header--numeric")), .text(text))
    }

    /// One row per subject: hours, specialist hours, share, and DfE's national share where it publishes one.
    static func subjectTable(id: String, caption: String, _ hours: [TeachingSubject: SpecialistHours])
        -> Node<HTML.BodyContext>
    {
        let subjects = hours.keys.sorted()
        return .table(
            .class("app-table"), .id(id),
            .caption(.class("app-table__caption"), .text(caption)),
            .thead(
                .tr(
                    header("Subject", numeric: false), header("Hours a week"), header("Taught by specialists"),
                    header("Specialist share"), header("England \(NationalSpecialistShare.year)"))),
            .tbody(
                .forEach(subjects) { s in
                    let h = hours[s]!
                    return .tr(
                        .th(.attribute(named: "scope", value: "row"), .text(s.label)),
                        numeric(hoursText(h.hours)), numeric(hoursText(h.specialistHours)),
                        numeric(h.share.map(percent) ?? "Not shown (under 10 hours)"),
                        numeric(NationalSpecialistShare.shares[s].map(percent) ?? "Not published"))
                }))
    }

    static func placeTable(id: String, caption: String, first: String, _ places: [Place], link: Bool)
        -> Node<HTML.BodyContext>
    {
        .table(
            .class("app-table"), .id(id),
            .caption(.class("app-table__caption"), .text(caption)),
            .thead(.tr(header(first, numeric: false), .forEach(keySubjects) { header($0.label) })),
            .tbody(
                .forEach(places) { p in
                    .tr(
                        .th(
                            .attribute(named: "scope", value: "row"),
                            link ? .a(.href("/schools/\(p.code)"), .text(p.label)) : .text(p.label),
                            .span(.class("app-hint"), .text(" (\(p.code))"))),
                        .forEach(keySubjects) { s in numeric(cell(p.hours[s])) })
                }))
    }

    public static func page(_ m: Model, chrome: Chrome) -> HTML {
        let title = "Specialist teaching"
        var content: [Node<HTML.BodyContext>] = [
            .h1(.class("app-heading-xl"), .text(title)),
            .p(
                .class("app-body-l"),
                .text(
                    "Who teaches what in \(m.scope): the share of each subject's lessons (hours a week) taught by a teacher with a relevant post-A-level qualification in it, from the curriculum deployment schools upload and the qualifications in the teacher register."
                )),
            .p(
                .text(
                    "For combined science a qualification in any of biology, chemistry or physics counts. No share is shown over fewer than 10 hours. England's figures are DfE's (\(NationalSpecialistShare.source)); they cover every secondary school, these only the schools that have uploaded."
                )),
        ]
        if let notice = m.notice { content.append(Layout.notice(notice)) }
        for own in m.ownSchools {
            if own.hours.isEmpty {
                content.append(.h2(.text(own.label)))
                content.append(
                    .p(
                        .id("school-\(own.code)-none"),
                        .text(
                            "\(own.label) has not uploaded its curriculum deployment yet: upload it below to see its figures."
                        )))
            } else {
                content.append(
                    subjectTable(id: "school-\(own.code)", caption: "\(own.label) (URN \(own.code))", own.hours))
            }
        }
        if m.partnership.isEmpty {
            content.append(
                .p(
                    .id("no-deployment"),
                    .text(
                        "No school has uploaded its curriculum deployment yet, so there are no figures to show."
                    )))
        } else {
            content.append(subjectTable(id: "partnership", caption: "The partnership's schools", m.partnership))
        }
        if !m.moved.isEmpty {
            content.append(
                .table(
                    .class("app-table"), .id("tsst-moved"),
                    .caption(
                        .class("app-table__caption"),
                        .text("What subject specialism training (TSST) has moved in \(m.scope)")),
                    .thead(
                        .tr(
                            header("Subject", numeric: false), header("Hours now taught by TSST-qualified teachers"),
                            header("Specialist share without them"), header("Specialist share now"))),
                    .tbody(
                        .forEach(m.moved.keys.sorted()) { s in
                            let (moved, now) = m.moved[s]!
                            let before = SpecialistHours(hours: now.hours, specialistHours: now.specialistHours - moved)
                            return .tr(
                                .th(.attribute(named: "scope", value: "row"), .text(s.label)),
                                numeric("\(hoursText(moved)) of \(hoursText(now.hours))"),
                                numeric(before.share.map(percent) ?? "Not shown (under 10 hours)"),
                                numeric(now.share.map(percent) ?? "Not shown (under 10 hours)"))
                        })))
        }
        if !m.authorities.isEmpty {
            content.append(
                placeTable(
                    id: "authorities", caption: "By local authority", first: "Local authority", m.authorities,
                    link: false))
        }
        if !m.schools.isEmpty {
            content.append(
                placeTable(id: "schools", caption: "By school", first: "School", m.schools, link: true))
        }
        if !m.partnership.isEmpty {
            content.append(
                .p(
                    .a(
                        .id("specialists-csv"), .href("/specialists.csv"), .text("Download the figures by school (CSV)")
                    ),
                    .text(" · "),
                    .a(
                        .href("/coldspots?indicator=specialist-teaching"),
                        .text("Map where specialists are short (cold spots)"))))
        }
        if let list = m.nonSpecialists {
            content.append(.h2(.text("Teaching outside their specialism")))
            if list.isEmpty {
                content.append(
                    .p(.id("no-non-specialists"), .text("Every deployed hour is taught by a specialist.")))
            } else {
                content.append(
                    .table(
                        .class("app-table"), .id("non-specialists"),
                        .caption(
                            .class("app-table__caption"),
                            .text("Teachers teaching a subject they hold no relevant qualification in")),
                        .thead(
                            .tr(
                                header("School", numeric: false), header("Teacher", numeric: false),
                                header("Subject", numeric: false), header("Hours a week"),
                                header("Qualified in", numeric: false),
                                header("Subject specialism training", numeric: false))),
                        .tbody(
                            .forEach(list) { n in
                                .tr(
                                    .td(.text(n.school)),
                                    .td(
                                        .a(
                                            .href("/teachers/\(n.teacher.uuidString.lowercased())"),
                                            .text(n.name))),
                                    .td(.text(n.subject.label)), numeric(hoursText(n.hours)),
                                    .td(
                                        .text(
                                            n.specialisms.isEmpty
                                                ? "None recorded" : n.specialisms.map(\.label).joined(separator: ", "))),
                                    .td(
                                        .unwrap(n.training) { .text($0) },
                                        .if(
                                            n.training == nil,
                                            .unwrap(n.findTraining) { href in
                                                .a(
                                                    .href(href),
                                                    .text("Find a \(n.subject.label.lowercased()) TSST cohort"),
                                                    .span(.class("app-visually-hidden"), .text(" for \(n.name)")))
                                            })))
                            })))
            }
        } else if let why = m.whyNoIndividuals {
            content.append(.p(.class("app-hint"), .text(why)))
        }
        if m.canUpload {
            content.append(contentsOf: [
                .h2(.text("Upload a curriculum deployment")),
                .p(
                    .text(
                        "A CSV file with the header \(DeploymentFile.columns.joined(separator: ",")): one row per teacher, school and subject, with the hours a week they teach it. Subjects: \(TeachingSubject.allCases.map(\.rawValue).joined(separator: ", ")). Each school in the file has its deployment replaced by the file's rows. Every teacher must be in the register (the school's staff list). If any row is wrong nothing is saved and each problem is listed with its line."
                    )),
                Form.upload(
                    action: "/specialists/upload", label: "Deployment file (CSV)", button: "Upload deployment",
                    problems: m.uploadProblems, csrf: chrome.csrfToken),
            ])
        }
        return Layout.page(
            title: m.uploadProblems.isEmpty ? title : "Error: \(title)", section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }
}

import Domain
import Foundation
import Plot

/// The post-16 review: each institution's form, and the region's picture with its gaps against the catalogue.
public enum Post16Pages {
    public struct Institution: Sendable {
        public var urn: Int
        public var name: String
        public var authority: String
        public var review: Post16Review?
        public var submittedBy: String?
        public var submittedAt: Date?
        public var canEdit: Bool

        public init(
            urn: Int, name: String, authority: String, review: Post16Review?, submittedBy: String?, submittedAt: Date?,
            canEdit: Bool
        ) {
            self.urn = urn
            self.name = name
            self.authority = authority
            self.review = review
            self.submittedBy = submittedBy
            self.submittedAt = submittedAt
            self.canEdit = canEdit
        }
    }

    public struct Picture: Sendable {
        public var year: AcademicYear
        public var picture: Post16Picture
        public var programmes: [UUID: String]
        public var institutions: [Institution]
        public var generated: Int
        public var own: [Institution]

        public init(
            year: AcademicYear, picture: Post16Picture, programmes: [UUID: String], institutions: [Institution],
            generated: Int, own: [Institution]
        ) {
            self.year = year
            self.picture = picture
            self.programmes = programmes
            self.institutions = institutions
            self.generated = generated
            self.own = own
        }
    }

    public static func picture(_ m: Picture, chrome: Chrome) -> HTML {
        let p = m.picture
        let reviewed = m.institutions.filter { $0.review != nil }
        return Layout.page(
            title: "Post-16 review", section: .cpd, chrome: chrome, breadcrumbs: [.init("CPD catalogue", "/cpd")],
            content: [
                .h1(.text("Post-16 review: English, maths and science, \(m.year)")),
                .p(
                    .text(
                        "Each post-16 institution (school sixth forms, 16 to 19 schools and colleges) reviews the staff who teach English, maths and science to 16 to 19 year olds, their CPD needs and what they use now. Together the reviews show where the partnership's catalogue meets those needs and where it does not."
                    )),
                .if(
                    !m.own.isEmpty,
                    .div(
                        .class("app-inset"), .id("own-reviews"),
                        .h2(.text("Your institution")),
                        .ul(
                            .class("app-list"),
                            .forEach(m.own) { i in
                                .li(
                                    .a(
                                        .href("/post16/\(i.urn)"),
                                        .text(
                                            i.review == nil
                                                ? "Complete the review for \(i.name)"
                                                : "Update the review for \(i.name)"
                                        )),
                                    .unwrap(i.submittedAt) { at in
                                        .span(
                                            .class("app-hint"),
                                            .text(" (last submitted \(Day.inUK(at).longDescription))"))
                                    })
                            }))),
                .p(
                    .id("review-counts"),
                    .text(
                        "\(p.reviews) of \(m.institutions.count) institutions have reviewed this year; \(p.teaching16to19) of them teach 16 to 19."
                            + (m.generated > 0 ? " \(m.generated) of the reviews are generated demo data." : ""))),
                .table(
                    .class("app-table"), .id("post16-subjects"),
                    .caption(.text("Staff and the catalogue, by subject")),
                    .thead(
                        .tr(
                            .th(.text("Subject")), .th(.class("app-numeric"), .text("Institutions")),
                            .th(.class("app-numeric"), .text("Teachers")),
                            .th(.class("app-numeric"), .text("Non-specialists")),
                            .th(.text("Post-16 programmes still to start")))),
                    .tbody(
                        .forEach(p.subjects) { subjectRow($0, programmes: m.programmes) })),
                .table(
                    .class("app-table"), .id("post16-needs"),
                    .caption(.text("CPD needs: institutions reporting each, by subject")),
                    .thead(
                        .tr(
                            .th(.text("Need")),
                            .forEach(p.subjects) { .th(.class("app-numeric"), .text($0.subject.label)) })),
                    .tbody(
                        .forEach(Post16Need.allCases) { needRow($0, p.subjects) })),
                .p(
                    .class("app-hint"),
                    .text(
                        "A gap is a subject where institutions report needs and the catalogue has no post-16 programme for it (a post-16 programme, or one listing the post-16 phase, for the subject or any subject) with a cohort still to start. Providers: add one at CPD, manage programmes."
                    )),
                .h2(.text("Institutions")),
                .table(
                    .class("app-table"), .id("post16-institutions"),
                    .caption(.class("app-visually-hidden"), .text("Post-16 institutions and their reviews")),
                    .thead(
                        .tr(
                            .th(.text("Institution")), .th(.text("Local authority")), .th(.text("Review")),
                            .th(.text("Current offer")))),
                    .tbody(
                        .forEach(reviewed + m.institutions.filter { $0.review == nil }) { row($0) })),
            ])
    }

    static func subjectRow(_ line: Post16Picture.SubjectLine, programmes: [UUID: String]) -> Node<HTML.TableContext> {
        let links: [Node<HTML.ListContext>] = line.programmes.map { id in
            .li(.a(.href("/cpd/\(id.uuidString.lowercased())"), .text(programmes[id] ?? "")))
        }
        let offer: Node<HTML.BodyContext> =
            line.programmes.isEmpty ? .text(" None in the catalogue") : .ul(.class("app-list"), .group(links))
        let gap: Node<HTML.BodyContext> = line.isGap ? .strong(.class("app-tag app-tag--red"), .text("Gap")) : .empty
        return .tr(
            .th(.text(line.subject.label)), .td(.class("app-numeric"), .text("\(line.institutions)")),
            .td(.class("app-numeric"), .text("\(line.teachers)")),
            .td(.class("app-numeric"), .text("\(line.nonSpecialists)")), .td(gap, offer))
    }

    static func needRow(_ need: Post16Need, _ lines: [Post16Picture.SubjectLine]) -> Node<HTML.TableContext> {
        let cells: [Node<HTML.TableRowContext>] = lines.map { line in
            let text = need == .coreMaths && line.subject != .mathematics ? "–" : "\(line.needs[need] ?? 0)"
            return .td(.class("app-numeric"), .text(text))
        }
        return .tr(.th(.text(need.label)), .group(cells))
    }

    static func row(_ i: Institution) -> Node<HTML.TableContext> {
        let link: Node<HTML.BodyContext> = .a(
            .href(i.canEdit ? "/post16/\(i.urn)" : "/schools/\(i.urn)"), .text(i.name))
        var status = "Not yet reviewed"
        if let r = i.review {
            status = (r.teaches16to19 ? "Teaches 16 to 19" : "No 16 to 19 provision") + (r.generated ? " (demo)" : "")
        }
        return .tr(
            .td(link), .td(.text(i.authority)), .td(.text(status)), .td(.text(i.review?.currentOffer ?? "")))
    }

    // MARK: The form

    public static func form(
        school: String, urn: Int, year: AcademicYear, form f: [String: String], problems: [ValidationError.Problem],
        submitted: (by: String, at: Date)?, notice: String?, chrome: Chrome
    ) -> HTML {
        Layout.page(
            title: problems.isEmpty ? "Post-16 review: \(school)" : "Error: Post-16 review: \(school)",
            section: .cpd, chrome: chrome, breadcrumbs: [.init("Post-16 review", "/post16")],
            content: [
                .span(.class("app-caption-l"), .text(school)),
                .h1(.text("Post-16 review, \(year)")),
                .unwrap(notice) { Layout.notice($0) },
                .unwrap(submitted) { s in
                    .p(
                        .class("app-hint"), .id("last-submitted"),
                        .text(
                            "Last submitted by \(s.by) on \(Day.inUK(s.at).longDescription). Submitting again replaces it."
                        ))
                },
                Form.errorSummary(problems),
                .form(
                    .method(.post), .action("/post16/\(urn)"), .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    Form.radios(
                        "sixth_form", legend: "Do you teach students aged 16 to 19?",
                        options: [("yes", "Yes", nil), ("no", "No", "Then nothing else is needed")],
                        selected: f["sixth_form"], problems: problems),
                    .forEach(Post16Subject.allCases) { s in
                        .fieldset(
                            .class("app-fieldset"),
                            .element(
                                named: "legend",
                                nodes: [.class("app-fieldset__legend app-fieldset__legend--m"), .text(s.label)]),
                            Form.input(
                                "\(s.rawValue)_teachers", label: "Staff teaching \(s.inSentence) to 16 to 19 year olds",
                                value: f["\(s.rawValue)_teachers"] ?? "", kind: .number, problems: problems),
                            Form.input(
                                "\(s.rawValue)_nonspecialists", label: "Of them, non-specialists",
                                hint: "Without a degree or post-A-level qualification in the subject",
                                value: f["\(s.rawValue)_nonspecialists"] ?? "", kind: .number, problems: problems),
                            Form.checkboxes(
                                "\(s.rawValue)_needs", "\(s.label): CPD needs",
                                options: Post16Need.allCases.filter { $0 != .coreMaths || s == .mathematics }.map {
                                    ($0.rawValue, $0.label)
                                }, form: f, hint: "Select all that apply", problems: problems))
                    },
                    Form.textarea(
                        "offer", label: "The CPD your English, maths and science staff use now",
                        hint: "Programmes, networks, exam board training; \(Post16Review.maxOffer) characters or fewer",
                        value: f["offer"] ?? "", problems: problems),
                    Form.submit("Submit the review")),
            ])
    }

    /// The form's fields for a stored review.
    public static func fields(_ r: Post16Review) -> [String: String] {
        var f: [String: String] = ["sixth_form": r.teaches16to19 ? "yes" : "no", "offer": r.currentOffer]
        for (s, v) in r.subjects {
            f["\(s.rawValue)_teachers"] = "\(v.teachers)"
            f["\(s.rawValue)_nonspecialists"] = "\(v.nonSpecialists)"
            f["\(s.rawValue)_needs"] = v.needs.map(\.rawValue).sorted().joined(separator: ";")
        }
        return f
    }
}

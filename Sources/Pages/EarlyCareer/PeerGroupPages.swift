import Domain
import Foundation
import Plot

/// Early-career teachers' peer groups: the coordinator forms, checks and adjusts a term's groups; each ECT sees
/// their own group.
public enum PeerGroupPages {
    public struct Member: Sendable {
        public var teacher: UUID
        public var name: String
        public var school: String
        public var urn: Int
        public var subject: String
        public var at: GridPoint?
        /// Straight-line distance to the group's meeting school, in metres.
        public var travel: Double

        public init(
            teacher: UUID, name: String, school: String, urn: Int, subject: String, at: GridPoint?, travel: Double
        ) {
            self.teacher = teacher
            self.name = name
            self.school = school
            self.urn = urn
            self.subject = subject
            self.at = at
            self.travel = travel
        }
    }

    public struct Group: Sendable {
        public var number: Int
        public var phase: String
        public var meetingSchool: String
        public var meetingURN: Int
        public var meetingAt: GridPoint?
        public var locked: Bool
        public var members: [Member]
        /// The stored group's id (for its meetings page).
        public var id: UUID?
        /// Its meetings this term, earliest first.
        public var meetings: [Meeting] = []

        public init(
            number: Int, phase: String, meetingSchool: String, meetingURN: Int, meetingAt: GridPoint?, locked: Bool,
            members: [Member], id: UUID? = nil
        ) {
            self.id = id
            self.number = number
            self.phase = phase
            self.meetingSchool = meetingSchool
            self.meetingURN = meetingURN
            self.meetingAt = meetingAt
            self.locked = locked
            self.members = members
        }

        public var travel: Double { members.reduce(0) { $0 + $1.travel } }
    }

    /// A meeting as the pages show it.
    public struct Meeting: Sendable {
        public var meeting: PeerGroupMeeting
        public var venue: String

        public init(_ meeting: PeerGroupMeeting, venue: String) {
            self.meeting = meeting
            self.venue = venue
        }

        public var when: String { "\(meeting.session.day.longDescription), \(meeting.session.times)" }
    }

    public struct Model: Sendable {
        public var year: AcademicYear
        public var term: Term
        public var ects: Int
        public var groups: [Group]
        /// ECTs in the register now who are in no group this term.
        public var ungrouped: [Member]
        /// ECTs whose school has no grid reference, so they cannot be grouped by distance.
        public var unplaceable: [Member]
        public var check: PeerGrouping.Check?
        public var unkept: [String]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        public var notice: String?
        /// Names and links to records, where the partnership shares individual records with coordinators.
        public var showNames: Bool

        public init(
            year: AcademicYear, term: Term, ects: Int, groups: [Group], ungrouped: [Member], unplaceable: [Member],
            check: PeerGrouping.Check?, unkept: [String], form: [String: String],
            problems: [ValidationError.Problem], notice: String?, showNames: Bool
        ) {
            self.showNames = showNames
            self.year = year
            self.term = term
            self.ects = ects
            self.groups = groups
            self.ungrouped = ungrouped
            self.unplaceable = unplaceable
            self.check = check
            self.unkept = unkept
            self.form = form
            self.problems = problems
            self.notice = notice
        }
    }

    static func meetingsSummary(_ g: Group) -> String {
        let met = g.meetings.filter(\.meeting.attendanceRecorded)
        guard !g.meetings.isEmpty else { return "No meetings planned yet." }
        return
            "\(g.meetings.count) meeting\(g.meetings.count == 1 ? "" : "s") planned, \(met.count) with attendance recorded."
    }

    static func km(_ metres: Double) -> String {
        (metres / 1000).formatted(.number.precision(.fractionLength(1)).locale(Locale(identifier: "en_GB"))) + " km"
    }

    static func map(_ groups: [Group], id: String, title: String) -> Node<HTML.BodyContext> {
        var points: [SVGMap.Point] = []
        var lines: [SVGMap.Line] = []
        for g in groups {
            guard let meeting = g.meetingAt else { continue }
            points.append(
                SVGMap.Point(at: meeting, marker: .leadSchool, title: "Group \(g.number) meets at \(g.meetingSchool)"))
            for m in g.members {
                guard let at = m.at, m.urn != g.meetingURN else { continue }
                points.append(SVGMap.Point(at: at, marker: .school, title: "\(m.school) (group \(g.number))"))
                lines.append(
                    SVGMap.Line(
                        from: at, to: meeting,
                        title: "\(m.school) to \(g.meetingSchool), group \(g.number): \(km(m.travel))"))
            }
        }
        guard let bounds = SVGMap.Bounds.around(points.map(\.at)) else { return .empty }
        return .raw(
            SVGMap.render(
                id: id, title: title,
                description:
                    "Each group's meeting school is an orange square; lines join every member's school to it. The table below gives the same groups with each member's distance.",
                bounds: bounds, points: points, lines: lines, width: 960))
    }

    public static func coordinator(_ m: Model, chrome: Chrome) -> HTML {
        let title = "Early-career teachers' peer groups"
        let totalTravel = m.groups.reduce(0) { $0 + $1.travel }
        let grouped = m.groups.reduce(0) { $0 + $1.members.count }
        var content: [Node<HTML.BodyContext>] = [
            Form.errorSummary(m.problems),
            .unwrap(m.notice) { Layout.notice($0) },
            .h1(.class("app-heading-xl"), .text(title)),
            .p(
                .class("app-body-l"),
                .text(
                    "\(m.term.label) term \(m.year.description): \(m.ects.formatted) early-career teacher\(m.ects == 1 ? "" : "s") in the teacher register (an open early-career period today), \(grouped.formatted) in \(m.groups.count.formatted) group\(m.groups.count == 1 ? "" : "s")."
                )),
            .p(
                .text(
                    (m.showNames
                        ? ""
                        : "The partnership shares counts, not individual records, with coordinators: members are shown by school and subject. ")
                        + "Groups are of one phase, of the sizes you set, with no two ECTs of one school together unless a school has more ECTs of the phase than there are groups, and with as little travel as possible: each group meets at the member's school that is nearest in total to everyone (straight-line distance)."
                )),
        ]
        content.append(
            .form(
                .method(.post), .action("/ects/peer-groups/form"), .attribute(named: "novalidate", value: "novalidate"),
                Form.csrf(chrome.csrfToken),
                .h2(
                    .class("app-heading-m"),
                    .text(m.groups.isEmpty ? "Form this term's groups" : "Form the groups again")),
                .if(
                    !m.groups.isEmpty,
                    .p(
                        .class("app-hint"),
                        .text(
                            "Locked groups stay as they are; everyone else, including ECTs added to the register since, is grouped afresh."
                        ))),
                Form.input(
                    "minimum", label: "Smallest group", value: m.form["minimum"] ?? "5", kind: .number,
                    problems: m.problems),
                Form.input(
                    "maximum", label: "Largest group", value: m.form["maximum"] ?? "8", kind: .number,
                    problems: m.problems),
                Form.checkbox(
                    "families", label: "Secondary groups of one subject family where a family has enough ECTs",
                    checked: (m.form["families"] ?? "true") == "true"),
                Form.checkbox(
                    "fewest",
                    label: "As few groups as the largest size allows (fewer meetings to arrange, but more travel)",
                    checked: m.form["fewest"] == "true"),
                Form.submit(m.groups.isEmpty ? "Form groups" : "Form the unlocked groups again")
            ))
        if let c = m.check {
            let rules = [
                ("Groups outside the sizes", c.sizeViolations), ("Groups mixing phases", c.mixedPhaseGroups),
                ("ECTs grouped with a colleague from their school who could be apart", c.avoidableSameSchool),
                ("Secondary groups mixing subject families", c.mixedFamilySecondaryGroups),
            ]
            content.append(.h2(.class("app-heading-m"), .text("This term's groups")))
            content.append(
                Layout.summaryList(
                    [
                        ("Total travel", .text(km(totalTravel))),
                        ("Mean travel per ECT", .text(grouped == 0 ? "-" : km(totalTravel / Double(grouped)))),
                    ] + rules.map { ($0.0, .text(String($0.1))) }))
            if !m.unkept.isEmpty {
                content.append(.ul(.class("app-list app-list--bullet"), .forEach(m.unkept) { .li(.text($0)) }))
            }
            content.append(map(m.groups, id: "peer-group-map", title: "Peer groups, \(m.term.label) \(m.year)"))
        }
        func options(for g: Group) -> [(value: String, label: String)] {
            m.groups.filter { $0.number != g.number && $0.phase == g.phase }.map {
                (value: String($0.number), label: "Group \($0.number), meeting at \($0.meetingSchool)")
            }
        }
        for g in m.groups {
            content.append(
                .section(
                    .id("group-\(g.number)"),
                    .h3(
                        .class("app-heading-s"),
                        .text(
                            "Group \(g.number): \(g.phase), \(g.members.count) members, meeting at \(g.meetingSchool)\(g.locked ? " (locked)" : "")"
                        )),
                    .table(
                        .class("app-table"),
                        .caption(.class("app-visually-hidden"), .text("Members of group \(g.number)")),
                        .thead(
                            .tr(
                                .th(.attribute(named: "scope", value: "col"), .text("Name")),
                                .th(.attribute(named: "scope", value: "col"), .text("School")),
                                .th(.attribute(named: "scope", value: "col"), .text("Subject")),
                                .th(.attribute(named: "scope", value: "col"), .text("Distance to the meeting school")),
                                .th(.attribute(named: "scope", value: "col"), .text("Move to"))
                            )),
                        .tbody(
                            .forEach(g.members) { member in
                                .tr(
                                    .td(
                                        m.showNames
                                            ? .a(
                                                .href("/teachers/\(member.teacher.uuidString.lowercased())"),
                                                .text(member.name)) : .text(member.name)),
                                    .td(.text(member.school)), .td(.text(member.subject)),
                                    .td(.text(km(member.travel))),
                                    .td(
                                        options(for: g).isEmpty
                                            ? .text("No other group of this phase")
                                            : .form(
                                                .method(.post), .action("/ects/peer-groups/move"),
                                                .class("app-inline-form"), Form.csrf(chrome.csrfToken),
                                                .input(
                                                    .type(.hidden), .name("teacher"),
                                                    .value(member.teacher.uuidString.lowercased())),
                                                Form.select(
                                                    "group-for-\(member.teacher.uuidString.lowercased())",
                                                    label: m.showNames
                                                        ? "Move \(member.name) to"
                                                        : "Move the \(member.subject.lowercased()) ECT from \(member.school) to",
                                                    options: options(for: g),
                                                    selected: nil),
                                                Form.submit("Move", secondary: true)))
                                )
                            })
                    ),
                    .p(
                        .text(meetingsSummary(g)), .text(" "),
                        .unwrap(g.id) { id in
                            .a(
                                .href("/ects/peer-groups/\(id.uuidString.lowercased())/meetings"),
                                .text("Meetings and attendance"),
                                .span(.class("app-visually-hidden"), .text(" of group \(g.number)")))
                        }),
                    Form.button(
                        g.locked ? "Unlock group \(g.number)" : "Lock group \(g.number)",
                        action: "/ects/peer-groups/lock?group=\(g.number)&locked=\(!g.locked)",
                        csrf: chrome.csrfToken)
                ))
        }
        if !m.ungrouped.isEmpty {
            content.append(.h2(.class("app-heading-m"), .text("Not in a group this term")))
            content.append(
                .p(
                    .text(
                        "In the register as early-career teachers but in no group: form the groups again to place them."
                    )))
            content.append(
                .ul(.class("app-list"), .forEach(m.ungrouped) { .li(.text("\($0.name), \($0.school)")) }))
        }
        if !m.unplaceable.isEmpty {
            content.append(.h2(.class("app-heading-m"), .text("Cannot be grouped")))
            content.append(
                .p(.text("Their school has no grid reference in the school data, so their travel cannot be measured.")))
            content.append(
                .ul(.class("app-list"), .forEach(m.unplaceable) { .li(.text("\($0.name), \($0.school)")) }))
        }
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }

    /// A group's meetings page, for its members and the coordinator.
    public struct Meetings: Sendable {
        public var group: Group
        public var year: AcademicYear
        public var today: Day
        public var coordinator: Bool
        public var form: [String: String] = [:]
        public var problems: [ValidationError.Problem] = []
        public var notice: String?

        public init(group: Group, year: AcademicYear, today: Day, coordinator: Bool) {
            self.group = group
            self.year = year
            self.today = today
            self.coordinator = coordinator
        }
    }

    public static func meetings(_ m: Meetings, chrome: Chrome) -> HTML {
        let g = m.group
        let title = "Group \(g.number): meetings"
        let path = "/ects/peer-groups/\(g.id?.uuidString.lowercased() ?? "")/meetings"
        var content: [Node<HTML.BodyContext>] = [
            Form.errorSummary(m.problems),
            .unwrap(m.notice) { Layout.notice($0) },
            .h1(.class("app-heading-xl"), .text(title)),
            .p(
                .class("app-body-l"),
                .text("\(g.phase), \(g.members.count) early-career teachers, meeting at \(g.meetingSchool).")),
        ]
        if g.meetings.isEmpty {
            content.append(.p(.text("No meetings yet. Plan the first below.")))
        } else {
            content.append(
                .table(
                    .class("app-table"), .id("meetings"),
                    .caption(.class("app-table__caption"), .text("Meetings")),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("When")),
                            .th(.attribute(named: "scope", value: "col"), .text("Where")),
                            .th(.attribute(named: "scope", value: "col"), .text("Came")),
                            .th(.attribute(named: "scope", value: "col"), .text("What was discussed")))),
                    .tbody(
                        .forEach(g.meetings) { row in
                            .tr(
                                .td(.text(row.when)), .td(.text(row.venue)),
                                .td(
                                    .text(
                                        row.meeting.attendanceRecorded
                                            ? "\(row.meeting.attended.count) of \(g.members.count)"
                                            : row.meeting.canRecord(on: m.today) ? "Not recorded" : "To come")),
                                .td(.text(row.meeting.note.isEmpty ? "" : row.meeting.note)))
                        })))
        }
        for row in g.meetings where row.meeting.canRecord(on: m.today) {
            let id = row.meeting.id.uuidString.lowercased()
            let chosen =
                m.form["meeting"] == id
                ? m.form
                : [
                    "attended-\(id)": row.meeting.attended.map { $0.uuidString.lowercased() }.joined(separator: ";"),
                    "note-\(id)": row.meeting.note,
                ]
            content.append(
                .form(
                    .method(.post), .action("\(path)/\(id)"), .id("record-\(id)"),
                    .attribute(named: "novalidate", value: "novalidate"), Form.csrf(chrome.csrfToken),
                    .h2(
                        .class("app-heading-m"),
                        .text(
                            (row.meeting.attendanceRecorded ? "Change the record of " : "Record ")
                                + "the meeting of \(row.meeting.session.day.longDescription)")),
                    Form.checkboxes(
                        "attended-\(id)", "Who came",
                        options: g.members.map { ($0.teacher.uuidString.lowercased(), "\($0.name), \($0.school)") },
                        form: chosen, hint: "Choose everyone who came", problems: m.problems),
                    Form.textarea(
                        "note-\(id)", label: "What was discussed",
                        hint:
                            "A short note for the group; at most \(PeerGroupMeeting.noteLimit) characters. Do not write about pupils by name.",
                        value: chosen["note-\(id)"] ?? "", problems: m.problems),
                    Form.submit("Save the record", secondary: true)))
        }
        content.append(
            .form(
                .method(.post), .action(path), .id("plan"), .attribute(named: "novalidate", value: "novalidate"),
                Form.csrf(chrome.csrfToken),
                .h2(.class("app-heading-m"), .text("Plan a meeting")),
                Form.input(
                    "when", label: "Day and times",
                    hint: "For example, 2027-01-14 16:00-17:30. It meets at \(g.meetingSchool).",
                    value: m.form["when"] ?? "", problems: m.problems),
                Form.submit("Plan the meeting")))
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [
                .init("Dashboard", SitePath.dashboard),
                m.coordinator ? .init("Peer groups", "/ects/peer-groups") : .init("Your peer group", "/ects/my-group"),
            ], content: content)
    }

    public struct Mine: Sendable {
        public var year: AcademicYear
        public var term: Term
        /// Whether the account is linked to a record in the teacher register.
        public var linked: Bool
        public var group: Group?
        public var me: UUID?
        /// The group's next meeting, if one is planned.
        public var next: Meeting?

        public init(year: AcademicYear, term: Term, linked: Bool, group: Group?, me: UUID?) {
            self.year = year
            self.term = term
            self.linked = linked
            self.group = group
            self.me = me
        }
    }

    public static func mine(_ m: Mine, chrome: Chrome) -> HTML {
        let title = "Your early-career peer group"
        var content: [Node<HTML.BodyContext>] = [.h1(.class("app-heading-xl"), .text(title))]
        if !m.linked {
            content.append(
                .p(
                    .text(
                        "Your account is not linked to a record in the partnership's teacher register. Your school can link it; then your peer group shows here."
                    )))
        } else if let g = m.group {
            let mine = g.members.first { $0.teacher == m.me }
            content.append(
                .p(
                    .class("app-body-l"),
                    .text(
                        "\(m.term.label) term \(m.year): group \(g.number), \(g.members.count) early-career teachers, meeting at \(g.meetingSchool)."
                    )))
            if let mine {
                content.append(
                    .p(.text("Your school is \(km(mine.travel)) from the meeting school in a straight line.")))
            }
            content.append(
                .div(
                    .class("app-inset"), .id("next-meeting"),
                    .unwrap(
                        m.next,
                        { next in
                            .p(.strong(.text("Next meeting: ")), .text("\(next.when), at \(next.venue)."))
                        }, else: .p(.text("No meeting is planned yet."))),
                    .unwrap(g.id) { id in
                        .p(
                            .a(
                                .href("/ects/peer-groups/\(id.uuidString.lowercased())/meetings"),
                                .text("Your group's meetings: plan one, record who came and what you discussed")))
                    }))
            content.append(
                .table(
                    .class("app-table"),
                    .caption(.class("app-table__caption"), .text("Your group")),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("Name")),
                            .th(.attribute(named: "scope", value: "col"), .text("School")),
                            .th(.attribute(named: "scope", value: "col"), .text("Subject")))),
                    .tbody(
                        .forEach(g.members) { member in
                            .tr(
                                .td(.text(member.name + (member.teacher == m.me ? " (you)" : ""))),
                                .td(.text(member.school)), .td(.text(member.subject)))
                        })))
            content.append(map([g], id: "my-group-map", title: "Your group's schools and meeting school"))
        } else {
            content.append(
                .p(
                    .text(
                        "You are not in a peer group for the \(m.term.label.lowercased()) term \(m.year). The partnership coordinator forms the groups each term."
                    )))
        }
        return Layout.page(
            title: title, section: .dashboard, chrome: chrome,
            breadcrumbs: [.init("Dashboard", SitePath.dashboard)], content: content)
    }
}

import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Early-career teachers' peer groups: each term the coordinator forms groups of the register's ECTs
/// (`PeerGrouping.form`, the function behind `chalkface peer-groups`), moves members, locks groups and forms the
/// rest again; each ECT sees their own group.
struct PeerGroupController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let coordinator = RouteAccess.anyRole([.coordinator])
        routes.get("ects", "peer-groups", access: coordinator, use: page)
        routes.post("ects", "peer-groups", "form", access: coordinator, use: form)
        routes.post("ects", "peer-groups", "move", access: coordinator, use: move)
        routes.post("ects", "peer-groups", "lock", access: coordinator, use: lock)
        routes.get("ects", "my-group", access: .anyRole([.teacher, .mentor]), use: mine)
        // A group's meetings: its members and the coordinator (members are checked inside).
        let group = RouteAccess.anyRole([.coordinator, .teacher, .mentor])
        routes.get("ects", "peer-groups", ":group", "meetings", access: group, use: meetings)
        routes.post("ects", "peer-groups", ":group", "meetings", access: group, use: planMeeting)
        routes.post("ects", "peer-groups", ":group", "meetings", ":meeting", access: group, use: recordMeeting)
    }

    /// An ECT in the register today, at a school.
    struct ECT {
        var record: TeacherRecord
        var urn: Int
        var school: School?
        var member: PeerGroupMember?

        var pageMember: PeerGroupPages.Member {
            PeerGroupPages.Member(
                teacher: record.id, name: record.name, school: school?.name ?? "URN \(urn)", urn: urn,
                subject: member?.subject.label ?? record.specialisms.first?.label ?? "Not recorded",
                at: school?.location, travel: 0)
        }
    }

    static func today(_ req: Request) -> Day { Day.inUK(req.application.clock.now()) }

    /// An ECT's phase: their school's, or, where the school's phase is not primary or secondary (all-through,
    /// not recorded), their subject's.
    static func phase(of school: School?, subject: TeachingSubject) -> PeerGroupPhase {
        switch school?.phase {
        case .nursery, .primary, .middleDeemedPrimary: .primary
        case .secondary, .sixteenPlus, .middleDeemedSecondary: .secondary
        default: subject == .primary ? .primary : .secondary
        }
    }

    /// Every teacher with an early-career period open today, at the school of that period.
    static func ects(_ req: Request) async throws -> [ECT] {
        let today = today(req)
        var found: [(TeacherRecord, Int)] = []
        for record in try await TeacherStore(req.db).all() {
            if let p = record.periods.last(where: {
                $0.role == .ect && $0.startedOn <= today && ($0.finishedOn.map { $0 >= today } ?? true)
            }) {
                found.append((record, p.urn))
            }
        }
        let schools = try await SchoolStore(req.db).find(Set(found.map { URN($0.1) }))
        return found.map { record, urn in
            let school = schools[URN(urn)]
            var ect = ECT(record: record, urn: urn, school: school)
            if let school, let at = school.location {
                let subject = record.specialisms.first ?? .primary
                let phase = phase(of: school, subject: subject)
                ect.member = PeerGroupMember(
                    id: record.id.uuidString, school: String(urn), phase: phase,
                    subject: phase == .primary ? .primary : (subject == .primary ? .english : subject),
                    x: at.easting, y: at.northing)
            }
            return ect
        }.sorted { ($0.record.lastName, $0.record.firstName) < ($1.record.lastName, $1.record.firstName) }
    }

    /// Coordinators see ECTs' names only where the partnership shares individual records; otherwise each member
    /// is shown by school and subject, which is enough to form and adjust the groups.
    static func showsNames(_ req: Request) async throws -> Bool {
        try await req.dataSharing() == .individualRecords
    }

    /// The stored groups as the pages show them, with each member's distance to the meeting school.
    static func pageGroups(
        _ stored: [StoredPeerGroup], ects: [UUID: ECT], names: [UUID: TeacherRecord], schools: [URN: School],
        showNames: Bool = true
    ) -> [PeerGroupPages.Group] {
        stored.map { g in
            let meeting = schools[URN(g.meetingURN)]
            let members = g.members.map { m -> PeerGroupPages.Member in
                let school = schools[URN(m.urn)]
                var travel = 0.0
                if let a = school?.location, let b = meeting?.location {
                    travel =
                        ((a.easting - b.easting) * (a.easting - b.easting)
                        + (a.northing - b.northing) * (a.northing - b.northing)).squareRoot()
                }
                let record = names[m.teacher]
                return PeerGroupPages.Member(
                    teacher: m.teacher,
                    name: showNames ? record?.name ?? "Removed from the register" : "An early-career teacher",
                    school: school?.name ?? "URN \(m.urn)", urn: m.urn,
                    subject: ects[m.teacher]?.member?.subject.label ?? record?.specialisms.first?.label ?? "",
                    at: school?.location, travel: travel)
            }.sorted { $0.name < $1.name }
            let phase = ects.values.first { e in g.members.contains { $0.teacher == e.record.id } }?.member?.phase
            return PeerGroupPages.Group(
                number: g.number, phase: phase == .secondary ? "Secondary" : phase == .primary ? "Primary" : "ECTs",
                meetingSchool: meeting?.name ?? "URN \(g.meetingURN)", meetingURN: g.meetingURN,
                meetingAt: meeting?.location, locked: g.locked, members: members, id: g.id)
        }
    }

    /// The groups with their meetings, each meeting's venue named.
    static func withMeetings(_ req: Request, _ groups: [PeerGroupPages.Group]) async throws -> [PeerGroupPages.Group] {
        let meetings = try await PeerGroupStore(req.db).meetings(groups: groups.compactMap(\.id))
        let venues = try await SchoolStore(req.db).find(Set(meetings.values.joined().map { URN($0.venueURN) }))
        return groups.map { g in
            var g = g
            g.meetings = (g.id.flatMap { meetings[$0] } ?? []).map {
                PeerGroupPages.Meeting($0, venue: venues[URN($0.venueURN)]?.name ?? "URN \($0.venueURN)")
            }
            return g
        }
    }

    func page(req: Request) async throws -> Response {
        var notice: String?
        if let n = req.query[String.self, at: "formed"], n.count <= 300 { notice = n }
        if req.query[String.self, at: "moved"] == "1" {
            notice = "The member was moved; both groups' meeting schools were chosen again."
        }
        return try await render(req, notice: notice)
    }

    func render(
        _ req: Request, form: [String: String] = [:], problems: [ValidationError.Problem] = [], notice: String? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let today = Self.today(req)
        let year = AcademicYear.containing(today)
        let term = Term.containing(today)
        let ects = try await Self.ects(req)
        let stored = try await PeerGroupStore(req.db).groups(year: year, term: term)
        let byID = Dictionary(uniqueKeysWithValues: ects.map { ($0.record.id, $0) })
        let inGroups = Set(stored.flatMap { $0.members.map(\.teacher) })
        var names: [UUID: TeacherRecord] = Dictionary(uniqueKeysWithValues: ects.map { ($0.record.id, $0.record) })
        let store = TeacherStore(req.db)
        for id in inGroups where names[id] == nil { names[id] = try await store.teacher(id)?.record }
        let urns = Set(stored.flatMap { g in [URN(g.meetingURN)] + g.members.map { URN($0.urn) } })
        let schools = try await SchoolStore(req.db).find(urns)
        let showNames = try await Self.showsNames(req)
        let groups = try await Self.withMeetings(
            req, Self.pageGroups(stored, ects: byID, names: names, schools: schools, showNames: showNames))
        var check: PeerGrouping.Check?
        var unkept: [String] = []
        if !stored.isEmpty {
            // The rules checked on the groups as they stand, with the sizes they were formed for.
            let grouped = stored.flatMap { g in g.members.compactMap { byID[$0.teacher]?.member.map { (g.number, $0) } }
            }
            let grouping = PeerGrouping(members: grouped.map(\.1), labels: grouped.map { String($0.0) })
            let sizes = PeerGroupRules(
                minimum: stored.map(\.minimum).min() ?? 5, maximum: stored.map(\.maximum).max() ?? 8)
            if let sizes { check = grouping.check(sizes) }
            let left = stored.flatMap(\.members).filter { byID[$0.teacher] == nil }.count
            if left > 0 {
                unkept.append(
                    "\(left) member\(left == 1 ? " is" : "s are") no longer an early-career teacher in the register (or their school has no grid reference); form the groups again to take them out."
                )
            }
        }
        try await req.audit(
            .peerGroupsRead, subjectType: "peer-groups", subjectID: "\(year.start)-\(term.rawValue)",
            detail: "\(ects.count) ECTs, \(stored.count) groups")
        func shown(_ e: ECT) -> PeerGroupPages.Member {
            var m = e.pageMember
            if !showNames { m.name = "An early-career teacher" }
            return m
        }
        let model = PeerGroupPages.Model(
            year: year, term: term, ects: ects.count, groups: groups,
            ungrouped: ects.filter { $0.member != nil && !inGroups.contains($0.record.id) }.map(shown),
            unplaceable: ects.filter { $0.member == nil }.map(shown), check: check, unkept: unkept,
            form: form, problems: problems, notice: notice, showNames: showNames)
        return HTMLResponse.make(PeerGroupPages.coordinator(model, chrome: req.chrome), status: status)
    }

    func form(req: Request) async throws -> Response {
        let body = FormValues.body(req)
        var form: [String: String] = ["minimum": body.one("minimum"), "maximum": body.one("maximum")]
        form["families"] = body.one("families") == "true" ? "true" : "false"
        form["fewest"] = body.one("fewest") == "true" ? "true" : "false"
        var problems: [ValidationError.Problem] = []
        let minimum = BoundedInput.wholeNumber(form["minimum"] ?? "", in: PeerGroupRules.sizes)
        let maximum = BoundedInput.wholeNumber(form["maximum"] ?? "", in: PeerGroupRules.sizes)
        if minimum == nil {
            problems.append(
                .init(field: "minimum", message: "Enter the smallest group size, a whole number from 2 to 50"))
        }
        if maximum == nil {
            problems.append(
                .init(field: "maximum", message: "Enter the largest group size, a whole number from 2 to 50"))
        } else if let minimum, let maximum, maximum < minimum {
            problems.append(
                .init(field: "maximum", message: "The largest group must be at least the smallest (\(minimum))"))
        }
        guard problems.isEmpty, let minimum, let maximum,
            let rules = PeerGroupRules(
                minimum: minimum, maximum: maximum, subjectFamilies: form["families"] == "true",
                fewestGroups: form["fewest"] == "true")
        else { return try await render(req, form: form, problems: problems, status: .badRequest) }
        let today = Self.today(req)
        let year = AcademicYear.containing(today)
        let term = Term.containing(today)
        let ects = try await Self.ects(req).filter { $0.member != nil }
        let index = Dictionary(uniqueKeysWithValues: ects.enumerated().map { ($1.record.id, $0) })
        let viewer = try req.requirePrincipal()
        let grouping = try await req.db.transaction { tx -> PeerGrouping in
            let store = PeerGroupStore(tx)
            // A group that has met keeps its members and record: it is locked before the rest are formed again.
            for id in try await store.groupsThatMet(year: year, term: term) { try await store.setLocked(id, true) }
            let locked = try await store.groups(year: year, term: term).filter(\.locked)
            // Locked groups keep their members; those with no member still an ECT here are kept as stored.
            let current = locked.map { g in (group: g, members: g.members.compactMap { index[$0.teacher] }) }
                .filter { !$0.members.isEmpty }
            let grouping = PeerGrouping.form(
                ects.map { $0.member! }, rules: rules, locked: current.map(\.members))
            // The locked groups come first in the result, in the order given.
            let chosen = Dictionary(
                uniqueKeysWithValues: zip(current, grouping.groups).map { ($0.group.id, ects[$1.meeting].urn) })
            let lockedMeetings = locked.map { (id: $0.id, meetingURN: chosen[$0.id] ?? $0.meetingURN) }
            let formed = grouping.groups.filter { !$0.locked }.map { g in
                (
                    meetingURN: ects[g.meeting].urn,
                    members: g.members.map { (teacher: ects[$0].record.id, urn: ects[$0].urn) }
                )
            }
            try await store.replaceUnlocked(
                year: year, term: term, locked: lockedMeetings, formed: formed, rules: rules, by: viewer.person.name,
                at: req.now)
            try await req.audit(
                .peerGroupsChanged, subjectType: "peer-groups", subjectID: "\(year.start)-\(term.rawValue)",
                detail: "formed \(formed.count) groups (\(locked.count) locked kept) of \(ects.count) ECTs", on: tx)
            return grouping
        }
        let formedCount = grouping.groups.filter { !$0.locked }.count
        let summary =
            "Formed \(formedCount) group\(formedCount == 1 ? "" : "s")"
            + (grouping.unkept.isEmpty
                ? "; every rule kept." : "; not kept: " + grouping.unkept.joined(separator: "; "))
        let encoded = summary.prefix(300).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return req.redirect(to: "/ects/peer-groups?formed=\(encoded)", redirectType: .normal)
    }

    func move(req: Request) async throws -> Response {
        let body = FormValues.body(req)
        let teacherText = body.one("teacher")
        let today = Self.today(req)
        let year = AcademicYear.containing(today)
        let term = Term.containing(today)
        guard let teacher = UUID(uuidString: teacherText) else {
            throw Abort(.badRequest, reason: "teacher: not a register record's id")
        }
        let numberText = body.one("group-for-\(teacherText.lowercased())")
        let store = PeerGroupStore(req.db)
        let stored = try await store.groups(year: year, term: term)
        guard let from = stored.first(where: { $0.members.contains { $0.teacher == teacher } }) else {
            throw Abort(.notFound, reason: "That teacher is in no peer group this term.")
        }
        guard let number = BoundedInput.wholeNumber(numberText, in: 1...100_000),
            let to = stored.first(where: { $0.number == number }), to.id != from.id
        else {
            return try await render(
                req, problems: [.init(field: "group-for-\(teacherText.lowercased())", message: "Choose another group")],
                status: .badRequest)
        }
        // Groups are of one phase: a member moves only to a group of their own phase.
        let phases = Dictionary(
            uniqueKeysWithValues: try await Self.ects(req).compactMap { e in e.member.map { (e.record.id, $0.phase) } })
        if let phase = phases[teacher], to.members.contains(where: { phases[$0.teacher].map { $0 != phase } ?? false })
        {
            return try await render(
                req,
                problems: [
                    .init(
                        field: "group-for-\(teacherText.lowercased())",
                        message: "Choose a group of the same phase: groups are primary or secondary")
                ], status: .badRequest)
        }
        // Both groups' meeting schools are chosen again from their members' schools.
        let schools = try await SchoolStore(req.db).find(Set((from.members + to.members).map { URN($0.urn) }))
        func meeting(_ members: [(teacher: UUID, urn: Int)]) -> Int? {
            let located = members.compactMap { m in schools[URN(m.urn)]?.location.map { (m.urn, $0) } }
            guard !located.isEmpty else { return nil }
            let points = located.enumerated().map { i, l in
                PeerGroupMember(
                    id: String(i), school: String(l.0), phase: .primary, subject: .primary, x: l.1.easting,
                    y: l.1.northing)
            }
            let g = PeerGrouping.meetingOf(Array(points.indices), members: points, locked: false)
            return located[g.meeting].0
        }
        let mover = from.members.first { $0.teacher == teacher }!
        let fromAfter = from.members.filter { $0.teacher != teacher }
        let toAfter = to.members + [mover]
        var meetings: [(group: UUID, urn: Int)] = []
        if let m = meeting(fromAfter) { meetings.append((from.id, m)) }
        if let m = meeting(toAfter) { meetings.append((to.id, m)) }
        let chosen = meetings
        try await req.db.transaction { tx in
            try await PeerGroupStore(tx).move(teacher: teacher, to: to.id, year: year, term: term, meetings: chosen)
            try await req.audit(
                .peerGroupsChanged, subjectType: "teacher", subjectID: teacher.uuidString,
                detail: "moved from peer group \(from.number) to \(to.number)", on: tx)
        }
        return req.redirect(to: "/ects/peer-groups?moved=1#group-\(to.number)", redirectType: .normal)
    }

    func lock(req: Request) async throws -> Response {
        let query = FormValues.query(req)
        guard let number = BoundedInput.wholeNumber(query.one("group"), in: 1...100_000),
            ["true", "false"].contains(query.one("locked"))
        else { throw Abort(.badRequest, reason: "group: a group number; locked: true or false") }
        let today = Self.today(req)
        let year = AcademicYear.containing(today)
        let term = Term.containing(today)
        guard
            let group = try await PeerGroupStore(req.db).groups(year: year, term: term).first(where: {
                $0.number == number
            })
        else { throw Abort(.notFound, reason: "There is no peer group \(number) this term.") }
        let locked = query.one("locked") == "true"
        try await req.db.transaction { tx in
            try await PeerGroupStore(tx).setLocked(group.id, locked)
            try await req.audit(
                .peerGroupsChanged, subjectType: "peer-group", subjectID: group.id.uuidString,
                detail: "\(locked ? "locked" : "unlocked") group \(number)", on: tx)
        }
        return req.redirect(to: "/ects/peer-groups#group-\(number)", redirectType: .normal)
    }

    func mine(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let today = Self.today(req)
        let year = AcademicYear.containing(today)
        let term = Term.containing(today)
        let teacher = try await TeacherLinkStore(req.db).teacher(for: .person(viewer.id))
        var group: PeerGroupPages.Group?
        if let teacher, let stored = try await PeerGroupStore(req.db).group(of: teacher, year: year, term: term) {
            let store = TeacherStore(req.db)
            var names: [UUID: TeacherRecord] = [:]
            for m in stored.members { names[m.teacher] = try await store.teacher(m.teacher)?.record }
            let schools = try await SchoolStore(req.db).find(
                Set([URN(stored.meetingURN)] + stored.members.map { URN($0.urn) }))
            group = try await Self.withMeetings(
                req, Self.pageGroups([stored], ects: [:], names: names, schools: schools)
            ).first
            try await req.audit(
                .peerGroupsRead, subjectType: "peer-group", subjectID: stored.id.uuidString,
                detail: "own group \(stored.number)")
        }
        var model = PeerGroupPages.Mine(year: year, term: term, linked: teacher != nil, group: group, me: teacher)
        model.next = Self.next(req, group?.meetings ?? [])
        return HTMLResponse.make(PeerGroupPages.mine(model, chrome: req.chrome))
    }

    static func next(_ req: Request, _ meetings: [PeerGroupPages.Meeting]) -> PeerGroupPages.Meeting? {
        let now = req.now
        let day = Day.inUK(now)
        let minute = Int(now.timeIntervalSince(day.startInUK ?? now) / 60)
        let next = PeerGroupMeeting.next(meetings.map(\.meeting), today: day, minute: minute)
        return meetings.first { $0.meeting.id == next?.id }
    }

    // MARK: Meetings

    /// The group in the path, this term's, and whether the viewer sees it as the coordinator (otherwise as one of
    /// its members; anyone else is refused).
    static func viewersGroup(_ req: Request) async throws -> (group: StoredPeerGroup, coordinator: Bool) {
        let viewer = try req.requirePrincipal()
        let today = today(req)
        guard let id = req.parameters.get("group").flatMap(UUID.init(uuidString:)),
            let group = try await PeerGroupStore(req.db).groups(
                year: AcademicYear.containing(today), term: Term.containing(today)
            ).first(where: { $0.id == id })
        else { throw Abort(.notFound, reason: "There is no peer group with that id this term.") }
        if viewer.has(.coordinator) { return (group, true) }
        guard let teacher = try await TeacherLinkStore(req.db).teacher(for: .person(viewer.id)),
            group.members.contains(where: { $0.teacher == teacher })
        else { throw Abort(.forbidden, reason: "Only the group's members and the coordinator see its meetings.") }
        return (group, false)
    }

    func meetingsPage(
        _ req: Request, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
        notice: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let (stored, coordinator) = try await Self.viewersGroup(req)
        let store = TeacherStore(req.db)
        var names: [UUID: TeacherRecord] = [:]
        for m in stored.members { names[m.teacher] = try await store.teacher(m.teacher)?.record }
        let schools = try await SchoolStore(req.db).find(
            Set([URN(stored.meetingURN)] + stored.members.map { URN($0.urn) }))
        let shared = try await Self.showsNames(req)
        let showNames = !coordinator || shared
        let group = try await Self.withMeetings(
            req, Self.pageGroups([stored], ects: [:], names: names, schools: schools, showNames: showNames))[0]
        try await req.audit(
            .peerGroupsRead, subjectType: "peer-group", subjectID: stored.id.uuidString,
            detail: "meetings of group \(stored.number)")
        var model = PeerGroupPages.Meetings(
            group: group, year: AcademicYear.containing(Self.today(req)), today: Self.today(req),
            coordinator: coordinator)
        model.form = form
        model.problems = problems
        model.notice = notice
        return HTMLResponse.make(PeerGroupPages.meetings(model, chrome: req.chrome), status: status)
    }

    func meetings(req: Request) async throws -> Response {
        var notice: String?
        if req.query[String.self, at: "planned"] == "1" {
            notice = "The meeting is planned; members see it as their next."
        }
        if req.query[String.self, at: "recorded"] == "1" { notice = "The meeting's record is saved." }
        return try await meetingsPage(req, notice: notice)
    }

    func planMeeting(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let (group, _) = try await Self.viewersGroup(req)
        let when = FormValues.body(req).one("when")
        switch PeerGroupMeeting.when(when, today: Self.today(req)) {
        case .failure(let e):
            return try await meetingsPage(req, form: ["when": when], problems: e.problems, status: .badRequest)
        case .success(let session):
            let meeting = PeerGroupMeeting(
                group: group.id, session: session, venueURN: group.meetingURN, plannedBy: viewer.person.name)
            try await req.db.transaction { tx in
                try await PeerGroupStore(tx).addMeeting(meeting, at: req.now)
                try await req.audit(
                    .peerGroupsChanged, subjectType: "peer-group", subjectID: group.id.uuidString,
                    detail: "planned a meeting of group \(group.number) on \(session.text)", on: tx)
            }
            return req.redirect(
                to: "/ects/peer-groups/\(group.id.uuidString.lowercased())/meetings?planned=1", redirectType: .normal)
        }
    }

    func recordMeeting(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let (group, _) = try await Self.viewersGroup(req)
        guard let id = req.parameters.get("meeting").flatMap(UUID.init(uuidString:)),
            let meeting = try await PeerGroupStore(req.db).meetings(group: group.id).first(where: { $0.id == id })
        else { throw Abort(.notFound, reason: "The group has no meeting with that id.") }
        let key = id.uuidString.lowercased()
        let body = FormValues.body(req)
        let chosen = body.all("attended-\(key)")
        let noteText = body.one("note-\(key)")
        var problems: [ValidationError.Problem] = []
        let members = Set(group.members.map(\.teacher))
        var attended: Set<UUID> = []
        for value in chosen {
            if let t = UUID(uuidString: value), members.contains(t) {
                attended.insert(t)
            } else {
                problems.append(.init(field: "attended-\(key)", message: "Choose members of the group"))
                break
            }
        }
        if !meeting.canRecord(on: Self.today(req)) {
            problems.append(
                .init(
                    field: "attended-\(key)",
                    message: "Record who came on or after the meeting's day (\(meeting.session.day.longDescription))"))
        }
        var note = ""
        switch PeerGroupMeeting.note(noteText, field: "note-\(key)") {
        case .success(let n): note = n
        case .failure(let e): problems += e.problems
        }
        guard problems.isEmpty else {
            return try await meetingsPage(
                req,
                form: [
                    "meeting": key, "attended-\(key)": chosen.joined(separator: ";"), "note-\(key)": noteText,
                ], problems: problems, status: .badRequest)
        }
        let came = attended
        let text = note
        try await req.db.transaction { tx in
            try await PeerGroupStore(tx).recordAttendance(
                meeting: id, attended: came, note: text, by: viewer.person.name, at: req.now)
            try await req.audit(
                .peerGroupsChanged, subjectType: "peer-group", subjectID: group.id.uuidString,
                detail: "recorded the meeting of \(meeting.session.day): \(came.count) of \(members.count) came",
                on: tx)
        }
        return req.redirect(
            to: "/ects/peer-groups/\(group.id.uuidString.lowercased())/meetings?recorded=1", redirectType: .normal)
    }
}

import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// The CPD catalogue: public to browse; teachers and mentors enrol; providers' staff manage their own programmes
/// and decide on enrolments; coordinators manage any (and see names only where individual records are shared).
struct CPDController: RouteCollection {
    static let learners: Set<Role> = [.teacher, .mentor]
    static let managers: Set<Role> = [.coordinator, .providerStaff]

    func boot(routes: any RoutesBuilder) throws {
        routes.get("cpd", access: .everyone, use: catalogue)
        routes.get("cpd", "enrolments", access: .anyRole(Self.learners), use: mine)
        routes.get("cpd", "enrolments.ics", access: .anyRole(Self.learners), use: myCalendar)
        routes.post("cpd", "enrolments", ":enrolment", "withdraw", access: .anyRole(Self.learners), use: withdraw)
        routes.post("cpd", "enrolments", ":enrolment", "decide", access: .anyRole(Self.managers), use: decide)
        routes.post("cpd", "enrolments", ":enrolment", "attendance", access: .anyRole(Self.managers), use: attendance)
        routes.get("cpd", "manage", access: .anyRole(Self.managers), use: manage)
        routes.get("cpd", "take-up", access: .staff, use: takeUp)
        routes.get("cpd", "new", access: .anyRole(Self.managers), use: newForm)
        routes.post("cpd", "new", access: .anyRole(Self.managers), use: create)
        routes.get("cpd", ":programme", access: .everyone, use: detail)
        routes.get("cpd", ":programme", "calendar.ics", access: .everyone, use: calendar)
        routes.post(
            "cpd", ":programme", "cohorts", ":cohort", "enrol", access: .anyRole(Self.learners), use: enrol)
        routes.get("cpd", ":programme", "enrolments", access: .anyRole(Self.managers), use: enrolments)
        routes.post("cpd", ":programme", "enrol-for", access: .anyRole([.schoolStaff]), use: enrolFor)
        routes.post("cpd", ":programme", "cohorts", access: .anyRole(Self.managers), use: addCohort)
    }

    // MARK: Helpers

    static func programme(_ req: Request) async throws -> CPDProgramme {
        guard let id = req.parameters.get("programme").flatMap(UUID.init(uuidString:)),
            let p = try await CPDStore(req.db).programme(id)
        else { throw Abort(.notFound, reason: "The catalogue has no programme with that id.") }
        return p
    }

    /// Coordinators manage every programme; a provider's staff the programmes their organisation manages.
    static func mayManage(_ viewer: Principal, _ p: CPDProgramme) -> Bool {
        viewer.has(.coordinator)
            || (p.managedBy.map { viewer.organisations(as: .providerStaff).contains(OrganisationID($0)) } ?? false)
    }

    /// Names on enrolment lists: the managing provider's staff, or coordinators where individual records are shared.
    static func seesNames(_ req: Request, _ p: CPDProgramme) async throws -> Bool {
        let viewer = try req.requirePrincipal()
        if p.managedBy.map({ viewer.organisations(as: .providerStaff).contains(OrganisationID($0)) }) == true {
            return true
        }
        guard viewer.has(.coordinator) else { return false }
        return try await req.dataSharing() == .individualRecords
    }

    /// The school the signed-in person works at (as a teacher, mentor or school staff), if any.
    static func viewerSchool(_ req: Request) async throws -> School? {
        guard let viewer = req.identity?.principal else { return nil }
        let organisations = try await OrganisationStore(req.db).list()
        for m in viewer.memberships where [.teacher, .mentor, .schoolStaff].contains(m.role) {
            if let urn = organisations.first(where: { $0.id == m.organisation })?.urn,
                let school = try await SchoolStore(req.db).find(urn)
            {
                return school
            }
        }
        return nil
    }

    static func venueNames(_ req: Request, _ programmes: [CPDProgramme]) async throws -> [Int: School] {
        let schools = try await SchoolStore(req.db).find(programmes.compactMap { $0.venueURN.map(URN.init) })
        return Dictionary(uniqueKeysWithValues: schools.map { ($0.key.value, $0.value) })
    }

    // MARK: The catalogue

    /// The filters from the query, each bounded; problems named by field.
    static func filter(_ req: Request) async throws -> (CatalogueFilter, [String: String], [ValidationError.Problem]) {
        var form: [String: String] = [:]
        for key in ["q", "subject", "phase", "stage", "kind", "format", "postcode", "within", "from", "to", "free"] {
            if let v = req.query[String.self, at: key]?.trimmingSpaces, !v.isEmpty { form[key] = String(v.prefix(200)) }
        }
        var f = CatalogueFilter()
        var problems: [ValidationError.Problem] = []
        f.text = form["q"]
        func pick<T: RawRepresentable>(_ key: String, _ name: String) -> T? where T.RawValue == String {
            guard let v = form[key] else { return nil }
            guard let t = T(rawValue: v) else {
                problems.append(.init(field: key, message: "Choose a \(name) from the list"))
                return nil
            }
            return t
        }
        f.subject = pick("subject", "subject")
        f.phase = pick("phase", "phase")
        f.stage = pick("stage", "career stage")
        f.kind = pick("kind", "kind")
        f.format = pick("format", "format")
        if let w = form["within"] {
            if let km = BoundedInput.decimal(w, in: 1...200) {
                f.withinKm = km
            } else {
                problems.append(.init(field: "within", message: "Enter a distance from 1 to 200 km"))
            }
        }
        if let text = form["postcode"] {
            if let postcode = Postcode(text) {
                if let located = try await PostcodeStore(req.db).locate(postcode) {
                    f.near = located.point
                } else {
                    problems.append(
                        .init(field: "postcode", message: "Chalkface does not know the postcode \(postcode.value)"))
                }
            } else {
                problems.append(.init(field: "postcode", message: "Enter a postcode, like ME1 1AA"))
            }
        }
        for (key, name) in [("from", "the first start date"), ("to", "the last start date")] {
            if let v = form[key] {
                if let d = Day(v) {
                    if key == "from" { f.startsFrom = d } else { f.startsTo = d }
                } else {
                    problems.append(.init(field: key, message: "Enter \(name) as a date, like 2027-01-14"))
                }
            }
        }
        if let a = f.startsFrom, let b = f.startsTo, b < a {
            problems.append(.init(field: "to", message: "The last start date must be on or after the first"))
        }
        f.freeOrFunded = form["free"] == "true"
        return (f, form, problems)
    }

    func catalogue(req: Request) async throws -> Response {
        let (filter, form, problems) = try await Self.filter(req)
        let store = CPDStore(req.db)
        let programmes = try await store.programmes()
        let cohorts = try await store.cohorts()
        let venues = try await Self.venueNames(req, programmes)
        let today = Day.inUK(req.now)
        let rows = programmes.filter { p in
            problems.isEmpty
                ? filter.matches(p, cohorts: cohorts[p.id] ?? [], venue: p.venueURN.flatMap { venues[$0]?.location })
                : true
        }.map { p in
            CPDPages.Row(
                programme: p, next: (cohorts[p.id] ?? []).first { ($0.startsOn ?? today) >= today },
                venue: p.venueURN.flatMap { venues[$0]?.name })
        }
        let viewer = req.identity?.principal
        return HTMLResponse.make(
            CPDPages.catalogue(
                .init(
                    rows: rows, total: programmes.count, form: form, problems: problems,
                    canManage: viewer.map { v in Self.managers.contains { v.has($0) } } ?? false),
                chrome: req.chrome),
            status: problems.isEmpty ? .ok : .badRequest)
    }

    func detailModel(_ req: Request, notice: String? = nil, problems: [ValidationError.Problem] = []) async throws
        -> CPDPages.Detail
    {
        let p = try await Self.programme(req)
        let cohorts = try await CPDStore(req.db).cohorts(of: p.id)
        let viewer = req.identity?.principal
        var mine: [UUID: CPDEnrolment] = [:]
        if let viewer {
            for e in try await CPDStore(req.db).enrolments(person: viewer.id) { mine[e.cohort] = e }
        }
        var funding: NPQFunding.Decision?
        var fundingSchool: String?
        if let course = p.npqCourse {
            var school = try await Self.viewerSchool(req)
            if let text = req.query[String.self, at: "urn"],
                let urn = BoundedInput.wholeNumber(text, in: 100_000...999_999)
            {
                school = try await SchoolStore(req.db).find(URN(urn))
            }
            funding = NPQFunding.decide(course: course, school: school)
            fundingSchool = school?.name
        }
        let venue = try await Self.venueNames(req, [p])[p.venueURN ?? -1]
        return CPDPages.Detail(
            programme: p, cohorts: cohorts.map { .init(cohort: $0, mine: mine[$0.id]) },
            venue: venue.map { "\($0.name), \($0.town ?? "")" }, funding: funding, fundingSchool: fundingSchool,
            canEnrol: viewer.map { v in Self.learners.contains { v.has($0) } } ?? false,
            canManage: viewer.map { Self.mayManage($0, p) } ?? false,
            colleagues: try await Self.colleagues(req).map { ($0.id.rawValue.uuidString.lowercased(), $0.name) },
            notice: notice, problems: problems)
    }

    func detail(req: Request) async throws -> Response {
        HTMLResponse.make(CPDPages.detail(try await detailModel(req), chrome: req.chrome))
    }

    func calendar(req: Request) async throws -> Response {
        let p = try await Self.programme(req)
        let cohorts = try await CPDStore(req.db).cohorts(of: p.id)
        let venue = try await Self.venueNames(req, [p])[p.venueURN ?? -1]
        let events = cohorts.flatMap { c in
            c.sessions.enumerated().map { i, s in
                ICalendar.Event(
                    uid: "\(c.id.uuidString.lowercased())-\(i)@chalkface", summary: "\(p.title) (session \(i + 1))",
                    start: ICalendar.ukInstant(s.day, minutes: s.start),
                    end: ICalendar.ukInstant(s.day, minutes: s.end),
                    location: p.format == .online ? "Online" : venue.map { "\($0.name), \($0.postcode ?? "")" },
                    description: "\(p.provider): \(p.summary)")
            }
        }
        return Self.ics(ICalendar.calendar(name: p.title, events: events, now: req.now), name: "cpd-programme.ics")
    }

    static func ics(_ body: String, name: String) -> Response {
        ColdSpotsController().download(
            body, type: HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"]), name: name)
    }

    // MARK: Enrolling

    static func cohort(_ req: Request, of p: CPDProgramme, id text: String?) async throws -> CPDCohort {
        guard let id = text.flatMap(UUID.init(uuidString:)), let cohort = try await CPDStore(req.db).cohort(id),
            cohort.programme == p.id
        else { throw Abort(.notFound, reason: "The programme has no cohort with that id.") }
        return cohort
    }

    /// Asks for a place for someone (the viewer, or a teacher at their school), with its timeline event and audit
    /// entry; nil when it worked, or the page saying why not.
    func requestPlace(
        _ req: Request, _ p: CPDProgramme, _ cohort: CPDCohort, for person: PersonID, name: String, urn: Int?,
        timeline: String, detail: String
    ) async throws -> Response? {
        let viewer = try req.requirePrincipal()
        let enrolment = CPDEnrolment(cohort: cohort.id, person: person, name: name, urn: urn, requestedAt: req.now)
        let id: UUID
        do {
            id = try await req.db.transaction { tx in
                let id = try await CPDStore(tx).enrol(enrolment)
                try await Self.onTimeline(tx, person: person, timeline, author: viewer.person.name, at: req.now)
                return id
            }
        } catch let error as CPDStore.EnrolError {
            let message =
                switch error {
                case .full: "The cohort is full: every place has been taken."
                case .alreadyEnrolled:
                    person == viewer.id
                        ? "You already have a place on this cohort." : "\(name) already has a place on this cohort."
                case .noSuchCohort: "The cohort no longer exists."
                }
            return HTMLResponse.make(
                CPDPages.detail(
                    try await detailModel(req, problems: [.init(field: "cohorts", message: message)]),
                    chrome: req.chrome),
                status: .conflict)
        }
        try await req.audit(
            .cpdEnrolled, subjectType: "cpd-enrolment", subjectID: id.uuidString, person: person, detail: detail)
        return nil
    }

    func enrol(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let p = try await Self.programme(req)
        let cohort = try await Self.cohort(req, of: p, id: req.parameters.get("cohort"))
        let school = try await Self.viewerSchool(req)
        if let refused = try await requestPlace(
            req, p, cohort, for: viewer.id, name: viewer.person.name, urn: school?.urn.value,
            timeline:
                "Asked for a place on \(p.title) (\(p.provider)), starting \(cohort.startsOn?.longDescription ?? "")",
            detail: "\(p.title), cohort starting \(cohort.startsOn?.description ?? "")")
        {
            return refused
        }
        return HTMLResponse.make(
            CPDPages.detail(
                try await detailModel(req, notice: "You asked for a place. \(p.provider) will accept or decline it."),
                chrome: req.chrome))
    }

    /// Teachers and mentors at the viewer's schools (where the viewer is school staff), by name.
    static func colleagues(_ req: Request) async throws -> [(id: PersonID, name: String, urn: Int?)] {
        guard let viewer = req.identity?.principal else { return [] }
        let schools = viewer.organisations(as: .schoolStaff)
        guard !schools.isEmpty else { return [] }
        let urns = Dictionary(
            uniqueKeysWithValues: try await OrganisationStore(req.db).list().map { ($0.id, $0.urn?.value) })
        return try await PeopleStore(req.db).list(.organisations(schools), viewer: nil).compactMap { p in
            guard p.person.id != viewer.id, p.person.active,
                let m = p.memberships.first(where: {
                    schools.contains($0.organisation) && ($0.role == .teacher || $0.role == .mentor)
                })
            else { return nil }
            return (p.person.id, p.person.name, urns[m.organisation] ?? nil)
        }
    }

    /// School staff ask for a place for a teacher or mentor at their school.
    func enrolFor(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let p = try await Self.programme(req)
        let body = FormValues.body(req)
        var problems: [ValidationError.Problem] = []
        let colleagues = try await Self.colleagues(req)
        let colleague = UUID(uuidString: body.one("person")).flatMap { id in
            colleagues.first { $0.id.rawValue == id }
        }
        if colleague == nil {
            problems.append(.init(field: "person", message: "Choose a teacher or mentor at your school"))
        }
        let cohort =
            try await UUID(uuidString: body.one("cohort")).asyncMap { try await CPDStore(req.db).cohort($0) }
            ?? nil
        if cohort?.programme != p.id {
            problems.append(.init(field: "cohort", message: "Choose one of the programme's cohorts"))
        }
        guard problems.isEmpty, let colleague, let cohort else {
            return HTMLResponse.make(
                CPDPages.detail(try await detailModel(req, problems: problems), chrome: req.chrome),
                status: .badRequest)
        }
        if let refused = try await requestPlace(
            req, p, cohort, for: colleague.id, name: colleague.name, urn: colleague.urn,
            timeline:
                "\(viewer.person.name) asked for a place on \(p.title) (\(p.provider)) on their behalf, starting \(cohort.startsOn?.longDescription ?? "")",
            detail: "\(p.title), cohort starting \(cohort.startsOn?.description ?? ""), on behalf of \(colleague.name)")
        {
            return refused
        }
        return HTMLResponse.make(
            CPDPages.detail(
                try await detailModel(
                    req,
                    notice:
                        "You asked for a place for \(colleague.name). \(p.provider) will accept or decline it; \(colleague.name) sees it in their enrolments."
                ),
                chrome: req.chrome))
    }

    /// Completing subject specialism training (TSST) records the programme's subjects as the teacher's
    /// qualifications in the register (when their account is linked to a record), so the specialist share of the
    /// hours they teach moves. Returns how many subjects were newly recorded.
    static func recordQualifications(
        _ db: any Database, _ p: CPDProgramme, person: PersonID, author: String, at now: Date
    ) async throws -> Int {
        guard p.kind == .tsst, !p.subjects.isEmpty,
            let teacher = try await TeacherLinkStore(db).teacher(for: .person(person))
        else { return 0 }
        var recorded = 0
        for subject in p.subjects.sorted() {
            if try await QualificationStore(db).record(
                teacher: teacher, subject: subject, programme: p.id,
                source: "completed \(p.title) (\(p.provider))", author: author, at: now)
            {
                recorded += 1
            }
        }
        return recorded
    }

    /// Puts an event on the person's teacher-register timeline, when their account is linked to a record.
    static func onTimeline(_ db: any Database, person: PersonID, _ detail: String, author: String, at now: Date)
        async throws
    {
        guard let teacher = try await TeacherLinkStore(db).teacher(for: .person(person)) else { return }
        try await TeacherStore(db).insertEvent(
            teacher: teacher,
            TeacherEvent(kind: .cpd, on: Day.inUK(now), detail: detail, recordedAt: now, recordedBy: author))
        try await DataVersions(db).bump(DataVersions.teachers)
    }

    func myRows(_ req: Request) async throws -> [CPDPages.MineRow] {
        let viewer = try req.requirePrincipal()
        let store = CPDStore(req.db)
        var rows: [CPDPages.MineRow] = []
        for e in try await store.enrolments(person: viewer.id) {
            guard let c = try await store.cohort(e.cohort), let p = try await store.programme(c.programme) else {
                continue
            }
            rows.append(.init(enrolment: e, programme: p, cohort: c))
        }
        return rows
    }

    func mine(req: Request) async throws -> Response {
        HTMLResponse.make(CPDPages.mine(try await myRows(req), notice: nil, chrome: req.chrome))
    }

    func myCalendar(req: Request) async throws -> Response {
        let rows = try await myRows(req).filter {
            $0.enrolment.status == .accepted || $0.enrolment.status == .requested
        }
        let events = rows.flatMap { r in
            r.cohort.sessions.enumerated().map { i, s in
                ICalendar.Event(
                    uid: "\(r.enrolment.id.uuidString.lowercased())-\(i)@chalkface",
                    summary:
                        "\(r.programme.title) (session \(i + 1))\(r.enrolment.status == .requested ? " (place requested)" : "")",
                    start: ICalendar.ukInstant(s.day, minutes: s.start),
                    end: ICalendar.ukInstant(s.day, minutes: s.end),
                    location: nil, description: r.programme.provider)
            }
        }
        return Self.ics(ICalendar.calendar(name: "Your CPD", events: events, now: req.now), name: "my-cpd.ics")
    }

    func withdraw(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        guard let id = req.parameters.get("enrolment").flatMap(UUID.init(uuidString:)),
            let e = try await CPDStore(req.db).enrolment(id), e.person == viewer.id
        else { throw Abort(.notFound, reason: "You have no enrolment with that id.") }
        let reason = (try? req.content.get(String.self, at: "reason")) ?? "Withdrawn by the teacher"
        guard case .success(let status) = e.next(.withdraw, reason: reason) else {
            throw Abort(.conflict, reason: "This enrolment is \(e.status.label.lowercased()) and cannot be withdrawn.")
        }
        try await req.db.transaction { tx in
            try await CPDStore(tx).setStatus(e, to: status, reason: reason, at: req.now)
            try await Self.onTimeline(
                tx, person: viewer.id, "Withdrew from a CPD cohort: \(reason)", author: viewer.person.name, at: req.now)
        }
        try await req.audit(
            .cpdEnrolmentChanged, subjectType: "cpd-enrolment", subjectID: id.uuidString, person: viewer.id,
            detail: "withdrawn by the teacher")
        return HTMLResponse.make(
            CPDPages.mine(try await myRows(req), notice: "You have withdrawn.", chrome: req.chrome))
    }

    // MARK: Managing

    func manage(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let store = CPDStore(req.db)
        let programmes = try await store.programmes().filter { Self.mayManage(viewer, $0) }
        let cohorts = try await store.cohorts()
        var counts: [UUID: [CPDEnrolment.Status: Int]] = [:]
        var cohortProgramme: [UUID: UUID] = [:]
        for (p, cs) in cohorts { for c in cs { cohortProgramme[c.id] = p } }
        for e in try await store.allEnrolments() {
            if let p = cohortProgramme[e.cohort] { counts[p, default: [:]][e.status, default: 0] += 1 }
        }
        let rows = programmes.map {
            CPDPages.ManageRow(programme: $0, cohorts: cohorts[$0.id]?.count ?? 0, counts: counts[$0.id] ?? [:])
        }
        let scope =
            viewer.has(.coordinator)
            ? "Every programme in the catalogue: coordinators manage any entry."
            : "The programmes your organisation manages."
        return HTMLResponse.make(CPDPages.manage(rows, scope: scope, chrome: req.chrome))
    }

    func enrolmentsModel(
        _ req: Request, _ p: CPDProgramme, notice: String? = nil, problems: [ValidationError.Problem] = [],
        form: [String: String] = [:]
    ) async throws -> CPDPages.Enrolments {
        let store = CPDStore(req.db)
        let cohorts = try await store.cohorts(of: p.id)
        let all = try await store.enrolments(cohorts: cohorts.map(\.id))
        let showNames = try await Self.seesNames(req, p)
        let schools = try await SchoolStore(req.db).find(all.compactMap { $0.urn.map(URN.init) })
        return .init(
            programme: p, cohorts: cohorts.map { c in (c, all.filter { $0.cohort == c.id }) }, showNames: showNames,
            schoolNames: Dictionary(uniqueKeysWithValues: schools.map { ($0.key.value, $0.value.name) }),
            notice: notice, problems: problems, form: form)
    }

    /// Back to the programme's enrolments after a change (post, redirect, get: a reload repeats nothing).
    static func back(_ req: Request, _ p: CPDProgramme, _ query: String) -> Response {
        req.redirect(to: "/cpd/\(p.id.uuidString.lowercased())/enrolments?\(query)", redirectType: .normal)
    }

    static func managed(_ req: Request) async throws -> CPDProgramme {
        let p = try await programme(req)
        guard mayManage(try req.requirePrincipal(), p) else {
            throw Abort(
                .forbidden, reason: "Only the provider that manages this programme, and coordinators, can manage it.")
        }
        return p
    }

    func enrolments(req: Request) async throws -> Response {
        let p = try await Self.managed(req)
        var notice: String?
        if let id = req.query[String.self, at: "changed"].flatMap(UUID.init(uuidString:)),
            let e = try await CPDStore(req.db).enrolment(id), try await Self.seesNames(req, p)
        {
            notice =
                "\(e.name): \(e.status.label.lowercased())\(e.attended.isEmpty ? "" : ", attended \(e.attended.count) sessions")."
            if e.status == .completed, p.kind == .tsst {
                let n = req.query[String.self, at: "qualified"].flatMap { BoundedInput.wholeNumber($0, in: 1...20) }
                notice! +=
                    n.map {
                        " \($0 == 1 ? "The qualification" : "\($0) qualifications") (\(p.subjects.sorted().map { $0.label.lowercased() }.joined(separator: ", "))) now recorded in the teacher register, so the hours they teach count as specialist teaching."
                    }
                    ?? " No qualification was newly recorded: their account is not linked to a record in the teacher register, or the register already held it."
            }
        }
        if req.query[String.self, at: "added"] == "cohort" { notice = "Cohort added." }
        let model = try await enrolmentsModel(req, p, notice: notice)
        if model.showNames {
            try await req.audit(
                .cpdEnrolmentsRead, subjectType: "cpd-programme", subjectID: p.id.uuidString, detail: p.title)
        }
        return HTMLResponse.make(CPDPages.enrolments(model, chrome: req.chrome))
    }

    /// The enrolment in the path, on a programme the viewer manages and may see names on.
    static func managedEnrolment(_ req: Request) async throws -> (CPDEnrolment, CPDProgramme, CPDCohort) {
        guard let id = req.parameters.get("enrolment").flatMap(UUID.init(uuidString:)),
            let e = try await CPDStore(req.db).enrolment(id), let c = try await CPDStore(req.db).cohort(e.cohort),
            let p = try await CPDStore(req.db).programme(c.programme)
        else { throw Abort(.notFound, reason: "There is no enrolment with that id.") }
        guard mayManage(try req.requirePrincipal(), p), try await seesNames(req, p) else {
            throw Abort(
                .forbidden, reason: "Only the provider that manages this programme can decide on its enrolments.")
        }
        return (e, p, c)
    }

    func decide(req: Request) async throws -> Response {
        let (e, p, c) = try await Self.managedEnrolment(req)
        let raw = try req.content.decode([String: String].self)
        let author = try req.requirePrincipal().person.name
        guard let action = CPDEnrolment.Action(rawValue: raw["action"] ?? "") else {
            return HTMLResponse.make(
                CPDPages.enrolments(
                    try await enrolmentsModel(req, p, problems: [.init(field: "action", message: "Choose what to do")]),
                    chrome: req.chrome), status: .badRequest)
        }
        let reason = raw["reason"]?.trimmingSpaces
        switch e.next(action, reason: reason) {
        case .failure(let error):
            return HTMLResponse.make(
                CPDPages.enrolments(try await enrolmentsModel(req, p, problems: error.problems), chrome: req.chrome),
                status: .badRequest)
        case .success(let status):
            let detail: String =
                switch status {
                case .accepted: "Accepted on \(p.title) (\(p.provider)), starting \(c.startsOn?.longDescription ?? "")"
                case .declined: "Not accepted on \(p.title): \(reason ?? "")"
                case .completed: "Completed \(p.title) (\(p.provider))"
                case .withdrawn: "Withdrawn from \(p.title): \(reason ?? "")"
                case .requested: "Asked for a place on \(p.title)"
                }
            let qualified = try await req.db.transaction { tx in
                try await CPDStore(tx).setStatus(
                    e, to: status, reason: reason?.isEmpty == true ? nil : reason, at: req.now)
                try await Self.onTimeline(tx, person: e.person, detail, author: author, at: req.now)
                return status == .completed
                    ? try await Self.recordQualifications(tx, p, person: e.person, author: author, at: req.now) : 0
            }
            try await req.audit(
                .cpdEnrolmentChanged, subjectType: "cpd-enrolment", subjectID: e.id.uuidString, person: e.person,
                detail:
                    "\(e.name): \(status.rawValue) on \(p.title)\(qualified > 0 ? "; \(qualified) subject qualification recorded" : "")"
            )
            return Self.back(
                req, p,
                "changed=\(e.id.uuidString.lowercased())&to=\(status.rawValue)\(qualified > 0 ? "&qualified=\(qualified)" : "")"
            )
        }
    }

    func attendance(req: Request) async throws -> Response {
        let (e, p, c) = try await Self.managedEnrolment(req)
        var attended: Set<Int> = []
        for value in FormValues.body(req).all("session") {
            guard let i = Int(value), c.sessions.indices.contains(i) else {
                throw Abort(.badRequest, reason: "session must be the number of one of the cohort's sessions.")
            }
            attended.insert(i)
        }
        guard e.status == .accepted || e.status == .completed else {
            return HTMLResponse.make(
                CPDPages.enrolments(
                    try await enrolmentsModel(
                        req, p,
                        problems: [.init(field: "action", message: "Accept \(e.name) before recording attendance")]),
                    chrome: req.chrome), status: .conflict)
        }
        try await CPDStore(req.db).setAttendance(e, attended: attended, at: req.now)
        try await req.audit(
            .cpdEnrolmentChanged, subjectType: "cpd-enrolment", subjectID: e.id.uuidString, person: e.person,
            detail: "\(e.name): attended \(attended.count) of \(c.sessions.count) sessions of \(p.title)")
        return Self.back(req, p, "changed=\(e.id.uuidString.lowercased())")
    }

    // MARK: Adding programmes and cohorts

    static func places(_ text: String?, _ problems: inout [ValidationError.Problem]) -> Int? {
        guard let n = BoundedInput.wholeNumber(text ?? "", in: 1...1_000) else {
            problems.append(.init(field: "places", message: "Enter the number of places, from 1 to 1000"))
            return nil
        }
        return n
    }

    func addCohort(req: Request) async throws -> Response {
        let p = try await Self.managed(req)
        let raw = try req.content.decode([String: String].self)
        var problems: [ValidationError.Problem] = []
        let places = Self.places(raw["places"], &problems)
        var sessions: [CPDSession] = []
        switch CPDCohort.sessions(raw["sessions"] ?? "") {
        case .success(let s): sessions = s
        case .failure(let e): problems += e.problems
        }
        guard problems.isEmpty, let places else {
            let form = [
                "sessions": String((raw["sessions"] ?? "").prefix(5_000)),
                "places": String((raw["places"] ?? "").prefix(20)),
            ]
            return HTMLResponse.make(
                CPDPages.enrolments(
                    try await enrolmentsModel(req, p, problems: problems, form: form), chrome: req.chrome),
                status: .badRequest)
        }
        try await CPDStore(req.db).add(CPDCohort(programme: p.id, sessions: sessions, places: places))
        try await req.audit(
            .cpdProgrammeSaved, subjectType: "cpd-programme", subjectID: p.id.uuidString,
            detail: "cohort added to \(p.title)")
        return Self.back(req, p, "added=cohort")
    }

    static func providerOrganisation(_ req: Request) async throws -> Organisation? {
        let viewer = try req.requirePrincipal()
        let organisations = try await OrganisationStore(req.db).list()
        return organisations.first { viewer.organisations(as: .providerStaff).contains($0.id) }
    }

    func newForm(req: Request) async throws -> Response {
        HTMLResponse.make(
            CPDPages.newProgramme(
                form: [:], provider: try await Self.providerOrganisation(req)?.name ?? "", problems: [],
                chrome: req.chrome))
    }

    func create(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let body = FormValues.body(req)
        func one(_ k: String) -> String { body.one(k) }
        var form: [String: String] = [:]
        for k in [
            "provider", "title", "summary", "kind", "format", "venue", "cost", "funded_by", "outcomes", "sessions",
            "places",
        ] {
            form[k] = one(k)
        }
        for k in ["phases", "subjects", "stages", "areas"] { form[k] = body.all(k).joined(separator: ";") }
        var problems: [ValidationError.Problem] = []
        let kind = CPDKind(rawValue: one("kind"))
        if kind == nil { problems.append(.init(field: "kind", message: "Choose the kind of programme")) }
        let format = CPDFormat(rawValue: one("format"))
        if format == nil { problems.append(.init(field: "format", message: "Choose the format")) }
        func set<T: RawRepresentable & Hashable>(_ k: String, _ name: String) -> Set<T> where T.RawValue == String {
            var out: Set<T> = []
            for v in body.all(k) {
                if let t = T(rawValue: v) {
                    out.insert(t)
                } else {
                    problems.append(.init(field: k, message: "Choose \(name) from the list"))
                }
            }
            return out
        }
        let phases: Set<CPDPhase> = set("phases", "phases")
        let subjects: Set<TeachingSubject> = set("subjects", "subjects")
        let stages: Set<CareerStage> = set("stages", "career stages")
        let areas: Set<ECFArea> = set("areas", "Early Career Framework areas")
        var venue: Int?
        if !one("venue").isEmpty {
            if let urn = BoundedInput.wholeNumber(one("venue"), in: 100_000...999_999),
                try await SchoolStore(req.db).find(URN(urn)) != nil
            {
                venue = urn
            } else {
                problems.append(
                    .init(field: "venue", message: "Enter the URN of a school Chalkface knows, like 138982"))
            }
        }
        let cost = BoundedInput.wholeNumber(one("cost").isEmpty ? "0" : one("cost"), in: 0...100_000)
        if cost == nil {
            problems.append(.init(field: "cost", message: "Enter the cost in whole pounds, from 0 to 100000"))
        }
        let places = Self.places(one("places"), &problems)
        var sessions: [CPDSession] = []
        switch CPDCohort.sessions(one("sessions")) {
        case .success(let s): sessions = s
        case .failure(let e): problems += e.problems
        }
        let organisation = try await Self.providerOrganisation(req)
        let programme = CPDProgramme(
            provider: one("provider"), managedBy: viewer.has(.coordinator) ? nil : organisation?.id.rawValue,
            title: one("title"), summary: one("summary"), kind: kind ?? .subjectKnowledge, phases: phases,
            subjects: subjects, stages: stages, format: format ?? .online, venueURN: venue, costPounds: cost ?? 0,
            fundedBy: one("funded_by").isEmpty ? nil : one("funded_by"), outcomes: one("outcomes"), ecfAreas: areas)
        if format != nil, !problems.contains(where: { $0.field == "venue" }) {
            problems += programme.problems
        } else {
            problems += programme.problems.filter { $0.field != "venue" }
        }
        guard problems.isEmpty, let places else {
            return HTMLResponse.make(
                CPDPages.newProgramme(
                    form: form, provider: organisation?.name ?? "", problems: problems, chrome: req.chrome),
                status: .badRequest)
        }
        let cohort = CPDCohort(programme: programme.id, sessions: sessions, places: places)
        try await req.db.transaction { tx in
            try await CPDStore(tx).save(programme, at: req.now)
            try await CPDStore(tx).add(cohort)
        }
        try await req.audit(
            .cpdProgrammeSaved, subjectType: "cpd-programme", subjectID: programme.id.uuidString,
            detail: programme.title)
        return req.redirect(to: "/cpd/\(programme.id.uuidString.lowercased())", redirectType: .normal)
    }

    // MARK: Take-up

    func takeUp(req: Request) async throws -> Response {
        let store = CPDStore(req.db)
        let enrolments = try await store.allEnrolments()
        let bySchool = CPDTakeUp.bySchool(enrolments)
        let authorities = try await ColdSpotsController.partnershipAuthorities(req)
        let schools = try await SchoolStore(req.db).open(inLocalAuthorities: authorities.map(\.code))
        let names = try await SchoolStore(req.db).find(bySchool.keys.map(URN.init))
        let programmes = Dictionary(uniqueKeysWithValues: try await store.programmes().map { ($0.id, $0) })
        var programmeOf: [UUID: CPDProgramme] = [:]
        for (p, cs) in try await store.cohorts() { for c in cs { programmeOf[c.id] = programmes[p] } }
        func rows<K: Hashable>(_ counts: [K: CPDTakeUp.Count], _ order: [K], _ label: (K) -> String)
            -> [CPDPages.TakeUpRow]
        {
            order.map { .init(label: label($0), urn: nil, count: counts[$0] ?? .init()) }
        }
        let byAuthority = CPDTakeUp.grouped(enrolments) { e in
            [e.urn.flatMap { names[URN($0)]?.localAuthority?.name } ?? "Unknown"]
        }
        // The programme's audience: an enrolment counts under each subject and career stage its programme is for,
        // or under "any" when the programme names none; the phase is the teacher's school's.
        let bySubject = CPDTakeUp.grouped(enrolments) { e -> [String] in
            guard let p = programmeOf[e.cohort] else { return [] }
            return p.subjects.isEmpty ? ["Any subject"] : p.subjects.map(\.label)
        }
        let byStage = CPDTakeUp.grouped(enrolments) { e -> [String] in
            guard let p = programmeOf[e.cohort] else { return [] }
            return p.stages.isEmpty ? ["Any career stage"] : p.stages.map(\.label)
        }
        let byPhase = CPDTakeUp.grouped(enrolments) { e in
            [e.urn.flatMap { names[URN($0)]?.phase.label } ?? "No school recorded"]
        }
        let byKind = CPDTakeUp.grouped(enrolments) { e in programmeOf[e.cohort].map { [$0.kind] } ?? [] }
        let model = CPDPages.TakeUp(
            schools: bySchool.map {
                .init(label: names[URN($0.key)]?.name ?? "URN \($0.key)", urn: $0.key, count: $0.value)
            }
            .sorted { ($0.count.enrolled, $1.label) > ($1.count.enrolled, $0.label) },
            authorities: rows(byAuthority, byAuthority.keys.sorted()) { $0 },
            kinds: rows(byKind, CPDKind.allCases, \.label),
            subjects: rows(
                bySubject, TeachingSubject.allCases.map(\.label).filter { bySubject[$0] != nil } + ["Any subject"]
            ) { $0 },
            phases: rows(byPhase, byPhase.keys.sorted()) { $0 },
            stages: rows(
                byStage, CareerStage.allCases.map(\.label).filter { byStage[$0] != nil } + ["Any career stage"]
            ) { $0 },
            schoolsWithout: schools.filter { bySchool[$0.urn.value] == nil }.count,
            maps: Dictionary(grouping: schools.filter { $0.location != nil }) { $0.region?.name ?? "The region" }
                .sorted { $0.key < $1.key }
                .map { region, inRegion in
                    (
                        region,
                        inRegion.map { s in
                            let n = bySchool[s.urn.value]?.enrolled ?? 0
                            return SVGMap.Point(
                                at: s.location!, marker: .count(n),
                                title: "\(s.name): \(n) place\(n == 1 ? "" : "s") taken up")
                        }
                    )
                })
        return HTMLResponse.make(CPDPages.takeUp(model, chrome: req.chrome))
    }
}

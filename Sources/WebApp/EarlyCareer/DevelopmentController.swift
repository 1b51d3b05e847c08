import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Early-career teachers' development: profiles across the Early Career Framework by the ECT and their mentor
/// each term, CPD suggested from the catalogue with reasons (`CPDSuggester`) and taken up into enrolments,
/// schools' mentors for their ECTs (dated mentorships), and the coordinator's areas against supply.
struct DevelopmentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let teachers = RouteAccess.anyRole([.teacher, .mentor])
        routes.get("ects", "development", access: teachers, use: own)
        routes.post("ects", "development", access: teachers, use: saveOwn)
        routes.post("ects", "development", "take-up", access: teachers, use: takeUp)
        routes.get("ects", "development", "areas", access: .anyRole([.coordinator]), use: areas)
        routes.get("ects", "development", "areas.csv", access: .anyRole([.coordinator]), use: areasCSV)
        routes.get("ects", "mentees", access: teachers, use: mentees)
        routes.get("ects", "mentees", ":teacher", access: teachers, use: rateForm)
        routes.post("ects", "mentees", ":teacher", access: teachers, use: rate)
        let schoolAccess = RouteAccess.anyRole([.coordinator, .schoolStaff])
        routes.get("schools", ":urn", "ects", access: schoolAccess, use: school)
        routes.post("schools", ":urn", "ects", "mentor", access: schoolAccess, use: assign)
        routes.get("schools", ":urn", "ects", ":teacher", "induction", access: schoolAccess, use: inductionPage)
        routes.post("schools", ":urn", "ects", ":teacher", "induction", access: schoolAccess, use: saveInduction)
        routes.post(
            "schools", ":urn", "ects", ":teacher", "induction", "outcome", access: schoolAccess, use: inductionOutcome)
        routes.get("ects", "induction", access: .anyRole([.coordinator]), use: inductionOverview)
        routes.get("ects", "career", access: teachers, use: career)
        routes.post("ects", "career", access: teachers, use: saveConversation)
        routes.post("ects", "career", "offer", access: teachers, use: offer)
    }

    static func today(_ req: Request) -> Day { Day.inUK(req.application.clock.now()) }

    /// The early-career period open today, if any.
    static func ectPeriod(_ record: TeacherRecord, on day: Day) -> ServicePeriod? {
        record.periods.last { $0.role == .ect && $0.startedOn <= day && ($0.finishedOn.map { $0 >= day } ?? true) }
    }

    /// The viewer as an ECT: their register record, today's early-career period and its school.
    struct Me {
        var teacher: UUID?
        var record: TeacherRecord?
        var period: ServicePeriod?
        var school: School?
    }

    static func me(_ req: Request) async throws -> Me {
        let viewer = try req.requirePrincipal()
        guard let teacher = try await TeacherLinkStore(req.db).teacher(for: .person(viewer.id)) else { return Me() }
        guard let record = try await TeacherStore(req.db).teacher(teacher)?.record,
            let period = ectPeriod(record, on: today(req))
        else { return Me(teacher: teacher) }
        return Me(
            teacher: teacher, record: record, period: period,
            school: try await SchoolStore(req.db).find(URN(period.urn))
        )
    }

    /// The catalogue's suggestions for an ECT, from this term's profiles.
    static func suggestions(
        _ req: Request, record: TeacherRecord, school: School?, own: DevelopmentProfile?, mentor: DevelopmentProfile?,
        person: PersonID
    ) async throws -> [CPDSuggestion] {
        let needs = DevelopmentNeeds(own: own, mentor: mentor)
        guard !needs.needs.isEmpty else { return [] }
        let store = CPDStore(req.db)
        let programmes = try await store.programmes()
        let cohorts = try await store.cohorts()
        let programmeOf = Dictionary(
            uniqueKeysWithValues: cohorts.values.joined().map { ($0.id, $0.programme) })
        let holding = Set(
            try await store.enrolments(person: person).filter(\.status.holdsPlace).compactMap { programmeOf[$0.cohort] }
        )
        let venueSchools = try await SchoolStore(req.db).find(Set(programmes.compactMap { $0.venueURN.map(URN.init) }))
        let venues = venueSchools.reduce(into: [Int: GridPoint]()) { out, s in
            if let at = s.value.location { out[s.key.value] = at }
        }
        let subject = record.specialisms.first ?? .primary
        let phase = PeerGroupController.phase(of: school, subject: subject)
        let learner = CPDSuggester.Learner(
            phase: phase == .primary ? .primary : .secondary, subject: subject, school: school?.location)
        return CPDSuggester.suggest(
            needs: needs, for: learner, programmes: programmes, cohorts: cohorts, venues: venues, today: today(req),
            holding: holding)
    }

    static func profiles(_ req: Request, teacher: UUID) async throws -> (
        own: DevelopmentProfile?, mentor: DevelopmentProfile?
    ) {
        let day = today(req)
        let year = AcademicYear.containing(day)
        let term = Term.containing(day)
        let all = try await DevelopmentStore(req.db).profiles(teacher: teacher).filter {
            $0.year == year && $0.term == term
        }
        return (all.first { $0.rater == .ect }, all.first { $0.rater == .mentor })
    }

    func ownModel(
        _ req: Request, form: [String: String] = [:], problems: [ValidationError.Problem] = [], notice: String? = nil
    ) async throws -> DevelopmentPages.Own {
        let viewer = try req.requirePrincipal()
        let day = Self.today(req)
        var m = DevelopmentPages.Own(year: AcademicYear.containing(day), term: Term.containing(day))
        m.form = form
        m.problems = problems
        m.notice = notice
        let me = try await Self.me(req)
        m.linked = me.teacher != nil
        guard let record = me.record, me.period != nil else { return m }
        m.isECT = true
        let store = DevelopmentStore(req.db)
        if let current = try await store.mentorships(ect: record.id).last(where: { $0.isCurrent(on: day) }) {
            m.mentor = try await TeacherStore(req.db).teacher(current.mentor)?.record.name
        }
        m.induction = try await store.induction(teacher: record.id)
        m.today = day
        let (own, mentor) = try await Self.profiles(req, teacher: record.id)
        m.own = own
        m.mentors = mentor
        m.suggestions = try await Self.suggestions(
            req, record: record, school: me.school, own: own, mentor: mentor, person: viewer.id
        ).map(DevelopmentPages.Suggestion.init)
        let cpd = CPDStore(req.db)
        for t in try await store.takeUps(teacher: record.id) {
            guard let e = try await cpd.enrolment(t.enrolment), let p = try await cpd.programme(t.programme) else {
                continue
            }
            m.takenUp.append(
                .init(
                    title: p.title, programme: p.id, requestedOn: Day.inUK(t.takenAt), status: e.status.label,
                    reason: t.reason))
        }
        try await req.audit(
            .developmentRead, subjectType: "teacher", subjectID: record.id.uuidString, person: viewer.id,
            detail: "own profile and \(m.suggestions.count) suggestions")
        return m
    }

    func own(req: Request) async throws -> Response {
        var notice: String?
        if req.query[String.self, at: "saved"] == "1" { notice = "Your profile for this term is saved." }
        if let t = req.query[String.self, at: "asked"], t.count <= 200 {
            notice =
                "You asked for a place on \(t). The provider will accept or decline it; it is in your CPD enrolments."
        }
        return HTMLResponse.make(
            DevelopmentPages.own(try await ownModel(req, notice: notice), chrome: req.chrome))
    }

    /// What a teacher who is not an early-career teacher in the register gets from a profile or take-up form: the
    /// page saying why, with 409 (the request conflicts with what the register holds about them).
    func notAnECT(_ req: Request) async throws -> Response {
        HTMLResponse.make(DevelopmentPages.own(try await ownModel(req), chrome: req.chrome), status: .conflict)
    }

    static func formValues(_ req: Request) -> [String: String] {
        let body = FormValues.body(req)
        var form: [String: String] = ["note": body.one("note")]
        for area in ECFArea.allCases { form[DevelopmentProfile.field(area)] = body.one(DevelopmentProfile.field(area)) }
        return form
    }

    func saveOwn(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let me = try await Self.me(req)
        guard let record = me.record, me.period != nil else { return try await notAnECT(req) }
        let form = Self.formValues(req)
        switch DevelopmentProfile.ratings(form) {
        case .failure(let error):
            return HTMLResponse.make(
                DevelopmentPages.own(try await ownModel(req, form: form, problems: error.problems), chrome: req.chrome),
                status: .badRequest)
        case .success(let (ratings, note)):
            let day = Self.today(req)
            let profile = DevelopmentProfile(
                teacher: record.id, year: AcademicYear.containing(day), term: Term.containing(day), rater: .ect,
                ratings: ratings, note: note, recordedBy: viewer.person.name, recordedAt: req.now)
            try await req.db.transaction { tx in
                try await DevelopmentStore(tx).record(profile)
                try await DataVersions(tx).bump(DataVersions.teachers)
                try await req.audit(
                    .developmentRecorded, subjectType: "teacher", subjectID: record.id.uuidString, person: viewer.id,
                    detail: "own profile, \(profile.term.rawValue) \(profile.year)", on: tx)
            }
            return req.redirect(to: "/ects/development?saved=1", redirectType: .normal)
        }
    }

    /// Asks for a place on a suggested programme's cohort: the suggestion is worked out again here (never taken
    /// from the form), the request made as from the catalogue, and the take-up recorded with its reason, in one
    /// transaction.
    func takeUp(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let me = try await Self.me(req)
        guard let record = me.record, let period = me.period else { return try await notAnECT(req) }
        let body = FormValues.body(req)
        let programme = UUID(uuidString: body.one("programme"))
        let cohort = UUID(uuidString: body.one("cohort"))
        let (own, mentor) = try await Self.profiles(req, teacher: record.id)
        let suggestion = try await Self.suggestions(
            req, record: record, school: me.school, own: own, mentor: mentor, person: viewer.id
        ).first { $0.programme.id == programme && $0.cohort.id == cohort }
        func refuse(_ message: String, _ status: HTTPResponseStatus) async throws -> Response {
            HTMLResponse.make(
                DevelopmentPages.own(
                    try await ownModel(req, problems: [.init(field: "suggestion-1", message: message)]),
                    chrome: req.chrome),
                status: status)
        }
        guard let suggestion else {
            return try await refuse(
                "That programme is no longer suggested for you: its cohort may be full or started, or you already asked for a place. Choose from the suggestions below.",
                .conflict)
        }
        let p = suggestion.programme
        let enrolment = CPDEnrolment(
            cohort: suggestion.cohort.id, person: viewer.id, name: viewer.person.name, urn: period.urn,
            requestedAt: req.now)
        let id: UUID
        do {
            id = try await req.db.transaction { tx in
                let id = try await CPDStore(tx).enrol(enrolment)
                try await CPDController.onTimeline(
                    tx, person: viewer.id,
                    "Asked for a place on \(p.title) (\(p.provider)), suggested for \(suggestion.areas.map(\.inSentence).joined(separator: ", ")), starting \(suggestion.cohort.startsOn?.longDescription ?? "")",
                    author: viewer.person.name, at: req.now)
                try await DevelopmentStore(tx).recordTakeUp(
                    SuggestionTakeUp(
                        enrolment: id, teacher: record.id, programme: p.id, areas: suggestion.areas,
                        reason: suggestion.reason, takenAt: req.now))
                return id
            }
        } catch let error as CPDStore.EnrolError {
            return try await refuse(
                error == .full ? "The cohort is full: every place has been taken." : "You already have a place on it.",
                .conflict)
        }
        try await req.audit(
            .cpdEnrolled, subjectType: "cpd-enrolment", subjectID: id.uuidString, person: viewer.id,
            detail: "\(p.title), from a suggestion for \(suggestion.areas.map(\.rawValue).joined(separator: ", "))")
        let title = p.title.prefix(200).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return req.redirect(to: "/ects/development?asked=\(title)", redirectType: .normal)
    }

    // MARK: Mentors

    func mentees(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let day = Self.today(req)
        let year = AcademicYear.containing(day)
        let term = Term.containing(day)
        let me = try await TeacherLinkStore(req.db).teacher(for: .person(viewer.id))
        var rows: [DevelopmentPages.Mentee] = []
        if let me {
            let store = DevelopmentStore(req.db)
            let teachers = TeacherStore(req.db)
            let current = try await store.mentorships(mentor: me).filter { $0.isCurrent(on: day) }
            let schools = try await SchoolStore(req.db).find(Set(current.map { URN($0.urn) }))
            for m in current {
                guard let record = try await teachers.teacher(m.ect)?.record, Self.ectPeriod(record, on: day) != nil
                else { continue }
                let profiles = try await store.profiles(teacher: m.ect).filter { $0.year == year && $0.term == term }
                rows.append(
                    .init(
                        teacher: m.ect, name: record.name, school: schools[URN(m.urn)]?.name ?? "URN \(m.urn)",
                        since: m.startedOn, rated: profiles.contains { $0.rater == .mentor },
                        selfRated: profiles.contains { $0.rater == .ect }))
            }
            try await req.audit(
                .developmentRead, subjectType: "mentor", subjectID: me.uuidString, detail: "\(rows.count) mentees")
        }
        return HTMLResponse.make(
            DevelopmentPages.mentees(
                rows.sorted { $0.name < $1.name }, linked: me != nil, year: year, term: term, chrome: req.chrome))
    }

    /// The mentee in the path, when the viewer is their current mentor.
    static func mentee(_ req: Request) async throws -> TeacherRecord {
        let viewer = try req.requirePrincipal()
        guard let id = req.parameters.get("teacher").flatMap(UUID.init(uuidString:)),
            let record = try await TeacherStore(req.db).teacher(id)?.record
        else { throw Abort(.notFound, reason: "There is no teacher with that id in the register.") }
        let day = today(req)
        guard let me = try await TeacherLinkStore(req.db).teacher(for: .person(viewer.id)),
            try await DevelopmentStore(req.db).mentorships(ect: id).contains(where: {
                $0.mentor == me && $0.isCurrent(on: day)
            }), ectPeriod(record, on: day) != nil
        else { throw Abort(.forbidden, reason: "Only an early-career teacher's current mentor can rate them.") }
        return record
    }

    func rateModel(
        _ req: Request, _ record: TeacherRecord, form: [String: String] = [:], problems: [ValidationError.Problem] = []
    ) async throws -> DevelopmentPages.Rate {
        let day = Self.today(req)
        var m = DevelopmentPages.Rate(
            teacher: record.id, name: record.name, year: AcademicYear.containing(day), term: Term.containing(day))
        (m.own, m.mine) = try await Self.profiles(req, teacher: record.id)
        m.form = form
        m.problems = problems
        return m
    }

    func rateForm(req: Request) async throws -> Response {
        let record = try await Self.mentee(req)
        try await req.audit(
            .developmentRead, subjectType: "teacher", subjectID: record.id.uuidString, detail: "as their mentor")
        var m = try await rateModel(req, record)
        if req.query[String.self, at: "saved"] == "1" {
            m.notice = "Your profile of \(record.name) for this term is saved; it shapes their suggestions."
        }
        return HTMLResponse.make(DevelopmentPages.rate(m, chrome: req.chrome))
    }

    func rate(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let record = try await Self.mentee(req)
        let form = Self.formValues(req)
        switch DevelopmentProfile.ratings(form) {
        case .failure(let error):
            return HTMLResponse.make(
                DevelopmentPages.rate(
                    try await rateModel(req, record, form: form, problems: error.problems), chrome: req.chrome),
                status: .badRequest)
        case .success(let (ratings, note)):
            let day = Self.today(req)
            let profile = DevelopmentProfile(
                teacher: record.id, year: AcademicYear.containing(day), term: Term.containing(day), rater: .mentor,
                ratings: ratings, note: note, recordedBy: viewer.person.name, recordedAt: req.now)
            try await req.db.transaction { tx in
                try await DevelopmentStore(tx).record(profile)
                try await DataVersions(tx).bump(DataVersions.teachers)
                try await req.audit(
                    .developmentRecorded, subjectType: "teacher", subjectID: record.id.uuidString,
                    detail: "mentor's profile, \(profile.term.rawValue) \(profile.year)", on: tx)
            }
            return req.redirect(
                to: "/ects/mentees/\(record.id.uuidString.lowercased())?saved=1", redirectType: .normal)
        }
    }

    // MARK: Schools

    func schoolModel(
        _ req: Request, _ school: School, problems: [ValidationError.Problem] = [], notice: String? = nil
    ) async throws -> DevelopmentPages.SchoolModel {
        let day = Self.today(req)
        let year = AcademicYear.containing(day)
        let term = Term.containing(day)
        var m = DevelopmentPages.SchoolModel(school: school.name, urn: school.urn.value, year: year, term: term)
        m.problems = problems
        m.notice = notice
        let staff = try await TeacherStore(req.db).staff(urn: school.urn.value)
        let store = DevelopmentStore(req.db)
        let profiles = try await store.profiles(year: year, term: term)
        let inductions = try await store.inductions()
        m.earlyLeavers = EarlyLeavers.count(
            at: school.urn.value, periods: staff.flatMap { r in r.periods.map { (r.id, $0) } }, excluding: nil, on: day)
        var names: [UUID: String] = Dictionary(uniqueKeysWithValues: staff.map { ($0.id, $0.name) })
        for record in staff {
            guard let period = Self.ectPeriod(record, on: day), period.urn == school.urn.value else {
                let here = record.periods.contains {
                    $0.urn == school.urn.value && $0.role != .ect && $0.startedOn <= day
                        && ($0.finishedOn.map { $0 >= day } ?? true)
                }
                if here { m.staff.append((record.id, record.name)) }
                continue
            }
            let current = try await store.mentorships(ect: record.id).last { $0.isCurrent(on: day) }
            if let c = current, names[c.mentor] == nil {
                names[c.mentor] = try await TeacherStore(req.db).teacher(c.mentor)?.record.name
            }
            m.ects.append(
                .init(
                    teacher: record.id, name: record.name, startedOn: period.startedOn,
                    mentor: current.flatMap { names[$0.mentor] }, mentorSince: current?.startedOn,
                    ownProfile: profiles.contains { $0.teacher == record.id && $0.rater == .ect },
                    mentorProfile: profiles.contains { $0.teacher == record.id && $0.rater == .mentor }))
            m.ects[m.ects.count - 1].induction = inductions[record.id]
            m.ects[m.ects.count - 1].status = inductions[record.id]?.status(on: day)
        }
        m.ects.sort { ($0.mentor != nil ? 1 : 0, $0.name) < ($1.mentor != nil ? 1 : 0, $1.name) }
        m.staff.sort { $0.name < $1.name }
        return m
    }

    func school(req: Request) async throws -> Response {
        let school = try await RetentionController.ownSchool(req)
        var notice: String?
        if let n = req.query[String.self, at: "assigned"], n.count <= 300 { notice = n }
        let m = try await schoolModel(req, school, notice: notice)
        try await req.audit(
            .developmentRead, subjectType: "school", subjectID: String(school.urn.value),
            detail: "\(m.ects.count) early-career teachers and their mentors")
        return HTMLResponse.make(DevelopmentPages.school(m, chrome: req.chrome))
    }

    func assign(req: Request) async throws -> Response {
        let school = try await RetentionController.ownSchool(req)
        let viewer = try req.requirePrincipal()
        let body = FormValues.body(req)
        let day = Self.today(req)
        let model = try await schoolModel(req, school)
        guard let teacher = UUID(uuidString: body.one("teacher")),
            let ect = model.ects.first(where: { $0.teacher == teacher })
        else { throw Abort(.notFound, reason: "teacher: not an early-career teacher at this school today") }
        let field = "mentor-\(teacher.uuidString.lowercased())"
        guard let mentorID = UUID(uuidString: body.one(field)),
            let mentor = model.staff.first(where: { $0.id == mentorID })
        else {
            return HTMLResponse.make(
                DevelopmentPages.school(
                    try await schoolModel(
                        req, school,
                        problems: [
                            .init(field: field, message: "Choose a colleague at the school to mentor \(ect.name)")
                        ]
                    ), chrome: req.chrome),
                status: .badRequest)
        }
        let changed = try await req.db.transaction { tx in
            let changed = try await DevelopmentStore(tx).assign(
                mentor: (mentor.id, mentor.name), to: teacher, at: school.urn.value, from: day,
                by: viewer.person.name, at: req.now)
            if changed {
                try await req.audit(
                    .mentorshipChanged, subjectType: "teacher", subjectID: teacher.uuidString,
                    detail: "mentor \(mentor.name) from \(day)", on: tx)
            }
            return changed
        }
        let notice =
            changed
            ? "\(mentor.name) mentors \(ect.name) from today." : "\(mentor.name) already mentors \(ect.name)."
        let encoded = notice.prefix(300).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return req.redirect(to: "/schools/\(school.urn.value)/ects?assigned=\(encoded)", redirectType: .normal)
    }

    // MARK: Induction

    /// The ECT in the path at the school in the path (an early-career period there open today).
    static func schoolECT(_ req: Request) async throws -> (School, TeacherRecord, ServicePeriod) {
        let school = try await RetentionController.ownSchool(req)
        guard let id = req.parameters.get("teacher").flatMap(UUID.init(uuidString:)),
            let record = try await TeacherStore(req.db).teacher(id)?.record,
            let period = ectPeriod(record, on: today(req)), period.urn == school.urn.value
        else { throw Abort(.notFound, reason: "There is no early-career teacher with that id at this school today.") }
        return (school, record, period)
    }

    func inductionModel(
        _ req: Request, form: [String: String] = [:], problems: [ValidationError.Problem] = [], notice: String? = nil
    ) async throws -> DevelopmentPages.InductionModel {
        let (school, record, period) = try await Self.schoolECT(req)
        var m = DevelopmentPages.InductionModel(
            urn: school.urn.value, school: school.name, teacher: record.id, name: record.name,
            periodStart: period.startedOn, fte: period.fte,
            induction: try await DevelopmentStore(req.db).induction(teacher: record.id), today: Self.today(req))
        m.form = form
        m.problems = problems
        m.notice = notice
        return m
    }

    func inductionPage(req: Request) async throws -> Response {
        var notice: String?
        if req.query[String.self, at: "saved"] == "1" {
            notice = "The induction is recorded on the teacher's timeline."
        }
        let m = try await inductionModel(req, notice: notice)
        try await req.audit(
            .developmentRead, subjectType: "teacher", subjectID: m.teacher.uuidString, detail: "induction")
        return HTMLResponse.make(DevelopmentPages.induction(m, chrome: req.chrome))
    }

    func saveInduction(req: Request) async throws -> Response {
        let (school, record, period) = try await Self.schoolECT(req)
        let viewer = try req.requirePrincipal()
        let body = FormValues.body(req)
        var form: [String: String] = [:]
        for k in ["appropriate_body_kind", "appropriate_body", "route", "tutor", "started_on"] { form[k] = body.one(k) }
        let existing = try await DevelopmentStore(req.db).induction(teacher: record.id)
        if let existing, let outcome = existing.outcome, outcome != .extended {
            return HTMLResponse.make(
                DevelopmentPages.induction(
                    try await inductionModel(
                        req,
                        problems: [
                            .init(
                                field: "appropriate_body_kind",
                                message: "The induction has ended: \(outcome.label.lowercased())")
                        ]),
                    chrome: req.chrome),
                status: .conflict)
        }
        switch Induction.parse(form, teacher: record.id, urn: school.urn.value, fte: period.fte, today: Self.today(req))
        {
        case .failure(let e):
            return HTMLResponse.make(
                DevelopmentPages.induction(
                    try await inductionModel(req, form: form, problems: e.problems), chrome: req.chrome),
                status: .badRequest)
        case .success(var induction):
            induction.extensionTerms = existing?.extensionTerms ?? 0
            induction.outcome = existing?.outcome
            induction.outcomeOn = existing?.outcomeOn
            let saved = induction
            let event =
                (existing == nil ? "Induction recorded" : "Induction details changed")
                + ": \(saved.termsRequired) terms from \(saved.startedOn.longDescription), expected to end \(saved.expectedEnd.longDescription); appropriate body \(saved.appropriateBodyName); \(saved.route.label.lowercased()); tutor \(saved.tutor)"
            try await req.db.transaction { tx in
                try await DevelopmentStore(tx).save(saved, event: event, by: viewer.person.name, at: req.now)
                try await req.audit(
                    .inductionRecorded, subjectType: "teacher", subjectID: record.id.uuidString, detail: event, on: tx)
            }
            return req.redirect(
                to: "/schools/\(school.urn.value)/ects/\(record.id.uuidString.lowercased())/induction?saved=1",
                redirectType: .normal)
        }
    }

    func inductionOutcome(req: Request) async throws -> Response {
        let (school, record, _) = try await Self.schoolECT(req)
        let viewer = try req.requirePrincipal()
        let body = FormValues.body(req)
        let form = ["outcome": body.one("outcome"), "extension_terms": body.one("extension_terms")]
        guard let existing = try await DevelopmentStore(req.db).induction(teacher: record.id) else {
            return HTMLResponse.make(
                DevelopmentPages.induction(
                    try await inductionModel(
                        req, problems: [.init(field: "appropriate_body_kind", message: "Record the induction first")]),
                    chrome: req.chrome),
                status: .conflict)
        }
        switch existing.recording(form, on: Self.today(req)) {
        case .failure(let e):
            return HTMLResponse.make(
                DevelopmentPages.induction(
                    try await inductionModel(req, form: form, problems: e.problems), chrome: req.chrome),
                status: .badRequest)
        case .success(let next):
            let event =
                next.outcome == .extended
                ? "Induction extended by \(next.extensionTerms - existing.extensionTerms) term\(next.extensionTerms - existing.extensionTerms == 1 ? "" : "s"): now expected to end \(next.expectedEnd.longDescription)"
                : "Induction \(next.outcome?.label.lowercased() ?? "")"
            try await req.db.transaction { tx in
                try await DevelopmentStore(tx).save(next, event: event, by: viewer.person.name, at: req.now)
                try await req.audit(
                    .inductionRecorded, subjectType: "teacher", subjectID: record.id.uuidString, detail: event, on: tx)
            }
            return req.redirect(
                to: "/schools/\(school.urn.value)/ects/\(record.id.uuidString.lowercased())/induction?saved=1",
                redirectType: .normal)
        }
    }

    /// Counts by school of every ECT in the register today: no induction, due, overdue, no mentor, others left early.
    func inductionOverview(req: Request) async throws -> Response {
        let day = Self.today(req)
        let register = try await TeacherStore(req.db).all()
        let store = DevelopmentStore(req.db)
        let inductions = try await store.inductions()
        let mentors = try await store.currentMentors(on: day)
        let periods = register.flatMap { r in r.periods.map { (teacher: r.id, period: $0) } }
        var bySchool: [Int: [TeacherRecord]] = [:]
        for r in register {
            if let p = Self.ectPeriod(r, on: day) { bySchool[p.urn, default: []].append(r) }
        }
        let leaversBySchool = Dictionary(grouping: periods.filter { $0.period.role == .ect }, by: \.period.urn)
        let schools = try await SchoolStore(req.db).find(Set(bySchool.keys.map(URN.init)))
        let rows = bySchool.map { urn, ects in
            let statuses = ects.compactMap { inductions[$0.id]?.status(on: day) }
            return DevelopmentPages.InductionRow(
                urn: urn, school: schools[URN(urn)]?.name ?? "URN \(urn)", ects: ects.count,
                unrecorded: ects.count { inductions[$0.id] == nil },
                dueToFinish: statuses.count { $0 == .dueToFinish }, overdue: statuses.count { $0 == .overdue },
                withoutMentor: ects.count { mentors[$0.id] == nil },
                earlyLeavers: EarlyLeavers.count(at: urn, periods: leaversBySchool[urn] ?? [], excluding: nil, on: day))
        }
        return HTMLResponse.make(DevelopmentPages.inductionOverview(rows, today: day, chrome: req.chrome))
    }

    // MARK: Career planning

    static let leaderRoles: Set<StaffRole> = [.mentor, .middleLeader, .seniorLeader, .headteacher]

    func careerModel(
        _ req: Request, form: [String: String] = [:], problems: [ValidationError.Problem] = [], notice: String? = nil
    ) async throws -> DevelopmentPages.Career {
        let viewer = try req.requirePrincipal()
        var m = DevelopmentPages.Career()
        m.form = form
        m.problems = problems
        m.notice = notice
        let day = Self.today(req)
        guard let teacher = try await TeacherLinkStore(req.db).teacher(for: .person(viewer.id)),
            let record = try await TeacherStore(req.db).teacher(teacher)?.record
        else { return m }
        m.linked = true
        let store = DevelopmentStore(req.db)
        m.conversations = try await store.conversations(teacher: teacher)
        m.aspiration =
            CareerAspiration(rawValue: form["aspiration"] ?? "") ?? m.conversations.first?.aspiration
        let current = record.periods.filter { CareerPaths.open($0, on: day) }
        let school = try await current.first.asyncMap { try await SchoolStore(req.db).find(URN($0.urn)) } ?? nil
        let subject = record.specialisms.first ?? .primary
        let primary = PeerGroupController.phase(of: school, subject: subject) == .primary
        if let a = m.aspiration {
            let wanted = a.npqs(primary: primary)
            let npqs = try await CPDStore(req.db).programmes().filter { $0.kind == .npq }
            for id in wanted {
                guard let p = npqs.first(where: { $0.npqCourse == id }) else { continue }
                let d = NPQFunding.decide(course: id, school: school)
                m.npqs.append(.init(programme: p.id, title: p.title, funding: d.answer.label, reason: d.reason))
            }
        }
        let register = try await TeacherStore(req.db).all()
        let (basis, paths) = EarlyCareerFigures.paths(register, subject: subject, today: day)
        m.basis = basis.label
        m.paths = paths
        let byID = Dictionary(uniqueKeysWithValues: register.map { ($0.id, $0) })
        var schools: [Int: String] = [:]
        for a in try await store.advisers() {
            guard let r = byID[a.teacher] else { continue }
            let now = r.periods.filter { CareerPaths.open($0, on: day) }
            guard let period = now.first(where: { Self.leaderRoles.contains($0.role) }) ?? now.first else { continue }
            if schools[period.urn] == nil {
                schools[period.urn] = try await SchoolStore(req.db).find(URN(period.urn))?.name ?? "URN \(period.urn)"
            }
            m.advisers.append(
                .init(
                    name: r.name, role: period.role.label.lowercased(), school: schools[period.urn] ?? "",
                    offer: a.offer))
            if a.teacher == teacher { m.myOffer = a.offer }
        }
        m.canOffer = viewer.has(.mentor) || current.contains { Self.leaderRoles.contains($0.role) }
        try await req.audit(
            .developmentRead, subjectType: "teacher", subjectID: teacher.uuidString, person: viewer.id,
            detail: "own career planning")
        return m
    }

    func career(req: Request) async throws -> Response {
        var notice: String?
        if req.query[String.self, at: "saved"] == "1" { notice = "The conversation is saved on your timeline." }
        if req.query[String.self, at: "offered"] == "1" { notice = "Your offer of career conversations is saved." }
        if req.query[String.self, at: "offered"] == "0" { notice = "You no longer offer career conversations." }
        return HTMLResponse.make(
            DevelopmentPages.career(try await careerModel(req, notice: notice), chrome: req.chrome))
    }

    func saveConversation(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let body = FormValues.body(req)
        var form: [String: String] = [:]
        for k in ["aspiration", "timescale", "next_step", "with"] { form[k] = body.one(k) }
        guard let teacher = try await TeacherLinkStore(req.db).teacher(for: .person(viewer.id)) else {
            return HTMLResponse.make(
                DevelopmentPages.career(try await careerModel(req), chrome: req.chrome), status: .conflict)
        }
        switch CareerConversation.parse(form, teacher: teacher, today: Self.today(req), by: viewer.person.name) {
        case .failure(let e):
            return HTMLResponse.make(
                DevelopmentPages.career(
                    try await careerModel(req, form: form, problems: e.problems), chrome: req.chrome),
                status: .badRequest)
        case .success(let c):
            try await req.db.transaction { tx in
                try await DevelopmentStore(tx).record(c, at: req.now)
                try await req.audit(
                    .developmentRecorded, subjectType: "teacher", subjectID: teacher.uuidString, person: viewer.id,
                    detail: "career conversation", on: tx)
            }
            return req.redirect(to: "/ects/career?saved=1", redirectType: .normal)
        }
    }

    func offer(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let text = FormValues.body(req).one("offer")
        let model = try await careerModel(req)
        guard model.canOffer, let teacher = try await TeacherLinkStore(req.db).teacher(for: .person(viewer.id)) else {
            return HTMLResponse.make(
                DevelopmentPages.career(
                    try await careerModel(
                        req,
                        problems: [
                            .init(
                                field: "with",
                                message: "Mentors and leaders in the register can offer career conversations")
                        ]),
                    chrome: req.chrome),
                status: .conflict)
        }
        if text.unicodeScalars.count > 200 {
            return HTMLResponse.make(
                DevelopmentPages.career(
                    try await careerModel(
                        req, form: ["offer": text],
                        problems: [.init(field: "offer", message: "What you offer must be 200 characters or fewer")]),
                    chrome: req.chrome),
                status: .badRequest)
        }
        let offer = text.isEmpty ? nil : text
        try await req.db.transaction { tx in
            try await DevelopmentStore(tx).setAdviser(teacher: teacher, offer: offer, at: req.now)
            try await req.audit(
                .developmentRecorded, subjectType: "teacher", subjectID: teacher.uuidString, person: viewer.id,
                detail: offer == nil ? "stopped offering career conversations" : "offers career conversations", on: tx)
        }
        return req.redirect(to: "/ects/career?offered=\(offer == nil ? 0 : 1)", redirectType: .normal)
    }

    // MARK: Coordinators

    /// The region's development areas against supply this term (the page, the API and `chalkface ects areas`).
    static func demand(_ req: Request) async throws -> DevelopmentPages.Areas {
        try await EarlyCareerFigures.demand(req.db, today: Self.today(req))
    }

    func areas(req: Request) async throws -> Response {
        HTMLResponse.make(DevelopmentPages.areas(try await Self.demand(req), chrome: req.chrome))
    }

    func areasCSV(req: Request) async throws -> Response {
        let m = try await Self.demand(req)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.contentDisposition = .init(
            .attachment, filename: "development-areas-\(m.year.start)-\(m.term.rawValue).csv")
        return Response(status: .ok, headers: headers, body: .init(string: EarlyCareerFigures.areasCSV(m)))
    }
}

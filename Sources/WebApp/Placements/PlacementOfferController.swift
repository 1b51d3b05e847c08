import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Schools record what they offer for an academic year; staff across the partnership see the totals.
struct PlacementOfferController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("placements", access: .staff, use: overview)
        routes.get("schools", ":urn", "placement-offer", access: .anyRole([.coordinator, .schoolStaff]), use: form)
        routes.post("schools", ":urn", "placement-offer", access: .anyRole([.coordinator, .schoolStaff]), use: save)
        routes.post(
            "schools", ":urn", "placement-offer", "respond", access: .anyRole([.coordinator, .schoolStaff]),
            use: respond)
    }

    /// The trainees the published run sends to the school, with their provider's staff to contact and the
    /// school's answers so far.
    static func allocated(_ req: Request, school: School, year: AcademicYear) async throws
        -> (run: AllocationRun?, trainees: [PlacementOfferPages.AllocatedTrainee])
    {
        guard let run = try await AllocationStore(req.db).published(year: year) else { return (nil, []) }
        let organisations = Dictionary(
            uniqueKeysWithValues: try await OrganisationStore(req.db).list().map { ($0.id, $0.name) })
        let trainees = Dictionary(uniqueKeysWithValues: run.inputs.trainees.map { ($0.id, $0) })
        let here = run.plan.outcomes.filter { $0.school == school.urn }
        let contacts = try await PeopleStore(req.db).contacts(
            role: .providerStaff, in: Array(Set(here.compactMap { trainees[$0.trainee]?.provider })))
        let responses = try await PlacementResponseStore(req.db).responses(run: run.id, urn: school.urn)
        let list: [PlacementOfferPages.AllocatedTrainee] = here.compactMap { o in
            guard let t = trainees[o.trainee] else { return nil }
            let response = responses[t.id]
            return .init(
                trainee: t.id, name: t.name, subject: t.subject.label + (o.sendPlace == true ? ", SEND placement" : ""),
                placement: t.placement == 1
                    ? "First placement, autumn term \(year.start)"
                    : "Second placement, spring and summer terms \(year.start + 1)",
                provider: organisations[t.provider] ?? "", contacts: contacts[t.provider] ?? [],
                confirmed: response.map { $0.status == .confirmed }, note: response?.note ?? "")
        }.sorted { $0.name < $1.name }
        return (run, list)
    }

    /// The school confirms a trainee allocated to it, or raises a problem in words.
    func respond(req: Request) async throws -> Response {
        let school = try await Self.school(req)
        let year = try Self.year(req.query[String.self, at: "year"], req)
        let form = try req.content.decode([String: String].self)
        let (run, allocated) = try await Self.allocated(req, school: school, year: year)
        guard let run, let id = form["trainee"].flatMap(UUID.init(uuidString:)),
            let trainee = allocated.first(where: { $0.trainee == id })
        else {
            throw Abort(.notFound, reason: "No trainee with that id is allocated to \(school.name) in \(year).")
        }
        guard let status = form["status"].flatMap(PlacementResponse.Status.init(rawValue:)) else {
            throw ValidationError([.init(field: "status", message: "must be confirmed or problem")])
        }
        let field = "note-\(id.uuidString.lowercased())"
        let note = (form[field] ?? "").trimmingSpaces
        var problems: [ValidationError.Problem] = []
        if status == .problem && note.isEmpty {
            problems.append(.init(field: field, message: "Say what the problem with \(trainee.name)'s placement is"))
        }
        if note.count > PlacementResponse.maximumNote {
            problems.append(
                .init(field: field, message: "The problem must be \(PlacementResponse.maximumNote) characters or fewer")
            )
        }
        if BoundedInput.hasControlCharacters(note) {
            problems.append(.init(field: field, message: "The problem must be plain text"))
        }
        guard problems.isEmpty else {
            let offer =
                try await OfferStore(req.db).offer(urn: school.urn, year: year)
                ?? PlacementOffer(urn: school.urn, year: year, appetite: .interested)
            return HTMLResponse.make(
                PlacementOfferPages.form(
                    school: school, offer: offer, problems: problems, saved: false, allocated: allocated,
                    runNumber: run.number, chrome: req.chrome), status: .badRequest)
        }
        try await req.db.transaction { tx in
            try await PlacementResponseStore(tx).respond(
                .init(
                    runID: run.id, trainee: id, urn: school.urn, status: status,
                    note: status == .problem ? note : "", at: req.now),
                year: year, by: req.principal?.id)
            try await req.audit(
                status == .confirmed ? .placementConfirmed : .placementProblemRaised, subjectType: "trainee",
                subjectID: id.uuidString, detail: "\(trainee.name) at \(school.name) (run \(run.number ?? 0))", on: tx)
        }
        return req.redirect(
            to: SitePath.placementOffer(school.urn, year) + "&responded=1#allocated", redirectType: .normal)
    }

    /// The year asked for, or the year being planned today (the one that starts next September).
    static func year(_ text: String?, _ req: Request) throws -> AcademicYear {
        if let text, !text.isEmpty {
            guard let year = AcademicYear(text) else {
                throw ValidationError([
                    .init(field: "year", message: "Academic year must look like 2026/27; got '\(text)'")
                ])
            }
            return year
        }
        return planningYear(req.now)
    }

    /// The academic year being planned at a moment, in UK time.
    static func planningYear(_ now: Date) -> AcademicYear {
        AcademicYear.planning(on: Day.inUK(now))
    }

    func overview(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let year = try Self.year(req.query[String.self, at: "year"], req)
        let offers = try await OfferStore(req.db).offers(year: year)
        let organisations = OrganisationStore(req.db)
        var urns = Set(offers.map(\.urn))
        if let partnership = try await organisations.mainPartnership() {
            for m in try await organisations.members(of: partnership.id) {
                if let urn = m.organisation.urn { urns.insert(urn) }
            }
        }
        // The viewer's own school-staff organisations and the schools each is or holds: enough to decide who may
        // edit, since only those organisations' staff (and coordinators) may.
        let mine = try await organisations.list().filter { viewer.organisations(as: .schoolStaff).contains($0.id) }
        var ownersAmongMine: [URN: [OrganisationID]] = [:]
        for o in mine {
            for urn in [o.urn].compactMap({ $0 }) + (try await organisations.schools(of: o.id)) {
                urns.insert(urn)
                ownersAmongMine[urn, default: []].append(o.id)
            }
        }
        let byURN = Dictionary(uniqueKeysWithValues: offers.map { ($0.urn, $0) })
        var rows: [PlacementOfferPages.Row] = try await SchoolStore(req.db).find(urns).values.map { school in
            let owners = ownersAmongMine[school.urn] ?? []
            let canEdit = AccessPolicy.mayManageSchool(viewer: viewer, schoolOrganisations: owners)
            return .init(school: school, offer: byURN[school.urn], canEdit: canEdit)
        }
        rows.sort { ($0.canEdit ? 0 : 1, $0.school.name) < ($1.canEdit ? 0 : 1, $1.school.name) }
        let years = (year.start - 2...year.start + 2).compactMap(AcademicYear.init(start:))
        return HTMLResponse.make(
            PlacementOfferPages.overview(.init(year: year, rows: rows, years: years), chrome: req.chrome))
    }

    /// The school named in the path, if the viewer may manage its offer.
    static func school(_ req: Request) async throws -> School {
        let viewer = try req.requirePrincipal()
        let urn = try req.urnParameter()
        guard let school = try await SchoolStore(req.db).find(urn) else {
            throw Abort(.notFound, reason: "There is no school with URN \(urn.value).")
        }
        let organisations = try await OrganisationStore(req.db).organisations(ofSchool: urn).map(\.id)
        guard AccessPolicy.mayManageSchool(viewer: viewer, schoolOrganisations: organisations) else {
            throw Abort(
                .forbidden, reason: "Only the school's own staff and partnership coordinators can change its offer.")
        }
        return school
    }

    func form(req: Request) async throws -> Response {
        let school = try await Self.school(req)
        let year = try Self.year(req.query[String.self, at: "year"], req)
        let offer =
            try await OfferStore(req.db).offer(urn: school.urn, year: year)
            ?? PlacementOffer(urn: school.urn, year: year, appetite: .interested)
        try await req.audit(
            .placementOfferRead, subjectType: "placement-offer", subjectID: "\(school.urn.value) \(year)")
        let (run, allocated) = try await Self.allocated(req, school: school, year: year)
        return HTMLResponse.make(
            PlacementOfferPages.form(
                school: school, offer: offer, problems: [], saved: req.query[String.self, at: "saved"] != nil,
                allocated: allocated, runNumber: run?.number,
                responded: req.query[String.self, at: "responded"] != nil,
                mentorNames: try await Self.mentorNames(req, school), chrome: req.chrome))
    }

    /// The school's mentors with accounts (people with the mentor role in the school's organisations).
    static func mentorNames(_ req: Request, _ school: School) async throws -> [String] {
        let organisations = try await OrganisationStore(req.db).organisations(ofSchool: school.urn).map(\.id)
        return try await PeopleStore(req.db).contacts(role: .mentor, in: organisations).values.flatMap { $0 }
            .map(\.name).sorted()
    }

    func save(req: Request) async throws -> Response {
        let school = try await Self.school(req)
        let form = try req.content.decode([String: String].self)
        var problems: [ValidationError.Problem] = []
        let year = try Self.year(form["year"], req)
        let appetite = form["appetite"].flatMap(HostingAppetite.init(rawValue:))
        if appetite == nil {
            problems.append(.init(field: "appetite", message: "Choose whether the school will host trainees"))
        }
        func number(_ field: String, _ label: String) -> Int {
            let text = (form[field] ?? "").trimmingSpaces
            if text.isEmpty { return 0 }
            guard let n = BoundedInput.wholeNumber(text, in: 0...50) else {
                problems.append(.init(field: field, message: "\(label) must be a whole number from 0 to 50, like 2"))
                return 0
            }
            return n
        }
        var places: [PlacementSubject: Int] = [:]
        for s in PlacementSubject.allCases {
            let n = number("places-\(s.key)", "\(s.label) places")
            if n > 0 { places[s] = n }
        }
        let terms = Set(Term.allCases.filter { form["term-\($0.rawValue)"] == "true" })
        let send = number("send_places", "SEND places")
        var mentors: [OfferedMentor] = []
        var i = 1
        while let name = form["mentor-\(i)-name"] {
            defer { i += 1 }
            let trimmed = name.trimmingSpaces
            let trainedText = (form["mentor-\(i)-trained_on"] ?? "").trimmingSpaces
            if trimmed.isEmpty && trainedText.isEmpty { continue }
            var trained: Day?
            if !trainedText.isEmpty {
                trained = Day(trainedText)
                if trained == nil {
                    problems.append(
                        .init(
                            field: "mentor-\(i)-trained_on",
                            message: "Mentor \(i)'s training date must be a real date, like 2025-07-14"))
                }
            }
            let subject = form["mentor-\(i)-subject"].flatMap(PlacementSubject.init(key:)) ?? .primary
            mentors.append(OfferedMentor(name: trimmed, subject: subject, trainedOn: trained))
            if i > 200 { break }
        }
        var offer = PlacementOffer(
            urn: school.urn, year: year, appetite: appetite ?? .interested,
            reason: (form["reason"] ?? "").trimmingSpaces,
            places: places, terms: terms, sendPlaces: send, mentors: mentors)
        if problems.isEmpty, appetite != nil {
            do {
                offer = try offer.validated()
            } catch {
                problems = error.problems
            }
        }
        guard problems.isEmpty else {
            return HTMLResponse.make(
                PlacementOfferPages.form(
                    school: school, offer: offer, problems: problems, saved: false,
                    mentorNames: try await Self.mentorNames(req, school), chrome: req.chrome),
                status: .badRequest)
        }
        let saved = offer
        try await req.db.transaction { tx in
            try await OfferStore(tx).save(saved, by: req.principal?.id, at: req.now)
            try await req.audit(
                .placementOfferSaved, subjectType: "placement-offer", subjectID: "\(school.urn.value) \(year)",
                detail:
                    "\(saved.appetite.rawValue), \(saved.totalPlaces) places, \(saved.mentors.count) mentors (\(saved.trainedMentors) trained)",
                on: tx)
        }
        return req.redirect(to: SitePath.placementOffer(school.urn, year) + "&saved=1", redirectType: .normal)
    }
}

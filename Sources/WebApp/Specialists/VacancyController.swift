import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Maths and science vacancies: a school's own staff post them and record how they closed; recruitment partners
/// (provider staff) see the open ones and refer candidates; coordinators see fill rates and time to fill.
struct VacancyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let school = RouteAccess.anyRole([.schoolStaff])
        routes.get("schools", ":urn", "vacancies", access: school, use: schoolPage)
        routes.post("schools", ":urn", "vacancies", access: school, use: post)
        routes.post("schools", ":urn", "vacancies", ":vacancy", "close", access: school, use: close)
        routes.get("vacancies", access: .anyRole([.coordinator, .providerStaff]), use: partners)
        routes.post("vacancies", "referrals", access: .anyRole([.providerStaff]), use: refer)
    }

    func schoolPage(
        _ req: Request, _ school: School, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
        notice: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let store = VacancyStore(req.db)
        let vacancies = try await store.vacancies(urns: [school.urn.value])
        return HTMLResponse.make(
            VacancyPages.school(
                .init(
                    urn: school.urn.value, school: school.name, vacancies: vacancies,
                    referrals: try await store.referrals(vacancies: vacancies.map(\.id)), form: form,
                    problems: problems,
                    notice: notice), chrome: req.chrome), status: status)
    }

    func schoolPage(req: Request) async throws -> Response {
        let school = try await InternshipController.ownSchool(req)
        var notice: String?
        switch req.query[String.self, at: "saved"] {
        case "posted": notice = "Vacancy posted. Recruitment partners can see it and refer candidates."
        case "closed": notice = "Outcome recorded."
        default: break
        }
        return try await schoolPage(req, school, notice: notice)
    }

    func post(req: Request) async throws -> Response {
        let school = try await InternshipController.ownSchool(req)
        let body = FormValues.body(req)
        var form: [String: String] = [:]
        for key in ["job_title", "working_pattern", "contract", "salary", "starts_on", "closes_on"] {
            form[key] = String(body.one(key).prefix(200))
        }
        form["subjects"] = body.all("subjects").prefix(10).joined(separator: ";")
        form["key_stages"] = body.all("key_stages").prefix(10).joined(separator: ";")
        switch Vacancy.parse(
            { body.one($0) }, all: { Array(body.all($0).prefix(10)) }, urn: school.urn.value, today: Day.inUK(req.now))
        {
        case .failure(let error):
            return try await schoolPage(req, school, form: form, problems: error.problems, status: .badRequest)
        case .success(let vacancy):
            try await VacancyStore(req.db).add(vacancy, author: try req.requirePrincipal().person.name)
            try await req.audit(
                .vacancyPosted, subjectType: "school", subjectID: String(school.urn.value),
                detail: "\(vacancy.jobTitle) (\(vacancy.subjects.map(\.rawValue).joined(separator: ", ")))")
            return req.redirect(to: "/schools/\(school.urn.value)/vacancies?saved=posted", redirectType: .normal)
        }
    }

    func close(req: Request) async throws -> Response {
        let school = try await InternshipController.ownSchool(req)
        let store = VacancyStore(req.db)
        guard let id = req.parameters.get("vacancy").flatMap(UUID.init(uuidString:)),
            let vacancy = try await store.vacancy(id), vacancy.urn == school.urn.value
        else { throw Abort(.notFound, reason: "Your school has no vacancy with that id.") }
        guard vacancy.isOpen else { throw Abort(.conflict, reason: "This vacancy's outcome is already recorded.") }
        let key = id.uuidString.lowercased()
        let body = FormValues.body(req)
        var problems: [ValidationError.Problem] = []
        let outcome = Vacancy.Outcome(rawValue: body.one("outcome_\(key)"))
        if outcome == nil { problems.append(.init(field: "outcome_\(key)", message: "Choose how the vacancy closed")) }
        var channels: [Vacancy.Channel] = []
        for value in body.all("channels_\(key)").prefix(10) {
            guard let c = Vacancy.Channel(rawValue: value) else {
                problems.append(.init(field: "channels_\(key)", message: "Choose from the list"))
                break
            }
            if !channels.contains(c) { channels.append(c) }
        }
        if channels.isEmpty, problems.allSatisfy({ $0.field != "channels_\(key)" }) {
            problems.append(.init(field: "channels_\(key)", message: "Choose at least one way you advertised it"))
        }
        guard problems.isEmpty, let outcome else {
            return try await schoolPage(req, school, problems: problems, status: .badRequest)
        }
        try await store.close(id, outcome: outcome, channels: channels, on: Day.inUK(req.now))
        try await req.audit(
            .vacancyClosed, subjectType: "school", subjectID: String(school.urn.value),
            detail: "\(vacancy.jobTitle): \(outcome.rawValue)")
        return req.redirect(to: "/schools/\(school.urn.value)/vacancies?saved=closed", redirectType: .normal)
    }

    /// The provider organisation a provider-staff viewer refers for.
    static func partner(_ req: Request) async throws -> String? {
        let viewer = try req.requirePrincipal()
        return viewer.memberships.first { $0.role == .providerStaff }?.organisationName
    }

    func partners(req: Request) async throws -> Response {
        try await partnersPage(req)
    }

    func partnersPage(
        _ req: Request, problems: [ValidationError.Problem] = [], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let store = VacancyStore(req.db)
        let all = try await store.vacancies()
        let schools = try await SchoolStore(req.db).find(Set(all.map { URN($0.urn) }))
        let referrals = try await store.referrals(vacancies: all.map(\.id)).mapValues(\.count)
        let authorities = try await ColdSpotsController.partnershipAuthorities(req)
        var area: String?
        if let la = req.query[String.self, at: "la"], !la.isEmpty {
            guard authorities.contains(where: { $0.code == la }) else {
                throw Abort(.badRequest, reason: "la must be the code of one of the partnership's local authorities.")
            }
            area = la
        }
        let today = Day.inUK(req.now)
        let open = all.filter { v in
            v.isOpen && v.closesOn >= today && (area == nil || schools[URN(v.urn)]?.localAuthority?.code == area)
        }.sorted { ($0.closesOn, $0.jobTitle) < ($1.closesOn, $1.jobTitle) }.map { v in
            VacancyPages.OpenRow(
                vacancy: v, school: schools[URN(v.urn)]?.name ?? "School \(v.urn)",
                area: schools[URN(v.urn)]?.localAuthority?.name ?? "", referrals: referrals[v.id] ?? 0)
        }
        var bySubject: [VacancyFigures.Row] = []
        var byArea: [VacancyFigures.Row] = []
        if viewer.has(.coordinator), !all.isEmpty {
            let subjects = VacancyFigures.rows(all, referrals: referrals) { $0.subjects.map(\.label) }
            bySubject = Vacancy.subjects.compactMap { subjects[$0.label] }
            byArea = VacancyFigures.rows(all, referrals: referrals) {
                [schools[URN($0.urn)]?.localAuthority?.name ?? "Unknown"]
            }.values.sorted { $0.label < $1.label }
        }
        var notice: String?
        if req.query[String.self, at: "referred"] == "1" { notice = "Referral recorded; the school sees it." }
        return HTMLResponse.make(
            VacancyPages.partners(
                .init(
                    open: open, areas: authorities.map { ($0.code, $0.name) }, area: area,
                    partner: viewer.has(.providerStaff) ? try await Self.partner(req) : nil, bySubject: bySubject,
                    byArea: byArea, problems: problems, notice: notice), chrome: req.chrome), status: status)
    }

    func refer(req: Request) async throws -> Response {
        guard let partner = try await Self.partner(req) else {
            throw Abort(.forbidden, reason: "Referrals are made for a recruitment partner.")
        }
        let body = FormValues.body(req)
        var problems: [ValidationError.Problem] = []
        let store = VacancyStore(req.db)
        var vacancy: Vacancy?
        if let id = UUID(uuidString: body.one("vacancy")) { vacancy = try await store.vacancy(id) }
        if vacancy == nil || vacancy?.isOpen != true {
            problems.append(.init(field: "vacancy", message: "Choose an open vacancy"))
        }
        let candidate = body.one("candidate").trimmingSpaces
        if candidate.isEmpty || candidate.count > 60 || BoundedInput.hasControlCharacters(candidate) {
            problems.append(
                .init(
                    field: "candidate",
                    message: "Enter the candidate's initials or your reference, at most 60 characters"))
        }
        let note = body.one("note").trimmingSpaces
        if note.count > 500
            || BoundedInput.hasControlCharactersBesideLineBreaks(note)
        {
            problems.append(.init(field: "note", message: "The note must be at most 500 characters of text"))
        }
        guard problems.isEmpty, let vacancy else {
            return try await partnersPage(req, problems: problems, status: .badRequest)
        }
        let author = try req.requirePrincipal().person.name
        try await store.refer(
            VacancyReferral(
                vacancy: vacancy.id, partner: partner, candidate: candidate, note: note, referredOn: Day.inUK(req.now),
                referredBy: author))
        try await req.audit(
            .vacancyReferral, subjectType: "school", subjectID: String(vacancy.urn),
            detail: "\(partner) referred a candidate for \(vacancy.jobTitle)")
        return req.redirect(to: "/vacancies?referred=1", redirectType: .normal)
    }
}

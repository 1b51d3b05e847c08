import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Undergraduate internships. Undergraduates apply with ranked choices; a school's own staff offer places, see the
/// applicants who chose them (audited) and rank them, and record attendance; coordinators, who run the scheme for
/// the partnership, propose the stable matching, confirm it and see outcomes over the years.
struct InternshipController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let undergraduates = RouteAccess.anyRole([.undergraduate])
        routes.get("internships", access: undergraduates, use: mine)
        routes.post("internships", access: undergraduates, use: apply)
        routes.post("internships", "intention", access: undergraduates, use: intention)
        let school = RouteAccess.anyRole([.schoolStaff])
        routes.get("schools", ":urn", "internships", access: school, use: schoolPage)
        routes.post("schools", ":urn", "internships", access: school, use: offer)
        routes.post("schools", ":urn", "internships", ":offer", "ranking", access: school, use: rank)
        routes.post("schools", ":urn", "internships", "attendance", access: school, use: attendance)
        let coordinator = RouteAccess.anyRole([.coordinator])
        routes.get("internships", "matching", access: coordinator, use: matching)
        routes.post("internships", "matching", "confirm", access: coordinator, use: confirm)
    }

    static func year(_ req: Request) -> Int { Internships.year(on: Day.inUK(req.now)) }

    static func rows(_ req: Request, _ offers: [InternshipOffer]) async throws -> [InternshipPages.OfferRow] {
        let schools = try await SchoolStore(req.db).find(Set(offers.map { URN($0.urn) }))
        return offers.map {
            .init(offer: $0, school: schools[URN($0.urn)]?.name ?? "School \($0.urn)", town: schools[URN($0.urn)]?.town)
        }
    }

    // MARK: The undergraduate

    func mineModel(
        _ req: Request, form: [String: String]? = nil, problems: [ValidationError.Problem] = [], notice: String? = nil
    ) async throws -> InternshipPages.Mine {
        let viewer = try req.requirePrincipal()
        let year = Self.year(req)
        let store = InternshipStore(req.db)
        let offers = try await Self.rows(req, try await store.offers(year: year))
        // Last year's internship stays on show until the new year's application, so the intern can answer.
        var application = try await store.application(person: viewer.id, year: year)
        if application == nil, let last = try await store.application(person: viewer.id, year: year - 1),
            last.status == .placed
        {
            application = last
        }
        var placed: InternshipPages.OfferRow?
        if let a = application, let o = a.placedOffer {
            placed = try await Self.rows(req, try await store.offers(year: a.year)).first { $0.offer.id == o }
        }
        var values = form ?? [:]
        if form == nil, let a = application {
            for (i, c) in a.choices.enumerated() { values["choice_\(i + 1)"] = c.uuidString.lowercased() }
            values["statement"] = a.statement
        }
        return .init(
            year: year, offers: offers, application: application, placed: placed, form: values, problems: problems,
            notice: notice, today: Day.inUK(req.now))
    }

    func mine(req: Request) async throws -> Response {
        var notice: String?
        switch req.query[String.self, at: "saved"] {
        case "application": notice = "Your application is saved. Schools rank applicants before the matching."
        case "intention": notice = "Thank you: your answer is saved."
        default: break
        }
        return HTMLResponse.make(InternshipPages.mine(try await mineModel(req, notice: notice), chrome: req.chrome))
    }

    func apply(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let body = FormValues.body(req)
        var form: [String: String] = [:]
        for key in (1...Internships.maximumChoices).map({ "choice_\($0)" }) + ["statement"] {
            form[key] = String(body.one(key).prefix(Internships.maximumStatement + 100))
        }
        let year = Self.year(req)
        let store = InternshipStore(req.db)
        let open = Set(try await store.offers(year: year).map(\.id))
        switch InternshipApplication.parse(form, open: open) {
        case .failure(let error):
            return HTMLResponse.make(
                InternshipPages.mine(
                    try await mineModel(req, form: form, problems: error.problems), chrome: req.chrome),
                status: .badRequest)
        case .success(let parsed):
            var application =
                try await store.application(person: viewer.id, year: year)
                ?? InternshipApplication(
                    person: viewer.id, name: viewer.person.name,
                    university: viewer.memberships.first { $0.role == .undergraduate }?.organisationName, year: year,
                    choices: [], statement: "", submittedAt: req.now)
            guard application.status == .applied else {
                throw Abort(
                    .conflict, reason: "The matching has been confirmed; your application can no longer change.")
            }
            application.choices = parsed.choices
            application.statement = parsed.statement
            let saved = application
            try await req.db.transaction { tx in try await InternshipStore(tx).save(saved, at: req.now) }
            try await req.audit(
                .internshipApplied, subjectType: "internship-application", subjectID: saved.id.uuidString,
                person: viewer.id, detail: "\(saved.choices.count) choices for \(year)")
            return req.redirect(to: "/internships?saved=application", redirectType: .normal)
        }
    }

    func intention(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let store = InternshipStore(req.db)
        let today = Day.inUK(req.now)
        var found: InternshipApplication?
        for year in [Self.year(req), Self.year(req) - 1] {
            if let a = try await store.application(person: viewer.id, year: year), a.status == .placed {
                found = a
                break
            }
        }
        guard let application = found, let offerID = application.placedOffer,
            let offer = try await store.offers(year: application.year).first(where: { $0.id == offerID }),
            offer.endsOn <= today
        else { throw Abort(.conflict, reason: "You can answer once your internship has finished.") }
        guard let answer = TrainingIntention(rawValue: FormValues.body(req).one("intention")) else {
            return HTMLResponse.make(
                InternshipPages.mine(
                    try await mineModel(
                        req, problems: [.init(field: "intention", message: "Choose whether you plan to train to teach")]
                    ), chrome: req.chrome), status: .badRequest)
        }
        try await store.setIntention(application.id, answer, at: req.now)
        try await req.audit(
            .internshipOutcomeRecorded, subjectType: "internship-application", subjectID: application.id.uuidString,
            person: viewer.id, detail: "plans to train: \(answer.rawValue)")
        return req.redirect(to: "/internships?saved=intention", redirectType: .normal)
    }

    // MARK: A school

    /// The school in the path, if the viewer is on its staff.
    static func ownSchool(_ req: Request) async throws -> School {
        let viewer = try req.requirePrincipal()
        guard let text = req.parameters.get("urn"), let urn = BoundedInput.wholeNumber(text, in: 100_000...999_999),
            let school = try await SchoolStore(req.db).find(URN(urn))
        else { throw Abort(.notFound, reason: "There is no school with that URN.") }
        let organisations = try await OrganisationStore(req.db).list()
        guard
            organisations.contains(where: {
                viewer.organisations(as: .schoolStaff).contains($0.id) && $0.urn?.value == urn
            })
        else { throw Abort(.forbidden, reason: "Only the school's own staff can keep its internships.") }
        return school
    }

    func schoolModel(
        _ req: Request, _ school: School, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
        notice: String? = nil
    ) async throws -> InternshipPages.SchoolModel {
        let year = Self.year(req)
        let store = InternshipStore(req.db)
        let offers = try await store.offers(year: year, urns: [school.urn.value])
        let applications = try await store.applications(year: year)
        let rankings = try await store.rankings(offers: offers.map(\.id))
        var shown = 0
        let rows = offers.map { offer in
            let applicants = applications.filter { $0.status == .applied && $0.choices.contains(offer.id) }.map { a in
                InternshipPages.Applicant(
                    application: a, choice: (a.choices.firstIndex(of: offer.id) ?? 0) + 1,
                    rank: rankings[offer.id]?.firstIndex(of: a.id).map { $0 + 1 })
            }.sorted {
                ($0.rank ?? Int.max, $0.choice, $0.application.name) < (
                    $1.rank ?? Int.max, $1.choice, $1.application.name
                )
            }
            let interns = applications.filter { $0.status == .placed && $0.placedOffer == offer.id }
            shown += applicants.count + interns.count
            return (offer: offer, applicants: applicants, interns: interns)
        }
        if shown > 0 {
            try await req.audit(
                .internshipApplicationsRead, subjectType: "school", subjectID: String(school.urn.value),
                detail: "\(shown) internship applicants and interns")
        }
        return .init(
            urn: school.urn.value, school: school.name, year: year, offers: rows, form: form, problems: problems,
            notice: notice, today: Day.inUK(req.now))
    }

    func schoolPage(req: Request) async throws -> Response {
        let school = try await Self.ownSchool(req)
        var notice: String?
        switch req.query[String.self, at: "saved"] {
        case "offer": notice = "Internship offered. Undergraduates can choose it now."
        case "ranking": notice = "Ranking saved. It is used when the partnership runs the matching."
        case "attendance": notice = "Attendance saved."
        default: break
        }
        return HTMLResponse.make(
            InternshipPages.school(try await schoolModel(req, school, notice: notice), chrome: req.chrome))
    }

    func offer(req: Request) async throws -> Response {
        let school = try await Self.ownSchool(req)
        let body = FormValues.body(req)
        var form: [String: String] = [:]
        for key in ["subject", "starts_on", "ends_on", "places", "details"] {
            form[key] = String(body.one(key).prefix(1_100))
        }
        switch InternshipOffer.parse(form, urn: school.urn.value, today: Day.inUK(req.now)) {
        case .failure(let error):
            return HTMLResponse.make(
                InternshipPages.school(
                    try await schoolModel(req, school, form: form, problems: error.problems), chrome: req.chrome),
                status: .badRequest)
        case .success(let offer):
            guard offer.year == Self.year(req) else {
                return HTMLResponse.make(
                    InternshipPages.school(
                        try await schoolModel(
                            req, school, form: form,
                            problems: [
                                .init(
                                    field: "starts_on",
                                    message:
                                        "Offer internships for the summer of \(Self.year(req)): start in \(Self.year(req))"
                                )
                            ]), chrome: req.chrome), status: .badRequest)
            }
            try await InternshipStore(req.db).add(offer, author: try req.requirePrincipal().person.name, at: req.now)
            try await req.audit(
                .internshipOffered, subjectType: "school", subjectID: String(school.urn.value),
                detail: "\(offer.places) \(offer.subject.rawValue) from \(offer.startsOn)")
            return req.redirect(to: "/schools/\(school.urn.value)/internships?saved=offer", redirectType: .normal)
        }
    }

    /// The school's ranking of those who chose the offer: `rank_{application}` = 1, 2, 3... (blank: not
    /// acceptable); ranks must be distinct.
    func rank(req: Request) async throws -> Response {
        let school = try await Self.ownSchool(req)
        let store = InternshipStore(req.db)
        guard let id = req.parameters.get("offer").flatMap(UUID.init(uuidString:)),
            let offer = try await store.offers(year: Self.year(req), urns: [school.urn.value]).first(where: {
                $0.id == id
            })
        else { throw Abort(.notFound, reason: "Your school has no internship offer with that id this year.") }
        let applicants = try await store.applications(year: Self.year(req)).filter {
            $0.status == .applied && $0.choices.contains(offer.id)
        }
        let body = FormValues.body(req)
        var form: [String: String] = [:]
        var problems: [ValidationError.Problem] = []
        var ranked: [(Int, UUID)] = []
        for a in applicants {
            let field = "rank_\(a.id.uuidString.lowercased())"
            let text = body.one(field).trimmingSpaces
            form[field] = String(text.prefix(20))
            if text.isEmpty { continue }
            guard let r = BoundedInput.wholeNumber(text, in: 1...applicants.count) else {
                problems.append(
                    .init(
                        field: field,
                        message: "Rank \(a.name) with a whole number from 1 to \(applicants.count), or leave it blank"))
                continue
            }
            if ranked.contains(where: { $0.0 == r }) {
                problems.append(
                    .init(field: field, message: "Give each applicant a different rank (\(r) is used twice)"))
                continue
            }
            ranked.append((r, a.id))
        }
        guard problems.isEmpty else {
            return HTMLResponse.make(
                InternshipPages.school(
                    try await schoolModel(req, school, form: form, problems: problems), chrome: req.chrome),
                status: .badRequest)
        }
        let order = ranked.sorted { $0.0 < $1.0 }.map(\.1)
        try await req.db.transaction { tx in try await InternshipStore(tx).setRanking(offer: offer.id, order) }
        try await req.audit(
            .internshipRanked, subjectType: "school", subjectID: String(school.urn.value),
            detail: "ranked \(order.count) of \(applicants.count) for \(offer.subject.rawValue)")
        return req.redirect(to: "/schools/\(school.urn.value)/internships?saved=ranking", redirectType: .normal)
    }

    func attendance(req: Request) async throws -> Response {
        let school = try await Self.ownSchool(req)
        let store = InternshipStore(req.db)
        let offers = Set(try await store.offers(year: Self.year(req), urns: [school.urn.value]).map(\.id))
        let interns = try await store.applications(year: Self.year(req)).filter {
            $0.status == .placed && $0.placedOffer.map(offers.contains) == true
        }
        let body = FormValues.body(req)
        var changes: [(UUID, Bool)] = []
        for a in interns {
            switch body.one("attended_\(a.id.uuidString.lowercased())") {
            case "yes": changes.append((a.id, true))
            case "no": changes.append((a.id, false))
            case "": continue
            default: throw Abort(.badRequest, reason: "Attended must be yes, no or not yet recorded.")
            }
        }
        let chosen = changes
        try await req.db.transaction { tx in
            for (id, attended) in chosen { try await InternshipStore(tx).setAttended(id, attended, at: req.now) }
        }
        try await req.audit(
            .internshipOutcomeRecorded, subjectType: "school", subjectID: String(school.urn.value),
            detail: "attendance of \(changes.count) interns")
        return req.redirect(to: "/schools/\(school.urn.value)/internships?saved=attendance", redirectType: .normal)
    }

    // MARK: The coordinator

    struct Computed {
        var offers: [InternshipOffer]
        var applications: [InternshipApplication]
        var result: InternshipMatching.Result
    }

    static func compute(_ req: Request) async throws -> Computed {
        let store = InternshipStore(req.db)
        let year = Self.year(req)
        let offers = try await store.offers(year: year)
        let applications = try await store.applications(year: year)
        let rankings = try await store.rankings(offers: offers.map(\.id))
        return Computed(
            offers: offers, applications: applications,
            result: InternshipMatching.match(offers: offers, applications: applications, rankings: rankings))
    }

    func matching(req: Request) async throws -> Response {
        let c = try await Self.compute(req)
        let rows = try await Self.rows(req, c.offers)
        func proposal(_ a: InternshipApplication, _ offer: UUID?) -> InternshipPages.Proposal {
            .init(
                name: a.name, university: a.university, offer: offer.flatMap { o in rows.first { $0.offer.id == o } },
                choice: offer.flatMap { a.choices.firstIndex(of: $0) }.map { $0 + 1 })
        }
        let applying = c.applications.filter { $0.status == .applied }
        let proposed = applying.map { proposal($0, c.result.placed[$0.id]) }
        let confirmed = c.applications.filter { $0.status == .placed }.map { proposal($0, $0.placedOffer) }
        if !applying.isEmpty || !confirmed.isEmpty {
            try await req.audit(
                .internshipApplicationsRead, subjectType: "internships", subjectID: String(Self.year(req)),
                detail: "matching: \(applying.count) applying, \(confirmed.count) placed")
        }
        var outcomes: [Int: InternshipPages.Outcome] = [:]
        for a in try await InternshipStore(req.db).allApplications() where a.status == .placed {
            var o = outcomes[a.year] ?? .init(year: a.year, placed: 0, attended: 0, answered: 0, yes: 0, maybe: 0)
            o.placed += 1
            if a.attended == true { o.attended += 1 }
            if let i = a.intention {
                o.answered += 1
                if i == .yes { o.yes += 1 }
                if i == .maybe { o.maybe += 1 }
            }
            outcomes[a.year] = o
        }
        var notice: String?
        if let n = req.query[String.self, at: "confirmed"].flatMap({ BoundedInput.wholeNumber($0, in: 0...100_000) }) {
            notice = "Matching confirmed: \(n) placed. Schools see their interns and applicants see their place."
        }
        return HTMLResponse.make(
            InternshipPages.matching(
                .init(
                    year: Self.year(req), offers: c.offers.count, places: c.offers.reduce(0) { $0 + $1.places },
                    applying: applying.count, proposal: proposed, blockingPairs: c.result.blockingPairs,
                    confirmed: confirmed, outcomes: outcomes.values.sorted { $0.year > $1.year }, notice: notice),
                chrome: req.chrome))
    }

    /// Confirms the matching computed now, from the same data the page showed (recomputed on the server).
    func confirm(req: Request) async throws -> Response {
        let c = try await Self.compute(req)
        guard c.result.blockingPairs == 0 else {
            throw Abort(.internalServerError, reason: "The matching has blocking pairs; it was not confirmed.")
        }
        guard c.applications.contains(where: { $0.status == .applied }) else {
            throw Abort(.conflict, reason: "No application is waiting to be matched.")
        }
        try await req.db.transaction { tx in
            try await InternshipStore(tx).confirm(year: Self.year(req), placed: c.result.placed, at: req.now)
        }
        try await req.audit(
            .internshipMatchingConfirmed, subjectType: "internships", subjectID: String(Self.year(req)),
            detail: "\(c.result.placed.count) placed")
        return req.redirect(to: "/internships/matching?confirmed=\(c.result.placed.count)", redirectType: .normal)
    }
}

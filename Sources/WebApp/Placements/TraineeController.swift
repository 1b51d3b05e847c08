import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Providers add their trainees for a year, one by one or by uploading a file (all or nothing).
struct TraineeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let access = RouteAccess.anyRole([.coordinator, .providerStaff])
        routes.get("providers", ":id", "trainees", access: access, use: list)
        routes.post("providers", ":id", "trainees", access: access, use: add)
        routes.on(
            .POST, ["providers", ":id", "trainees", "upload"], access: access, body: .collect(maxSize: "5mb"),
            use: upload)
        routes.get("providers", ":id", "trainees", ":trainee", "edit", access: access, use: edit)
        routes.post("providers", ":id", "trainees", ":trainee", access: access, use: update)
        routes.get("providers", ":id", "trainees", ":trainee", "withdraw", access: access, use: confirmWithdraw)
        routes.post("providers", ":id", "trainees", ":trainee", "withdraw", access: access, use: withdraw)
        routes.post("providers", ":id", "trainees", ":trainee", "reinstate", access: access, use: reinstate)
    }

    /// The trainee in the path, of the provider in the path (training or withdrawn).
    static func trainee(_ req: Request, _ provider: Organisation) async throws -> (Trainee, Date?) {
        guard let id = req.parameters.get("trainee").flatMap(UUID.init(uuidString:)),
            let found = try await TraineeStore(req.db).trainee(id, provider: provider.id)
        else { throw Abort(.notFound, reason: "\(provider.name) has no trainee with that id.") }
        return found
    }

    /// Schools offering places in the year, in the phases the provider trains (all when it has no trainees yet),
    /// with the places the published allocation leaves.
    static func offering(_ req: Request, year: AcademicYear, phases: Set<PlacementPhase>) async throws
        -> [TraineePages.OfferingSchool]
    {
        let offers = try await OfferStore(req.db).offers(year: year).filter { $0.usablePlaceCount > 0 }
        let schools = try await SchoolStore(req.db).find(offers.map(\.urn))
        let published = try await AllocationStore(req.db).published(year: year)
        var taken: [URN: Int] = [:]
        for o in published?.plan.outcomes ?? [] { if let urn = o.school { taken[urn, default: 0] += 1 } }
        return offers.compactMap { offer in
            guard let school = schools[offer.urn] else { return nil }
            let subjects = offer.places.filter { $0.value > 0 }.sorted { $0.key < $1.key }
            let offersPrimary = subjects.contains { $0.key == .primary }
            let offersSecondary = subjects.contains { $0.key != .primary }
            guard
                phases.isEmpty || (phases.contains(.primary) && offersPrimary)
                    || (phases.contains(.secondary) && offersSecondary) || offer.sendPlaces > 0
            else { return nil }
            let places = offer.usablePlaceCount
            return .init(
                urn: offer.urn, name: school.name, phase: school.phase.label,
                subjects: (subjects.map { "\($0.key.label) \($0.value)" }
                    + (offer.sendPlaces > 0 ? ["SEND \(offer.sendPlaces)"] : [])).joined(separator: ", "),
                places: places, remaining: published.map { _ in max(0, places - (taken[offer.urn] ?? 0)) })
        }.sorted { $0.name < $1.name }
    }

    func edit(req: Request) async throws -> Response {
        let provider = try await Self.provider(req)
        let (trainee, withdrawnAt) = try await Self.trainee(req, provider)
        guard withdrawnAt == nil else {
            throw Abort(
                .conflict, reason: "\(trainee.name) is withdrawn: reinstate them before changing their details.")
        }
        let names = try await SchoolStore(req.db).find(
            trainee.preferences + [trainee.firstPlacementURN].compactMap { $0 }
        )
        .mapValues(\.name)
        try await req.audit(
            .traineesListed, subjectType: "trainee", subjectID: trainee.id.uuidString,
            detail: "\(trainee.name) of \(provider.name), to change")
        return HTMLResponse.make(
            TraineePages.edit(
                provider: provider, year: trainee.year, trainee: trainee,
                form: TraineePages.form(trainee, names: names), problems: [],
                offering: try await Self.offering(req, year: trainee.year, phases: [trainee.phase]), chrome: req.chrome)
        )
    }

    func update(req: Request) async throws -> Response {
        let provider = try await Self.provider(req)
        let (trainee, withdrawnAt) = try await Self.trainee(req, provider)
        guard withdrawnAt == nil else {
            throw Abort(
                .conflict, reason: "\(trainee.name) is withdrawn: reinstate them before changing their details.")
        }
        let form = try req.content.decode([String: String].self)
        var problems: [ValidationError.Problem] = []
        switch TraineeEntry.parse({ form[$0] ?? "" }, line: nil) {
        case .failure(let error): problems = error.problems
        case .success(let entry):
            let (resolved, resolveProblems) = try await Self.resolve(
                [entry], provider: provider.id, year: trainee.year, req,
                knownHomes: [trainee.homePostcode.compact: trainee.home])
            problems = resolveProblems.map(\.problem)
            if problems.isEmpty, var resolvedTrainee = resolved.first {
                resolvedTrainee.id = trainee.id
                let changed = resolvedTrainee
                try await req.db.transaction { tx in
                    _ = try await TraineeStore(tx).update(changed, at: req.now)
                    try await req.audit(
                        .traineeUpdated, subjectType: "trainee", subjectID: trainee.id.uuidString,
                        detail: "\(changed.name) of \(provider.name)", on: tx)
                }
                return req.redirect(
                    to: TraineePages.path(provider.id)
                        + "?year=\(trainee.year)&changed=\(trainee.id.uuidString.lowercased())",
                    redirectType: .normal)
            }
        }
        let response = HTMLResponse.make(
            TraineePages.edit(
                provider: provider, year: trainee.year, trainee: trainee, form: form, problems: problems,
                offering: try await Self.offering(req, year: trainee.year, phases: [trainee.phase]), chrome: req.chrome)
        )
        response.status = .badRequest
        return response
    }

    func confirmWithdraw(req: Request) async throws -> Response {
        let provider = try await Self.provider(req)
        let (trainee, withdrawnAt) = try await Self.trainee(req, provider)
        guard withdrawnAt == nil else {
            return req.redirect(to: TraineePages.path(provider.id) + "?year=\(trainee.year)", redirectType: .normal)
        }
        let allocated = try await model(req, provider, trainee.year, audit: false).allocated[trainee.id]
        return HTMLResponse.make(
            TraineePages.confirmWithdraw(
                provider: provider, year: trainee.year, trainee: trainee, allocated: allocated, chrome: req.chrome))
    }

    func withdraw(req: Request) async throws -> Response { try await setWithdrawn(req, true) }

    func reinstate(req: Request) async throws -> Response { try await setWithdrawn(req, false) }

    /// Withdraws or reinstates the trainee in the path (audited), then goes back to the list.
    func setWithdrawn(_ req: Request, _ withdraw: Bool) async throws -> Response {
        let provider = try await Self.provider(req)
        let (trainee, withdrawnAt) = try await Self.trainee(req, provider)
        if (withdrawnAt == nil) == withdraw {
            try await req.db.transaction { tx in
                try await TraineeStore(tx).setWithdrawn(trainee.id, provider: provider.id, at: withdraw ? req.now : nil)
                try await req.audit(
                    withdraw ? .traineeWithdrawn : .traineeReinstated, subjectType: "trainee",
                    subjectID: trainee.id.uuidString, detail: "\(trainee.name) of \(provider.name)", on: tx)
            }
        }
        let notice = withdraw ? "&withdrawn=\(trainee.id.uuidString.lowercased())" : ""
        return req.redirect(
            to: TraineePages.path(provider.id) + "?year=\(trainee.year)" + notice, redirectType: .normal)
    }

    /// The provider in the path, if the viewer may manage its trainees.
    static func provider(_ req: Request) async throws -> Organisation {
        let viewer = try req.requirePrincipal()
        guard let id = req.parameters.get("id").flatMap(OrganisationID.init),
            let provider = try await OrganisationStore(req.db).find(id),
            [.university, .scitt, .schoolLedProvider].contains(provider.kind)
        else { throw Abort(.notFound, reason: "There is no training provider with that id.") }
        let sharing = try await req.dataSharing()
        guard AccessPolicy.mayManageTrainees(viewer: viewer, provider: id, sharing: sharing) else {
            throw Abort(.forbidden, reason: "Only the provider's own staff can see and add its trainees.")
        }
        return provider
    }

    func model(
        _ req: Request, _ provider: Organisation, _ year: AcademicYear, form: [String: String] = [:],
        problems: [ValidationError.Problem] = [], uploadProblems: [String] = [], notice: String? = nil,
        audit: Bool = true
    ) async throws -> TraineePages.Model {
        let store = TraineeStore(req.db)
        let trainees = try await store.trainees(year: year, provider: provider.id)
        let withdrawn = try await store.trainees(year: year, provider: provider.id, status: .withdrawn)
        if audit {
            try await req.audit(
                .traineesListed, subjectType: "trainees", subjectID: "\(provider.id) \(year)",
                detail: "\(trainees.count) trainees of \(provider.name)")
        }
        var model = TraineePages.Model(
            provider: provider, year: year, trainees: trainees, form: form, problems: problems,
            uploadProblems: uploadProblems, notice: notice)
        model.withdrawn = withdrawn
        model.offering = try await Self.offering(req, year: year, phases: Set(trainees.map(\.phase)))
        if let run = try await AllocationStore(req.db).published(year: year) {
            let names = Dictionary(uniqueKeysWithValues: run.inputs.hosts.map { ($0.urn, $0.name) })
            let answers = try await PlacementResponseStore(req.db).responses(run: run.id)
            for o in run.plan.outcomes {
                var answer = ""
                if let a = answers[o.trainee], a.urn == o.school {
                    answer =
                        a.status == .confirmed
                        ? ": confirmed by the school" : ": the school raised a problem: \(a.note)"
                }
                model.allocated[o.trainee] =
                    o.school.flatMap { names[$0] }.map {
                        (o.sendPlace == true ? "\($0) (SEND placement)" : $0) + answer
                    }
                    ?? "Not placed: \(o.reason ?? "")"
            }
        }
        return model
    }

    func list(req: Request) async throws -> Response {
        let provider = try await Self.provider(req)
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        var notice = req.query[Int.self, at: "added"].map { "\($0) trainee\($0 == 1 ? "" : "s") added." }
        let store = TraineeStore(req.db)
        if let id = req.query[String.self, at: "changed"].flatMap(UUID.init(uuidString:)),
            let t = try await store.trainee(id, provider: provider.id)
        {
            notice = "\(t.trainee.name)'s details saved. The next allocation run uses them."
        }
        if let id = req.query[String.self, at: "withdrawn"].flatMap(UUID.init(uuidString:)),
            let t = try await store.trainee(id, provider: provider.id), t.withdrawnAt != nil
        {
            notice = "\(t.trainee.name) withdrawn: they will not be in the next allocation run."
        }
        return HTMLResponse.make(
            TraineePages.page(try await model(req, provider, year, notice: notice), chrome: req.chrome))
    }

    /// Places each entry's home postcode and checks the schools it names (one lookup of each for the whole
    /// file); problems are per entry.
    /// `knownHomes` (by compact postcode) keeps a stored trainee's home when their postcode is unchanged, even if
    /// the directory no longer holds it.
    static func resolve(
        _ entries: [TraineeEntry], provider: OrganisationID, year: AcademicYear, _ req: Request,
        knownHomes: [String: GridPoint] = [:]
    )
        async throws -> ([Trainee], [(line: Int?, problem: ValidationError.Problem)])
    {
        let locations = try await PostcodeStore(req.db).locate(entries.map(\.homePostcode))
        let schools = try await SchoolStore(req.db).find(
            entries.flatMap { [$0.firstPlacementURN].compactMap { $0 } + $0.preferences })
        var trainees: [Trainee] = []
        var problems: [(Int?, ValidationError.Problem)] = []
        for e in entries {
            var ok = true
            let location = locations[e.homePostcode.compact]?.point ?? knownHomes[e.homePostcode.compact]
            if location == nil {
                problems.append(
                    (
                        e.line,
                        .init(
                            field: "home_postcode", message: "\(e.homePostcode.value) is not in the postcode directory")
                    ))
                ok = false
            }
            for urn in [e.firstPlacementURN].compactMap({ $0 }) + e.preferences where schools[urn] == nil {
                problems.append(
                    (
                        e.line,
                        .init(
                            field: e.preferences.contains(urn) ? "preferences" : "first_placement_urn",
                            message: "There is no school with URN \(urn.value)")
                    ))
                ok = false
            }
            guard ok, let location else { continue }
            trainees.append(
                Trainee(
                    provider: provider, year: year, name: e.name, subject: e.subject, phase: e.phase, route: e.route,
                    placement: e.placement, firstPlacementURN: e.firstPlacementURN, homePostcode: e.homePostcode,
                    home: location, maximumTravelKm: e.maximumTravelKm, noCar: e.noCar,
                    sendInterest: e.sendInterest, preferences: e.preferences))
        }
        return (trainees, problems)
    }

    /// Adds the trainees, and enters those recruited through an application choice in the teacher register
    /// linked to it, all in one transaction.
    func save(
        _ trainees: [Trainee], _ provider: Organisation, _ year: AcademicYear, how: String, _ req: Request,
        recruits: [(trainee: Trainee, choice: ApplicationChoice, account: Person?)] = []
    ) async throws -> Response {
        let author = try req.requirePrincipal().person.name
        let now = req.now
        try await req.db.transaction { tx in
            try await TraineeStore(tx).add(trainees, at: now)
            for r in recruits {
                _ = try await RecruitController.enter(
                    r.trainee, choice: r.choice, cycle: year.start, provider: provider, trn: nil, existing: nil,
                    account: r.account, author: author, at: now, on: tx)
            }
            try await req.audit(
                .traineesAdded, subjectType: "trainees", subjectID: "\(provider.id) \(year)",
                detail:
                    "\(trainees.count) trainees \(how)"
                    + (recruits.isEmpty ? "" : ", \(recruits.count) from recruited applications"), on: tx)
        }
        Observability.recordImport(kind: "trainees", rows: trainees.count)
        return req.redirect(
            to: TraineePages.path(provider.id) + "?year=\(year)&added=\(trainees.count)", redirectType: .normal)
    }

    func add(req: Request) async throws -> Response {
        let provider = try await Self.provider(req)
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        let form = try req.content.decode([String: String].self)
        var problems: [ValidationError.Problem] = []
        switch TraineeEntry.parse({ form[$0] ?? "" }, line: nil) {
        case .failure(let error): problems = error.problems
        case .success(let entry):
            let (trainees, resolveProblems) = try await Self.resolve([entry], provider: provider.id, year: year, req)
            problems = resolveProblems.map(\.problem)
            if problems.isEmpty { return try await save(trainees, provider, year, how: "by form", req) }
        }
        return HTMLResponse.make(
            TraineePages.page(try await model(req, provider, year, form: form, problems: problems), chrome: req.chrome),
            status: .badRequest)
    }

    struct Upload: Content {
        var file: File?
    }

    func upload(req: Request) async throws -> Response {
        let provider = try await Self.provider(req)
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        let file = try req.content.decode(Upload.self).file
        guard let file, file.data.readableBytes > 0 else {
            return HTMLResponse.make(
                TraineePages.page(
                    try await model(req, provider, year, uploadProblems: ["Choose a CSV file to upload"]),
                    chrome: req.chrome), status: .badRequest)
        }
        let name = file.filename.isEmpty ? "upload.csv" : file.filename
        var problems: [String] = []
        var trainees: [Trainee] = []
        var recruits: [(trainee: Trainee, choice: ApplicationChoice, account: Person?)] = []
        do {
            let entries = try TraineeEntry.readFile(Array(buffer: file.data), file: name)
            let (resolved, resolveProblems) = try await Self.resolve(entries, provider: provider.id, year: year, req)
            let (choices, choiceProblems) = try await RecruitController.recruitedChoices(
                entries, provider: provider, year: year, req)
            trainees = resolved
            problems = (resolveProblems + choiceProblems).sorted { ($0.line ?? 0) < ($1.line ?? 0) }.map {
                "\(name):\($0.line.map(String.init) ?? "?"): \($0.problem.field): \($0.problem.message)"
            }
            if problems.isEmpty {
                // Every entry resolved, so the trainees follow the entries one for one.
                for (entry, trainee) in zip(entries, resolved) {
                    guard let choice = entry.applicationChoice.flatMap({ choices[$0] }) else { continue }
                    recruits.append((trainee, choice, try await RecruitController.account(req, choice)))
                }
            }
        } catch let error as ImportFileError {
            problems = error.description.split(separator: "\n").map(String.init)
        }
        guard problems.isEmpty else {
            return HTMLResponse.make(
                TraineePages.page(try await model(req, provider, year, uploadProblems: problems), chrome: req.chrome),
                status: .badRequest)
        }
        do {
            return try await save(trainees, provider, year, how: "from \(name)", req, recruits: recruits)
        } catch  where LockWait.isUniqueViolation(error) {
            return HTMLResponse.make(
                TraineePages.page(
                    try await model(
                        req, provider, year,
                        uploadProblems: [
                            "\(name): some of its application choices were added as trainees by someone else at the same moment; nothing was saved. Upload the file again without them."
                        ]), chrome: req.chrome), status: .conflict)
        }
    }
}

import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// `/api/v1/applications/funnel`: the funnel page's figures, column by column.
struct ApplicationFunnelDTO: Content {
    struct Stage: Content {
        let stage: String
        /// Null when the page does not show it (another provider's count of 1 to 9).
        let reached: Int?
        let conversionFrom: String?
        let conversion: ShareDTO?
    }
    struct ShareDTO: Content {
        /// Null when it is another provider's (or the partnership's) count of 1 to 9.
        let count: Int?
        let of: Int
        /// Null (with its interval) when `of` is under 10, or the count is not shown.
        let share: Double?
        let lower: Double?
        let upper: Double?

        init(_ p: Proportion, own: Bool) {
            count = own || p.count == 0 || p.count >= Proportion.minimumGroup ? p.count : nil
            of = p.of
            let shown = p.isShown(own: own)
            share = shown ? p.share : nil
            let interval = shown ? p.wilson() : nil
            lower = interval?.lowerBound
            upper = interval?.upperBound
        }
    }
    struct Column: Content {
        let name: String
        let providerId: UUID?
        let choices: Int
        let candidates: Int
        let stages: [Stage]
        let recruitedOfSubmitted: ShareDTO
        let outcomes: [String: Int]
        let medianDays: [String: Double?]
        let withdrawalReasons: [String: Int]
        let rejectionReasons: [String: Int]
    }
    let cycle: Int?
    let cycles: [Int]
    let columns: [Column]
}

/// The application funnel (coordinators and providers' staff) and the import of providers' applications.
struct ApplicationController: RouteCollection {
    static let viewers: Set<Role> = [.coordinator, .providerStaff]

    func boot(routes: any RoutesBuilder) throws {
        routes.get("applications", access: .anyRole(Self.viewers), use: page)
        routes.get("applications", "import", access: .anyRole(Self.viewers), use: importForm)
        routes.on(
            .POST, ["applications", "import"], access: .anyRole(Self.viewers), body: .collect(maxSize: "20mb"),
            use: upload)
        routes.get("api", "v1", "applications", "funnel", access: .anyRole(Self.viewers), use: api)
    }

    struct Selection {
        var cycles: [Int] = []
        var cycle: Int?
        var form: [String: String] = [:]
        var problems: [ValidationError.Problem] = []
        var providerOptions: [(value: String, label: String)] = []
        var columns: [(provider: OrganisationID?, column: ApplicationPages.Column)] = []
        var support: SupportComparison?
    }

    static func providers(_ req: Request) async throws -> [Organisation] {
        try await OrganisationStore(req.db).list().filter {
            [.university, .scitt, .schoolLedProvider].contains($0.kind)
        }.sorted { $0.name < $1.name }
    }

    /// The funnel for the query's cycle, subject, route (and provider, for coordinators): a column for each
    /// provider the viewer may see, then the partnership's.
    static func select(_ req: Request) async throws -> Selection {
        let viewer = try req.requirePrincipal()
        let q = FormValues.query(req)
        var s = Selection()
        let store = ApplicationStore(req.db)
        s.cycles = try await store.cycles()
        let providers = try await providers(req)
        let names = Dictionary(uniqueKeysWithValues: providers.map { ($0.id, $0.name) })
        let own = viewer.organisations(as: .providerStaff)
        let coordinator = viewer.has(.coordinator)
        for name in ["cycle", "subject", "route", "provider"] { s.form[name] = q.one(name) }
        let cycleText = q.one("cycle")
        if cycleText.isEmpty {
            s.cycle = s.cycles.first
        } else if let c = BoundedInput.wholeNumber(cycleText, in: 2000...2100), s.cycles.contains(c) {
            s.cycle = c
        } else {
            s.problems.append(.init(field: "cycle", message: "Choose a recruitment cycle from the list"))
            s.cycle = s.cycles.first
        }
        let subjectText = q.one("subject")
        let subject = PlacementSubject(key: subjectText)
        if !subjectText.isEmpty && subject == nil {
            s.problems.append(.init(field: "subject", message: "Choose a subject from the list"))
        }
        let routeText = q.one("route")
        let route = TrainingRoute(rawValue: routeText)
        if !routeText.isEmpty && route == nil {
            s.problems.append(.init(field: "route", message: "Choose a route from the list"))
        }
        var chosenProvider: OrganisationID?
        let providerText = q.one("provider")
        if coordinator, !providerText.isEmpty {
            if let id = UUID(uuidString: providerText).map(OrganisationID.init), names[id] != nil {
                chosenProvider = id
            } else {
                s.problems.append(.init(field: "provider", message: "Choose a provider from the list"))
            }
        }
        guard let cycle = s.cycle else { return s }
        let all = try await store.choices(cycle: cycle).filter {
            (subject == nil || $0.choice.subject == subject) && (route == nil || $0.choice.route == route)
        }
        let held = Set(all.map(\.provider))
        if coordinator {
            s.providerOptions = providers.filter { held.contains($0.id) }.map {
                (value: $0.id.rawValue.uuidString, label: $0.name)
            }
        }
        let visible = providers.filter { p in
            guard coordinator else { return own.contains(p.id) }
            if let chosenProvider { return chosenProvider == p.id }
            return held.contains(p.id)
        }
        for p in visible {
            let mine = all.filter { $0.provider == p.id }.map(\.choice)
            s.columns.append(
                (p.id, .init(name: p.name, funnel: ApplicationFunnel.build(mine), own: own.contains(p.id))))
        }
        let choices = all.map(\.choice)
        if !choices.isEmpty {
            s.columns.append((nil, .init(name: "Partnership", funnel: ApplicationFunnel.build(choices), own: false)))
            s.support = SupportComparison.build(choices, supportedEmails: try await store.supportedEmails())
        }
        return s
    }

    static func canImport(_ req: Request) async throws -> [Organisation] {
        let viewer = try req.requirePrincipal()
        let sharing = try await req.dataSharing()
        return try await providers(req).filter {
            AccessPolicy.mayManageTrainees(viewer: viewer, provider: $0.id, sharing: sharing)
        }
    }

    func page(req: Request) async throws -> Response {
        let s = try await Self.select(req)
        let imported = req.query[Int.self, at: "imported"].map { n in
            "\(n.formatted()) application choice\(n == 1 ? "" : "s") imported."
        }
        let manageable = try await Self.canImport(req)
        var model = ApplicationPages.Model(
            cycles: s.cycles, cycle: s.cycle, form: s.form, problems: s.problems, providerOptions: s.providerOptions,
            columns: s.columns.map(\.column), support: s.support, canImport: !manageable.isEmpty, notice: imported)
        // A provider's own staff go on from the funnel to adding their recruited candidates as trainees.
        let own = try req.requirePrincipal().organisations(as: .providerStaff)
        model.recruited = manageable.filter { own.contains($0.id) }.map {
            (name: $0.name, path: RecruitPages.path($0.id))
        }
        return HTMLResponse.make(
            ApplicationPages.page(model, chrome: req.chrome), status: s.problems.isEmpty ? .ok : .badRequest)
    }

    func api(req: Request) async throws -> Response {
        let s = try await Self.select(req)
        guard s.problems.isEmpty else {
            throw Abort(.badRequest, reason: s.problems.map(\.message).joined(separator: "; "))
        }
        let columns = s.columns.map { provider, c in
            let f = c.funnel
            func shown(_ n: Int) -> Int? {
                c.own || n == 0 || n >= Proportion.minimumGroup ? n : nil
            }
            return ApplicationFunnelDTO.Column(
                name: c.name, providerId: provider?.rawValue, choices: f.choices, candidates: f.candidates,
                stages: ApplicationFunnel.Stage.allCases.map { stage in
                    .init(
                        stage: stage.rawValue, reached: shown(f.reached[stage] ?? 0),
                        conversionFrom: stage.from?.rawValue,
                        conversion: f.conversion[stage].map { .init($0, own: c.own) })
                },
                recruitedOfSubmitted: .init(f.overall, own: c.own),
                outcomes: Dictionary(
                    uniqueKeysWithValues: f.outcomes.compactMap { k, v in shown(v).map { (k.rawValue, $0) } }),
                medianDays: Dictionary(uniqueKeysWithValues: f.timeIn.map { ($0.key.rawValue, $0.value.days) }),
                withdrawalReasons: f.withdrawalReasons.compactMapValues(shown),
                rejectionReasons: f.rejectionReasons.compactMapValues(shown))
        }
        return try await ApplicationFunnelDTO(cycle: s.cycle, cycles: s.cycles, columns: columns).encodeResponse(
            for: req)
    }

    func importModel(
        _ req: Request, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
        fileProblems: [String] = []
    ) async throws -> ApplicationPages.ImportModel {
        let providers = try await Self.canImport(req)
        guard !providers.isEmpty else {
            throw Abort(
                .forbidden,
                reason:
                    "Only a provider's own staff import its applications (and coordinators, when the partnership shares individual records)."
            )
        }
        return ApplicationPages.ImportModel(
            providers: providers.map { (value: $0.id.rawValue.uuidString, label: $0.name) }, form: form,
            problems: problems, fileProblems: fileProblems)
    }

    func importForm(req: Request) async throws -> Response {
        HTMLResponse.make(ApplicationPages.importPage(try await importModel(req), chrome: req.chrome))
    }

    struct Upload: Content {
        var provider: String?
        var replace_all: String?
        var file: File?
    }

    func upload(req: Request) async throws -> Response {
        let allowed = try await Self.canImport(req)
        let body = try req.content.decode(Upload.self)
        var form = ["provider": body.provider ?? "", "replace_all": body.replace_all == "true" ? "true" : ""]
        form["provider"] = String((form["provider"] ?? "").prefix(64))
        func fail(_ problems: [ValidationError.Problem], file: [String] = []) async throws -> Response {
            HTMLResponse.make(
                ApplicationPages.importPage(
                    try await importModel(req, form: form, problems: problems, fileProblems: file), chrome: req.chrome),
                status: .badRequest)
        }
        guard
            let provider = allowed.first(where: {
                $0.id.rawValue.uuidString == body.provider?.uppercased() || allowed.count == 1 && body.provider == nil
            })
        else {
            if allowed.isEmpty { _ = try await importModel(req) }
            return try await fail([
                .init(field: "provider", message: "Choose the provider whose applications these are")
            ])
        }
        guard let file = body.file, file.data.readableBytes > 0 else {
            return try await fail([.init(field: "file", message: "Choose a CSV file to upload")])
        }
        let name = file.filename.isEmpty ? "applications.csv" : String(file.filename.prefix(100))
        let choices: [ApplicationChoice]
        do {
            choices = try ApplicationFile.read(Array(buffer: file.data), file: name, now: req.now)
        } catch {
            return try await fail([], file: error.description.split(separator: "\n").map(String.init))
        }
        let cycle = choices[0].cycle
        do {
            try await req.db.transaction { tx in
                let result = try await ApplicationStore(tx).replace(
                    provider: provider.id, cycle: cycle, with: choices, file: name,
                    replaceAll: body.replace_all == "true", at: req.now)
                try await req.audit(
                    .applicationsImported, subjectType: "applications", subjectID: "\(provider.id) \(cycle)",
                    detail:
                        "\(result.stored) choices of \(provider.name) for cycle \(cycle) from \(name); \(result.removed) no longer in the file removed",
                    on: tx)
            }
        } catch let refusal as ImportRefusal {
            return try await fail([], file: [refusal.description])
        } catch  where LockWait.isUniqueViolation(error) {
            return try await fail(
                [],
                file: [
                    "\(name): another import of \(provider.name)'s applications for cycle \(cycle) ran at the same moment; nothing was changed by this one. Import the file again."
                ])
        }
        Observability.recordImport(kind: "applications", rows: choices.count)
        return req.redirect(
            to: ApplicationPages.path + "?cycle=\(cycle)&imported=\(choices.count)", redirectType: .normal)
    }
}

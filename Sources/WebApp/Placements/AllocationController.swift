import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// The coordinator runs the year's allocation, reads the draft, downloads it and publishes it.
struct AllocationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("placements", "allocation", access: .coordinator, use: page)
        routes.post("placements", "allocation", access: .coordinator, use: run)
        routes.post("placements", "allocation", ":run", "publish", access: .coordinator, use: publish)
        routes.get("placements", "allocation.csv", access: .coordinator, use: csv)
        routes.post("placements", "allocation", "constraints", access: .coordinator, use: constrain)
        routes.post(
            "placements", "allocation", "constraints", ":constraint", "remove", access: .coordinator,
            use: removeConstraint)
    }

    /// Everything a run reads: the year's offers, the offering schools' positions, and every provider's trainees.
    static func inputs(_ year: AcademicYear, _ db: any Database, contrast: Bool = false) async throws
        -> AllocationRun.Inputs
    {
        var constraints = AllocationPlan.Constraints(contrastingSecondPlacements: contrast)
        for c in try await AllocationStore(db).constraints(year: year) {
            if c.pinned {
                constraints.pinned[c.trainee] = c.urn
            } else {
                constraints.forbidden[c.trainee, default: []].insert(c.urn)
            }
        }
        if let last = try await AllocationStore(db).latest(year: year) {
            for o in last.plan.outcomes { if let urn = o.school { constraints.previous[o.trainee] = urn } }
        }
        let offers = try await OfferStore(db).offers(year: year)
        var hosts: [AllocationPlan.Host] = []
        for o in offers where o.appetite.offersPlaces {
            if let school = try await SchoolStore(db).find(o.urn), let point = school.location {
                hosts.append(.init(urn: o.urn, name: school.name, point: point))
            }
        }
        let trainees = try await TraineeStore(db).trainees(year: year)
        if contrast {
            let urns = Set(hosts.map(\.urn)).union(trainees.compactMap(\.firstPlacementURN))
            for urn in urns {
                if let band = try await SchoolStore(db).find(urn)?.isNPQPP50 {
                    constraints.highPupilPremium[urn] = band
                }
            }
        }
        return .init(offers: offers, hosts: hosts, trainees: trainees, constraints: constraints)
    }

    func run(req: Request) async throws -> Response {
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        let contrast = (try? req.content.get(String.self, at: "contrast")) == "true"
        let inputs = try await Self.inputs(year, req.db, contrast: contrast)
        let plan = AllocationPlan.run(
            year: year, offers: inputs.offers,
            hosts: Dictionary(uniqueKeysWithValues: inputs.hosts.map { ($0.urn, $0) }),
            trainees: inputs.trainees, constraints: inputs.constraints)
        let run = AllocationRun(
            id: UUID(), year: year, createdAt: req.now, createdBy: req.principal?.id, publishedAt: nil, inputs: inputs,
            plan: plan)
        try await req.db.transaction { tx in
            try await AllocationStore(tx).save(run)
            try await req.audit(
                .allocationRun, subjectType: "allocation", subjectID: run.id.uuidString,
                detail:
                    "\(year): \(plan.placed) of \(plan.outcomes.count) placed\(contrast ? ", contrasting second placements" : "")",
                on: tx)
        }
        return req.redirect(to: "/placements/allocation?year=\(year)", redirectType: .normal)
    }

    func publish(req: Request) async throws -> Response {
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        guard let id = req.parameters.get("run").flatMap(UUID.init(uuidString:)),
            try await AllocationStore(req.db).run(id, year: year) != nil
        else { throw Abort(.notFound, reason: "There is no such allocation run for \(year).") }
        try await req.db.transaction { tx in
            try await AllocationStore(tx).publish(id, at: req.now)
            try await req.audit(.allocationPublished, subjectType: "allocation", subjectID: id.uuidString, on: tx)
        }
        return req.redirect(to: "/placements/allocation?year=\(year)", redirectType: .normal)
    }

    /// The latest run (or the one asked for) with the names the viewer may see.
    static func latest(_ req: Request, year: AcademicYear) async throws -> AllocationRun? {
        let store = AllocationStore(req.db)
        if let wanted = req.query[String.self, at: "run"] {
            guard let id = UUID(uuidString: wanted), let run = try await store.run(id, year: year) else {
                throw Abort(.notFound, reason: "There is no such allocation run for \(year).")
            }
            return run
        }
        return try await store.latest(year: year)
    }

    /// How the viewer sees trainees in a run: by name, or by their number in the run when the partnership
    /// shares aggregates only.
    static func labels(_ trainees: [Trainee], hidden: Bool) -> [UUID: String] {
        Dictionary(uniqueKeysWithValues: trainees.enumerated().map { ($1.id, hidden ? "Trainee \($0 + 1)" : $1.name) })
    }

    func page(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        let run = try await Self.latest(req, year: year)
        let count = try await AllocationStore(req.db).count(year: year)
        let offers = try await OfferStore(req.db).offers(year: year)
        let currentTrainees = try await TraineeStore(req.db).trainees(year: year)
        let sharing = try await req.dataSharing()
        let hidden = !(viewer.has(.coordinator) && sharing == .individualRecords)
        // Trainees keep the run's numbering; ones added since come after.
        var names = Self.labels(run?.inputs.trainees ?? [], hidden: hidden)
        for (i, t) in currentTrainees.enumerated() where names[t.id] == nil {
            names[t.id] = hidden ? "New trainee \(i + 1)" : t.name
        }
        var rows: [AllocationPages.TraineeRow] = []
        var providers: [AllocationPages.Summary] = []
        var schools: [AllocationPages.Summary] = []
        var totalKm = 0
        if let run {
            try await req.audit(.allocationRead, subjectType: "allocation", subjectID: run.id.uuidString)
            let organisations = Dictionary(
                uniqueKeysWithValues: try await OrganisationStore(req.db).list().map { ($0.id, $0.name) })
            let trainees = Dictionary(uniqueKeysWithValues: run.inputs.trainees.map { ($0.id, $0) })
            func label(_ id: UUID) -> String { names[id] ?? "?" }
            let hostNames = Dictionary(uniqueKeysWithValues: run.inputs.hosts.map { ($0.urn, $0.name) })
            for o in run.plan.outcomes {
                guard let t = trainees[o.trainee] else { continue }
                rows.append(
                    .init(
                        label: label(o.trainee), provider: organisations[t.provider] ?? "?", subject: t.subject.label,
                        school: o.school.flatMap { hostNames[$0] },
                        km: o.distance.map { String(format: "%.1f km", Double($0) / 1000) },
                        reason: o.reason, takenBy: o.takenBy.map(label), trainee: o.trainee, schoolURN: o.school))
            }
            totalKm = run.plan.totalDistance / 1000
            let byProvider = Dictionary(grouping: run.plan.outcomes) { trainees[$0.trainee]?.provider }
            providers = byProvider.compactMap { key, outcomes in
                key.map {
                    AllocationPages.Summary(
                        name: organisations[$0] ?? "?", placed: outcomes.count { $0.school != nil }, of: outcomes.count)
                }
            }.sorted { $0.name < $1.name }
            schools = run.inputs.offers.filter { hostNames[$0.urn] != nil && $0.appetite.offersPlaces }.map { o in
                AllocationPages.Summary(
                    name: hostNames[o.urn]!, placed: run.plan.outcomes.count { $0.school == o.urn },
                    of: PlacementSubject.allCases.reduce(0) { $0 + o.usablePlaces($1) })
            }.sorted { $0.name < $1.name }
        }
        var lines: [SVGMap.Line] = []
        var points: [SVGMap.Point] = []
        if let run {
            let hosts = Dictionary(uniqueKeysWithValues: run.inputs.hosts.map { ($0.urn, $0) })
            let trainees = Dictionary(uniqueKeysWithValues: run.inputs.trainees.map { ($0.id, $0) })
            for o in run.plan.outcomes {
                if let urn = o.school, let host = hosts[urn], let t = trainees[o.trainee] {
                    lines.append(.init(from: t.home, to: host.point, title: "\(t.subject.label) to \(host.name)"))
                }
            }
            points = run.inputs.hosts.map { .init(at: $0.point, marker: .leadSchool, title: $0.name) }
        }
        var model = AllocationPages.Model(
            year: year, runID: run?.id, createdAt: run?.createdAt, publishedAt: run?.publishedAt, runs: count,
            trainees: rows, providers: providers, schools: schools, totalKm: totalKm,
            offers: offers.count { $0.appetite.offersPlaces && $0.trainedMentors > 0 },
            traineeCount: currentTrainees.count, namesHidden: hidden)
        model.lines = lines
        model.contrast = run?.inputs.constraints.contrastingSecondPlacements ?? false
        if let run, let placed = run.plan.stablePlaced, let metres = run.plan.stableDistance {
            model.stable = (placed, metres / 1000)
        }
        var schoolNames = Dictionary(uniqueKeysWithValues: (run?.inputs.hosts ?? []).map { ($0.urn, $0.name) })
        for c in try await AllocationStore(req.db).constraints(year: year) {
            if schoolNames[c.urn] == nil { schoolNames[c.urn] = try await SchoolStore(req.db).find(c.urn)?.name }
            let school = schoolNames[c.urn] ?? "URN \(c.urn.value)"
            model.constraints.append(
                (
                    "\(names[c.trainee] ?? "A trainee") \(c.pinned ? "pinned to" : "not to go to") \(school)",
                    "/placements/allocation/constraints/\(c.id.uuidString.lowercased())/remove?year=\(year)"
                ))
        }
        model.schoolPoints = points
        return HTMLResponse.make(AllocationPages.page(model, chrome: req.chrome))
    }

    func constrain(req: Request) async throws -> Response {
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        let trainee = (try? req.content.get(String.self, at: "trainee")).flatMap(UUID.init(uuidString:))
        let urn = (try? req.content.get(String.self, at: "urn")).flatMap(URN.init)
        let kind = try? req.content.get(String.self, at: "kind")
        guard let trainee, let urn, kind == "pin" || kind == "forbid",
            try await TraineeStore(req.db).trainees(year: year).contains(where: { $0.id == trainee })
        else {
            throw ValidationError([
                .init(field: "trainee", message: "must name one of the year's trainees, a school URN and pin or forbid")
            ])
        }
        try await req.db.transaction { tx in
            try await AllocationStore(tx).constrain(
                trainee: trainee, urn: urn, pin: kind == "pin", year: year, by: req.principal?.id, at: req.now)
            try await req.audit(
                .allocationConstrained, subjectType: "allocation", subjectID: "\(year)",
                detail: "\(kind!) trainee \(trainee) at \(urn.value)", on: tx)
        }
        return req.redirect(to: "/placements/allocation?year=\(year)#constraints", redirectType: .normal)
    }

    func removeConstraint(req: Request) async throws -> Response {
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        guard let id = req.parameters.get("constraint").flatMap(UUID.init(uuidString:)),
            try await AllocationStore(req.db).removeConstraint(id, year: year)
        else { throw Abort(.notFound, reason: "There is no such pin or forbidden pair for \(year).") }
        try await req.audit(
            .allocationConstrained, subjectType: "allocation", subjectID: "\(year)", detail: "removed \(id)")
        return req.redirect(to: "/placements/allocation?year=\(year)", redirectType: .normal)
    }

    func csv(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        guard let run = try await Self.latest(req, year: year) else {
            throw Abort(.notFound, reason: "No allocation has been run for \(year).")
        }
        try await req.audit(.allocationRead, subjectType: "allocation", subjectID: run.id.uuidString, detail: "CSV")
        let sharing = try await req.dataSharing()
        let hidden = !(viewer.has(.coordinator) && sharing == .individualRecords)
        let names = Self.labels(run.inputs.trainees, hidden: hidden)
        let trainees = Dictionary(uniqueKeysWithValues: run.inputs.trainees.map { ($0.id, $0) })
        var out = "trainee,provider_id,subject,school_urn,distance_m,reason\n"
        for o in run.plan.outcomes {
            guard let t = trainees[o.trainee] else { continue }
            out +=
                [
                    names[t.id] ?? "", t.provider.description, t.subject.key, o.school.map { String($0.value) } ?? "",
                    o.distance.map(String.init) ?? "", o.reason ?? "",
                ].map(SchoolCSVExport.escape).joined(separator: ",") + "\n"
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"allocation-\(year.start).csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: out))
    }
}

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
        routes.get("placements", "allocation", ":run", "publish", access: .coordinator, use: confirmPublish)
        routes.post("placements", "allocation", ":run", "publish", access: .coordinator, use: publish)
        routes.post("placements", "allocation", "withdraw", access: .coordinator, use: withdraw)
        routes.get("placements", "allocation.csv", access: .coordinator, use: csv)
        routes.get("placements", "allocation", "compare", access: .coordinator, use: compare)
        routes.get("placements", "allocation", "place", access: .coordinator, use: place)
        routes.post("placements", "allocation", "constraints", access: .coordinator, use: constrain)
        routes.post(
            "placements", "allocation", "constraints", ":constraint", "remove", access: .coordinator,
            use: removeConstraint)
    }

    /// Everything a run reads: the year's offers, the offering schools' positions, and every provider's trainees.
    static func inputs(
        _ year: AcademicYear, _ db: any Database, contrast: AllocationPlan.Contrast? = nil, fairnessPoints: Int? = nil
    ) async throws -> AllocationRun.Inputs {
        var constraints = AllocationPlan.Constraints(contrast: contrast, fairnessPoints: fairnessPoints)
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
        let trainees = try await TraineeStore(db).trainees(year: year)
        let offering = offers.filter(\.appetite.offersPlaces).map(\.urn)
        let schools = try await SchoolStore(db).find(offering + trainees.compactMap(\.firstPlacementURN))
        let hosts: [AllocationPlan.Host] = offering.compactMap { urn in
            guard let school = schools[urn], let point = school.location else { return nil }
            return .init(urn: urn, name: school.name, point: point)
        }
        if let contrast {
            for (urn, school) in schools {
                let value: String? =
                    switch contrast {
                    case .pupilPremiumBand: school.isNPQPP50.map(AllocationPlan.Constraints.bandName)
                    case .schoolType: SchoolTypeGroup(establishmentType: school.establishmentType)?.label
                    case .localAuthority: school.localAuthority?.code
                    }
                if let value { constraints.contrastValue[urn] = value }
            }
        }
        return .init(offers: offers, hosts: hosts, trainees: trainees, constraints: constraints)
    }

    func run(req: Request) async throws -> Response {
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        let form: RunForm
        do {
            form = try RunForm(req)
        } catch let error as ValidationError {
            return try await render(req, year: year, problems: error.problems)
        }
        let inputs = try await Self.inputs(year, req.db, contrast: form.contrast, fairnessPoints: form.fairnessPoints)
        let plan = await Observability.time("allocation") {
            AllocationPlan.run(
                year: year, offers: inputs.offers,
                hosts: Dictionary(uniqueKeysWithValues: inputs.hosts.map { ($0.urn, $0) }),
                trainees: inputs.trainees, constraints: inputs.constraints)
        }
        let run = AllocationRun(
            id: UUID(), year: year, createdAt: req.now, createdBy: req.principal?.id, publishedAt: nil, inputs: inputs,
            plan: plan)
        try await req.db.transaction { tx in
            try await AllocationStore(tx).save(run)
            try await req.audit(
                .allocationRun, subjectType: "allocation", subjectID: run.id.uuidString,
                detail:
                    "\(year): \(plan.placed) of \(plan.outcomes.count) placed"
                    + (form.contrast.map { ", second placements contrasting by \($0.rawValue)" } ?? "")
                    + (form.fairnessPoints.map { ", fairness within \($0) points" } ?? ""),
                on: tx)
        }
        return req.redirect(to: "/placements/allocation?year=\(year)", redirectType: .normal)
    }

    /// The run form: what second placements must contrast in, and the fairness setting.
    struct RunForm {
        var contrast: AllocationPlan.Contrast?
        var fairnessPoints: Int?

        init(_ req: Request) throws {
            let contrast = (try? req.content.get(String.self, at: "contrast")) ?? ""
            let points = ((try? req.content.get(String.self, at: "fairness_points")) ?? "").trimmingCharacters(
                in: .whitespaces)
            var problems: [ValidationError.Problem] = []
            if contrast.isEmpty || contrast == "none" {
                self.contrast = nil
            } else if let kind = AllocationPlan.Contrast(rawValue: contrast) {
                self.contrast = kind
            } else {
                problems.append(.init(field: "contrast", message: "Choose one of the contrast options"))
            }
            if points.isEmpty {
                fairnessPoints = nil
            } else if let n = Int(points), (0...100).contains(n) {
                fairnessPoints = n
            } else {
                problems.append(
                    .init(
                        field: "fairness_points",
                        message: "Fairness must be a whole number of percentage points from 0 to 100, or empty for none"
                    ))
            }
            guard problems.isEmpty else { throw ValidationError(problems) }
        }
    }

    /// The run named in the path, of the year in the query.
    static func namedRun(_ req: Request) async throws -> (AcademicYear, AllocationRun) {
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        guard let id = req.parameters.get("run").flatMap(UUID.init(uuidString:)),
            let run = try await AllocationStore(req.db).run(id, year: year)
        else { throw Abort(.notFound, reason: "There is no such allocation run for \(year).") }
        return (year, run)
    }

    /// What publishing will show, and to whom, before it happens.
    func confirmPublish(req: Request) async throws -> Response {
        let (year, run) = try await Self.namedRun(req)
        let providers = Set(run.inputs.trainees.map(\.provider))
        let schools = Set(run.plan.outcomes.compactMap(\.school))
        let current = try await AllocationStore(req.db).published(year: year)
        let model = AllocationPages.PublishModel(
            year: year, runID: run.id, number: run.number ?? 0, placed: run.plan.placed,
            trainees: run.inputs.trainees.count, providers: providers.count, schools: schools.count,
            replaces: current.flatMap { $0.id == run.id ? nil : $0.number })
        return HTMLResponse.make(AllocationPages.confirmPublish(model, chrome: req.chrome))
    }

    func publish(req: Request) async throws -> Response {
        let (year, run) = try await Self.namedRun(req)
        try await req.db.transaction { tx in
            try await AllocationStore(tx).publish(run.id, year: year, at: req.now, by: req.principal?.id)
            try await req.audit(
                .allocationPublished, subjectType: "allocation", subjectID: run.id.uuidString,
                detail: "run \(run.number ?? 0) for \(year)", on: tx)
        }
        return req.redirect(
            to: "/placements/allocation?year=\(year)&run=\(run.id.uuidString.lowercased())", redirectType: .normal)
    }

    /// Providers and schools see nothing for the year until a run is published again.
    func withdraw(req: Request) async throws -> Response {
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        guard let current = try await AllocationStore(req.db).published(year: year) else {
            return req.redirect(to: "/placements/allocation?year=\(year)", redirectType: .normal)
        }
        try await req.db.transaction { tx in
            try await AllocationStore(tx).withdraw(year: year)
            try await req.audit(
                .allocationWithdrawn, subjectType: "allocation", subjectID: current.id.uuidString,
                detail: "run \(current.number ?? 0) for \(year)", on: tx)
        }
        return req.redirect(to: "/placements/allocation?year=\(year)", redirectType: .normal)
    }

    /// The schools that could take a trainee the run (latest, or the one asked for) left unplaced.
    func place(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        guard let run = try await Self.latest(req, year: year) else {
            throw Abort(.notFound, reason: "No allocation has been run for \(year) yet.")
        }
        guard let id = req.query[String.self, at: "trainee"].flatMap(UUID.init(uuidString:)),
            let trainee = try await TraineeStore(req.db).trainees(year: year).first(where: { $0.id == id })
        else { throw Abort(.notFound, reason: "There is no such trainee training in \(year).") }
        let sharing = try await req.dataSharing()
        let hidden = !(viewer.has(.coordinator) && sharing == .individualRecords)
        var names = Self.labels(run.inputs.trainees, hidden: hidden)
        if names[trainee.id] == nil { names[trainee.id] = hidden ? "the new trainee" : trainee.name }
        let candidates = ManualPlacement.candidates(
            for: trainee, offers: run.inputs.offers, hosts: run.inputs.hosts, plan: run.plan,
            trainees: run.inputs.trainees, constraints: run.inputs.constraints)
        try await req.audit(
            .allocationRead, subjectType: "allocation", subjectID: run.id.uuidString,
            detail: "schools that could take trainee \(trainee.id)")
        func label(_ ids: [UUID]) -> [String] { ids.map { names[$0] ?? "another trainee" } }
        let outcome = run.plan.outcomes.first { $0.trainee == trainee.id }
        let model = AllocationPages.PlaceModel(
            year: year, trainee: trainee.id, label: names[trainee.id]!,
            summary:
                "\(trainee.subject.label), \(trainee.placement == 1 ? "first placement (autumn term)" : "second placement (spring or summer term)"), travels up to \(trainee.travelLimitMetres / 1000) km\(trainee.noCar ? " (no car)" : "")\(trainee.sendInterest ? ", interested in SEND" : "").",
            reason: outcome?.school == nil ? (outcome?.reason ?? "added after this run") : nil,
            runNumber: run.number ?? 0,
            rows: candidates.map { c in
                .init(
                    urn: c.urn, school: c.name, km: String(format: "%.1f km", Double(c.distance) / 1000),
                    places:
                        "\(c.places) \(c.send ? "SEND" : trainee.subject.label) place\(c.places == 1 ? "" : "s"), \(c.trainedMentors) trained mentor\(c.trainedMentors == 1 ? "" : "s")",
                    heldBy: label(c.holders), displaces: label(c.wouldDisplace))
            })
        return HTMLResponse.make(AllocationPages.place(model, chrome: req.chrome))
    }

    /// Two runs of the year side by side: by default the latest and the one before it.
    func compare(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        let runs = try await AllocationStore(req.db).runs(year: year)
        guard runs.count >= 2 else {
            throw Abort(.notFound, reason: "There are fewer than two allocation runs for \(year) to compare.")
        }
        func chosen(_ field: String, default fallback: AllocationRun) throws -> AllocationRun {
            guard let text = req.query[String.self, at: field], !text.isEmpty else { return fallback }
            guard let id = UUID(uuidString: text), let run = runs.first(where: { $0.id == id }) else {
                throw Abort(.notFound, reason: "There is no such allocation run for \(year) (\(field)).")
            }
            return run
        }
        let newest = runs.max { ($0.number ?? 0) < ($1.number ?? 0) }!
        let previous = runs.filter { $0.id != newest.id }.max { ($0.number ?? 0) < ($1.number ?? 0) }!
        let first = try chosen("first", default: previous)
        let second = try chosen("second", default: newest)
        let comparison = RunComparison.compare(
            .init(
                trainees: first.inputs.trainees, offers: first.inputs.offers, constraints: first.inputs.constraints,
                plan: first.plan),
            .init(
                trainees: second.inputs.trainees, offers: second.inputs.offers,
                constraints: second.inputs.constraints, plan: second.plan))
        try await req.audit(
            .allocationRead, subjectType: "allocation", subjectID: second.id.uuidString,
            detail: "compared run \(first.number ?? 0) with run \(second.number ?? 0) for \(year)")

        let sharing = try await req.dataSharing()
        let hidden = !(viewer.has(.coordinator) && sharing == .individualRecords)
        var names = Self.labels(first.inputs.trainees, hidden: hidden)
        for (i, t) in second.inputs.trainees.enumerated() where names[t.id] == nil {
            names[t.id] = hidden ? "New trainee \(i + 1)" : t.name
        }
        var trainees = Dictionary(first.inputs.trainees.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for t in second.inputs.trainees { trainees[t.id] = t }
        var schools: [URN: String] = [:]
        for h in first.inputs.hosts + second.inputs.hosts { schools[h.urn] = h.name }
        let organisations = Dictionary(
            uniqueKeysWithValues: try await OrganisationStore(req.db).list().map { ($0.id, $0.name) })
        func school(_ urn: URN) -> String { schools[urn] ?? "URN \(urn.value)" }
        func who(_ ids: [UUID]) -> String { ids.map { names[$0] ?? "another trainee" }.joined(separator: ", ") }
        func change(_ c: RunComparison.Change) -> String {
            switch c {
            case .moved(let from, let to): "Moved from \(school(from)) to \(school(to))"
            case .becamePlaced(let at): "Now placed at \(school(at))"
            case .becameUnplaced(let from, let reason):
                "No longer placed (was at \(school(from)))" + (reason.map { ": \($0)" } ?? "")
            case .added(let at): "Added since the first run: " + (at.map { "placed at \(school($0))" } ?? "not placed")
            case .removed(let from):
                "Withdrawn or removed since the first run" + (from.map { " (was at \(school($0)))" } ?? "")
            }
        }
        func cause(_ c: RunComparison.Cause) -> String {
            switch c {
            case .pinned(let urn): "Pinned to \(school(urn))"
            case .pinRemoved(let urn): "Pin to \(school(urn)) removed"
            case .forbidden(let urn): "Forbidden at \(school(urn))"
            case .forbiddenLifted(let urn): "No longer forbidden at \(school(urn))"
            case .traineeChanged(let fields): "The provider changed their \(fields.joined(separator: ", "))"
            case .offerChanged(let urn, let detail): "\(school(urn))'s offer changed: \(detail)"
            case .settingsChanged(let detail): "The run's settings changed: \(detail)"
            case .placeTakenBy(let urn, let ids): "Their place at \(school(urn)) went to \(who(ids))"
            case .knockOn:
                "Nothing about them or their schools changed: the best allocation as a whole moved (shorter travel in all, or room made for others)"
            }
        }
        let rows = comparison.entries.map { e in
            RunComparisonPages.Row(
                trainee: names[e.trainee] ?? "?",
                provider: trainees[e.trainee].flatMap { organisations[$0.provider] } ?? "?",
                change: change(e.change), why: e.causes.map(cause))
        }.sorted { ($0.provider, $0.trainee) < ($1.provider, $1.trainee) }
        func option(_ run: AllocationRun) -> RunComparisonPages.RunOption {
            .init(
                id: run.id,
                label:
                    "Run \(run.number ?? 0), \(DateText.dateTime(run.createdAt))\(run.publishedAt == nil ? "" : " (published)")"
            )
        }
        let model = RunComparisonPages.Model(
            year: year, runs: runs.sorted { ($0.number ?? 0) > ($1.number ?? 0) }.map(option), first: option(first),
            second: option(second), totals: (comparison.first, comparison.second), unchanged: comparison.unchanged,
            rows: rows)
        return HTMLResponse.make(RunComparisonPages.page(model, chrome: req.chrome))
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
        let year = try PlacementOfferController.year(req.query[String.self, at: "year"], req)
        return try await render(req, year: year)
    }

    /// The allocation page; with problems, the run form in error (422) with what was entered.
    func render(_ req: Request, year: AcademicYear, problems: [ValidationError.Problem] = []) async throws -> Response {
        let viewer = try req.requirePrincipal()
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
        var maps: [AllocationPages.RegionMap] = []
        if let run {
            try await req.audit(.allocationRead, subjectType: "allocation", subjectID: run.id.uuidString)
            let organisations = Dictionary(
                uniqueKeysWithValues: try await OrganisationStore(req.db).list().map { ($0.id, $0.name) })
            let trainees = Dictionary(uniqueKeysWithValues: run.inputs.trainees.map { ($0.id, $0) })
            func label(_ id: UUID) -> String { names[id] ?? "?" }
            let hosts = Dictionary(uniqueKeysWithValues: run.inputs.hosts.map { ($0.urn, $0) })
            let answers = try await PlacementResponseStore(req.db).responses(run: run.id)
            for o in run.plan.outcomes {
                guard let t = trainees[o.trainee] else { continue }
                defer {
                    if let a = answers[o.trainee], a.urn == o.school {
                        rows[rows.count - 1].answer =
                            a.status == .confirmed
                            ? "Confirmed by the school" : "The school raised a problem: \(a.note)"
                    }
                }
                rows.append(
                    .init(
                        label: label(o.trainee), provider: organisations[t.provider] ?? "?", subject: t.subject.label,
                        school: o.school.flatMap { hosts[$0]?.name },
                        km: o.distance.map { String(format: "%.1f km", Double($0) / 1000) },
                        reason: o.reason, takenBy: o.takenBy.map(label), trainee: o.trainee, schoolURN: o.school,
                        sendPlace: o.sendPlace == true))
            }
            totalKm = run.plan.totalDistance / 1000
            let byProvider = Dictionary(grouping: run.plan.outcomes) { trainees[$0.trainee]?.provider }
            let most = Dictionary(
                (run.plan.fairness?.rates ?? []).compactMap { r in r.mostPossible.map { (r.provider, $0) } },
                uniquingKeysWith: { a, _ in a })
            providers = byProvider.compactMap { key, outcomes in
                key.map {
                    AllocationPages.Summary(
                        name: organisations[$0] ?? "?", placed: outcomes.count { $0.school != nil }, of: outcomes.count,
                        mostPossible: most[$0])
                }
            }.sorted { $0.name < $1.name }
            schools = run.inputs.offers.filter { hosts[$0.urn] != nil && $0.appetite.offersPlaces }.map { o in
                AllocationPages.Summary(
                    name: hosts[o.urn]!.name, placed: run.plan.outcomes.count { $0.school == o.urn },
                    of: o.usablePlaceCount)
            }.sorted { $0.name < $1.name }
            // One map per region of the offering schools; each line belongs to its school's region.
            let hostSchools = try await SchoolStore(req.db).find(run.inputs.hosts.map(\.urn))
            let regions = hostSchools.mapValues { $0.region?.name ?? "Region not known" }
            var byRegion: [String: AllocationPages.RegionMap] = [:]
            for host in run.inputs.hosts {
                let region = regions[host.urn] ?? "Region not known"
                byRegion[region, default: .init(region: region, lines: [], points: [])].points.append(
                    .init(at: host.point, marker: .leadSchool, title: host.name))
            }
            for o in run.plan.outcomes {
                if let urn = o.school, let host = hosts[urn], let t = trainees[o.trainee] {
                    let region = regions[urn] ?? "Region not known"
                    byRegion[region, default: .init(region: region, lines: [], points: [])].lines.append(
                        .init(from: t.home, to: host.point, title: "\(t.subject.label) to \(host.name)"))
                }
            }
            // The local authorities of each region's schools, named at their centres.
            let centroids = (try? BundledData.authorityCentroids()) ?? [:]
            var authorities: [String: [String: String]] = [:]
            for (urn, school) in hostSchools {
                if let la = school.localAuthority { authorities[regions[urn] ?? "", default: [:]][la.code] = la.name }
            }
            for (region, las) in authorities {
                byRegion[region]?.labels = las.compactMap { code, name in
                    centroids[code].map { SVGMap.Label(at: $0, text: name) }
                }.sorted { $0.text < $1.text }
            }
            maps = byRegion.values.sorted { $0.region < $1.region }
        }
        var model = AllocationPages.Model(
            year: year, runID: run?.id, createdAt: run?.createdAt, publishedAt: run?.publishedAt, runs: count,
            trainees: rows, providers: providers, schools: schools, totalKm: totalKm,
            offers: offers.count { $0.appetite.offersPlaces && $0.trainedMentors > 0 },
            traineeCount: currentTrainees.count, namesHidden: hidden)
        model.maps = maps
        model.runNumber = run?.number
        if let published = try await AllocationStore(req.db).published(year: year), let at = published.publishedAt {
            var by: String?
            if let person = published.publishedBy { by = try await PeopleStore(req.db).record(person)?.person.name }
            model.published = .init(runID: published.id, number: published.number ?? 0, at: at, by: by)
        }
        model.underWay = year.isUnderWay(on: Day.inUK(req.now))
        model.contrast = run?.inputs.constraints.contrast
        model.fairnessPoints = run?.inputs.constraints.fairnessPoints.map(String.init) ?? ""
        if let f = run?.plan.fairness {
            let rates = f.rates.filter { $0.of > 0 }.map(\.percent)
            let range =
                "rates run from \(String(format: "%.0f%%", rates.min() ?? 0)) to \(String(format: "%.0f%%", rates.max() ?? 0))"
            model.fairness = (
                f.honoured,
                f.honoured
                    ? "Every provider's placement rate is within \(f.points) points of the others': \(range)."
                    : "\(f.explanation ?? ""). The draft below is the best allocation without it: \(range). The provider table shows the most each provider could place."
            )
        }
        if !problems.isEmpty {
            model.problems = problems
            model.contrast = (try? req.content.get(String.self, at: "contrast")).flatMap(AllocationPlan.Contrast.init)
            model.fairnessPoints = (try? req.content.get(String.self, at: "fairness_points")) ?? ""
        }
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
        let response = HTMLResponse.make(AllocationPages.page(model, chrome: req.chrome))
        if !problems.isEmpty { response.status = .unprocessableEntity }
        return response
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
        let schools = Dictionary(run.inputs.hosts.map { ($0.urn, $0.name) }, uniquingKeysWith: { a, _ in a })
        var providers: [OrganisationID: String] = [:]
        for id in Set(run.inputs.trainees.map(\.provider)) {
            providers[id] = try await OrganisationStore(req.db).find(id)?.name ?? id.description
        }
        var out =
            "trainee,provider,subject,phase,placement,term,school_urn,school,distance_km,send_place,reason\n"
        for o in run.plan.outcomes {
            guard let t = trainees[o.trainee] else { continue }
            out +=
                [
                    names[t.id] ?? "", providers[t.provider] ?? "", t.subject.label, t.phase.label,
                    t.placement == 1 ? "first" : "second", t.placement == 1 ? "autumn" : "spring or summer",
                    o.school.map { String($0.value) } ?? "", o.school.flatMap { schools[$0] } ?? "",
                    o.distance.map { String(format: "%.1f", Double($0) / 1000) } ?? "",
                    o.school == nil ? "" : o.sendPlace == true ? "yes" : "no", o.reason ?? "",
                ].map(SchoolCSVExport.escape).joined(separator: ",") + "\n"
        }
        let name =
            "allocation-\(year.start)-\(String(format: "%02d", (year.start + 1) % 100))"
            + (run.number.map { "-run-\($0)" } ?? "") + ".csv"
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return Response(status: .ok, headers: headers, body: .init(string: out))
    }
}

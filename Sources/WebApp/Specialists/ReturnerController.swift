import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Returners to maths and science. Coordinators keep the pipeline (people who registered interest, and the
/// register's former maths and science teachers); recruitment partners (provider staff) see the figures.
struct ReturnerController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("returners", access: .anyRole([.coordinator, .providerStaff]), use: list)
        routes.post("returners", access: .anyRole([.coordinator]), use: add)
        routes.post("returners", "from-register", access: .anyRole([.coordinator]), use: addFromRegister)
        routes.get("returners", ":returner", access: .anyRole([.coordinator]), use: detail)
        routes.post("returners", ":returner", "steps", access: .anyRole([.coordinator]), use: step)
    }

    struct Context {
        var teachers: [UUID: TeacherRecord]
        var schoolNames: [Int: String]
        var geography: GeographyLookup
        var today: Day

        /// The whole register, or only the records `only` names (a returner's page needs just theirs).
        static func load(_ req: Request, only: [UUID]? = nil) async throws -> Context {
            var teachers: [TeacherRecord] = []
            if let only {
                for id in only { if let t = try await TeacherStore(req.db).teacher(id) { teachers.append(t.record) } }
            } else {
                teachers = try await TeacherStore(req.db).all()
            }
            let urns = Set(teachers.flatMap { $0.periods.map(\.urn) })
            let schools = try await SchoolStore(req.db).find(urns.map(URN.init))
            return Context(
                teachers: Dictionary(teachers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                schoolNames: Dictionary(uniqueKeysWithValues: schools.map { ($0.key.value, $0.value.name) }),
                geography: try BundledData.geography(), today: Day.inUK(req.now))
        }

        func backAt(_ r: Returner) -> ServicePeriod? {
            guard let t = r.teacher, let record = teachers[t] else { return nil }
            return Returner.backInPost(since: r.since, periods: record.periods, today: today)
        }

        func row(_ r: Returner) -> ReturnerPages.Row {
            ReturnerPages.Row(
                returner: r, area: area(r) ?? "Not known", stage: backAt(r) == nil ? r.stage : .backInPost)
        }

        func area(_ r: Returner) -> String? {
            r.district.flatMap { geography.byDistrict[$0]?.localAuthority.name }
        }

        /// Teachers with a maths or science qualification and no period open today, most recent leaver first.
        func leavers(excluding held: Set<UUID>) -> [ReturnerPages.Leaver] {
            teachers.values.compactMap { t -> ReturnerPages.Leaver? in
                guard !held.contains(t.id), let (subject, last) = Returner.leaver(t, today: today) else { return nil }
                return ReturnerPages.Leaver(
                    teacher: t.id, name: "\(t.firstName) \(t.lastName)", subject: subject,
                    lastSchool: schoolNames[last.urn] ?? "URN \(last.urn)", leftOn: last.finishedOn!)
            }.sorted { ($0.leftOn, $0.name) > ($1.leftOn, $1.name) }
        }
    }

    func listPage(
        _ req: Request, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
        notice: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let context = try await Context.load(req)
        let store = ReturnerStore(req.db)
        let returners = try await store.all()
        let rows = returners.map(context.row)
        let stage = Dictionary(uniqueKeysWithValues: rows.map { ($0.returner.id, $0.stage) })
        let coordinator = viewer.has(.coordinator)
        if coordinator, !returners.isEmpty {
            try await req.audit(.returnersRead, subjectType: "returners", detail: "\(returners.count) returners")
        }
        let model = ReturnerPages.ListModel(
            bySubject: ReturnerFigures(returners, stage: { stage[$0.id]! }, group: { $0.subject.label }),
            byArea: ReturnerFigures(returners, stage: { stage[$0.id]! }, group: { context.area($0) ?? "Not known" }),
            rows: coordinator ? rows : nil,
            leavers: coordinator ? context.leavers(excluding: try await store.teachers()) : [], form: form,
            problems: problems, notice: notice)
        return HTMLResponse.make(ReturnerPages.list(model, chrome: req.chrome), status: status)
    }

    func list(req: Request) async throws -> Response {
        let notice: String? =
            switch req.query[String.self, at: "saved"] {
            case "added": "Added to the pipeline."
            default: nil
            }
        return try await listPage(req, notice: notice)
    }

    func add(req: Request) async throws -> Response {
        let body = FormValues.body(req)
        var form: [String: String] = [:]
        for key in ["name", "email", "subject", "postcode", "on"] { form[key] = String(body.one(key).prefix(200)) }
        let author = try req.requirePrincipal().person.name
        switch Returner.parse({ body.one($0) }, today: Day.inUK(req.now), author: author) {
        case .failure(let error):
            return try await listPage(req, form: form, problems: error.problems, status: .badRequest)
        case .success(let p):
            let district = try await p.postcode.asyncMap { try await PostcodeStore(req.db).locate($0) }??.districtCode
            let r = Returner(
                name: p.name, email: p.email, subject: p.subject, district: district,
                steps: [.init(stage: .interest, on: p.on, note: "Registered interest", author: author)])
            try await ReturnerStore(req.db).add(r)
            try await req.audit(
                .returnerAdded, subjectType: "returner", subjectID: r.id.uuidString, detail: r.subject.rawValue)
            return req.redirect(to: "/returners?saved=added", redirectType: .normal)
        }
    }

    func addFromRegister(req: Request) async throws -> Response {
        let body = FormValues.body(req)
        let context = try await Context.load(req)
        guard let id = UUID(uuidString: body.one("teacher")),
            let leaver = context.leavers(excluding: try await ReturnerStore(req.db).teachers())
                .first(where: { $0.teacher == id }),
            let record = context.teachers[id]
        else {
            throw Abort(
                .notFound,
                reason: "No former maths or science teacher with that id who is not already in the pipeline.")
        }
        let author = try req.requirePrincipal().person.name
        let lastURN = Returner.leaver(record, today: context.today)?.last.urn
        let school = try await lastURN.asyncMap { try await SchoolStore(req.db).find(URN($0)) } ?? nil
        let r = Returner(
            teacher: id, name: leaver.name, email: "", subject: leaver.subject, district: school?.district?.code,
            steps: [
                .init(
                    stage: .interest, on: context.today,
                    note: "Former teacher in the register (last at \(leaver.lastSchool))",
                    author: author)
            ])
        try await ReturnerStore(req.db).add(r)
        try await req.audit(
            .returnerAdded, subjectType: "returner", subjectID: r.id.uuidString, detail: "from the register")
        return req.redirect(to: "/returners/\(r.id.uuidString.lowercased())?saved=added", redirectType: .normal)
    }

    func found(_ req: Request) async throws -> Returner {
        guard let id = req.parameters.get("returner").flatMap(UUID.init(uuidString:)),
            let r = try await ReturnerStore(req.db).returner(id)
        else { throw Abort(.notFound, reason: "No returner with that id.") }
        return r
    }

    func detailPage(
        _ req: Request, _ r: Returner, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
        notice: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let context = try await Context.load(req, only: r.teacher.map { [$0] } ?? [])
        try await req.audit(.returnersRead, subjectType: "returner", subjectID: r.id.uuidString)
        let back = context.backAt(r)
        return HTMLResponse.make(
            ReturnerPages.detail(
                .init(
                    row: context.row(r), backAt: back.map { context.schoolNames[$0.urn] ?? "URN \($0.urn)" },
                    form: form, problems: problems, notice: notice), chrome: req.chrome), status: status)
    }

    func detail(req: Request) async throws -> Response {
        let r = try await found(req)
        let notice: String? =
            switch req.query[String.self, at: "saved"] {
            case "added": "Added to the pipeline. Record each step as they take it."
            case "step": "Step recorded."
            default: nil
            }
        return try await detailPage(req, r, notice: notice)
    }

    func step(req: Request) async throws -> Response {
        let r = try await found(req)
        let body = FormValues.body(req)
        var form: [String: String] = [:]
        for key in ["stage", "on", "note"] { form[key] = String(body.one(key).prefix(600)) }
        let author = try req.requirePrincipal().person.name
        switch Returner.parseStep(
            { body.one($0) }, after: r.steps.map(\.on).max(), today: Day.inUK(req.now), author: author)
        {
        case .failure(let error):
            return try await detailPage(req, r, form: form, problems: error.problems, status: .badRequest)
        case .success(let s):
            try await ReturnerStore(req.db).addStep(s, returner: r.id)
            try await req.audit(
                .returnerStepRecorded, subjectType: "returner", subjectID: r.id.uuidString, detail: s.stage.rawValue)
            return req.redirect(to: "/returners/\(r.id.uuidString.lowercased())?saved=step", redirectType: .normal)
        }
    }
}

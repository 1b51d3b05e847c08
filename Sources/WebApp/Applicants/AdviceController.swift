import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Pre-application support: candidates (applicants and undergraduates) ask for an adviser; advisers (providers'
/// staff and coordinators) take cases, log contacts and eligibility checks, and close them with an outcome.
struct AdviceController: RouteCollection {
    static let advisers: Set<Role> = [.coordinator, .providerStaff]

    func boot(routes: any RoutesBuilder) throws {
        let candidates = RouteAccess.anyRole(ExperienceController.candidates)
        let advisers = RouteAccess.anyRole(Self.advisers)
        routes.get("advice", access: candidates, use: mine)
        routes.post("advice", access: candidates, use: request)
        routes.get("advice", "cases", access: advisers, use: caseload)
        routes.get("advice", "cases", ":case", access: advisers, use: show)
        routes.post("advice", "cases", ":case", "take", access: advisers, use: take)
        routes.post("advice", "cases", ":case", "assign", access: .anyRole([.coordinator]), use: assign)
        routes.post("advice", "cases", ":case", "contacts", access: advisers, use: contact)
        routes.post("advice", "cases", ":case", "eligibility", access: advisers, use: eligibility)
        routes.post("advice", "cases", ":case", "applied", access: advisers, use: applied)
        routes.post("advice", "cases", ":case", "close", access: advisers, use: close)
    }

    func minePage(
        _ req: Request, form: [String: String] = [:], problems: [ValidationError.Problem] = [], notice: String? = nil
    ) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let store = AdviceStore(req.db)
        var cases: [(AdviceCase, [AdviceContact])] = []
        for c in try await store.cases(person: viewer.person.id).reversed() {
            cases.append((c, try await store.contacts(case: c.id)))
        }
        return HTMLResponse.make(
            AdvicePages.candidate(cases, form: form, problems: problems, notice: notice, chrome: req.chrome),
            status: problems.isEmpty ? .ok : .badRequest)
    }

    func mine(req: Request) async throws -> Response {
        try await minePage(
            req,
            notice: req.query[String.self, at: "done"] == "asked"
                ? "Your request is sent: an adviser will be in touch." : nil)
    }

    func request(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let f = FormValues.body(req)
        let form = ["interest": f.one("interest"), "question": f.one("question"), "stage": f.one("stage")]
        let store = AdviceStore(req.db)
        if try await store.cases(person: viewer.person.id).contains(where: { $0.state != .closed }) {
            return try await minePage(
                req, form: form, problems: [.init(field: "question", message: "You already have an open request")])
        }
        switch AdviceCase.parseRequest(
            interest: form["interest"] ?? "", question: form["question"] ?? "", stage: form["stage"] ?? "")
        {
        case .failure(let e): return try await minePage(req, form: form, problems: e.problems)
        case .success(let (interest, question, stage)):
            let c = AdviceCase(
                person: viewer.person.id, name: viewer.person.name, stage: stage, interest: interest,
                question: question, requestedAt: req.now)
            try await req.db.transaction { tx in
                try await AdviceStore(tx).add(c)
                try await req.audit(
                    .adviceChanged, subjectType: "advice_case", subjectID: c.id.uuidString, person: viewer.person.id,
                    detail: "asked for an adviser", on: tx)
            }
            return req.redirect(to: AdvicePages.path + "?done=asked", redirectType: .normal)
        }
    }

    func caseload(req: Request) async throws -> Response {
        let state = req.query[String.self, at: "state"] ?? ""
        guard state.isEmpty || AdviceCase.State(rawValue: state) != nil else {
            throw Abort(.badRequest, reason: "Choose a state from the list.")
        }
        let cases = try await AdviceStore(req.db).cases()
        try await req.audit(.adviceRead, subjectType: "advice_cases", detail: "the caseload: \(cases.count) cases")
        return HTMLResponse.make(AdvicePages.caseload(cases, state: state, now: req.now, chrome: req.chrome))
    }

    static func adviceCase(_ req: Request) async throws -> AdviceCase {
        guard let id = req.parameters.get("case").flatMap(UUID.init(uuidString:)),
            let c = try await AdviceStore(req.db).adviceCase(id)
        else { throw Abort(.notFound, reason: "There is no adviser case with that id.") }
        return c
    }

    /// The case, if the viewer may change it: its adviser, or a coordinator.
    static func actable(_ req: Request) async throws -> AdviceCase {
        let viewer = try req.requirePrincipal()
        let c = try await adviceCase(req)
        guard viewer.has(.coordinator) || c.adviser == viewer.person.id else {
            throw Abort(.forbidden, reason: "Only the case's adviser (or a coordinator) changes it.")
        }
        return c
    }

    func page(
        _ req: Request, _ c: AdviceCase, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
        notice: String? = nil
    ) async throws -> Response {
        let viewer = try req.requirePrincipal()
        var advisers: [(value: String, label: String)] = []
        if viewer.has(.coordinator) {
            advisers = try await PeopleStore(req.db).all().filter { p in
                p.memberships.contains { Self.advisers.contains($0.role) } && p.person.active
            }.map(\.person).sorted { $0.name < $1.name }.map { (value: $0.id.rawValue.uuidString, label: $0.name) }
        }
        let interest = c.interest.lowercased()
        let model = AdvicePages.CaseModel(
            adviceCase: c, contacts: try await AdviceStore(req.db).contacts(case: c.id), advisers: advisers,
            canAct: viewer.has(.coordinator) || c.adviser == viewer.person.id, canTake: true,
            primary: interest.contains("primary") || interest.contains("early years"), form: form,
            problems: problems, notice: notice, today: Day.inUK(req.now), now: req.now)
        try await req.audit(
            .adviceRead, subjectType: "advice_case", subjectID: c.id.uuidString, person: c.person,
            detail: c.state.rawValue)
        return HTMLResponse.make(
            AdvicePages.casePage(model, chrome: req.chrome), status: problems.isEmpty ? .ok : .badRequest)
    }

    func show(req: Request) async throws -> Response {
        let c = try await Self.adviceCase(req)
        let notice: String? =
            switch req.query[String.self, at: "done"] {
            case "taken": "The case is yours."
            case "assigned": "The case is assigned."
            case "contact": "The contact is logged."
            case "checked": "The check and next steps are saved: the candidate sees them."
            case "applied": "Marked as applied."
            case "closed": "The case is closed."
            default: nil
            }
        return try await page(req, c, notice: notice)
    }

    func saved(_ req: Request, _ c: AdviceCase, detail: String, done: String) async throws -> Response {
        try await req.db.transaction { tx in
            try await AdviceStore(tx).update(c)
            try await req.audit(
                .adviceChanged, subjectType: "advice_case", subjectID: c.id.uuidString, person: c.person,
                detail: detail, on: tx)
        }
        return req.redirect(to: AdvicePages.path(c.id) + "?done=\(done)", redirectType: .normal)
    }

    func assigned(_ req: Request, _ c: AdviceCase, to adviser: Person, done: String) async throws -> Response {
        let ok = try await req.db.transaction { tx in
            guard try await AdviceStore(tx).assign(c.id, to: adviser.id, name: adviser.name, at: req.now) else {
                return false
            }
            try await req.audit(
                .adviceChanged, subjectType: "advice_case", subjectID: c.id.uuidString, person: c.person,
                detail: "assigned to \(adviser.name)", on: tx)
            if let candidate = try await PeopleStore(tx).find(c.person) {
                try await Mailer(request: req).send(
                    to: candidate, subject: "Your adviser: \(adviser.name)",
                    body:
                        "\(adviser.name) from the partnership will be your adviser and will be in touch. You can see your request and the next steps you agree at \(AdvicePages.path).",
                    on: tx)
            }
            return true
        }
        guard ok else {
            return try await page(
                req, try await Self.adviceCase(req),
                problems: [.init(field: "adviser", message: "Someone else has just taken this case")])
        }
        return req.redirect(to: AdvicePages.path(c.id) + "?done=\(done)", redirectType: .normal)
    }

    func take(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let c = try await Self.adviceCase(req)
        return try await assigned(req, c, to: viewer.person, done: "taken")
    }

    func assign(req: Request) async throws -> Response {
        let c = try await Self.adviceCase(req)
        let f = FormValues.body(req)
        guard let id = UUID(uuidString: f.one("adviser")).map(PersonID.init),
            let adviser = try await PeopleStore(req.db).find(id),
            try await PeopleStore(req.db).record(id)?.memberships.contains(where: { Self.advisers.contains($0.role) })
                == true
        else {
            return try await page(
                req, c, form: ["adviser": f.one("adviser")],
                problems: [.init(field: "adviser", message: "Choose an adviser from the list")])
        }
        return try await assigned(req, c, to: adviser, done: "assigned")
    }

    func contact(req: Request) async throws -> Response {
        let c = try await Self.actable(req)
        let viewer = try req.requirePrincipal()
        let f = FormValues.body(req)
        let form = ["day": f.one("day"), "channel": f.one("channel"), "note": f.one("note")]
        guard c.state == .active || c.state == .applied else {
            return try await page(req, c, form: form, problems: [.init(field: "note", message: "The case is not open")])
        }
        switch AdviceContact.parse(
            day: form["day"] ?? "", channel: form["channel"] ?? "", note: form["note"] ?? "",
            requested: Day.inUK(c.requestedAt), today: Day.inUK(req.now))
        {
        case .failure(let e): return try await page(req, c, form: form, problems: e.problems)
        case .success(let (day, channel, note)):
            let entry = AdviceContact(caseID: c.id, day: day, channel: channel, note: note, author: viewer.person.name)
            try await req.db.transaction { tx in
                try await AdviceStore(tx).addContact(entry, at: req.now)
                try await req.audit(
                    .adviceChanged, subjectType: "advice_case", subjectID: c.id.uuidString, person: c.person,
                    detail: "contact logged (\(channel.rawValue))", on: tx)
            }
            return req.redirect(to: AdvicePages.path(c.id) + "?done=contact", redirectType: .normal)
        }
    }

    func eligibility(req: Request) async throws -> Response {
        var c = try await Self.actable(req)
        let f = FormValues.body(req)
        let names = ["english", "maths", "science", "degree", "equivalency", "next_steps"]
        let form = Dictionary(uniqueKeysWithValues: names.map { ($0, f.one($0)) })
        guard c.state == .active || c.state == .applied else {
            return try await page(
                req, c, form: form, problems: [.init(field: "english", message: "The case is not open")])
        }
        switch EligibilityCheck.parse({ form[$0] ?? "" }) {
        case .failure(let e): return try await page(req, c, form: form, problems: e.problems)
        case .success(let check):
            c.eligibility = check
            return try await saved(req, c, detail: "eligibility checked", done: "checked")
        }
    }

    func applied(req: Request) async throws -> Response {
        var c = try await Self.actable(req)
        guard c.state == .active else {
            throw Abort(.conflict, reason: "Only an active case can be marked as applied.")
        }
        c.state = .applied
        return try await saved(req, c, detail: "applied", done: "applied")
    }

    func close(req: Request) async throws -> Response {
        let c = try await Self.actable(req)
        let f = FormValues.body(req)
        switch c.closing(outcome: f.one("outcome"), note: f.one("close_note"), at: req.now) {
        case .failure(let e):
            return try await page(
                req, c, form: ["outcome": f.one("outcome"), "close_note": f.one("close_note")], problems: e.problems)
        case .success(let closed):
            return try await saved(req, closed, detail: "closed: \(closed.outcome?.rawValue ?? "")", done: "closed")
        }
    }
}

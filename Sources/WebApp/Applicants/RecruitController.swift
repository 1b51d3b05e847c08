import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// A provider's recruited candidates (from its imported Apply choices) becoming its trainees: one step adds the
/// trainee to the year their course starts, starts (or links) their teacher-register record and, when the
/// candidate has a Chalkface account under the application's email, links it, so applicant, trainee and teacher
/// are one person. Whoever may manage the provider's trainees may do this.
struct RecruitController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let access = RouteAccess.anyRole([.coordinator, .providerStaff])
        routes.get("providers", ":id", "recruited", access: access, use: list)
        routes.get("providers", ":id", "recruited", "add", access: access, use: addForm)
        routes.post("providers", ":id", "recruited", "add", access: access, use: add)
    }

    /// The cycles the provider holds choices for, newest first, and the one the query asks for (default newest).
    static func cycle(_ req: Request, _ provider: Organisation) async throws -> (cycles: [Int], cycle: Int?) {
        let cycles = try await ApplicationStore(req.db).counts().filter { $0.provider == provider.id }.map(\.cycle)
            .sorted(by: >)
        let text = FormValues.query(req).one("cycle")
        guard !text.isEmpty else { return (cycles, cycles.first) }
        guard let c = BoundedInput.wholeNumber(text, in: 2000...2100), cycles.contains(c) else {
            throw Abort(
                .notFound, reason: "\(provider.name) holds no applications for the cycle \(BoundedInput.quote(text)).")
        }
        return (cycles, c)
    }

    func list(req: Request) async throws -> Response {
        let provider = try await TraineeController.provider(req)
        let (cycles, cycle) = try await Self.cycle(req, provider)
        var rows: [RecruitPages.Row] = []
        if let cycle, let year = AcademicYear(start: cycle) {
            let choices = try await ApplicationStore(req.db).choices(cycle: cycle, provider: provider.id)
                .map(\.choice).filter { $0.status == .recruited }
            let added = try await RecruitStore(req.db).trainees(provider: provider.id, cycle: cycle)
            let trainees = try await TraineeStore(req.db).trainees(year: year, provider: provider.id, status: .all)
            let withdrawn = Set(
                try await TraineeStore(req.db).trainees(year: year, provider: provider.id, status: .withdrawn).map(\.id)
            )
            let byID = Dictionary(uniqueKeysWithValues: trainees.map { ($0.id, $0) })
            rows = choices.sorted {
                ($0.entered[.recruited] ?? .distantPast, $0.reference) < (
                    $1.entered[.recruited] ?? .distantPast, $1.reference
                )
            }
            .map { c in
                let t = added[c.reference].flatMap { byID[$0] }
                return .init(
                    reference: c.reference, candidate: c.candidate, subject: c.subject.label, route: c.route.label,
                    recruitedAt: c.entered[.recruited],
                    trainee: t.map { (id: $0.id, name: $0.name, withdrawn: withdrawn.contains($0.id)) })
            }
            try await req.audit(
                .traineesListed, subjectType: "recruited", subjectID: "\(provider.id) \(cycle)",
                detail: "\(rows.count) recruited candidates of \(provider.name)")
        }
        var notice: String?
        if let id = UUID(uuidString: FormValues.query(req).one("added")),
            let t = try await TraineeStore(req.db).trainee(id, provider: provider.id)
        {
            notice = "\(t.trainee.name) is now a trainee for \(t.trainee.year), with a record in the teacher register."
        }
        return HTMLResponse.make(
            RecruitPages.page(
                .init(provider: provider, cycles: cycles, cycle: cycle, rows: rows, notice: notice),
                chrome: req.chrome))
    }

    /// The recruited choice the query names, not yet a trainee.
    static func choice(_ req: Request, _ provider: Organisation) async throws -> (
        cycle: Int, year: AcademicYear, ApplicationChoice
    ) {
        let (_, cycle) = try await cycle(req, provider)
        let reference = FormValues.query(req).one("reference")
        guard let cycle, let year = AcademicYear(start: cycle),
            let choice = try await ApplicationStore(req.db).choices(cycle: cycle, provider: provider.id)
                .map(\.choice).first(where: { $0.reference == reference })
        else { throw Abort(.notFound, reason: "\(provider.name) holds no application choice with that reference.") }
        guard choice.status == .recruited else {
            throw Abort(
                .conflict,
                reason:
                    "Choice \(choice.reference) is \(choice.status.label.lowercased()), not recruited: only recruited candidates become trainees."
            )
        }
        if try await RecruitStore(req.db).trainees(provider: provider.id, cycle: cycle)[choice.reference] != nil {
            throw Abort(.conflict, reason: "Choice \(choice.reference) has already been added as a trainee.")
        }
        return (cycle, year, choice)
    }

    /// The account holding the application's email, when it is active and not yet linked to another record.
    static func account(_ req: Request, _ choice: ApplicationChoice) async throws -> Person? {
        guard let email = choice.email.flatMap(EmailAddress.normalised),
            let person = try await PeopleStore(req.db).credentials(email: email)?.person, person.active,
            try await TeacherLinkStore(req.db).teacher(for: .person(person.id)) == nil
        else { return nil }
        return person
    }

    /// Enters a trainee recruited through `choice`: records which choice they came from, starts (or links) their
    /// teacher-register record and links the candidate's account. Run it in the transaction that adds the trainee.
    static func enter(
        _ trainee: Trainee, choice: ApplicationChoice, cycle: Int, provider: Organisation, trn: TRN?,
        existing: UUID?, account: Person?, author: String, at now: Date, on tx: any Database
    ) async throws -> UUID {
        try await RecruitStore(tx).record(
            provider: provider.id, cycle: cycle, reference: choice.reference, trainee: trainee.id, by: author, at: now)
        let teacher = try await TeacherLinkController.enter(
            trainee, provider: provider.name, trn: trn, existing: existing,
            from: "\(provider.name)'s recruited application \(choice.reference)", author: author, at: now, on: tx)
        if let account {
            try await TeacherLinkStore(tx).link(
                .person(account.id), to: teacher, detail: "Account linked: \(account.name) can see this record",
                author: author, at: now)
        }
        return teacher
    }

    /// The recruited choices an upload's rows name (`application_choice`): each the provider's, in the cycle that
    /// starts the year, recruited, not yet a trainee, and named by one row only; problems by line.
    static func recruitedChoices(
        _ entries: [TraineeEntry], provider: Organisation, year: AcademicYear, _ req: Request
    ) async throws -> (choices: [String: ApplicationChoice], problems: [(line: Int?, problem: ValidationError.Problem)])
    {
        let named = entries.compactMap(\.applicationChoice)
        guard !named.isEmpty else { return ([:], []) }
        let cycle = year.start
        let held = Dictionary(
            try await ApplicationStore(req.db).choices(cycle: cycle, provider: provider.id).map {
                ($0.choice.reference, $0.choice)
            }, uniquingKeysWith: { a, _ in a })
        let added = try await RecruitStore(req.db).trainees(provider: provider.id, cycle: cycle)
        var choices: [String: ApplicationChoice] = [:]
        var problems: [(line: Int?, problem: ValidationError.Problem)] = []
        var seen: Set<String> = []
        for e in entries {
            guard let reference = e.applicationChoice else { continue }
            func problem(_ message: String) {
                problems.append((e.line, .init(field: TraineeEntry.applicationChoiceColumn, message: message)))
            }
            let quoted = BoundedInput.quote(reference)
            guard seen.insert(reference).inserted else {
                problem("application choice \(quoted) is named by an earlier row")
                continue
            }
            guard let choice = held[reference] else {
                problem(
                    "\(provider.name) holds no application choice \(quoted) in the \(ApplicationPages.cycleLabel(cycle)) cycle (the one starting \(year))"
                )
                continue
            }
            guard choice.status == .recruited else {
                problem("application choice \(quoted) is \(choice.status.label.lowercased()), not recruited")
                continue
            }
            guard added[reference] == nil else {
                problem("application choice \(quoted) has already been added as a trainee")
                continue
            }
            choices[reference] = choice
        }
        return (choices, problems)
    }

    func render(
        _ req: Request, _ provider: Organisation, cycle: Int, year: AcademicYear, _ choice: ApplicationChoice,
        form: [String: String], problems: [ValidationError.Problem]
    ) async throws -> Response {
        let account = try await Self.account(req, choice)
        let offering = try await TraineeController.offering(
            req, year: year, phases: [choice.subject == .primary ? .primary : .secondary])
        return HTMLResponse.make(
            RecruitPages.form(
                .init(
                    provider: provider, cycle: cycle, year: year, choice: choice, account: account?.name,
                    offering: offering, form: form, problems: problems),
                chrome: req.chrome),
            status: problems.isEmpty ? .ok : .badRequest)
    }

    func addForm(req: Request) async throws -> Response {
        let provider = try await TraineeController.provider(req)
        let (cycle, year, choice) = try await Self.choice(req, provider)
        return try await render(
            req, provider, cycle: cycle, year: year, choice, form: RecruitPages.initialForm(choice), problems: [])
    }

    func add(req: Request) async throws -> Response {
        let provider = try await TraineeController.provider(req)
        let (cycle, year, choice) = try await Self.choice(req, provider)
        let values = FormValues.body(req)
        var form: [String: String] = [:]
        for name in TraineeEntry.columns + ["trn", "link_account"] { form[name] = values.one(name) }
        var problems: [ValidationError.Problem] = []
        var trainee: Trainee?
        switch TraineeEntry.parse({ form[$0] ?? "" }, line: nil) {
        case .failure(let error): problems = error.problems
        case .success(let entry):
            let (resolved, resolveProblems) = try await TraineeController.resolve(
                [entry], provider: provider.id, year: year, req)
            problems = resolveProblems.map(\.problem)
            trainee = resolved.first
        }
        // A TRN the register already holds links to that record when the names agree; a new one starts a record.
        let trnText = form["trn"] ?? ""
        let trn = trnText.isEmpty ? nil : TRN(trnText)
        var existing: UUID?
        if !trnText.isEmpty, trn == nil {
            problems.append(.init(field: "trn", message: "Enter a TRN of 7 digits, like 1234567, or leave it empty"))
        }
        if let trn, let record = try await TeacherStore(req.db).teacher(trn: trn) {
            if let trainee, !TeacherLinkController.sameName(record.name, trainee.name) {
                problems.append(
                    .init(
                        field: "trn",
                        message:
                            "The register's record for TRN \(trn.value) is under another name (\(record.name)): check the TRN and the name"
                    ))
            }
            existing = record.id
        }
        guard problems.isEmpty, let trainee else {
            return try await render(req, provider, cycle: cycle, year: year, choice, form: form, problems: problems)
        }
        let account = form["link_account"] == "true" ? try await Self.account(req, choice) : nil
        let author = try RetentionController.author(req)
        let now = req.now
        let target = existing
        let teacher: UUID
        do {
            teacher = try await req.db.transaction { tx in
                try await TraineeStore(tx).add([trainee], at: now)
                let teacher = try await Self.enter(
                    trainee, choice: choice, cycle: cycle, provider: provider, trn: trn, existing: target,
                    account: account, author: author, at: now, on: tx)
                try await req.audit(
                    .traineesAdded, subjectType: "trainees", subjectID: "\(provider.id) \(year)",
                    detail: "1 trainee from recruited application \(choice.reference) (cycle \(cycle))", on: tx)
                return teacher
            }
        } catch  where LockWait.isUniqueViolation(error) {
            throw Abort(
                .conflict,
                reason:
                    "Choice \(choice.reference) was added as a trainee by someone else at the same moment; nothing more was added."
            )
        } catch TeacherLinkStore.LinkError.linkedElsewhere {
            throw Abort(
                .conflict,
                reason:
                    "That account was linked to another teacher's record at the same moment; nothing was added. Try again."
            )
        }
        try await req.audit(
            .teacherLinked, subjectType: "teacher", subjectID: teacher.uuidString, person: account?.id,
            detail: "\(trainee.name), recruited by \(provider.name), in the teacher register"
                + (account.map { "; \($0.name)'s account linked" } ?? ""))
        Observability.recordImport(kind: "trainees", rows: 1)
        return req.redirect(
            to: SitePath.with(
                RecruitPages.path(provider.id), query: [("cycle", String(cycle)), ("added", trainee.id.uuidString)]),
            redirectType: .normal)
    }
}

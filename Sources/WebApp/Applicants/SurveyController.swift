import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Barrier research: coordinators build surveys, send single-use links to candidates in the application funnel,
/// remind, tag free text and read results joined to the funnel; respondents answer behind their link.
struct SurveyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let coordinator = RouteAccess.anyRole([.coordinator])
        routes.get("surveys", access: coordinator, use: list)
        routes.post("surveys", access: coordinator, use: create)
        routes.get("surveys", ":survey", access: coordinator, use: show)
        routes.post("surveys", ":survey", "questions", access: coordinator, use: addQuestion)
        routes.post("surveys", ":survey", "open", access: coordinator, use: open)
        routes.post("surveys", ":survey", "close", access: coordinator, use: close)
        routes.post("surveys", ":survey", "invitations", access: coordinator, use: invite)
        routes.post("surveys", ":survey", "reminders", access: coordinator, use: remind)
        routes.post("surveys", ":survey", "responses", ":response", "tag", access: coordinator, use: tag)
        routes.get("surveys", ":survey", "responses.csv", access: coordinator, use: csv)
        routes.get("survey", ":token", access: .everyone, use: respondForm)
        routes.post("survey", ":token", access: .everyone, use: respond)
    }

    static func survey(_ req: Request) async throws -> Survey {
        guard let id = req.parameters.get("survey").flatMap(UUID.init(uuidString:)),
            let s = try await SurveyStore(req.db).survey(id)
        else { throw Abort(.notFound, reason: "There is no survey with that id.") }
        return s
    }

    func list(req: Request) async throws -> Response {
        try await listPage(req)
    }

    func listPage(_ req: Request, form: [String: String] = [:], problems: [ValidationError.Problem] = [])
        async throws -> Response
    {
        let store = SurveyStore(req.db)
        var listed: [SurveyPages.Listed] = []
        for s in try await store.surveys() {
            let invitations = try await store.invitations(survey: s.id)
            listed.append(
                .init(
                    survey: s, invited: invitations.count,
                    responses: invitations.filter { $0.respondedAt != nil }.count))
        }
        return HTMLResponse.make(
            SurveyPages.list(listed, form: form, problems: problems, chrome: req.chrome),
            status: problems.isEmpty ? .ok : .badRequest)
    }

    func create(req: Request) async throws -> Response {
        let f = FormValues.body(req)
        let form = ["title": f.one("title"), "introduction": f.one("introduction"), "anonymous": f.one("anonymous")]
        var problems: [ValidationError.Problem] = []
        let title = form["title"] ?? ""
        if title.isEmpty || title.count > 150 || BoundedInput.hasControlCharacters(title) {
            problems.append(.init(field: "title", message: "Enter a title, up to 150 characters"))
        }
        let introduction = form["introduction"] ?? ""
        if introduction.isEmpty || introduction.count > 2_000 {
            problems.append(.init(field: "introduction", message: "Enter an introduction, up to 2,000 characters"))
        }
        let anonymous = form["anonymous"] == "true" ? true : form["anonymous"] == "false" ? false : nil
        if anonymous == nil {
            problems.append(.init(field: "anonymous", message: "Say whether responses are linked to the person"))
        }
        guard problems.isEmpty, let anonymous else { return try await listPage(req, form: form, problems: problems) }
        let survey = Survey(title: title, introduction: introduction, anonymous: anonymous, createdAt: req.now)
        try await req.db.transaction { tx in
            try await SurveyStore(tx).save(survey)
            try await req.audit(
                .surveyChanged, subjectType: "survey", subjectID: survey.id.uuidString, detail: "created: \(title)",
                on: tx)
        }
        return req.redirect(to: SurveyPages.path(survey.id), redirectType: .normal)
    }

    func model(
        _ req: Request, _ s: Survey, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
        notice: String? = nil
    ) async throws -> SurveyPages.Model {
        let store = SurveyStore(req.db)
        let invitations = try await store.invitations(survey: s.id)
        let responses = try await store.responses(survey: s.id)
        var invited: [String: Int] = [:]
        var responded: [String: Int] = [:]
        for i in invitations {
            invited[i.group.provider, default: 0] += 1
            if i.respondedAt != nil { responded[i.group.provider, default: 0] += 1 }
        }
        let results = SurveyResults.build(
            s, responses: responses.map(\.response), invitedByProvider: invited, respondedByProvider: responded)
        var texts: [(response: UUID, question: Int, text: String, tag: String)] = []
        for (id, r) in responses.reversed() {
            for (q, a) in r.answers.sorted(by: { $0.key < $1.key }) {
                if case .text(let t) = a { texts.append((id, q, t, r.tags[q] ?? "")) }
            }
            if texts.count >= 200 { break }
        }
        let providers = try await ApplicationController.providers(req)
        var form = form
        if form["cycle"] == nil { form["cycle"] = try await ApplicationStore(req.db).cycles().first.map(String.init) }
        return SurveyPages.Model(
            survey: s, results: results, cycles: try await ApplicationStore(req.db).cycles(),
            providers: providers.map { (value: $0.id.rawValue.uuidString, label: $0.name) }, texts: texts, form: form,
            problems: problems, notice: notice)
    }

    func show(req: Request) async throws -> Response {
        let s = try await Self.survey(req)
        let notice: String? =
            switch req.query[String.self, at: "done"] {
            case "added": "The question is added."
            case "opened": "The survey is open: send invitations."
            case "closed": "The survey is closed: its links no longer take answers."
            case "tagged": "The tag is saved."
            case "invited": "\(req.query[Int.self, at: "n"] ?? 0) invitations are in the outbox."
            case "reminded": "\(req.query[Int.self, at: "n"] ?? 0) reminders are in the outbox."
            default: nil
            }
        return HTMLResponse.make(SurveyPages.page(try await model(req, s, notice: notice), chrome: req.chrome))
    }

    func fail(_ req: Request, _ s: Survey, form: [String: String], _ problems: [ValidationError.Problem])
        async throws -> Response
    {
        HTMLResponse.make(
            SurveyPages.page(try await model(req, s, form: form, problems: problems), chrome: req.chrome),
            status: .badRequest)
    }

    func addQuestion(req: Request) async throws -> Response {
        var s = try await Self.survey(req)
        let f = FormValues.body(req)
        let form = [
            "section": f.one("section"), "prompt": f.one("prompt"), "kind": f.one("kind"), "options": f.one("options"),
            "required": f.one("required"),
        ]
        guard s.status == .draft else {
            return try await fail(
                req, s, form: form,
                [.init(field: "prompt", message: "Questions can only be added before the survey opens")])
        }
        guard s.questions.count < Survey.maximumQuestions else {
            return try await fail(
                req, s, form: form,
                [.init(field: "prompt", message: "A survey has at most \(Survey.maximumQuestions) questions")])
        }
        switch SurveyQuestion.parse(
            section: form["section"] ?? "", prompt: form["prompt"] ?? "", kind: form["kind"] ?? "",
            options: form["options"] ?? "", required: form["required"] ?? "")
        {
        case .failure(let e): return try await fail(req, s, form: form, e.problems)
        case .success(let q):
            s.questions.append(q)
            let changed = s
            try await req.db.transaction { tx in
                try await SurveyStore(tx).update(changed)
                try await req.audit(
                    .surveyChanged, subjectType: "survey", subjectID: changed.id.uuidString,
                    detail: "question added: \(q.prompt)", on: tx)
            }
            return req.redirect(to: SurveyPages.path(s.id) + "?done=added", redirectType: .normal)
        }
    }

    func setStatus(_ req: Request, from: Survey.Status, to: Survey.Status, done: String) async throws -> Response {
        var s = try await Self.survey(req)
        guard s.status == from, to != .open || !s.questions.isEmpty else {
            throw Abort(.conflict, reason: "The survey is \(s.status.rawValue): it cannot become \(to.rawValue).")
        }
        s.status = to
        let changed = s
        try await req.db.transaction { tx in
            try await SurveyStore(tx).update(changed)
            try await req.audit(
                .surveyChanged, subjectType: "survey", subjectID: changed.id.uuidString, detail: to.rawValue, on: tx)
        }
        return req.redirect(to: SurveyPages.path(s.id) + "?done=\(done)", redirectType: .normal)
    }

    func open(req: Request) async throws -> Response {
        try await setStatus(req, from: .draft, to: .open, done: "opened")
    }
    func close(req: Request) async throws -> Response {
        try await setStatus(req, from: .open, to: .closed, done: "closed")
    }

    func link(_ req: Request, _ token: String) -> String {
        (req.application.configuration?.publicURL ?? "http://127.0.0.1:8080") + "/survey/" + token
    }

    func invite(req: Request) async throws -> Response {
        let s = try await Self.survey(req)
        let f = FormValues.body(req)
        let form = [
            "cycle": f.one("cycle"), "providers": f.all("providers").joined(separator: ";"),
            "audience": f.one("audience"),
        ]
        guard s.status == .open else {
            return try await fail(req, s, form: form, [.init(field: "cycle", message: "Open the survey first")])
        }
        let store = ApplicationStore(req.db)
        guard let cycle = BoundedInput.wholeNumber(f.one("cycle"), in: 2000...2100),
            try await store.cycles().contains(cycle)
        else {
            return try await fail(req, s, form: form, [.init(field: "cycle", message: "Choose a recruitment cycle")])
        }
        let providers = try await ApplicationController.providers(req)
        let names = Dictionary(uniqueKeysWithValues: providers.map { ($0.id, $0.name) })
        var chosen: Set<OrganisationID> = []
        for text in f.all("providers") {
            guard let id = UUID(uuidString: text).map(OrganisationID.init), names[id] != nil else {
                return try await fail(
                    req, s, form: form, [.init(field: "providers", message: "Choose providers from the list")])
            }
            chosen.insert(id)
        }
        let audienceText = f.one("audience")
        guard let audience = audienceText.isEmpty ? .everyone : SurveyAudience(rawValue: audienceText) else {
            return try await fail(req, s, form: form, [.init(field: "audience", message: "Choose who is asked")])
        }
        let choices = try await store.choices(cycle: cycle).filter { chosen.isEmpty || chosen.contains($0.provider) }
        let furthest = ApplicationChoice.furthestByEmail(choices.map { ($0.provider, $0.choice) }).filter {
            audience.includes($0.value.1.status)
        }
        var invitations: [(SurveyStore.Invitation, tokenHash: String)] = []
        var tokens: [UUID: String] = [:]
        for email in furthest.keys.sorted() {
            let (provider, c) = furthest[email]!
            let token = Secret.generate()
            let invitation = SurveyStore.Invitation(
                survey: s.id, email: email, candidate: c.candidate,
                group: RespondentGroup(
                    provider: names[provider] ?? "Unknown provider", route: c.route, subject: c.subject,
                    outcome: c.status), sentAt: req.now)
            tokens[invitation.id] = token
            invitations.append((invitation, tokenHash: Secret.hash(token)))
        }
        let links = tokens.mapValues { link(req, $0) }
        let fresh = invitations
        let sent: Int
        do {
            sent = try await req.db.transaction { tx in
                let stored = try await SurveyStore(tx).invite(fresh)
                for i in stored {
                    try await Outbox(tx).enqueue(
                        to: i.email, person: nil, subject: s.title,
                        body:
                            "\(s.introduction)\n\nAnswer here (this link is yours and works once): \(links[i.id] ?? "")\n\nYou were invited because you \(i.group.outcome == .recruited ? "are training" : "applied to train") with \(i.group.provider).",
                        at: req.now)
                }
                try await req.audit(
                    .surveyInvitationsSent, subjectType: "survey", subjectID: s.id.uuidString,
                    detail: "\(stored.count) invitations for cycle \(cycle) (\(audience.rawValue))", on: tx)
                return stored.count
            }
        } catch  where LockWait.isUniqueViolation(error) {
            // Another send of this survey's invitations ran at the same moment and took these addresses first.
            return try await fail(
                req, s, form: form,
                [
                    .init(
                        field: "cycle",
                        message:
                            "Invitations to this survey were being sent by someone else at the same moment; nothing more was sent. Send again to invite anyone it missed."
                    )
                ])
        }
        return req.redirect(to: SurveyPages.path(s.id) + "?done=invited&n=\(sent)", redirectType: .normal)
    }

    func remind(req: Request) async throws -> Response {
        let s = try await Self.survey(req)
        guard s.status == .open else { throw Abort(.conflict, reason: "Only an open survey sends reminders.") }
        // Reminders carry no new link: the invitation's link still works once. The email says so.
        let sent = try await req.db.transaction { tx in
            let due = try await SurveyStore(tx).markReminded(
                survey: s.id, at: req.now, notSince: req.now.addingTimeInterval(-7 * 86_400))
            for i in due {
                try await Outbox(tx).enqueue(
                    to: i.email, person: nil, subject: "Reminder: \(s.title)",
                    body:
                        "A reminder: the partnership would still like your answers to \(s.title). Use the link in the invitation we sent you on \(Day.inUK(i.sentAt).longDescription); it works once.",
                    at: req.now)
            }
            try await req.audit(
                .surveyInvitationsSent, subjectType: "survey", subjectID: s.id.uuidString,
                detail: "\(due.count) reminders", on: tx)
            return due.count
        }
        return req.redirect(to: SurveyPages.path(s.id) + "?done=reminded&n=\(sent)", redirectType: .normal)
    }

    func tag(req: Request) async throws -> Response {
        let s = try await Self.survey(req)
        let f = FormValues.body(req)
        guard let response = req.parameters.get("response").flatMap(UUID.init(uuidString:)),
            let question = BoundedInput.wholeNumber(f.one("question"), in: 0...(Survey.maximumQuestions - 1)),
            question < s.questions.count, s.questions[question].kind == .text
        else { throw Abort(.notFound, reason: "There is no such free-text answer.") }
        let tag = f.one("tag")
        guard tag.count <= 40, !BoundedInput.hasControlCharacters(tag) else {
            throw Abort(.badRequest, reason: "A tag is up to 40 characters on one line.")
        }
        let saved = try await req.db.transaction { tx in
            let ok = try await SurveyStore(tx).tag(response: response, survey: s.id, question: question, tag: tag)
            if ok {
                try await req.audit(
                    .surveyChanged, subjectType: "survey", subjectID: s.id.uuidString,
                    detail: "tagged an answer: \(tag)",
                    on: tx)
            }
            return ok
        }
        guard saved else { throw Abort(.notFound, reason: "There is no such response.") }
        return req.redirect(to: SurveyPages.path(s.id) + "?done=tagged#free-text", redirectType: .normal)
    }

    func csv(req: Request) async throws -> Response {
        let s = try await Self.survey(req)
        let responses = try await SurveyStore(req.db).responses(survey: s.id)
        var text =
            (["provider", "route", "subject", "outcome"] + s.questions.indices.map { Survey.field($0) })
            .joined(separator: ",") + "\n"
        for (_, r) in responses {
            var row = [r.group.provider, r.group.route.rawValue, r.group.subject.key, r.group.outcome.rawValue]
            for (i, q) in s.questions.enumerated() {
                switch r.answers[i] {
                case .text(let t): row.append(t)
                case .some(let a):
                    row.append(
                        a.chosen.compactMap { $0 < q.options.count ? q.options[$0] : nil }.joined(separator: ";"))
                case nil: row.append("")
                }
            }
            text += row.map(SchoolCSVExport.escape).joined(separator: ",") + "\n"
        }
        try await req.audit(
            .surveyResponsesExported, subjectType: "survey", subjectID: s.id.uuidString,
            detail: "\(responses.count) responses")
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"survey-responses.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    /// The invitation behind a link, and its survey.
    static func invitation(_ req: Request) async throws -> (SurveyStore.Invitation, Survey, String) {
        let token = String((req.parameters.get("token") ?? "").prefix(100))
        guard token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }),
            let invitation = try await SurveyStore(req.db).invitation(tokenHash: Secret.hash(token)),
            let survey = try await SurveyStore(req.db).survey(invitation.survey)
        else { throw Abort(.notFound, reason: "This survey link is not valid. Check it was copied whole.") }
        return (invitation, survey, token)
    }

    func unavailable(_ req: Request, _ i: SurveyStore.Invitation, _ s: Survey) -> Response? {
        if i.respondedAt != nil {
            return HTMLResponse.make(
                SurveyPages.message(
                    "You have already answered",
                    "Thank you: your answers to \(s.title) are counted. A link works once.",
                    chrome: req.chrome), status: .conflict)
        }
        if s.status != .open {
            return HTMLResponse.make(
                SurveyPages.message(
                    "This survey is closed", "\(s.title) is no longer taking answers.", chrome: req.chrome),
                status: .gone)
        }
        return nil
    }

    func respondForm(req: Request) async throws -> Response {
        let (i, s, token) = try await Self.invitation(req)
        if let r = unavailable(req, i, s) { return r }
        return HTMLResponse.make(SurveyPages.respond(s, token: token, form: [:], problems: [], chrome: req.chrome))
    }

    func respond(req: Request) async throws -> Response {
        let (i, s, token) = try await Self.invitation(req)
        if let r = unavailable(req, i, s) { return r }
        let f = FormValues.body(req, limit: SurveyQuestion.maximumTextAnswer + 1)
        switch s.parseAnswers({ f.all($0) }) {
        case .failure(let e):
            var form: [String: String] = [:]
            for index in s.questions.indices {
                let name = Survey.field(index)
                form[name] = f.all(name).joined(separator: ";")
            }
            return HTMLResponse.make(
                SurveyPages.respond(s, token: token, form: form, problems: e.problems, chrome: req.chrome),
                status: .badRequest)
        case .success(let answers):
            do {
                try await req.db.transaction { tx in
                    try await SurveyStore(tx).respond(to: i, survey: s, answers: answers, at: req.now)
                }
            } catch SurveyStore.RespondError.alreadyAnswered {
                if let r = unavailable(
                    req,
                    SurveyStore.Invitation(
                        survey: s.id, email: "", candidate: "", group: i.group, sentAt: i.sentAt, respondedAt: req.now),
                    s)
                {
                    return r
                }
            }
            return HTMLResponse.make(
                SurveyPages.message(
                    "Thank you", "Your answers to \(s.title) are counted. You can close this page.", chrome: req.chrome)
            )
        }
    }
}

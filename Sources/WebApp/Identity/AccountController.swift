import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// The signed-in person's own pages: dashboard, account and API tokens, their data and its erasure.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("dashboard", access: .signedIn, use: dashboard)
        routes.get("account", access: .signedIn, use: account)
        routes.post("account", "tokens", access: .signedIn, use: createToken)
        routes.post("account", "tokens", ":id", "revoke", access: .signedIn, use: revokeToken)
        routes.get("account", "export", access: .signedIn, use: export)
        routes.get("account", "erase", access: .signedIn, use: eraseForm)
        routes.post("account", "erase", access: .signedIn, use: erase)
    }

    func dashboard(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let partnership = try await OrganisationStore(req.db).mainPartnership()
        let counts = try await PeopleStore(req.db).countsByOrganisationAndRole()
        var inOrganisations: [OrganisationID: Int] = [:]
        for c in counts { inOrganisations[c.organisation.id, default: 0] += c.people }
        var model = AccountPages.Dashboard(
            principal: principal, sharing: partnership?.dataSharing ?? .aggregatesOnly,
            peopleInOrganisations: inOrganisations, totalPeople: try await PeopleStore(req.db).count(),
            organisations: try await OrganisationStore(req.db).list().count)
        // School staff go straight to their own schools' offers.
        let store = OrganisationStore(req.db)
        var urns: [URN] = []
        for id in principal.organisations(as: .schoolStaff) {
            if let o = try await store.find(id), let urn = o.urn { urns.append(urn) }
            urns += try await store.schools(of: id)
        }
        let schools = try await SchoolStore(req.db).find(urns)
        model.ownSchools = Array(Set(urns)).compactMap { urn in schools[urn].map { (urn, $0.name) } }
            .sorted { $0.name < $1.name }
        if principal.has(.teacher) || principal.has(.mentor) {
            model.teacherRecord = try await TeacherLinkStore(req.db).teacher(for: .person(principal.id))
        }
        return HTMLResponse.make(AccountPages.dashboard(model, chrome: req.chrome))
    }

    func account(req: Request) async throws -> Response {
        HTMLResponse.make(AccountPages.account(try await accountModel(req), chrome: req.chrome))
    }

    func accountModel(
        _ req: Request, newToken: (APIToken, String)? = nil, problems: [ValidationError.Problem] = []
    ) async throws -> AccountPages.Account {
        let principal = try req.requirePrincipal()
        return AccountPages.Account(
            person: principal.person, memberships: principal.memberships,
            tokens: try await CredentialStore(req.db).tokens(of: principal.id), newToken: newToken, problems: problems,
            now: req.now)
    }

    struct TokenForm: Content {
        var name: String?
        var scope: String?
        var expiresInDays: String?

        enum CodingKeys: String, CodingKey {
            case name, scope
            case expiresInDays = "expires_in_days"
        }
    }

    func createToken(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(TokenForm.self)
        var problems: [ValidationError.Problem] = []
        let name = (form.name ?? "").trimmingSpaces
        if name.isEmpty { problems.append(.init(field: "name", message: "Enter what the token is for")) }
        if name.count > 100 { problems.append(.init(field: "name", message: "Name must be 100 characters or fewer")) }
        let scope = form.scope.flatMap(TokenScope.init(rawValue:))
        if scope == nil { problems.append(.init(field: "scope", message: "Choose what the token may do")) }
        let days = form.expiresInDays.flatMap(Int.init)
        if days == nil || !APIToken.lifetimes.contains(where: { $0.days == days }) {
            problems.append(.init(field: "expires_in_days", message: "Choose when the token expires"))
        }
        guard problems.isEmpty, let scope, let days else {
            return HTMLResponse.make(
                AccountPages.account(try await accountModel(req, problems: problems), chrome: req.chrome),
                status: .badRequest)
        }
        let secret = TokenFormat.generate()
        let token = APIToken(
            id: UUID(), person: principal.id, name: name, scope: scope, createdAt: req.now,
            expiresAt: req.now.addingTimeInterval(TimeInterval(days) * 86_400))
        try await req.db.transaction { tx in
            try await CredentialStore(tx).createToken(token, tokenHash: Secret.hash(secret))
            try await req.audit(
                .tokenCreated, subjectType: "token", subjectID: token.id.uuidString, person: principal.id,
                detail: "\(name), \(scope.rawValue), \(days) days", on: tx)
        }
        let page = AccountPages.account(try await accountModel(req, newToken: (token, secret)), chrome: req.chrome)
        let response = HTMLResponse.make(page, status: .created)
        // The secret is in this page only: no cache may keep it.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func revokeToken(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw Abort(.notFound, reason: "There is no such token.")
        }
        // Someone else's token is "not found": its existence is not theirs to learn.
        guard let token = try await CredentialStore(req.db).revokeToken(id, of: principal.id, at: req.now) else {
            throw Abort(.notFound, reason: "You have no token with that id.")
        }
        try await req.audit(
            .tokenRevoked, subjectType: "token", subjectID: id.uuidString, person: principal.id, detail: token.name)
        return req.redirect(to: SitePath.account + "#tokens", redirectType: .normal)
    }

    func export(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        return try await Self.exportResponse(principal.id, req)
    }

    static func exportResponse(_ id: PersonID, _ req: Request) async throws -> Response {
        try await req.audit(.personExported, subjectType: "person", subjectID: id.description, person: id)
        guard let export = try await PersonalDataExport.gather(id, on: req.db, now: req.now) else {
            throw Abort(.notFound)
        }
        let response = Response(status: .ok)
        try response.content.encode(export, as: .json)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"chalkface-my-data-\(id).json\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func eraseForm(req: Request) async throws -> Response {
        HTMLResponse.make(AccountPages.erase(problems: [], chrome: req.chrome))
    }

    func erase(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        let hash = try await PeopleStore(req.db).credentials(email: principal.person.email)?.passwordHash
        guard !password.isEmpty, try await Passwords.verify(password, hash: hash, req.application) else {
            return HTMLResponse.make(
                AccountPages.erase(
                    problems: [.init(field: "password", message: "Enter your correct password")], chrome: req.chrome),
                status: .badRequest)
        }
        if principal.has(.coordinator), try await Self.coordinatorCount(req.db) <= 1 {
            return HTMLResponse.make(
                AccountPages.erase(
                    problems: [
                        .init(
                            field: "password",
                            message:
                                "You are the partnership's only coordinator. Give another person the coordinator role first."
                        )
                    ], chrome: req.chrome), status: .conflict)
        }
        try await req.db.transaction { tx in
            try await req.audit(
                .personErased, subjectType: "person", subjectID: principal.id.description, person: principal.id,
                detail: "at the person's request", on: tx)
            try await PeopleStore(tx).erase(principal.id, at: req.now)
        }
        req.identity = nil
        let response = HTMLResponse.make(AccountPages.erased(chrome: req.chrome))
        response.cookies[SessionPolicy.cookieName] = .expired
        return response
    }

    /// Active people holding the coordinator role.
    static func coordinatorCount(_ db: any Database) async throws -> Int {
        try await PeopleStore(db).activeCount(role: .coordinator)
    }
}

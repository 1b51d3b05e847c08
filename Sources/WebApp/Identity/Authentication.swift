import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Who is making a request, and how they proved it.
struct Identity: Sendable {
    var principal: Principal
    /// The browser session, when signed in with a cookie.
    var session: StoredSession?
    /// The API token, when the request carried one.
    var token: APIToken?
}

extension Request {
    private struct IdentityKey: StorageKey { typealias Value = Identity }
    private struct CSRFKey: StorageKey { typealias Value = String }

    var identity: Identity? {
        get { storage[IdentityKey.self] }
        set { storage[IdentityKey.self] = newValue }
    }

    var principal: Principal? { identity?.principal }

    /// The principal, or a 401 for a route that forgot to declare it needs one.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw Abort(.unauthorized, reason: "Sign in to use this.") }
        return principal
    }

    /// The token this request's forms must send back.
    var csrfToken: String {
        get { storage[CSRFKey.self] ?? "" }
        set { storage[CSRFKey.self] = newValue }
    }

    var isAPI: Bool { url.path.hasPrefix("/api/") }

    /// The header of every page: who is signed in and what they may reach.
    var chrome: Chrome {
        let p = principal
        return Chrome(
            person: p?.person.name, csrfToken: csrfToken, isCoordinator: p?.has(.coordinator) ?? false,
            seesPeople: p.map { !$0.roles.isDisjoint(with: [.coordinator, .providerStaff, .schoolStaff]) } ?? false,
            isDemo: !(application.configuration?.isProduction ?? false))
    }

    /// What the partnership has agreed coordinators may see of individuals (aggregates only until it decides).
    func dataSharing() async throws -> DataSharing {
        try await OrganisationStore(db).mainPartnership()?.dataSharing ?? .aggregatesOnly
    }

    /// The address the request came from (the peer's; Chalkface does not trust forwarding headers).
    /// The client's address: the socket's peer, or behind a trusted proxy (`TRUSTED_PROXIES`) the address it
    /// forwarded.
    var sourceAddress: String? {
        let proxies = application.configuration?.trustedProxies ?? .none
        let peer = remoteAddress?.ipAddress
        return proxies.isEmpty ? peer : proxies.client(peer: peer, forwardedFor: headers[.xForwardedFor])
    }

    /// Appends to the audit log as the signed-in person (or no one), from this request's address.
    func audit(
        _ action: AuditAction, subjectType: String, subjectID: String? = nil, person: PersonID? = nil,
        detail: String = "", actor: PersonID? = nil, on database: (any Database)? = nil
    ) async throws {
        try await AuditLog(database ?? db).append(
            AuditEvent(
                at: now, actor: actor ?? principal?.id, action: action, subjectType: subjectType, subjectID: subjectID,
                subjectPerson: person, detail: detail, address: sourceAddress, channel: isAPI ? "api" : "web"))
    }

    var secureCookies: Bool { application.configuration?.publicURL.hasPrefix("https://") ?? false }

    func sessionCookie(_ secret: String) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: secret, maxAge: Int(SessionPolicy.absoluteTimeout), path: "/", isSecure: secureCookies,
            isHTTPOnly: true, sameSite: .lax)
    }
}

/// Works out who is calling: a Bearer token on `/api/v1`, or the session cookie. Expired, revoked or deactivated
/// credentials never reach a handler.
struct AuthenticationMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearSession = false
        if req.isAPI, let bearer = req.headers.bearerAuthorization {
            req.identity = try await Self.tokenIdentity(bearer.token, req)
        } else if let secret = req.cookies[SessionPolicy.cookieName]?.string {
            // The API accepts the cookie for reading only: a cross-site form cannot post to it.
            if !req.isAPI || [.GET, .HEAD].contains(req.method) {
                req.identity = try await Self.sessionIdentity(secret, req)
                clearSession = req.identity == nil
            }
        }
        let response = try await next.respond(to: req)
        if clearSession && response.cookies[SessionPolicy.cookieName] == nil {
            response.cookies[SessionPolicy.cookieName] = .expired
        }
        return response
    }

    static func tokenIdentity(_ secret: String, _ req: Request) async throws -> Identity {
        let invalid = Abort(
            .unauthorized, headers: ["WWW-Authenticate": "Bearer error=\"invalid_token\""],
            reason: "The API token is not valid: it is mistyped, expired or revoked.")
        let credentials = CredentialStore(req.db)
        guard let token = try await credentials.token(hash: Secret.hash(secret)), token.isUsable(at: req.now),
            let principal = try await PeopleStore(req.db).principal(token.person), principal.person.active
        else { throw invalid }
        guard token.scope.permits(method: req.method.rawValue) else {
            throw Abort(
                .forbidden, headers: ["WWW-Authenticate": "Bearer error=\"insufficient_scope\""],
                reason: "This token is read-only; \(req.method.rawValue) needs a read-write token.")
        }
        if token.lastUsedAt.map({ req.now.timeIntervalSince($0) > SessionPolicy.touchInterval }) ?? true {
            try await credentials.touchToken(token.id, at: req.now)
        }
        return Identity(principal: principal, session: nil, token: token)
    }

    /// The session's identity, or nil (and the session deleted) when it has expired or its person may not sign in.
    static func sessionIdentity(_ secret: String, _ req: Request) async throws -> Identity? {
        let credentials = CredentialStore(req.db)
        guard let session = try await credentials.session(tokenHash: Secret.hash(secret)) else { return nil }
        let now = req.now
        let expired =
            now.timeIntervalSince(session.lastSeenAt) >= SessionPolicy.idleTimeout
            || now.timeIntervalSince(session.createdAt) >= SessionPolicy.absoluteTimeout
        guard !expired, let principal = try await PeopleStore(req.db).principal(session.person),
            principal.person.active
        else {
            try await credentials.deleteSession(session.id)
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) >= SessionPolicy.touchInterval {
            try await credentials.touchSession(session.id, at: now)
        }
        return Identity(principal: principal, session: session, token: nil)
    }
}

/// Refuses a state-changing form that does not carry the token of the session (or, before sign-in, of the
/// browser's own CSRF cookie). API requests are exempt: they are authorised by a Bearer header, which a
/// cross-site form cannot send, and the API ignores the session cookie for anything but reading.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "csrf_token"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !req.isAPI else { return try await next.respond(to: req) }
        var newCookie: String?
        if let session = req.identity?.session {
            req.csrfToken = session.csrfToken
        } else if let cookie = req.cookies[SessionPolicy.csrfCookieName]?.string, cookie.count >= 32 {
            req.csrfToken = cookie
        } else {
            newCookie = Secret.generate()
            req.csrfToken = newCookie!
        }
        if ![.GET, .HEAD, .OPTIONS].contains(req.method) {
            // Only a route that takes a body has one read, and only up to its own limit: a POST to an unknown
            // path is a 404 with nothing buffered.
            guard let route = req.route else { throw Abort(.notFound) }
            let limit = route.bodyLimit(default: req.application.routes.defaultMaxBodySize.value)
            if let length = req.headers.first(name: .contentLength).flatMap({ Int($0) }), length > limit {
                throw Abort(.payloadTooLarge, reason: "The request is larger than this form accepts (\(limit) bytes).")
            }
            let body = try await req.body.collect(max: limit).get()
            // A NUL character cannot be stored (PostgreSQL refuses it in text) and is never meant: say so.
            if req.headers.contentType == .urlEncodedForm, let body,
                let field = NulCharacterMiddleware.field(inEncoded: String(buffer: body))
            {
                throw Abort(
                    .badRequest,
                    reason:
                        "The form's \(field) holds a NUL character, which no field can contain. Remove it and try again."
                )
            }
            let sent = (try? req.content.get(String.self, at: Self.field)) ?? req.headers.first(name: "X-CSRF-Token")
            guard let sent, !req.csrfToken.isEmpty, Secret.equal(sent, req.csrfToken) else {
                throw Abort(
                    .forbidden,
                    reason:
                        "The form could not be accepted: its security token was missing or out of date. Go back, reload the page and try again."
                )
            }
        }
        let response = try await next.respond(to: req)
        if let newCookie {
            response.cookies[SessionPolicy.csrfCookieName] = HTTPCookies.Value(
                string: newCookie, path: "/", isSecure: req.secureCookies, isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }
}

import Domain
import Fluent
import Vapor

/// Every route is registered with a ``RouteAccess`` rule through these helpers, and `routes(_:)` refuses to start
/// if any route has none. Object-level rules (whose record) are in ``AccessPolicy``; handlers call it.
extension RoutesBuilder {
    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: [PathComponent], access: RouteAccess, body: HTTPBodyStreamStrategy = .collect,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = grouped(AccessGate(access: access)).on(method, path, body: body, use: handler)
        route.userInfo[AccessGate.key] = access
        if case .collect(let max) = body, let max { route.userInfo[Route.bodyLimitKey] = max.value }
        return route
    }

    @discardableResult
    func get<Response: AsyncResponseEncodable>(
        _ path: PathComponent..., access: RouteAccess,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.GET, path, access: access, use: handler)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ path: PathComponent..., access: RouteAccess,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.POST, path, access: access, use: handler)
    }
}

extension Route {
    /// The access rule the route was registered with.
    var access: RouteAccess? { userInfo[AccessGate.key] as? RouteAccess }

    static let bodyLimitKey = "chalkface.body-limit"

    /// The most body bytes the route reads: its own limit (file uploads), or the application's default for forms.
    func bodyLimit(default value: Int) -> Int { userInfo[Self.bodyLimitKey] as? Int ?? value }
}

/// Applies a route's rule: sign in first (a redirect for pages, 401 for the API), or 403.
struct AccessGate: AsyncMiddleware {
    static let key = "chalkface.access"
    let access: RouteAccess

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        switch access.decide(req.principal) {
        case .allowed:
            return try await next.respond(to: req)
        case .needsSignIn:
            if req.isAPI {
                throw Abort(
                    .unauthorized, headers: ["WWW-Authenticate": "Bearer"],
                    reason: "Send a personal API token as Authorization: Bearer <token>.")
            }
            var target = req.url.path
            if let query = req.url.query { target += "?" + query }
            let next = req.method == .GET ? target : nil
            return req.redirect(to: SitePathNext.signIn(next: next), redirectType: .normal)
        case .forbidden:
            throw Abort(.forbidden, reason: "This is for \(Self.describe(access)) only.")
        }
    }

    static func describe(_ access: RouteAccess) -> String {
        switch access {
        case .anyRole(let roles): roles.sorted().map(\.pluralLabel).joined(separator: " and ")
        default: access.description
        }
    }
}

enum SitePathNext {
    static func signIn(next: String?) -> String {
        guard let next else { return "/sign-in" }
        var c = URLComponents()
        c.queryItems = [URLQueryItem(name: "next", value: next)]
        return "/sign-in?" + (c.percentEncodedQuery ?? "")
    }

    /// A local path to return to after signing in, or nil for anything that could leave the site.
    ///
    /// Browsers drop tabs and line breaks from a Location and read a backslash as a slash, so `/\t/evil.example`
    /// or `/\\evil.example` would go off-site: the path must hold no control characters, white space or
    /// backslashes, and must not start with `//`, before or after percent-decoding.
    static func safeNext(_ text: String?) -> String? {
        guard let text, text.utf8.count <= 2_000 else { return nil }
        func isSafe(_ path: String) -> Bool {
            path.hasPrefix("/") && !path.hasPrefix("//") && !path.contains("\\")
                && !BoundedInput.hasControlCharacters(path)
        }
        guard isSafe(text), !text.unicodeScalars.contains(where: { $0.properties.isWhitespace }),
            let decoded = text.removingPercentEncoding, isSafe(decoded)
        else { return nil }
        // A scheme can only come before the first slash, and the path starts with one, so none can follow.
        return text
    }
}

extension Application {
    /// Fails if any route was registered without an access rule.
    func checkEveryRouteHasAnAccessRule() throws {
        let missing = routes.all.filter { $0.access == nil }
        guard missing.isEmpty else {
            throw Abort(
                .internalServerError,
                reason: "Routes without an access rule: "
                    + missing.map { "\($0.method.rawValue) /\($0.path.string)" }.joined(separator: ", "))
        }
    }
}

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
    static func safeNext(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"),
            !text.contains(where: { $0.isNewline })
        else { return nil }
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

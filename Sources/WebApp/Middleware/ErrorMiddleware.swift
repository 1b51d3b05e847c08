import Domain
import Pages
import Persistence
import Vapor

/// Turns every error into the right status and body, in one place: an HTML page for people,
/// `{"error": ..., "reason": ..., "problems": [...]}` for the API.
struct ErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return Self.response(for: error, request: request)
        }
    }

    static func response(for error: any Error, request: Request) -> Response {
        let status: HTTPResponseStatus
        let reason: String
        var problems: [ValidationError.Problem] = []
        switch error {
        case let e as ValidationError:
            status = .badRequest
            reason = "The request has invalid values: \(e.description)."
            problems = e.problems
        case let e as DecodingError:
            // In words a person can act on, not the decoder's description of Swift types.
            status = .badRequest
            problems = [Self.problem(e)]
            reason = "The request could not be read: \(problems[0].field) \(problems[0].message)."
        case let e as any AbortError:
            status = e.status
            reason = e.reason
        case let e where LockWait.isBusy(e):
            status = .serviceUnavailable
            reason =
                "The database is busy with another change (an import, say) and did not finish within \(LockWait.seconds) seconds. Nothing was changed: please try again in a moment."
        default:
            status = .internalServerError
            reason = "Something went wrong on our side. It has been logged."
        }
        if status.code >= 500 { request.logger.report(error: error) }
        let retryAfter = LockWait.isBusy(error) ? String(LockWait.seconds) : nil
        if request.url.path.hasPrefix("/api/") || request.url.path == "/healthz" {
            let body = APIErrorDTO(
                error: status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"), reason: reason,
                problems: problems.isEmpty ? nil : problems.map { .init(field: $0.field, message: $0.message) })
            let response = Response(status: status)
            if let abort = error as? any AbortError {
                for (name, value) in abort.headers { response.headers.replaceOrAdd(name: name, value: value) }
            }
            try? response.content.encode(body, as: .json)
            if let retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: retryAfter) }
            return response
        }
        var headers = HTTPHeaders()
        if let abort = error as? any AbortError { headers = abort.headers }
        let response = HTMLResponse.make(
            ErrorPage.html(status: Int(status.code), reason: reason, chrome: request.chrome), status: status)
        for (name, value) in headers where name.lowercased() != "content-type" {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        if let retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: retryAfter) }
        return response
    }
}

extension ErrorMiddleware {
    static func problem(_ error: DecodingError) -> ValidationError.Problem {
        func field(_ path: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = (path + (last.map { [$0] } ?? [])).map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "the body" : keys.joined(separator: ".")
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is any BinaryInteger.Type: "a whole number"
            case is any BinaryFloatingPoint.Type: "a number"
            case is Bool.Type: "true or false"
            case is String.Type: "text"
            default: "a value of the expected kind"
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(field: field(context.codingPath, key), message: "is missing")
        case .valueNotFound(let type, let context):
            return .init(field: field(context.codingPath), message: "is empty; it must be \(kind(type))")
        case .typeMismatch(let type, let context):
            return .init(field: field(context.codingPath), message: "must be \(kind(type))")
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? .init(field: "the body", message: "is not well-formed (JSON or form data, as the Content-Type says)")
                : .init(field: field(context.codingPath), message: "has a value that cannot be read")
        @unknown default:
            return .init(field: "the body", message: "cannot be read")
        }
    }
}

struct APIErrorDTO: Content {
    struct Problem: Content {
        let field: String
        let message: String
    }

    let error: String
    let reason: String
    let problems: [Problem]?
}

/// Headers that every response carries.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(
            name: "Content-Security-Policy",
            value:
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"
        )
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        // The id Vapor puts in every log line of this request, so a person's report can be found in the log.
        response.headers.replaceOrAdd(name: "X-Request-Id", value: request.id)
        // What a signed-in person sees may hold personal data: no browser or proxy may keep a copy.
        if request.identity != nil, !(response.headers.first(name: .cacheControl) ?? "").contains("public") {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }
}

/// A method the path does not take is 405 Method Not Allowed with an Allow header naming those it does, not 404:
/// the address exists.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.route == nil else { return try await next.respond(to: request) }
        let parts = request.url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var allowed = Set<String>()
        for route in request.application.routes.all where Self.matches(route.path, parts) {
            allowed.insert(route.method.rawValue)
            if route.method == .GET { allowed.insert("HEAD") }
        }
        guard !allowed.isEmpty else { return try await next.respond(to: request) }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .allow, value: allowed.sorted().joined(separator: ", "))
        throw Abort(
            .methodNotAllowed, headers: headers,
            reason:
                "\(request.method.rawValue) is not accepted here; use \(allowed.sorted().joined(separator: " or ")).")
    }

    static func matches(_ pattern: [PathComponent], _ parts: [String]) -> Bool {
        if case .catchall = pattern.last { return parts.count >= pattern.count - 1 }
        guard pattern.count == parts.count else { return false }
        for (component, part) in zip(pattern, parts) {
            switch component {
            case .constant(let c) where c != part: return false
            default: continue
            }
        }
        return true
    }
}

/// A NUL character is never meant in any field and PostgreSQL cannot hold it in text, so a query string (here,
/// for every route, pages and API alike) or a form body (in `CSRFMiddleware`, which reads bodies) holding one is a
/// 400 naming the field, before any handler can pass it to the database.
struct NulCharacterMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let query = request.url.query, let field = Self.field(inEncoded: query) {
            throw Abort(
                .badRequest,
                reason:
                    "The address's \(field) holds a NUL character, which no field can contain. Remove it and try again."
            )
        }
        return try await next.respond(to: request)
    }

    /// How the first field of URL-encoded text holding a NUL is named in a message ("field 'q'", "a field name"),
    /// or nil when the text holds none.
    static func field(inEncoded text: String) -> String? {
        func hasNul(_ s: Substring) -> Bool { s.range(of: "%00", options: .caseInsensitive) != nil }
        guard hasNul(Substring(text)) else { return nil }
        for part in text.split(separator: "&") {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if hasNul(pair[0]) { return "a field name" }
            if pair.count == 2, hasNul(pair[1]) {
                let name = String(pair[0]).replacingOccurrences(of: "+", with: " ")
                return "field \(BoundedInput.quote(name.removingPercentEncoding ?? name))"
            }
        }
        return "a field"
    }
}

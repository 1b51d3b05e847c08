import Domain
import Pages
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
        case let e as any AbortError:
            status = e.status
            reason = e.reason
        default:
            status = .internalServerError
            reason = "Something went wrong on our side. It has been logged."
        }
        if status.code >= 500 { request.logger.report(error: error) }
        if request.url.path.hasPrefix("/api/") || request.url.path == "/healthz" {
            let body = APIErrorDTO(
                error: status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"), reason: reason,
                problems: problems.isEmpty ? nil : problems.map { .init(field: $0.field, message: $0.message) })
            let response = Response(status: status)
            if let abort = error as? any AbortError {
                for (name, value) in abort.headers { response.headers.replaceOrAdd(name: name, value: value) }
            }
            try? response.content.encode(body, as: .json)
            return response
        }
        var headers = HTTPHeaders()
        if let abort = error as? any AbortError { headers = abort.headers }
        let response = HTMLResponse.make(
            ErrorPage.html(status: Int(status.code), reason: reason, chrome: request.chrome), status: status)
        for (name, value) in headers where name.lowercased() != "content-type" {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        return response
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
        return response
    }
}

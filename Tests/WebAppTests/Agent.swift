import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import Domain
@testable import Persistence
@testable import WebApp

/// A clock tests can move forward.
final class TestClock: Sendable {
    private let current = NIOLockedValueBox(Date(timeIntervalSince1970: 1_795_000_000))

    var now: Date { current.withLockedValue { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLockedValue { $0 += seconds } }

    func install(on app: Application) { app.clock = AppClock { [self] in now } }
}

/// A browser without a browser: keeps cookies between requests, finds each page's CSRF token, posts forms.
final class Agent {
    let app: Application
    var cookies: [String: String] = [:]
    var bearer: String?

    init(_ app: Application) { self.app = app }

    struct Reply {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: String

        var location: String? { headers.first(name: .location) }
        var object: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }
        /// The CSRF token of the page's first form.
        var csrf: String? { Agent.field("csrf_token", in: body) }
    }

    static func field(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    @discardableResult
    func request(
        _ method: HTTPMethod, _ path: String, form: [String: String]? = nil, headers extra: HTTPHeaders = [:],
        raw: String? = nil, contentType: String? = nil
    ) async throws -> Reply {
        var reply: Reply?
        let cookieHeader = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        let bearer = bearer
        try await app.testing().test(
            method, path,
            beforeRequest: { req in
                if !cookieHeader.isEmpty { req.headers.replaceOrAdd(name: .cookie, value: cookieHeader) }
                if let bearer { req.headers.bearerAuthorization = BearerAuthorization(token: bearer) }
                for (name, value) in extra { req.headers.replaceOrAdd(name: name, value: value) }
                if let form { try req.content.encode(form, as: .urlEncodedForm) }
                if let raw {
                    req.body = ByteBuffer(string: raw)
                    req.headers.replaceOrAdd(name: .contentType, value: contentType ?? "text/plain")
                }
            },
            afterResponse: { res in
                reply = Reply(status: res.status, headers: res.headers, body: String(buffer: res.body))
            })
        for header in reply!.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[1].isEmpty || header.lowercased().contains("max-age=0")
                || header.lowercased().contains("expires=thu, 01 jan 1970")
            {
                cookies[parts[0]] = nil
            } else {
                cookies[parts[0]] = parts[1]
            }
        }
        return reply!
    }

    func get(_ path: String) async throws -> Reply { try await request(.GET, path) }

    /// Opens `page` to pick up its CSRF token, then posts the form with it.
    @discardableResult
    func submit(_ path: String, from page: String, _ form: [String: String]) async throws -> Reply {
        let token = try #require(try await get(page).csrf, "no form on \(page)")
        return try await request(.POST, path, form: form.merging(["csrf_token": token]) { a, _ in a })
    }

    @discardableResult
    func signIn(_ email: String, _ password: String) async throws -> Reply {
        try await submit("/sign-in", from: "/sign-in", ["email": email, "password": password])
    }
}

extension Application {
    /// The demo account for a role (created with the seed, with its password).
    func demo(_ role: Role) throws -> DemoAccounts.Account {
        try #require(demoAccounts.first { $0.role == role })
    }

    func person(email: String) async throws -> Person {
        try #require(try await PeopleStore(db).credentials(email: email)?.person)
    }

    func outbox() async throws -> [Outbox.Message] { try await Outbox(db).recent() }

    /// The token of the newest link in the outbox sent to the address.
    func newestLink(to email: String) async throws -> String {
        let message = try #require(try await outbox().first { $0.recipient == email })
        let range = try #require(message.body.range(of: "/links/"))
        return String(message.body[range.upperBound...].prefix { !$0.isWhitespace })
    }
}

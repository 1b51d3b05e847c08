import Fluent
import FluentPostgresDriver
import Foundation
import Persistence
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import WebApp

/// Paths to the repository and the shared data folder beside it.
enum Paths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sharedData = repository.deletingLastPathComponent().appendingPathComponent("shared/data")

    static func shared(_ relative: String) -> String { sharedData.appendingPathComponent(relative).path }
}

/// Runs `body` with a migrated application on its own database: a temporary SQLite file by default, or a new
/// PostgreSQL database on the server named by `DATABASE_URL`. The database is deleted afterwards.
func withTestApp(seed: Bool = false, workforce: Bool = false, _ body: (Application) async throws -> Void) async throws {
    let (location, cleanup) = try await TestDatabase.make()
    let app = try await Application.make(.testing)
    do {
        var config = AppConfiguration(
            database: location, logLevel: .warning, seedDemoData: seed, passwordCost: 4, seedPostcodes: false,
            seedWorkforce: workforce)
        // A third of the region's schools (and every member school): the same shape, a lighter load on the shared
        // test database server.
        config.workforceSampleEvery = 3
        // A demo recruitment cycle of 600 choices (2,000 in use): the same three providers and shape.
        config.demoApplicationChoices = 600
        try await configure(app, config)
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        try? await cleanup()
        throw error
    }
    try await app.asyncShutdown()
    try await cleanup()
}

enum TestDatabase {
    static var serverURL: String? {
        let url = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
        return url.hasPrefix("postgres") ? url : nil
    }

    static func make() async throws -> (DatabaseLocation, @Sendable () async throws -> Void) {
        if let server = serverURL {
            let name = "chalkface_test_\(UUID().uuidString.filter(\.isHexDigit).prefix(16).lowercased())"
            try await admin(server, "CREATE DATABASE \(name)")
            var components = URLComponents(string: server)!
            components.path = "/\(name)"
            let url = components.string!
            return (.postgres(url: url), { try await admin(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") })
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "chalkface-test-\(UUID().uuidString).sqlite"
        ).path
        return (
            .sqlite(path: path),
            {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        )
    }

    /// Runs one statement on the server's maintenance database.
    static func admin(_ server: String, _ statement: String) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            app.databases.use(try .postgres(url: server), as: .psql)
            try await (app.db as! any SQLDatabase).raw(SQLQueryString(statement)).run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

extension Application {
    /// A GET through the whole middleware stack, without a network.
    func get(_ path: String) async throws -> TestingHTTPResponse {
        var result: TestingHTTPResponse?
        try await testing().test(.GET, path) { res in result = res }
        return result!
    }
}

extension TestingHTTPResponse {
    func json<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: Data(buffer: body))
    }

    var text: String { String(buffer: body) }

    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}

import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

/// Where Chalkface keeps its data, read from `DATABASE_URL`.
public enum DatabaseLocation: Hashable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public static let defaultSQLitePath = "chalkface.sqlite"

    /// `postgres://` or `postgresql://` selects PostgreSQL; `sqlite:PATH` or a plain path selects a SQLite file;
    /// unset or empty means `./chalkface.sqlite`.
    public init(environmentValue value: String?) throws(ConfigurationError) {
        let text = value?.trimmingCharacters(in: .whitespaces) ?? ""
        if text.isEmpty {
            self = .sqlite(path: Self.defaultSQLitePath)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let url = URL(string: text), url.host != nil else {
                throw ConfigurationError(
                    "DATABASE_URL is not a valid PostgreSQL URL (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
            }
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else {
                throw ConfigurationError("DATABASE_URL sqlite: needs a file path, e.g. sqlite:data/chalkface.sqlite")
            }
            self = .sqlite(path: path)
        } else if text.contains("://") {
            throw ConfigurationError(
                "DATABASE_URL must start with postgres:// or sqlite:, or be a file path; got \(text.prefix(20))...")
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The Fluent configuration for this location.
    public var configuration: DatabaseConfigurationFactory {
        get throws {
            switch self {
            case .sqlite(let path):
                return .sqlite(.file(path), maxConnectionsPerEventLoop: 1)
            case .postgres(let url):
                var configuration = try SQLPostgresConfiguration(url: url)
                // Waiting for a lock held elsewhere ends after a bounded time (`LockWait`).
                configuration.coreConfiguration.options.additionalStartupParameters.append(
                    ("lock_timeout", "\(LockWait.seconds)s"))
                return .postgres(configuration: configuration, maxConnectionsPerEventLoop: 8)
            }
        }
    }

    public var databaseID: DatabaseID {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .psql
        }
    }

    /// Where the data is, with any password hidden.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite file \(path)"
        case .postgres(let url):
            if var c = URLComponents(string: url) {
                if c.password != nil { c.password = "***" }
                return "PostgreSQL \(c.string ?? "")"
            }
            return "PostgreSQL"
        }
    }
}

/// A setting that cannot be used, with a message that says how to fix it.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Database {
    /// The SQL interface of the database: both drivers provide one.
    var sql: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else {
                throw ConfigurationError("The database does not speak SQL")
            }
            return sql
        }
    }
}

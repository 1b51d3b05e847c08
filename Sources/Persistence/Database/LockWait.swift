import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOCore
import SQLKit

/// How long a request or command waits for a write lock held elsewhere (an import in another process, a backup,
/// a long change) before giving up with `DatabaseBusy`, instead of hanging until the client gives up.
///
/// SQLite: sqlite-nio installs a busy handler that retries for ever, spinning a thread. `PRAGMA busy_timeout`
/// replaces it, per connection, with SQLite's own bounded wait. Fluent opens one SQLite connection per event loop
/// and keeps it, so `apply` sets it on each loop's connection once, at start.
/// PostgreSQL: `lock_timeout` is sent as a start-up parameter of every connection (`DatabaseLocation`).
public enum LockWait {
    public static let seconds = 5

    /// Sets the bounded wait on every SQLite connection of the pool (a no-op for PostgreSQL, whose connections
    /// carry it from the start).
    public static func apply(
        _ databases: Databases, id: DatabaseID, eventLoops: any EventLoopGroup, logger: Logger
    ) async throws {
        guard id == .sqlite else { return }
        for loop in eventLoops.makeIterator() {
            guard let sql = databases.database(id, logger: logger, on: loop) as? any SQLDatabase else { continue }
            try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(seconds * 1000))").run()
        }
    }

    /// Whether `error` is the database refusing to wait longer for a lock: SQLite's SQLITE_BUSY or SQLITE_LOCKED,
    /// PostgreSQL's lock_not_available (55P03).
    public static func isBusy(_ error: any Error) -> Bool {
        if let e = error as? SQLiteError {
            switch e.reason {
            case .busy, .busyTimeout, .locked, .busyInRecovery, .busyInSnapshot: return true
            default: return false
            }
        }
        if let e = error as? PSQLError, e.code == .server, e.serverInfo?[.sqlState] == "55P03" { return true }
        return false
    }

    /// Whether `error` is a unique constraint refusing a second row: SQLite's SQLITE_CONSTRAINT_UNIQUE,
    /// PostgreSQL's unique_violation (23505).
    public static func isUniqueViolation(_ error: any Error) -> Bool {
        if let e = error as? SQLiteError {
            return e.reason == .constraintUniqueFailed || e.reason == .constraintPrimaryKeyFailed
        }
        if let e = error as? PSQLError, e.code == .server, e.serverInfo?[.sqlState] == "23505" { return true }
        return false
    }
}

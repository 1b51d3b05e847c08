import FluentKit
import Foundation
import SQLKit

/// Consistent snapshots of the whole database, taken while Chalkface serves, and restoring one into an empty
/// database.
///
/// SQLite: `VACUUM INTO` writes a complete, consistent copy of the database as one file from within a read
/// transaction, so writers carry on (write-ahead logging) and the copy never holds half an import. Restoring checks
/// the file is an intact SQLite database with Chalkface's tables, then moves it into place atomically.
/// PostgreSQL: `pg_dump --format=custom` (one consistent snapshot) and `pg_restore`, found on the machine; a clear
/// error names what is missing when they are not installed. A backup restores into the same kind of database.
public enum Backup {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Writes a snapshot of the database to `file` (which must not exist yet).
    public static func write(_ location: DatabaseLocation, database: any Database, to file: String) async throws {
        guard !FileManager.default.fileExists(atPath: file) else {
            throw Failure("\(file) exists already: choose a new file name, so no earlier backup is overwritten")
        }
        switch location {
        case .sqlite:
            let escaped = file.replacingOccurrences(of: "'", with: "''")
            try await database.sql.raw(SQLQueryString("VACUUM INTO '\(unsafeRaw: escaped)'")).run()
        case .postgres(let url):
            let connection = try PostgresConnection(url)
            try run(
                try tool("pg_dump"),
                ["--format=custom", "--no-owner", "--file", file, "--dbname", connection.urlWithoutPassword],
                password: connection.password)
        }
    }

    /// Restores `file` into the database, which must hold no Chalkface tables yet (a fresh database), unless
    /// `replace`, when SQLite's file is swapped whole and PostgreSQL's objects are dropped and recreated.
    public static func restore(
        _ location: DatabaseLocation, from file: String, replace: Bool, isEmpty: () async throws -> Bool
    ) async throws {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw Failure("\(file): no such file, or it cannot be read")
        }
        if !replace, !(try await isEmpty()) {
            throw Failure(
                "the database (\(location)) already holds Chalkface's data; restore into a new, empty database, or pass --replace to overwrite everything in it"
            )
        }
        switch location {
        case .sqlite(let path):
            let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: file)).read(upToCount: 16) ?? Data()
            guard header == Data("SQLite format 3\u{0}".utf8) else {
                throw Failure(
                    "\(file) is not a SQLite backup (a PostgreSQL backup restores only into PostgreSQL: set DATABASE_URL)"
                )
            }
            // Copy beside the target, then rename over it: the target is either the old or the new database.
            let staging = path + ".restoring"
            try? FileManager.default.removeItem(atPath: staging)
            try FileManager.default.copyItem(atPath: file, toPath: staging)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            guard rename(staging, path) == 0 else {
                throw Failure("cannot move the restored database into place at \(path) (error \(errno))")
            }
        case .postgres(let url):
            let connection = try PostgresConnection(url)
            var arguments = [
                "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", connection.urlWithoutPassword,
            ]
            if replace { arguments += ["--clean", "--if-exists"] }
            try run(try tool("pg_restore"), arguments + [file], password: connection.password)
        }
    }

    /// The PostgreSQL client tool, from PATH or Debian's versioned folders.
    static func tool(_ name: String) throws -> String {
        var candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map {
            "\($0)/\(name)"
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }.map {
            "/usr/lib/postgresql/\($0)/bin/\(name)"
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(
                "\(name) is not installed on this machine: install PostgreSQL's client tools (Debian: apt-get install postgresql-client) and try again"
            )
        }
        return found
    }

    static func run(_ executable: String, _ arguments: [String], password: String?) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // The password goes through the environment, never the command line that `ps` shows.
        if let password { environment["PGPASSWORD"] = password }
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure("\((executable as NSString).lastPathComponent) failed: \(text.prefix(2_000))")
        }
    }

    struct PostgresConnection {
        let urlWithoutPassword: String
        let password: String?

        init(_ url: String) throws {
            guard var c = URLComponents(string: url) else { throw Failure("DATABASE_URL is not a URL") }
            password = c.password
            c.password = nil
            if c.scheme == "postgres" { c.scheme = "postgresql" }
            guard let text = c.string else { throw Failure("DATABASE_URL is not a URL") }
            urlWithoutPassword = text
        }
    }
}

/// Row counts and a checksum of every table's contents: two databases with equal fingerprints hold the same data.
public struct DatabaseFingerprint: Equatable, Sendable, CustomStringConvertible {
    public struct Table: Equatable, Sendable {
        public let name: String
        public let rows: Int
        public let checksum: UInt64
    }

    public let tables: [Table]

    public var description: String {
        tables.map { "\($0.name): \($0.rows) rows, checksum \(String($0.checksum, radix: 16))" }.joined(
            separator: "\n")
    }

    /// Reads every table except the migration log's timestamps, which differ by when a migration ran.
    public static func read(_ database: any Database, tables include: (String) -> Bool = { _ in true }) async throws
        -> DatabaseFingerprint
    {
        let sql = try database.sql
        let names: [String]
        if sql.dialect.name == "sqlite" {
            names = try await sql.raw(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).all(decodingColumn: "name", as: String.self)
        } else {
            names = try await sql.raw(
                "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            ).all(decodingColumn: "name", as: String.self)
        }
        var tables: [Table] = []
        for name in names where include(name) {
            let rows = try await sql.select().column(SQLLiteral.all).from(name).all()
            var lines: [String] = []
            lines.reserveCapacity(rows.count)
            for row in rows {
                var fields: [String] = []
                for column in row.allColumns.sorted() {
                    if name == "_fluent_migrations", column == "created_at" || column == "updated_at" { continue }
                    fields.append(column + "=" + text(row, column))
                }
                lines.append(fields.joined(separator: "\u{1F}"))
            }
            lines.sort()
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for line in lines {
                for byte in line.utf8 {
                    hash ^= UInt64(byte)
                    hash = hash &* 0x0100_0000_01b3
                }
                hash ^= 0x0A
                hash = hash &* 0x0100_0000_01b3
            }
            tables.append(Table(name: name, rows: rows.count, checksum: hash))
        }
        return DatabaseFingerprint(tables: tables)
    }

    /// A column's value as text, whatever its type.
    static func text(_ row: any SQLRow, _ column: String) -> String {
        if (try? row.decodeNil(column: column)) == true { return "NULL" }
        if let v = try? row.decode(column: column, as: String.self) { return "s:" + v }
        if let v = try? row.decode(column: column, as: Int64.self) { return "i:\(v)" }
        if let v = try? row.decode(column: column, as: Double.self) { return "d:\(v)" }
        if let v = try? row.decode(column: column, as: Bool.self) { return "b:\(v)" }
        if let v = try? row.decode(column: column, as: UUID.self) { return "u:\(v.uuidString)" }
        if let v = try? row.decode(column: column, as: Date.self) { return "t:\(v.timeIntervalSince1970)" }
        if let v = try? row.decode(column: column, as: Data.self) { return "x:\(v.base64EncodedString())" }
        return "?"
    }
}

extension Backup {
    /// Whether the database holds none of Chalkface's data (no migrations have run).
    public static func isEmpty(_ database: any Database) async throws -> Bool {
        let sql = try database.sql
        let query: SQLQueryString =
            sql.dialect.name == "sqlite"
            ? "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'"
            : "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '_fluent_migrations'"
        let tables = try await sql.raw(query).first(decodingColumn: "n", as: Int.self) ?? 0
        guard tables > 0 else { return true }
        return try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(
            "_fluent_migrations"
        ).first(decodingColumn: "n", as: Int.self) == 0
    }
}

import Persistence
import Vapor

/// Everything Chalkface reads from the environment, read once at start.
public struct AppConfiguration: Sendable {
    public var database: DatabaseLocation
    public var hostname: String
    public var port: Int
    public var logLevel: Logger.Level
    /// Load the bundled regional schools and demo partnership into an empty database.
    public var seedDemoData: Bool

    public init(
        database: DatabaseLocation, hostname: String = "127.0.0.1", port: Int = 8080, logLevel: Logger.Level = .info,
        seedDemoData: Bool = true
    ) {
        self.database = database
        self.hostname = hostname
        self.port = port
        self.logLevel = logLevel
        self.seedDemoData = seedDemoData
    }

    /// Reads `DATABASE_URL`, `HOSTNAME`, `PORT` and `LOG_LEVEL`; fails with one message naming every bad setting.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws
        -> AppConfiguration
    {
        var problems: [String] = []
        var database = DatabaseLocation.sqlite(path: DatabaseLocation.defaultSQLitePath)
        do {
            database = try DatabaseLocation(environmentValue: env["DATABASE_URL"])
        } catch {
            problems.append(error.message)
        }
        var port = 8080
        if let text = env["PORT"], !text.isEmpty {
            if let p = Int(text), (1...65535).contains(p) {
                port = p
            } else {
                problems.append("PORT must be a number from 1 to 65535; got '\(text)'")
            }
        }
        var level = Logger.Level.info
        if let text = env["LOG_LEVEL"], !text.isEmpty {
            if let l = Logger.Level(rawValue: text.lowercased()) {
                level = l
            } else {
                problems.append(
                    "LOG_LEVEL must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'"
                )
            }
        }
        guard problems.isEmpty else { throw ConfigurationError(problems.joined(separator: "\n")) }
        return AppConfiguration(database: database, port: port, logLevel: level)
    }
}

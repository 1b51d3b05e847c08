import Domain
import Persistence
import Vapor

/// Everything Chalkface reads from the environment, read once at start.
public struct AppConfiguration: Sendable {
    public var database: DatabaseLocation
    public var hostname: String
    public var port: Int
    public var logLevel: Logger.Level
    /// Load the bundled regional schools and demo partnership into an empty database: in development only, never
    /// with `CHALKFACE_ENV=production`.
    public var seedDemoData: Bool
    /// With the demo data, also load the pilot regions' postcodes into an empty postcode table (tests skip it).
    public var seedPostcodes: Bool
    /// With the demo data, also generate the demo workforce into an empty teacher register (most tests skip it).
    public var seedWorkforce: Bool
    /// The demo workforce staffs every k-th school (and the partnership's member schools): 1, the whole region, in
    /// use; the test suite uses a smaller workforce of the same shape.
    public var workforceSampleEvery: Int = 1
    /// How many application choices the demo recruitment cycle has: about 2,000 in use; the test suite uses a
    /// smaller cycle of the same shape.
    public var demoApplicationChoices: Int = 2_000
    /// `PUBLIC_URL`: the address people use to reach Chalkface, when it is not the one it listens on.
    public var publicURLSetting: String?
    /// The address people use to reach Chalkface, for links in email; `https://` also makes cookies Secure.
    public var publicURL: String { publicURLSetting ?? "http://\(hostname):\(port)" }
    /// In production the outbox page is hidden and email bodies (which hold links) are not logged.
    public var isProduction: Bool
    /// bcrypt's cost factor: 12 in use; tests lower it to keep the suite fast.
    public var passwordCost: Int
    /// `TRUSTED_PROXIES`: the reverse proxies whose `X-Forwarded-For` gives the client's address.
    public var trustedProxies: TrustedProxies = .none
    /// `METRICS_TOKEN`: a bearer token that may read `/metrics` from elsewhere than this machine.
    public var metricsToken: String?
    /// `LOG_FORMAT`: `text` (the default) or `json`, one object per line.
    public var logFormat: LogFormat = .text

    public enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    public init(
        database: DatabaseLocation, hostname: String = "127.0.0.1", port: Int = 8080, logLevel: Logger.Level = .info,
        seedDemoData: Bool = true, publicURL: String? = nil, isProduction: Bool = false, passwordCost: Int = 12,
        seedPostcodes: Bool = true, seedWorkforce: Bool = true
    ) {
        self.seedPostcodes = seedPostcodes
        self.seedWorkforce = seedWorkforce
        self.database = database
        self.hostname = hostname
        self.port = port
        self.logLevel = logLevel
        self.seedDemoData = seedDemoData
        self.publicURLSetting = publicURL
        self.isProduction = isProduction
        self.passwordCost = passwordCost
    }

    /// Reads `DATABASE_URL`, `PORT`, `LOG_LEVEL`, `PUBLIC_URL`, `CHALKFACE_ENV` and `TRUSTED_PROXIES`; fails with
    /// one message naming every bad setting.
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
        var publicURL: String?
        if let text = env["PUBLIC_URL"], !text.isEmpty {
            if let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil {
                publicURL = text.hasSuffix("/") ? String(text.dropLast()) : text
            } else {
                problems.append("PUBLIC_URL must be an http:// or https:// address; got '\(text)'")
            }
        }
        var production = false
        if let text = env["CHALKFACE_ENV"], !text.isEmpty {
            switch text.lowercased() {
            case "production": production = true
            case "development": production = false
            default: problems.append("CHALKFACE_ENV must be development or production; got '\(text)'")
            }
        }
        var proxies = TrustedProxies.none
        do {
            proxies = try TrustedProxies(parsing: env["TRUSTED_PROXIES"] ?? "")
        } catch {
            problems += error.problems.map { "TRUSTED_PROXIES: \($0.message)" }
        }
        var logFormat = LogFormat.text
        if let text = env["LOG_FORMAT"], !text.isEmpty {
            if let f = LogFormat(rawValue: text.lowercased()) {
                logFormat = f
            } else {
                problems.append("LOG_FORMAT must be text or json; got '\(text.prefix(40))'")
            }
        }
        var metricsToken: String?
        if let text = env["METRICS_TOKEN"], !text.isEmpty {
            if text.count >= 24, !text.contains(where: { $0.isWhitespace }) {
                metricsToken = text
            } else {
                problems.append("METRICS_TOKEN must be at least 24 characters without spaces")
            }
        }
        guard problems.isEmpty else { throw ConfigurationError(problems.joined(separator: "\n")) }
        var configuration = AppConfiguration(
            database: database, port: port, logLevel: level, publicURL: publicURL, isProduction: production)
        configuration.trustedProxies = proxies
        configuration.logFormat = logFormat
        configuration.metricsToken = metricsToken
        // Demo people, organisations and accounts are for trying Chalkface out; a real partnership starts empty.
        configuration.seedDemoData = !production
        return configuration
    }
}

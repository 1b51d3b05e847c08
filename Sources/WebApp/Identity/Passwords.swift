import Vapor

/// bcrypt hashing on the thread pool, so a sign-in does not hold up an event loop.
enum Passwords {
    static func hash(_ password: String, _ app: Application) async throws -> String {
        let cost = app.configuration?.passwordCost ?? 12
        return try await app.threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against a stored hash. With no hash (no such account), hashes anyway, so that the time
    /// taken does not tell an attacker whether the email address has an account.
    static func verify(_ password: String, hash: String?, _ app: Application) async throws -> Bool {
        guard let hash else {
            _ = try await Self.hash(password, app)
            return false
        }
        return try await app.threadPool.runIfActive { try Bcrypt.verify(password, created: hash) }
    }
}

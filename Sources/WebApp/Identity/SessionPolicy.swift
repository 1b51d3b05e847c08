import Foundation

/// How long a signed-in session lasts.
enum SessionPolicy {
    /// Signed out after this long without a request.
    static let idleTimeout: TimeInterval = 30 * 60
    /// Signed out this long after signing in, however active.
    static let absoluteTimeout: TimeInterval = 12 * 3600
    /// The last-seen time is written at most this often, to spare the database.
    static let touchInterval: TimeInterval = 60

    static let cookieName = "chalkface_session"
    static let csrfCookieName = "chalkface_csrf"
}

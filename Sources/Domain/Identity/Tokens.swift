import Foundation

/// What a personal API token may do.
public enum TokenScope: String, Codable, Sendable, CaseIterable {
    case read
    case readWrite = "read-write"

    public var label: String { self == .read ? "Read only" : "Read and write" }

    /// Whether a request with this HTTP method is within the scope.
    public func permits(method: String) -> Bool {
        self == .readWrite || ["GET", "HEAD", "OPTIONS"].contains(method.uppercased())
    }
}

/// A personal API token as its owner sees it (never the secret, which is shown once and stored hashed).
public struct APIToken: Hashable, Codable, Sendable, Identifiable {
    public var id: UUID
    public var person: PersonID
    public var name: String
    public var scope: TokenScope
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?
    public var lastUsedAt: Date?

    public init(
        id: UUID, person: PersonID, name: String, scope: TokenScope, createdAt: Date, expiresAt: Date,
        revokedAt: Date? = nil, lastUsedAt: Date? = nil
    ) {
        self.id = id
        self.person = person
        self.name = name
        self.scope = scope
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    public func isUsable(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }

    /// How long a new token may last, as offered on the form.
    public static let lifetimes: [(days: Int, label: String)] = [
        (7, "7 days"), (30, "30 days"), (90, "90 days"), (365, "1 year"),
    ]
}

/// What a single-use link is for.
public enum LinkPurpose: String, Codable, Sendable {
    /// A new person chooses their first password.
    case invitation
    /// Someone who forgot their password chooses a new one.
    case passwordReset = "password-reset"

    /// How long the link works.
    public var lifetime: TimeInterval {
        switch self {
        case .invitation: 7 * 24 * 3600
        case .passwordReset: 3600
        }
    }
}

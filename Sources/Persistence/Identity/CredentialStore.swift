import Domain
import FluentKit
import Foundation
import SQLKit

/// A signed-in session as stored: found by the hash of the cookie's secret.
public struct StoredSession: Hashable, Sendable {
    public var id: UUID
    public var person: PersonID
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var address: String?
    public var userAgent: String?
}

/// Sessions, single-use links, API tokens and sign-in failure counts. Secrets are never stored: only their
/// SHA-256 hashes, so a copy of the database cannot be used to sign in.
public struct CredentialStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    // MARK: Sessions

    public func createSession(
        person: PersonID, tokenHash: String, csrfToken: String, now: Date, address: String?, userAgent: String?
    ) async throws {
        let model = SessionModel()
        model.id = UUID()
        model.tokenHash = tokenHash
        model.personID = person.rawValue
        model.csrfToken = csrfToken
        model.createdAt = now
        model.lastSeenAt = now
        model.address = address
        model.userAgent = userAgent.map { String($0.prefix(300)) }
        try await model.create(on: database)
    }

    public func session(tokenHash: String) async throws -> StoredSession? {
        try await SessionModel.query(on: database).filter(\.$tokenHash == tokenHash).first().map(Self.stored)
    }

    public func sessions(of person: PersonID) async throws -> [StoredSession] {
        try await SessionModel.query(on: database).filter(\.$personID == person.rawValue).sort(\.$createdAt).all()
            .map(Self.stored)
    }

    static func stored(_ m: SessionModel) -> StoredSession {
        StoredSession(
            id: m.id!, person: PersonID(m.personID), csrfToken: m.csrfToken, createdAt: m.createdAt,
            lastSeenAt: m.lastSeenAt, address: m.address, userAgent: m.userAgent)
    }

    public func touchSession(_ id: UUID, at now: Date) async throws {
        try await SessionModel.query(on: database).filter(\.$id == id).set(\.$lastSeenAt, to: now).update()
    }

    public func deleteSession(_ id: UUID) async throws {
        try await SessionModel.query(on: database).filter(\.$id == id).delete()
    }

    // MARK: Single-use links

    public func createLink(person: PersonID, tokenHash: String, purpose: LinkPurpose, now: Date) async throws {
        let model = OneTimeLinkModel()
        model.id = UUID()
        model.tokenHash = tokenHash
        model.personID = person.rawValue
        model.purpose = purpose.rawValue
        model.createdAt = now
        model.expiresAt = now.addingTimeInterval(purpose.lifetime)
        try await model.create(on: database)
    }

    /// Ends every unused link of the purpose for the person (a new invitation replaces the old one).
    public func expireLinks(of person: PersonID, purpose: LinkPurpose, now: Date) async throws {
        try await database.sql.update("one_time_links").set("expires_at", to: SQLBind(now))
            .where("person_id", .equal, SQLBind(person.rawValue)).where("purpose", .equal, SQLBind(purpose.rawValue))
            .where("used_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, SQLBind(now)).run()
    }

    public enum LinkState: Hashable, Sendable {
        case usable(person: PersonID, purpose: LinkPurpose)
        case used
        case expired
        case unknown
    }

    public func link(tokenHash: String, now: Date) async throws -> LinkState {
        guard let model = try await OneTimeLinkModel.query(on: database).filter(\.$tokenHash == tokenHash).first(),
            let purpose = LinkPurpose(rawValue: model.purpose)
        else { return .unknown }
        if model.usedAt != nil { return .used }
        if now >= model.expiresAt { return .expired }
        return .usable(person: PersonID(model.personID), purpose: purpose)
    }

    /// Marks the link used, if it still is usable; returns its state before. Run inside the transaction that
    /// acts on it, so a link can be used once only even by two requests at the same moment.
    public func consumeLink(tokenHash: String, now: Date) async throws -> LinkState {
        let state = try await link(tokenHash: tokenHash, now: now)
        guard case .usable = state else { return state }
        // Only the request whose UPDATE changes the row may use it: another may have got in between the two.
        let changed = try await database.sql.update("one_time_links").set("used_at", to: SQLBind(now))
            .where("token_hash", .equal, SQLBind(tokenHash)).where("used_at", .is, SQLLiteral.null)
            .returning("id").all()
        return changed.isEmpty ? .used : state
    }

    // MARK: API tokens

    public func createToken(_ token: APIToken, tokenHash: String) async throws {
        let model = APITokenModel()
        model.id = token.id
        model.personID = token.person.rawValue
        model.name = token.name
        model.tokenHash = tokenHash
        model.scope = token.scope.rawValue
        model.createdAt = token.createdAt
        model.expiresAt = token.expiresAt
        try await model.create(on: database)
    }

    public func tokens(of person: PersonID) async throws -> [APIToken] {
        try await APITokenModel.query(on: database).filter(\.$personID == person.rawValue)
            .sort(\.$createdAt, .descending).all().map { $0.toDomain() }
    }

    public func token(hash: String) async throws -> APIToken? {
        try await APITokenModel.query(on: database).filter(\.$tokenHash == hash).first()?.toDomain()
    }

    /// Revokes one of the person's tokens; nil when they have no such token.
    public func revokeToken(_ id: UUID, of person: PersonID, at now: Date) async throws -> APIToken? {
        guard
            let model = try await APITokenModel.query(on: database).filter(\.$id == id)
                .filter(\.$personID == person.rawValue).first()
        else { return nil }
        if model.revokedAt == nil {
            model.revokedAt = now
            try await model.update(on: database)
        }
        return model.toDomain()
    }

    public func touchToken(_ id: UUID, at now: Date) async throws {
        try await APITokenModel.query(on: database).filter(\.$id == id).set(\.$lastUsedAt, to: now).update()
    }

    // MARK: Sign-in failures

    public func failures(_ key: String) async throws -> SignInThrottle.State? {
        try await SignInFailureModel.find(key, on: database).map {
            SignInThrottle.State(failures: $0.failures, lastFailure: $0.lastFailureAt)
        }
    }

    public func setFailures(_ key: String, _ state: SignInThrottle.State) async throws {
        if let model = try await SignInFailureModel.find(key, on: database) {
            model.failures = state.failures
            model.lastFailureAt = state.lastFailure
            try await model.update(on: database)
        } else {
            let model = SignInFailureModel()
            model.id = key
            model.failures = state.failures
            model.lastFailureAt = state.lastFailure
            try await model.create(on: database)
        }
    }

    public func clearFailures(_ key: String) async throws {
        try await SignInFailureModel.query(on: database).filter(\.$id == key).delete()
    }
}

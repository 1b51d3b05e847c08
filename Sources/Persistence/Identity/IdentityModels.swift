import Domain
import FluentKit
import Foundation

final class PersonModel: Model, @unchecked Sendable {
    static let schema = "people"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @OptionalField(key: "password_hash") var passwordHash: String?
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_sign_in_at") var lastSignInAt: Date?
    @OptionalField(key: "erased_at") var erasedAt: Date?

    init() {}

    init(_ p: Person, passwordHash: String?) {
        id = p.id.rawValue
        name = p.name
        email = p.email
        self.passwordHash = passwordHash
        active = p.active
        createdAt = p.createdAt
        lastSignInAt = p.lastSignInAt
        erasedAt = p.erasedAt
    }

    func toDomain() -> Person {
        Person(
            id: PersonID(id!), name: name, email: email, active: active, hasPassword: passwordHash != nil,
            createdAt: createdAt, lastSignInAt: lastSignInAt, erasedAt: erasedAt)
    }
}

final class MembershipModel: Model, @unchecked Sendable {
    static let schema = "memberships"

    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "role") var role: String
    @Field(key: "since") var since: Date

    init() {}

    init(person: PersonID, organisation: OrganisationID, role: Role, since: Date) {
        id = UUID()
        personID = person.rawValue
        organisationID = organisation.rawValue
        self.role = role.rawValue
        self.since = since
    }
}

final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "person_id") var personID: UUID
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "user_agent") var userAgent: String?

    init() {}
}

final class OneTimeLinkModel: Model, @unchecked Sendable {
    static let schema = "one_time_links"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "person_id") var personID: UUID
    @Field(key: "purpose") var purpose: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}
}

final class OutboxModel: Model, @unchecked Sendable {
    static let schema = "outbox"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "person_id") var personID: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?

    init() {}
}

final class APITokenModel: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "scope") var scope: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?

    init() {}

    func toDomain() -> APIToken {
        APIToken(
            id: id!, person: PersonID(personID), name: name, scope: TokenScope(rawValue: scope) ?? .read,
            createdAt: createdAt, expiresAt: expiresAt, revokedAt: revokedAt, lastUsedAt: lastUsedAt)
    }
}

final class SignInFailureModel: Model, @unchecked Sendable {
    static let schema = "sign_in_failures"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "failures") var failures: Int
    @Field(key: "last_failure_at") var lastFailureAt: Date

    init() {}
}

final class AuditEventModel: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "action") var action: String
    @Field(key: "subject_type") var subjectType: String
    @OptionalField(key: "subject_id") var subjectID: String?
    @OptionalField(key: "subject_person_id") var subjectPersonID: UUID?
    @Field(key: "detail") var detail: String
    @OptionalField(key: "address") var address: String?
    @Field(key: "channel") var channel: String

    init() {}

    init(_ e: AuditEvent) {
        at = e.at
        actorID = e.actor?.rawValue
        action = e.action.rawValue
        subjectType = e.subjectType
        subjectID = e.subjectID
        subjectPersonID = e.subjectPerson?.rawValue
        detail = e.detail
        address = e.address
        channel = e.channel
    }

    func toDomain() -> AuditEvent? {
        guard let action = AuditAction(rawValue: action) else { return nil }
        return AuditEvent(
            at: at, actor: actorID.map(PersonID.init), action: action, subjectType: subjectType, subjectID: subjectID,
            subjectPerson: subjectPersonID.map(PersonID.init), detail: detail, address: address, channel: channel)
    }
}

import Domain
import FluentKit
import Foundation

/// The append-only record of every read of a person's record and every change. There is no update or delete here,
/// and the database refuses them too.
public struct AuditLog: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public func append(_ event: AuditEvent) async throws {
        try await AuditEventModel(event).create(on: database)
    }

    public struct Filter: Hashable, Sendable {
        public var actor: PersonID?
        public var subjectPerson: PersonID?
        public var action: AuditAction?
        public var from: Date?
        public var to: Date?
        public var page = 1
        public var perPage = 50
        /// Only reads of records, or only changes (sign-ins included).
        public var kind: Kind?

        public enum Kind: String, Sendable, Hashable {
            case reads, changes
        }
        /// The last page anyone can ask for, so the offset cannot overflow.
        public static let maximumPage = 100_000

        public init(
            actor: PersonID? = nil, subjectPerson: PersonID? = nil, action: AuditAction? = nil, from: Date? = nil,
            to: Date? = nil, page: Int = 1, perPage: Int = 50
        ) {
            self.actor = actor
            self.subjectPerson = subjectPerson
            self.action = action
            self.from = from
            self.to = to
            self.page = page
            self.perPage = perPage
        }

        /// Rows before this page; the page and its size are clamped so this cannot overflow.
        public var offset: Int { (min(max(page, 1), Self.maximumPage) - 1) * min(max(perPage, 1), 1_000) }
    }

    /// Events matching the filter, newest first, with the total that match.
    public func events(_ filter: Filter) async throws -> (events: [AuditEvent], total: Int) {
        let query = AuditEventModel.query(on: database)
        if let actor = filter.actor { query.filter(\.$actorID == actor.rawValue) }
        if let person = filter.subjectPerson { query.filter(\.$subjectPersonID == person.rawValue) }
        if let action = filter.action { query.filter(\.$action == action.rawValue) }
        let reads = AuditAction.allCases.filter { !$0.isChange }.map(\.rawValue)
        switch filter.kind {
        case .reads: query.filter(\.$action ~~ reads)
        case .changes: query.filter(\.$action !~ reads)
        case nil: break
        }
        if let from = filter.from { query.filter(\.$at >= from) }
        if let to = filter.to { query.filter(\.$at < to) }
        let total = try await query.copy().count()
        let models = try await query.sort(\.$at, .descending).sort(\.$id, .descending)
            .range(filter.offset..<filter.offset + filter.perPage).all()
        return (models.compactMap { $0.toDomain() }, total)
    }

    /// Every event about the person or done by them: part of their subject access export.
    public func events(involving person: PersonID) async throws -> [AuditEvent] {
        try await AuditEventModel.query(on: database).group(.or) {
            $0.filter(\.$actorID == person.rawValue).filter(\.$subjectPersonID == person.rawValue)
        }
        .sort(\.$at).sort(\.$id).all().compactMap { $0.toDomain() }
    }
}

/// Email waiting to be sent. Every message is kept here and logged; delivery by SMTP can come later behind the
/// same interface.
public struct Outbox: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public struct Message: Hashable, Sendable, Codable {
        public var id: UUID
        public var person: PersonID?
        public var recipient: String
        public var subject: String
        public var body: String
        public var createdAt: Date
    }

    public func enqueue(to recipient: String, person: PersonID?, subject: String, body: String, at now: Date)
        async throws
    {
        let model = OutboxModel()
        model.id = UUID()
        model.personID = person?.rawValue
        model.recipient = recipient
        model.subject = subject
        model.body = body
        model.createdAt = now
        try await model.create(on: database)
    }

    public func recent(limit: Int = 100) async throws -> [Message] {
        try await OutboxModel.query(on: database).sort(\.$createdAt, .descending).limit(limit).all().map(Self.message)
    }

    public func messages(to person: PersonID) async throws -> [Message] {
        try await OutboxModel.query(on: database).filter(\.$personID == person.rawValue).sort(\.$createdAt).all()
            .map(Self.message)
    }

    static func message(_ m: OutboxModel) -> Message {
        Message(
            id: m.id!, person: m.personID.map(PersonID.init), recipient: m.recipient, subject: m.subject, body: m.body,
            createdAt: m.createdAt)
    }
}

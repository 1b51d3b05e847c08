import Domain
import FluentKit
import Foundation
import SQLKit

struct CreateSurveys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("surveys")
            .id()
            .field("title", .string, .required)
            .field("introduction", .string, .required)
            .field("anonymous", .bool, .required)
            .field("questions", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("generated", .bool, .required)
            .create()
        try await database.schema("survey_invitations")
            .id()
            .field("survey_id", .uuid, .required, .references("surveys", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("email", .string, .required)
            .field("candidate", .string, .required)
            .field("provider", .string, .required)
            .field("route", .string, .required)
            .field("subject", .string, .required)
            .field("outcome", .string, .required)
            .field("sent_at", .datetime, .required)
            .field("reminded_at", .datetime)
            .field("responded_at", .datetime)
            .unique(on: "token_hash")
            .unique(on: "survey_id", "email")
            .create()
        try await database.schema("survey_responses")
            .id()
            .field("survey_id", .uuid, .required, .references("surveys", "id", onDelete: .cascade))
            .field("invitation_id", .uuid, .references("survey_invitations", "id", onDelete: .setNull))
            .field("provider", .string, .required)
            .field("route", .string, .required)
            .field("subject", .string, .required)
            .field("outcome", .string, .required)
            .field("answers", .string, .required)
            .field("tags", .string, .required)
            .field("submitted_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("survey_responses").delete()
        try await database.schema("survey_invitations").delete()
        try await database.schema("surveys").delete()
    }
}

/// Partnership surveys, their single-use invitations and responses.
public struct SurveyStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public struct Invitation: Sendable, Hashable {
        public var id: UUID
        public var survey: UUID
        public var email: String
        public var candidate: String
        public var group: RespondentGroup
        public var sentAt: Date
        public var remindedAt: Date?
        public var respondedAt: Date?

        public init(
            id: UUID = UUID(), survey: UUID, email: String, candidate: String, group: RespondentGroup, sentAt: Date,
            remindedAt: Date? = nil, respondedAt: Date? = nil
        ) {
            self.id = id
            self.survey = survey
            self.email = email
            self.candidate = candidate
            self.group = group
            self.sentAt = sentAt
            self.remindedAt = remindedAt
            self.respondedAt = respondedAt
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return e
    }()

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public func save(_ survey: Survey) async throws {
        try await database.sql.delete(from: "surveys").where("id", .equal, SQLBind(survey.id)).run()
        try await database.sql.insert(into: "surveys")
            .columns("id", "title", "introduction", "anonymous", "questions", "status", "created_at", "generated")
            .values(
                SQLBind(survey.id), SQLBind(survey.title), SQLBind(survey.introduction), SQLBind(survey.anonymous),
                SQLBind(try Self.json(survey.questions)), SQLBind(survey.status.rawValue), SQLBind(survey.createdAt),
                SQLBind(survey.generated)
            ).run()
    }

    /// Changes the questions and status of a survey (a draft's questions; opening and closing).
    public func update(_ survey: Survey) async throws {
        try await database.sql.update("surveys")
            .set("questions", to: SQLBind(try Self.json(survey.questions)))
            .set("status", to: SQLBind(survey.status.rawValue))
            .where("id", .equal, SQLBind(survey.id)).run()
    }

    static func survey(_ row: any SQLRow) throws -> Survey? {
        guard let status = Survey.Status(rawValue: try row.decode(column: "status", as: String.self)),
            let questions = try? JSONDecoder().decode(
                [SurveyQuestion].self, from: Data(try row.decode(column: "questions", as: String.self).utf8))
        else { return nil }
        return Survey(
            id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
            introduction: try row.decode(column: "introduction", as: String.self),
            anonymous: try row.decode(column: "anonymous", as: Bool.self), questions: questions, status: status,
            createdAt: try row.decode(column: "created_at", as: Date.self),
            generated: try row.decode(column: "generated", as: Bool.self))
    }

    public func surveys() async throws -> [Survey] {
        try await database.sql.select().column("*").from("surveys").orderBy("created_at", .descending).all()
            .compactMap(Self.survey)
    }

    public func survey(_ id: UUID) async throws -> Survey? {
        try await database.sql.select().column("*").from("surveys").where("id", .equal, SQLBind(id)).first()
            .flatMap(Self.survey)
    }

    static func group(_ row: any SQLRow) throws -> RespondentGroup? {
        guard let route = TrainingRoute(rawValue: try row.decode(column: "route", as: String.self)),
            let subject = PlacementSubject(key: try row.decode(column: "subject", as: String.self)),
            let outcome = ApplicationState(rawValue: try row.decode(column: "outcome", as: String.self))
        else { return nil }
        return RespondentGroup(
            provider: try row.decode(column: "provider", as: String.self), route: route, subject: subject,
            outcome: outcome)
    }

    /// Stores invitations (each with the hash of its link's secret), leaving out addresses already invited to the
    /// survey. Returns the ones stored.
    public func invite(_ invitations: [(Invitation, tokenHash: String)]) async throws -> [Invitation] {
        guard let survey = invitations.first?.0.survey else { return [] }
        let already = Set(
            try await database.sql.select().column("email").from("survey_invitations")
                .where("survey_id", .equal, SQLBind(survey)).all()
                .map { try $0.decode(column: "email", as: String.self) })
        var seen = already
        let fresh = invitations.filter { seen.insert($0.0.email).inserted }
        try await database.sql.insertBatched(
            into: "survey_invitations",
            columns: [
                "id", "survey_id", "token_hash", "email", "candidate", "provider", "route", "subject", "outcome",
                "sent_at", "reminded_at", "responded_at",
            ], count: fresh.count
        ) { i in
            let (v, hash) = fresh[i]
            return [
                SQLBind(v.id), SQLBind(v.survey), SQLBind(hash), SQLBind(v.email), SQLBind(v.candidate),
                SQLBind(v.group.provider), SQLBind(v.group.route.rawValue), SQLBind(v.group.subject.key),
                SQLBind(v.group.outcome.rawValue), SQLBind(v.sentAt), bindOrNull(v.remindedAt),
                bindOrNull(v.respondedAt),
            ]
        }
        return fresh.map(\.0)
    }

    static func invitation(_ row: any SQLRow) throws -> Invitation? {
        guard let group = try group(row) else { return nil }
        return Invitation(
            id: try row.decode(column: "id", as: UUID.self), survey: try row.decode(column: "survey_id", as: UUID.self),
            email: try row.decode(column: "email", as: String.self),
            candidate: try row.decode(column: "candidate", as: String.self), group: group,
            sentAt: try row.decode(column: "sent_at", as: Date.self),
            remindedAt: try row.decode(column: "reminded_at", as: Date?.self),
            respondedAt: try row.decode(column: "responded_at", as: Date?.self))
    }

    public func invitation(tokenHash: String) async throws -> Invitation? {
        try await database.sql.select().column("*").from("survey_invitations")
            .where("token_hash", .equal, SQLBind(tokenHash)).first().flatMap(Self.invitation)
    }

    public func invitations(survey: UUID) async throws -> [Invitation] {
        try await database.sql.select().column("*").from("survey_invitations")
            .where("survey_id", .equal, SQLBind(survey)).orderBy("sent_at").all().compactMap(Self.invitation)
    }

    public enum RespondError: Error, Sendable, Equatable { case alreadyAnswered }

    /// Records a response to the invitation: the invitation is marked answered by one conditional update, so a
    /// link is used once, however often it is submitted. Run it in a transaction.
    public func respond(
        to invitation: Invitation, survey: Survey, answers: [Int: SurveyAnswer], at now: Date
    ) async throws {
        let updated = try await database.sql.raw(
            "UPDATE survey_invitations SET responded_at = \(bind: now) WHERE id = \(bind: invitation.id) AND responded_at IS NULL RETURNING id"
        ).all()
        guard !updated.isEmpty else { throw RespondError.alreadyAnswered }
        let keyed = Dictionary(uniqueKeysWithValues: answers.map { (String($0.key), $0.value) })
        try await database.sql.insert(into: "survey_responses")
            .columns(
                "id", "survey_id", "invitation_id", "provider", "route", "subject", "outcome", "answers", "tags",
                "submitted_at"
            )
            .values(
                SQLBind(UUID()), SQLBind(survey.id), bindOrNull(survey.anonymous ? nil : invitation.id),
                SQLBind(invitation.group.provider), SQLBind(invitation.group.route.rawValue),
                SQLBind(invitation.group.subject.key), SQLBind(invitation.group.outcome.rawValue),
                SQLBind(try Self.json(keyed)), SQLBind("{}"),
                // An anonymous response keeps only the day, so its time cannot be matched to the invitation's.
                SQLBind(survey.anonymous ? Calendar(identifier: .gregorian).startOfDay(for: now) : now)
            ).run()
    }

    /// Stores generated responses (the demo), without invitations.
    public func addResponses(_ responses: [SurveyResponse], survey: UUID, at now: Date) async throws {
        try await database.sql.insertBatched(
            into: "survey_responses",
            columns: [
                "id", "survey_id", "invitation_id", "provider", "route", "subject", "outcome", "answers", "tags",
                "submitted_at",
            ], count: responses.count
        ) { i in
            let r = responses[i]
            let keyed = Dictionary(uniqueKeysWithValues: r.answers.map { (String($0.key), $0.value) })
            let tags = Dictionary(uniqueKeysWithValues: r.tags.map { (String($0.key), $0.value) })
            return [
                SQLBind(UUID()), SQLBind(survey), SQLBind(nil as UUID?), SQLBind(r.group.provider),
                SQLBind(r.group.route.rawValue), SQLBind(r.group.subject.key), SQLBind(r.group.outcome.rawValue),
                SQLBind((try? Self.json(keyed)) ?? "{}"), SQLBind((try? Self.json(tags)) ?? "{}"), SQLBind(now),
            ]
        }
    }

    /// The survey's responses with their ids, oldest first.
    public func responses(survey: UUID) async throws -> [(id: UUID, response: SurveyResponse)] {
        try await database.sql.select().column("*").from("survey_responses")
            .where("survey_id", .equal, SQLBind(survey)).orderBy("submitted_at").orderBy("id").all()
            .compactMap { row -> (UUID, SurveyResponse)? in
                guard let group = try Self.group(row) else { return nil }
                let answers =
                    (try? JSONDecoder().decode(
                        [String: SurveyAnswer].self, from: Data(try row.decode(column: "answers", as: String.self).utf8)
                    ))
                    ?? [:]
                let tags =
                    (try? JSONDecoder().decode(
                        [String: String].self, from: Data(try row.decode(column: "tags", as: String.self).utf8))) ?? [:]
                return (
                    try row.decode(column: "id", as: UUID.self),
                    SurveyResponse(
                        group: group,
                        answers: Dictionary(
                            uniqueKeysWithValues: answers.compactMap { k, v in Int(k).map { ($0, v) } }),
                        tags: Dictionary(uniqueKeysWithValues: tags.compactMap { k, v in Int(k).map { ($0, v) } }))
                )
            }.map { (id: $0.0, response: $0.1) }
    }

    /// Sets (or, with an empty tag, clears) the coordinator's tag on a free-text answer.
    public func tag(response: UUID, survey: UUID, question: Int, tag: String) async throws -> Bool {
        guard
            let row = try await database.sql.select().column("tags").from("survey_responses")
                .where("id", .equal, SQLBind(response)).where("survey_id", .equal, SQLBind(survey)).first()
        else { return false }
        var tags =
            (try? JSONDecoder().decode(
                [String: String].self, from: Data(try row.decode(column: "tags", as: String.self).utf8)))
            ?? [:]
        tags[String(question)] = tag.isEmpty ? nil : tag
        try await database.sql.update("survey_responses").set("tags", to: SQLBind(try Self.json(tags)))
            .where("id", .equal, SQLBind(response)).run()
        return true
    }

    /// Marks unanswered invitations reminded, unless reminded since `notSince`; returns the ones marked.
    public func markReminded(survey: UUID, at now: Date, notSince: Date) async throws -> [Invitation] {
        let due = try await invitations(survey: survey).filter {
            $0.respondedAt == nil && ($0.remindedAt ?? $0.sentAt) <= notSince
        }
        for chunk in stride(from: 0, to: due.count, by: 500) {
            let ids = due[chunk..<min(due.count, chunk + 500)].map { SQLBind($0.id) }
            try await database.sql.update("survey_invitations").set("reminded_at", to: SQLBind(now))
                .where("id", .in, SQLGroupExpression(SQLList(ids))).where("responded_at", .is, SQLLiteral.null).run()
        }
        return due
    }
}

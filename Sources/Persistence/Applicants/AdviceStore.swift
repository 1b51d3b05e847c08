import Domain
import FluentKit
import Foundation
import SQLKit

struct CreateAdviceCases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("advice_cases")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("stage", .string, .required)
            .field("interest", .string, .required)
            .field("question", .string, .required)
            .field("state", .string, .required)
            .field("adviser_id", .uuid, .references("people", "id", onDelete: .setNull))
            .field("adviser_name", .string)
            .field("eligibility", .string, .required)
            .field("outcome", .string)
            .field("outcome_note", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("assigned_at", .datetime)
            .field("closed_at", .datetime)
            .create()
        try await database.schema("advice_contacts")
            .id()
            .field("case_id", .uuid, .required, .references("advice_cases", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("channel", .string, .required)
            .field("note", .string, .required)
            .field("author", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("advice_contacts").delete()
        try await database.schema("advice_cases").delete()
    }
}

/// Pre-application support: candidates' cases, their advisers, contacts and eligibility checks.
public struct AdviceStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public func add(_ c: AdviceCase) async throws {
        try await database.sql.insert(into: "advice_cases")
            .columns(
                "id", "person_id", "name", "stage", "interest", "question", "state", "adviser_id", "adviser_name",
                "eligibility", "outcome", "outcome_note", "requested_at", "assigned_at", "closed_at"
            )
            .values(
                SQLBind(c.id), SQLBind(c.person.rawValue), SQLBind(c.name), SQLBind(c.stage.rawValue),
                SQLBind(c.interest), SQLBind(c.question), SQLBind(c.state.rawValue), bindOrNull(c.adviser?.rawValue),
                bindOrNull(c.adviserName), SQLBind(try SurveyStore.json(c.eligibility)),
                bindOrNull(c.outcome?.rawValue),
                SQLBind(c.outcomeNote), SQLBind(c.requestedAt), bindOrNull(c.assignedAt), bindOrNull(c.closedAt)
            ).run()
    }

    /// Writes the case's adviser, eligibility check, state and outcome.
    public func update(_ c: AdviceCase) async throws {
        try await database.sql.update("advice_cases")
            .set("state", to: SQLBind(c.state.rawValue)).set("adviser_id", to: bindOrNull(c.adviser?.rawValue))
            .set("adviser_name", to: bindOrNull(c.adviserName))
            .set("eligibility", to: SQLBind(try SurveyStore.json(c.eligibility)))
            .set("outcome", to: bindOrNull(c.outcome?.rawValue)).set("outcome_note", to: SQLBind(c.outcomeNote))
            .set("assigned_at", to: bindOrNull(c.assignedAt)).set("closed_at", to: bindOrNull(c.closedAt))
            .where("id", .equal, SQLBind(c.id)).run()
    }

    /// Assigns a waiting case by one conditional update, so two advisers taking it at once cannot both have it.
    public func assign(_ id: UUID, to adviser: PersonID, name: String, at now: Date) async throws -> Bool {
        !(try await database.sql.raw(
            "UPDATE advice_cases SET state = 'active', adviser_id = \(bind: adviser.rawValue), adviser_name = \(bind: name), assigned_at = \(bind: now) WHERE id = \(bind: id) AND state = 'waiting' RETURNING id"
        ).all()).isEmpty
    }

    static func adviceCase(_ row: any SQLRow) throws -> AdviceCase? {
        guard let stage = DegreeStage(rawValue: try row.decode(column: "stage", as: String.self)),
            let state = AdviceCase.State(rawValue: try row.decode(column: "state", as: String.self))
        else { return nil }
        let eligibility =
            (try? JSONDecoder().decode(
                EligibilityCheck.self, from: Data(try row.decode(column: "eligibility", as: String.self).utf8)))
            ?? EligibilityCheck()
        return AdviceCase(
            id: try row.decode(column: "id", as: UUID.self),
            person: PersonID(try row.decode(column: "person_id", as: UUID.self)),
            name: try row.decode(column: "name", as: String.self), stage: stage,
            interest: try row.decode(column: "interest", as: String.self),
            question: try row.decode(column: "question", as: String.self), state: state,
            adviser: try row.decode(column: "adviser_id", as: UUID?.self).map(PersonID.init),
            adviserName: try row.decode(column: "adviser_name", as: String?.self), eligibility: eligibility,
            outcome: try row.decode(column: "outcome", as: String?.self).flatMap(AdviceCase.Outcome.init(rawValue:)),
            outcomeNote: try row.decode(column: "outcome_note", as: String.self),
            requestedAt: try row.decode(column: "requested_at", as: Date.self),
            assignedAt: try row.decode(column: "assigned_at", as: Date?.self),
            closedAt: try row.decode(column: "closed_at", as: Date?.self))
    }

    public func cases() async throws -> [AdviceCase] {
        try await database.sql.select().column("*").from("advice_cases").orderBy("requested_at").all()
            .compactMap(Self.adviceCase)
    }

    public func cases(person: PersonID) async throws -> [AdviceCase] {
        try await database.sql.select().column("*").from("advice_cases")
            .where("person_id", .equal, SQLBind(person.rawValue)).orderBy("requested_at").all()
            .compactMap(Self.adviceCase)
    }

    public func adviceCase(_ id: UUID) async throws -> AdviceCase? {
        try await database.sql.select().column("*").from("advice_cases").where("id", .equal, SQLBind(id)).first()
            .flatMap(Self.adviceCase)
    }

    public func addContact(_ c: AdviceContact, at now: Date) async throws {
        try await database.sql.insert(into: "advice_contacts")
            .columns("id", "case_id", "day", "channel", "note", "author", "created_at")
            .values(
                SQLBind(c.id), SQLBind(c.caseID), SQLBind(c.day.description), SQLBind(c.channel.rawValue),
                SQLBind(c.note), SQLBind(c.author), SQLBind(now)
            ).run()
    }

    public func contacts(case id: UUID) async throws -> [AdviceContact] {
        try await database.sql.select().column("*").from("advice_contacts").where("case_id", .equal, SQLBind(id))
            .orderBy("day").orderBy("created_at").all().compactMap { row in
                guard let day = Day(try row.decode(column: "day", as: String.self)),
                    let channel = AdviceContact.Channel(rawValue: try row.decode(column: "channel", as: String.self))
                else { return nil }
                return AdviceContact(
                    id: try row.decode(column: "id", as: UUID.self), caseID: id, day: day, channel: channel,
                    note: try row.decode(column: "note", as: String.self),
                    author: try row.decode(column: "author", as: String.self))
            }
    }
}

import Domain
import FluentKit
import Foundation
import SQLKit

struct CreateVacancies: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("vacancies")
            .id()
            .field("urn", .int, .required)
            .field("job_title", .string, .required)
            .field("subjects", .string, .required)
            .field("key_stages", .string, .required)
            .field("working_pattern", .string, .required)
            .field("contract", .string, .required)
            .field("salary", .string, .required)
            .field("starts_on", .string)
            .field("posted_on", .string, .required)
            .field("closes_on", .string, .required)
            .field("closed_on", .string)
            .field("outcome", .string)
            .field("channels", .string, .required)
            .field("posted_by", .string, .required)
            .create()
        try await database.schema("vacancy_referrals")
            .id()
            .field("vacancy_id", .uuid, .required, .references("vacancies", "id", onDelete: .cascade))
            .field("partner", .string, .required)
            .field("candidate", .string, .required)
            .field("note", .string, .required)
            .field("referred_on", .string, .required)
            .field("referred_by", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("vacancy_referrals").delete()
        try await database.schema("vacancies").delete()
    }
}

public struct VacancyStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public func add(_ v: Vacancy, author: String) async throws {
        try await database.sql.insert(into: "vacancies").columns(
            "id", "urn", "job_title", "subjects", "key_stages", "working_pattern", "contract", "salary", "starts_on",
            "posted_on", "closes_on", "channels", "posted_by"
        ).values(
            SQLBind(v.id), SQLBind(v.urn), SQLBind(v.jobTitle),
            SQLBind(v.subjects.map(\.rawValue).joined(separator: ";")),
            SQLBind(v.keyStages.map(\.rawValue).joined(separator: ";")), SQLBind(v.workingPattern.rawValue),
            SQLBind(v.contract.rawValue), SQLBind(v.salary), bindOrNull(v.startsOn?.description),
            SQLBind(v.postedOn.description), SQLBind(v.closesOn.description), SQLBind(""), SQLBind(author)
        ).run()
    }

    static func vacancy(_ row: any SQLRow) throws -> Vacancy? {
        guard let pattern = WorkingPattern(rawValue: try row.decode(column: "working_pattern", as: String.self)),
            let contract = Vacancy.Contract(rawValue: try row.decode(column: "contract", as: String.self)),
            let posted = Day(try row.decode(column: "posted_on", as: String.self)),
            let closes = Day(try row.decode(column: "closes_on", as: String.self))
        else { return nil }
        func list<T: RawRepresentable<String>>(_ column: String, _: T.Type) throws -> [T] {
            try row.decode(column: column, as: String.self).split(separator: ";").compactMap { T(rawValue: String($0)) }
        }
        return Vacancy(
            id: try row.decode(column: "id", as: UUID.self), urn: try row.decode(column: "urn", as: Int.self),
            jobTitle: try row.decode(column: "job_title", as: String.self),
            subjects: try list("subjects", TeachingSubject.self),
            keyStages: try list("key_stages", Vacancy.KeyStage.self),
            workingPattern: pattern, contract: contract, salary: try row.decode(column: "salary", as: String.self),
            startsOn: try row.decode(column: "starts_on", as: String?.self).flatMap(Day.init), postedOn: posted,
            closesOn: closes, closedOn: try row.decode(column: "closed_on", as: String?.self).flatMap(Day.init),
            outcome: try row.decode(column: "outcome", as: String?.self).flatMap(Vacancy.Outcome.init),
            channels: try list("channels", Vacancy.Channel.self))
    }

    /// Vacancies, newest first; only the schools given when `urns` is set.
    public func vacancies(urns: Set<Int>? = nil) async throws -> [Vacancy] {
        var select = try database.sql.select().column("*").from("vacancies")
        if let urns {
            guard !urns.isEmpty else { return [] }
            select = select.where("urn", .in, SQLBind.group(Array(urns)))
        }
        return try await select.orderBy("posted_on", .descending).all().compactMap(Self.vacancy)
    }

    public func vacancy(_ id: UUID) async throws -> Vacancy? {
        try await database.sql.select().column("*").from("vacancies").where("id", .equal, SQLBind(id)).first()
            .flatMap(Self.vacancy)
    }

    public func close(_ id: UUID, outcome: Vacancy.Outcome, channels: [Vacancy.Channel], on day: Day) async throws {
        try await database.sql.update("vacancies").set("outcome", to: SQLBind(outcome.rawValue))
            .set("closed_on", to: SQLBind(day.description))
            .set("channels", to: SQLBind(channels.map(\.rawValue).joined(separator: ";")))
            .where("id", .equal, SQLBind(id)).run()
    }

    public func refer(_ r: VacancyReferral) async throws {
        try await database.sql.insert(into: "vacancy_referrals").columns(
            "id", "vacancy_id", "partner", "candidate", "note", "referred_on", "referred_by"
        ).values(
            SQLBind(r.id), SQLBind(r.vacancy), SQLBind(r.partner), SQLBind(r.candidate), SQLBind(r.note),
            SQLBind(r.referredOn.description), SQLBind(r.referredBy)
        ).run()
    }

    /// Referrals by vacancy.
    public func referrals(vacancies ids: [UUID]) async throws -> [UUID: [VacancyReferral]] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: [VacancyReferral]] = [:]
        for row in try await database.sql.select().column("*").from("vacancy_referrals")
            .where("vacancy_id", .in, SQLBind.group(ids)).orderBy("referred_on").all()
        {
            guard let day = Day(try row.decode(column: "referred_on", as: String.self)) else { continue }
            let r = VacancyReferral(
                id: try row.decode(column: "id", as: UUID.self),
                vacancy: try row.decode(column: "vacancy_id", as: UUID.self),
                partner: try row.decode(column: "partner", as: String.self),
                candidate: try row.decode(column: "candidate", as: String.self),
                note: try row.decode(column: "note", as: String.self), referredOn: day,
                referredBy: try row.decode(column: "referred_by", as: String.self))
            out[r.vacancy, default: []].append(r)
        }
        return out
    }
}

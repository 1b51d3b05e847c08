import Domain
import FluentKit
import Foundation
import SQLKit

/// Early-career teachers' mentors (dated periods, never overwritten), development profiles by term and rater,
/// the catalogue's Early Career Framework areas, and which suggestions were taken up.
struct CreateECTDevelopment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cpd_programmes")
            .field("ecf_areas", .string, .required, .sql(.default(""))).update()
        try await database.schema("ect_mentorships")
            .id()
            .field("ect_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("mentor_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("urn", .int, .required)
            .field("started_on", .string, .required)
            .field("finished_on", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.sql.raw("CREATE INDEX ect_mentorships_ect ON ect_mentorships (ect_id)").run()
        try await database.sql.raw("CREATE INDEX ect_mentorships_mentor ON ect_mentorships (mentor_id)").run()
        try await database.schema("development_profiles")
            .id()
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("academic_year", .int, .required)
            .field("term", .string, .required)
            .field("rater", .string, .required)
            .field("ratings", .string, .required)
            .field("note", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "teacher_id", "academic_year", "term", "rater")
            .create()
        try await database.schema("cpd_suggestion_take_ups")
            .id()
            .field("enrolment_id", .uuid, .required, .references("cpd_enrolments", "id", onDelete: .cascade))
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references("cpd_programmes", "id", onDelete: .cascade))
            .field("areas", .string, .required)
            .field("reason", .string, .required)
            .field("taken_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cpd_suggestion_take_ups").delete()
        try await database.schema("development_profiles").delete()
        try await database.schema("ect_mentorships").delete()
        try await database.schema("cpd_programmes").deleteField("ecf_areas").update()
    }
}

/// A dated period in which a teacher mentors an early-career teacher; `finishedOn` nil while it goes on.
public struct Mentorship: Sendable, Hashable {
    public var id: UUID
    public var ect: UUID
    public var mentor: UUID
    public var urn: Int
    public var startedOn: Day
    public var finishedOn: Day?
    public var recordedBy: String
    public var recordedAt: Date

    public func isCurrent(on day: Day) -> Bool { startedOn <= day && (finishedOn.map { $0 >= day } ?? true) }
}

/// A suggestion taken up: the request it became, for whom, and the areas and reason it was suggested for.
public struct SuggestionTakeUp: Sendable, Hashable {
    public var enrolment: UUID
    public var teacher: UUID
    public var programme: UUID
    public var areas: [ECFArea]
    public var reason: String
    public var takenAt: Date

    public init(enrolment: UUID, teacher: UUID, programme: UUID, areas: [ECFArea], reason: String, takenAt: Date) {
        self.enrolment = enrolment
        self.teacher = teacher
        self.programme = programme
        self.areas = areas
        self.reason = reason
        self.takenAt = takenAt
    }
}

public struct DevelopmentStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    // MARK: Mentorships

    static func mentorship(_ row: any SQLRow) throws -> Mentorship {
        Mentorship(
            id: try row.decode(column: "id", as: UUID.self), ect: try row.decode(column: "ect_id", as: UUID.self),
            mentor: try row.decode(column: "mentor_id", as: UUID.self),
            urn: try row.decode(column: "urn", as: Int.self),
            startedOn: Day(try row.decode(column: "started_on", as: String.self)) ?? Day(ordinal: 0),
            finishedOn: try row.decode(column: "finished_on", as: String?.self).flatMap { Day($0) },
            recordedBy: try row.decode(column: "recorded_by", as: String.self),
            recordedAt: try row.decode(column: "recorded_at", as: Date.self))
    }

    /// Every mentorship of the ECT, earliest first.
    public func mentorships(ect: UUID) async throws -> [Mentorship] {
        try await database.sql.select().column("*").from("ect_mentorships").where("ect_id", .equal, SQLBind(ect))
            .orderBy("started_on").orderBy("recorded_at").all().map(Self.mentorship)
    }

    /// Every mentorship the teacher has as a mentor, earliest first.
    public func mentorships(mentor: UUID) async throws -> [Mentorship] {
        try await database.sql.select().column("*").from("ect_mentorships")
            .where("mentor_id", .equal, SQLBind(mentor)).orderBy("started_on").all().map(Self.mentorship)
    }

    /// Every mentorship going on today, by ECT.
    public func currentMentors(on day: Day) async throws -> [UUID: Mentorship] {
        var out: [UUID: Mentorship] = [:]
        for m in try await database.sql.select().column("*").from("ect_mentorships").all().map(Self.mentorship)
        where m.isCurrent(on: day) {
            out[m.ect] = m
        }
        return out
    }

    /// Gives the ECT a new mentor from `day`: the current mentorship ends the day before (or, when it started
    /// today, on the same day), a new dated period starts, and both land on the teacher's timeline. Nothing is
    /// overwritten. Returns false when the mentor is already the ECT's current mentor. Run it in a transaction.
    @discardableResult
    public func assign(
        mentor: (id: UUID, name: String), to ect: UUID, at urn: Int, from day: Day, by author: String, at now: Date
    ) async throws -> Bool {
        let current = try await mentorships(ect: ect).filter { $0.isCurrent(on: day) }
        if current.contains(where: { $0.mentor == mentor.id }) { return false }
        for m in current {
            let end = m.startedOn < day ? Day(ordinal: day.ordinal - 1) : day
            try await database.sql.update("ect_mentorships").set("finished_on", to: SQLBind(end.description))
                .where("id", .equal, SQLBind(m.id)).run()
        }
        try await database.sql.insert(into: "ect_mentorships")
            .columns("id", "ect_id", "mentor_id", "urn", "started_on", "finished_on", "recorded_by", "recorded_at")
            .values(
                SQLBind(UUID()), SQLBind(ect), SQLBind(mentor.id), SQLBind(urn), SQLBind(day.description),
                SQLLiteral.null, SQLBind(author), SQLBind(now)
            ).run()
        let detail =
            current.isEmpty
            ? "Mentor assigned: \(mentor.name), from \(day.longDescription)"
            : "Mentor changed to \(mentor.name) from \(day.longDescription); the previous mentorship ended"
        try await TeacherStore(database).insertEvent(
            teacher: ect, TeacherEvent(kind: .mentorship, on: day, detail: detail, recordedAt: now, recordedBy: author))
        try await DataVersions(database).bump(DataVersions.teachers)
        return true
    }

    // MARK: Profiles

    static func encode(_ ratings: [ECFArea: DevelopmentRating]) -> String {
        ratings.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value.rawValue)" }.joined(separator: ";")
    }

    static func decode(_ text: String) -> [ECFArea: DevelopmentRating] {
        var out: [ECFArea: DevelopmentRating] = [:]
        for part in text.split(separator: ";") {
            let kv = part.split(separator: "=")
            if kv.count == 2, let a = ECFArea(rawValue: String(kv[0])), let n = Int(kv[1]),
                let r = DevelopmentRating(rawValue: n)
            {
                out[a] = r
            }
        }
        return out
    }

    static func profile(_ row: any SQLRow) throws -> DevelopmentProfile? {
        guard let year = AcademicYear(start: try row.decode(column: "academic_year", as: Int.self)),
            let term = Term(rawValue: try row.decode(column: "term", as: String.self)),
            let rater = DevelopmentProfile.Rater(rawValue: try row.decode(column: "rater", as: String.self))
        else { return nil }
        return DevelopmentProfile(
            teacher: try row.decode(column: "teacher_id", as: UUID.self), year: year, term: term, rater: rater,
            ratings: decode(try row.decode(column: "ratings", as: String.self)),
            note: try row.decode(column: "note", as: String.self),
            recordedBy: try row.decode(column: "recorded_by", as: String.self),
            recordedAt: try row.decode(column: "recorded_at", as: Date.self))
    }

    /// Records a rater's profile for the term, replacing that rater's earlier profile of the same term (a term
    /// has one profile per rater; earlier terms are kept), with a timeline event. Run it in a transaction.
    public func record(_ p: DevelopmentProfile) async throws {
        try await database.sql.delete(from: "development_profiles").where("teacher_id", .equal, SQLBind(p.teacher))
            .where("academic_year", .equal, SQLBind(p.year.start)).where("term", .equal, SQLBind(p.term.rawValue))
            .where("rater", .equal, SQLBind(p.rater.rawValue)).run()
        try await database.sql.insert(into: "development_profiles")
            .columns(
                "id", "teacher_id", "academic_year", "term", "rater", "ratings", "note", "recorded_by", "recorded_at"
            )
            .values(
                SQLBind(UUID()), SQLBind(p.teacher), SQLBind(p.year.start), SQLBind(p.term.rawValue),
                SQLBind(p.rater.rawValue), SQLBind(Self.encode(p.ratings)), SQLBind(p.note), SQLBind(p.recordedBy),
                SQLBind(p.recordedAt)
            ).run()
        let toDevelop = p.ratings.filter { $0.value.toDevelop }.keys.sorted().map(\.label)
        let whose = p.rater == .ect ? "Own development profile" : "Mentor's development profile"
        try await TeacherStore(database).insertEvent(
            teacher: p.teacher,
            TeacherEvent(
                kind: .development, on: nil,
                detail:
                    "\(whose) for the \(p.term.rawValue) term \(p.year): "
                    + (toDevelop.isEmpty ? "no area to develop" : "to develop: " + toDevelop.joined(separator: ", ")),
                recordedAt: p.recordedAt, recordedBy: p.recordedBy))
    }

    /// The teacher's profiles, latest term first.
    public func profiles(teacher: UUID) async throws -> [DevelopmentProfile] {
        try await database.sql.select().column("*").from("development_profiles")
            .where("teacher_id", .equal, SQLBind(teacher)).orderBy("academic_year", .descending).all()
            .compactMap(Self.profile)
            .sorted { ($1.year, $1.term) < ($0.year, $0.term) }
    }

    /// Every profile of a term.
    public func profiles(year: AcademicYear, term: Term) async throws -> [DevelopmentProfile] {
        try await database.sql.select().column("*").from("development_profiles")
            .where("academic_year", .equal, SQLBind(year.start)).where("term", .equal, SQLBind(term.rawValue)).all()
            .compactMap(Self.profile)
    }

    // MARK: Take-up

    public func recordTakeUp(_ t: SuggestionTakeUp) async throws {
        try await database.sql.insert(into: "cpd_suggestion_take_ups")
            .columns("id", "enrolment_id", "teacher_id", "programme_id", "areas", "reason", "taken_at")
            .values(
                SQLBind(UUID()), SQLBind(t.enrolment), SQLBind(t.teacher), SQLBind(t.programme),
                SQLBind(t.areas.map(\.rawValue).joined(separator: ";")), SQLBind(t.reason), SQLBind(t.takenAt)
            ).run()
    }

    static func takeUp(_ row: any SQLRow) throws -> SuggestionTakeUp {
        SuggestionTakeUp(
            enrolment: try row.decode(column: "enrolment_id", as: UUID.self),
            teacher: try row.decode(column: "teacher_id", as: UUID.self),
            programme: try row.decode(column: "programme_id", as: UUID.self),
            areas: try row.decode(column: "areas", as: String.self).split(separator: ";")
                .compactMap { ECFArea(rawValue: String($0)) },
            reason: try row.decode(column: "reason", as: String.self),
            takenAt: try row.decode(column: "taken_at", as: Date.self))
    }

    public func takeUps(teacher: UUID) async throws -> [SuggestionTakeUp] {
        try await database.sql.select().column("*").from("cpd_suggestion_take_ups")
            .where("teacher_id", .equal, SQLBind(teacher)).orderBy("taken_at").all().map(Self.takeUp)
    }

    /// Take-ups since a time (this academic year's), with the status of the request each became.
    public func takeUps(since: Date) async throws -> [(takeUp: SuggestionTakeUp, status: CPDEnrolment.Status?)] {
        let rows = try await database.sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("t")))
            .column(SQLColumn("status", table: "e"))
            .from(SQLAlias(SQLIdentifier("cpd_suggestion_take_ups"), as: SQLIdentifier("t")))
            .join(
                SQLAlias(SQLIdentifier("cpd_enrolments"), as: SQLIdentifier("e")), method: SQLJoinMethod.left,
                on: SQLColumn("enrolment_id", table: "t"), .equal, SQLColumn("id", table: "e")
            )
            .where(SQLColumn("taken_at", table: "t"), .greaterThanOrEqual, SQLBind(since)).all()
        return try rows.map { row in
            (
                try Self.takeUp(row),
                try row.decode(column: "status", as: String?.self).flatMap { CPDEnrolment.Status(rawValue: $0) }
            )
        }
    }
}

/// Early-career teachers' statutory induction, one record per teacher.
struct CreateInductions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("inductions")
            .id()
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("urn", .int, .required)
            .field("appropriate_body_kind", .string, .required)
            .field("appropriate_body", .string, .required)
            .field("route", .string, .required)
            .field("tutor", .string, .required)
            .field("started_on", .string, .required)
            .field("fte", .double, .required)
            .field("extension_terms", .int, .required)
            .field("outcome", .string)
            .field("outcome_on", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "teacher_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("inductions").delete()
    }
}

extension DevelopmentStore {
    static func induction(_ row: any SQLRow) throws -> Induction? {
        guard
            let kind = AppropriateBodyKind(rawValue: try row.decode(column: "appropriate_body_kind", as: String.self)),
            let route = InductionRoute(rawValue: try row.decode(column: "route", as: String.self)),
            let started = Day(try row.decode(column: "started_on", as: String.self))
        else { return nil }
        return Induction(
            teacher: try row.decode(column: "teacher_id", as: UUID.self),
            urn: try row.decode(column: "urn", as: Int.self),
            appropriateBody: kind, appropriateBodyName: try row.decode(column: "appropriate_body", as: String.self),
            route: route, tutor: try row.decode(column: "tutor", as: String.self), startedOn: started,
            fte: try row.decode(column: "fte", as: Double.self),
            extensionTerms: try row.decode(column: "extension_terms", as: Int.self),
            outcome: try row.decode(column: "outcome", as: String?.self).flatMap { InductionOutcome(rawValue: $0) },
            outcomeOn: try row.decode(column: "outcome_on", as: String?.self).flatMap { Day($0) })
    }

    public func induction(teacher: UUID) async throws -> Induction? {
        try await database.sql.select().column("*").from("inductions").where("teacher_id", .equal, SQLBind(teacher))
            .first().flatMap(Self.induction)
    }

    /// Every induction, by teacher.
    public func inductions() async throws -> [UUID: Induction] {
        var out: [UUID: Induction] = [:]
        for row in try await database.sql.select().column("*").from("inductions").all() {
            if let i = try Self.induction(row) { out[i.teacher] = i }
        }
        return out
    }

    /// Saves the teacher's induction (the first record, or its outcome), with the event on their timeline. Run it
    /// in a transaction.
    public func save(_ i: Induction, event: String, by author: String, at now: Date) async throws {
        let sql = try database.sql
        try await sql.delete(from: "inductions").where("teacher_id", .equal, SQLBind(i.teacher)).run()
        try await sql.insert(into: "inductions")
            .columns(
                "id", "teacher_id", "urn", "appropriate_body_kind", "appropriate_body", "route", "tutor", "started_on",
                "fte", "extension_terms", "outcome", "outcome_on", "recorded_by", "recorded_at"
            )
            .values(
                SQLBind(UUID()), SQLBind(i.teacher), SQLBind(i.urn), SQLBind(i.appropriateBody.rawValue),
                SQLBind(i.appropriateBodyName), SQLBind(i.route.rawValue), SQLBind(i.tutor),
                SQLBind(i.startedOn.description), SQLBind(i.fte), SQLBind(i.extensionTerms),
                bindOrNull(i.outcome?.rawValue), bindOrNull(i.outcomeOn?.description), SQLBind(author), SQLBind(now)
            ).run()
        try await TeacherStore(database).insertEvent(
            teacher: i.teacher,
            TeacherEvent(
                kind: .induction, on: i.outcomeOn ?? i.startedOn, detail: event, recordedAt: now, recordedBy: author))
        try await DataVersions(database).bump(DataVersions.teachers)
    }
}

/// Career-planning conversations, and the mentors and leaders who offer them.
struct CreateCareerPlanning: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("career_conversations")
            .id()
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("held_on", .string, .required)
            .field("aspiration", .string, .required)
            .field("next_step", .string, .required)
            .field("timescale", .string, .required)
            .field("with_whom", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.sql.raw("CREATE INDEX career_conversations_teacher ON career_conversations (teacher_id)")
            .run()
        try await database.schema("career_advisers")
            .id()
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("offer", .string, .required)
            .field("since", .datetime, .required)
            .unique(on: "teacher_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("career_advisers").delete()
        try await database.schema("career_conversations").delete()
    }
}

/// A teacher who offers career conversations, and what they offer.
public struct CareerAdviser: Sendable, Hashable {
    public var teacher: UUID
    public var offer: String
    public var since: Date
}

extension DevelopmentStore {
    /// Records a conversation, with its event on the teacher's timeline. Run it in a transaction.
    public func record(_ c: CareerConversation, at now: Date) async throws {
        try await database.sql.insert(into: "career_conversations")
            .columns(
                "id", "teacher_id", "held_on", "aspiration", "next_step", "timescale", "with_whom", "recorded_by",
                "recorded_at"
            )
            .values(
                SQLBind(UUID()), SQLBind(c.teacher), SQLBind(c.on.description), SQLBind(c.aspiration.rawValue),
                SQLBind(c.nextStep), SQLBind(c.timescale.rawValue), SQLBind(c.with), SQLBind(c.recordedBy),
                SQLBind(now)
            ).run()
        try await TeacherStore(database).insertEvent(
            teacher: c.teacher,
            TeacherEvent(
                kind: .development, on: c.on,
                detail:
                    "Career conversation\(c.with.isEmpty ? "" : " with \(c.with)"): \(c.aspiration.label.lowercased()), \(c.timescale.label.lowercased()); next step: \(c.nextStep)",
                recordedAt: now, recordedBy: c.recordedBy))
        try await DataVersions(database).bump(DataVersions.teachers)
    }

    /// The teacher's conversations, latest first.
    public func conversations(teacher: UUID) async throws -> [CareerConversation] {
        try await database.sql.select().column("*").from("career_conversations")
            .where("teacher_id", .equal, SQLBind(teacher)).orderBy("recorded_at", .descending).all()
            .compactMap { row in
                guard let on = Day(try row.decode(column: "held_on", as: String.self)),
                    let a = CareerAspiration(rawValue: try row.decode(column: "aspiration", as: String.self)),
                    let t = CareerTimescale(rawValue: try row.decode(column: "timescale", as: String.self))
                else { return nil }
                return CareerConversation(
                    teacher: teacher, on: on, aspiration: a,
                    nextStep: try row.decode(column: "next_step", as: String.self),
                    timescale: t, with: try row.decode(column: "with_whom", as: String.self),
                    recordedBy: try row.decode(column: "recorded_by", as: String.self))
            }
    }

    public func advisers() async throws -> [CareerAdviser] {
        try await database.sql.select().column("*").from("career_advisers").orderBy("since").all().map { row in
            CareerAdviser(
                teacher: try row.decode(column: "teacher_id", as: UUID.self),
                offer: try row.decode(column: "offer", as: String.self),
                since: try row.decode(column: "since", as: Date.self))
        }
    }

    /// Offers career conversations (or changes the offer); nil withdraws it.
    public func setAdviser(teacher: UUID, offer: String?, at now: Date) async throws {
        try await database.sql.delete(from: "career_advisers").where("teacher_id", .equal, SQLBind(teacher)).run()
        if let offer {
            try await database.sql.insert(into: "career_advisers").columns("id", "teacher_id", "offer", "since")
                .values(SQLBind(UUID()), SQLBind(teacher), SQLBind(offer), SQLBind(now)).run()
        }
    }
}

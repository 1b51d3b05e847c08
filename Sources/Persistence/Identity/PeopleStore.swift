import Domain
import FluentKit
import Foundation
import SQLKit

/// A person with their memberships, as lists and records show them.
public struct PersonWithMemberships: Hashable, Sendable {
    public var person: Person
    public var memberships: [Membership]

    public init(person: Person, memberships: [Membership]) {
        self.person = person
        self.memberships = memberships
    }
}

/// People and their memberships of organisations.
public struct PeopleStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// Creates a person; refuses an email address that another person already has.
    public func create(_ person: Person, passwordHash: String? = nil) async throws {
        if try await PersonModel.query(on: database).filter(\.$email == person.email).first() != nil {
            throw ValidationError([
                .init(field: "email", message: "Someone already has the email address \(person.email)")
            ])
        }
        try await PersonModel(person, passwordHash: passwordHash).create(on: database)
    }

    /// How many active people hold the role somewhere.
    public func activeCount(role: Role) async throws -> Int {
        let people = try await MembershipModel.query(on: database).filter(\.$role == role.rawValue).all()
            .map(\.personID)
        guard !people.isEmpty else { return 0 }
        return try await PersonModel.query(on: database).filter(\.$id ~~ Set(people)).filter(\.$active == true)
            .count()
    }

    /// How many people the database holds, erased records included.
    public func count() async throws -> Int { try await PersonModel.query(on: database).count() }

    public func find(_ id: PersonID) async throws -> Person? {
        try await PersonModel.find(id.rawValue, on: database)?.toDomain()
    }

    /// The person with this (normalised) email address and their password hash, if they have one.
    public func credentials(email: String) async throws -> (person: Person, passwordHash: String?)? {
        guard let model = try await PersonModel.query(on: database).filter(\.$email == email).first() else {
            return nil
        }
        return (model.toDomain(), model.passwordHash)
    }

    public func principal(_ id: PersonID) async throws -> Principal? {
        guard let person = try await find(id) else { return nil }
        return Principal(person: person, memberships: try await memberships(of: [id])[id] ?? [])
    }

    public func record(_ id: PersonID) async throws -> PersonWithMemberships? {
        guard let person = try await find(id) else { return nil }
        return PersonWithMemberships(person: person, memberships: try await memberships(of: [id])[id] ?? [])
    }

    /// Memberships of each person, with the organisation's name and kind, ordered by role then organisation.
    public func memberships(of people: [PersonID]) async throws -> [PersonID: [Membership]] {
        guard !people.isEmpty else { return [:] }
        let models = try await MembershipModel.query(on: database).filter(\.$personID ~~ people.map(\.rawValue))
            .all()
        let organisationIDs = Set(models.map(\.organisationID))
        let organisations = try await OrganisationModel.query(on: database).filter(\.$id ~~ organisationIDs).all()
        let byID = Dictionary(uniqueKeysWithValues: try organisations.map { ($0.id!, try $0.toDomain()) })
        var result: [PersonID: [Membership]] = [:]
        for m in models {
            guard let organisation = byID[m.organisationID], let role = Role(rawValue: m.role) else { continue }
            result[PersonID(m.personID), default: []].append(
                Membership(
                    id: MembershipID(m.id!), person: PersonID(m.personID), organisation: organisation.id,
                    organisationName: organisation.name, organisationKind: organisation.kind, role: role,
                    since: m.since))
        }
        return result.mapValues { $0.sorted { ($0.role, $0.organisationName) < ($1.role, $1.organisationName) } }
    }

    /// People within a scope, by name, with their memberships.
    public func list(_ scope: AccessPolicy.PeopleScope, viewer: PersonID?) async throws -> [PersonWithMemberships] {
        let query = PersonModel.query(on: database)
        switch scope {
        case .everyone: break
        case .organisations(let organisations):
            let ids = try await MembershipModel.query(on: database)
                .filter(\.$organisationID ~~ organisations.map(\.rawValue)).all().map(\.personID)
            query.filter(\.$id ~~ Set(ids + (viewer.map { [$0.rawValue] } ?? [])))
        case .onlySelf:
            guard let viewer else { return [] }
            query.filter(\.$id == viewer.rawValue)
        }
        let people = try await query.sort(\.$name).sort(\.$email).all().map { $0.toDomain() }
        let memberships = try await memberships(of: people.map(\.id))
        return people.map { PersonWithMemberships(person: $0, memberships: memberships[$0.id] ?? []) }
    }

    /// Every person, by name: the coordinator's account administration.
    public func all() async throws -> [PersonWithMemberships] { try await list(.everyone, viewer: nil) }

    public struct Count: Hashable, Sendable {
        public var organisation: Organisation
        public var role: Role
        public var people: Int
    }

    /// How many people hold each role in each organisation: what coordinators see without individual records.
    /// Erased records keep their memberships, so these counts do not change when someone is erased.
    public func countsByOrganisationAndRole() async throws -> [Count] {
        let models = try await MembershipModel.query(on: database).all()
        let organisations = try await OrganisationModel.query(on: database).all()
        let byID = Dictionary(uniqueKeysWithValues: try organisations.map { ($0.id!, try $0.toDomain()) })
        var counts: [String: Count] = [:]
        for m in models {
            guard let organisation = byID[m.organisationID], let role = Role(rawValue: m.role) else { continue }
            counts["\(m.organisationID) \(m.role)", default: Count(organisation: organisation, role: role, people: 0)]
                .people += 1
        }
        return counts.values.sorted {
            ($0.organisation.name, $0.role) < ($1.organisation.name, $1.role)
        }
    }

    /// Gives a person a role in an organisation; refuses a role that does not fit the organisation's kind.
    @discardableResult
    public func addMembership(person: PersonID, organisation: Organisation, role: Role, now: Date) async throws
        -> MembershipID
    {
        try Membership.validate(role: role, in: organisation.kind)
        let existing = try await MembershipModel.query(on: database).filter(\.$personID == person.rawValue)
            .filter(\.$organisationID == organisation.id.rawValue).filter(\.$role == role.rawValue).first()
        if let existing { return MembershipID(existing.id!) }
        let model = MembershipModel(person: person, organisation: organisation.id, role: role, since: now)
        try await model.create(on: database)
        return MembershipID(model.id!)
    }

    /// Removes one membership of the person; false when there was no such membership.
    public func removeMembership(_ id: MembershipID, of person: PersonID) async throws -> Membership? {
        guard
            let model = try await MembershipModel.query(on: database).filter(\.$id == id.rawValue)
                .filter(\.$personID == person.rawValue).first()
        else { return nil }
        let membership = try await memberships(of: [person])[person]?.first { $0.id == id }
        try await model.delete(on: database)
        return membership
    }

    public func setPasswordHash(_ hash: String, for person: PersonID) async throws {
        try await PersonModel.query(on: database).filter(\.$id == person.rawValue).set(\.$passwordHash, to: hash)
            .update()
    }

    public func setActive(_ active: Bool, for person: PersonID) async throws {
        try await PersonModel.query(on: database).filter(\.$id == person.rawValue).set(\.$active, to: active).update()
        if !active {
            try await SessionModel.query(on: database).filter(\.$personID == person.rawValue).delete()
        }
    }

    public func recordSignIn(_ person: PersonID, at now: Date) async throws {
        try await PersonModel.query(on: database).filter(\.$id == person.rawValue).set(\.$lastSignInAt, to: now)
            .update()
    }

    /// Anonymises a person's record at their request: their name, email and password go; their memberships stay
    /// (so counts by role and organisation stay correct) but no longer point to anyone identifiable. Sessions,
    /// API tokens, links and the link to a teacher-register record are deleted, and email sent to them is redacted. Run it inside a transaction.
    public func erase(_ id: PersonID, at now: Date) async throws {
        guard let model = try await PersonModel.find(id.rawValue, on: database) else { return }
        let oldEmail = model.email
        model.name = Person.erasedName
        model.email = Person.erasedEmail(id)
        model.passwordHash = nil
        model.active = false
        model.lastSignInAt = nil
        model.erasedAt = now
        try await model.update(on: database)
        try await SessionModel.query(on: database).filter(\.$personID == id.rawValue).delete()
        try await APITokenModel.query(on: database).filter(\.$personID == id.rawValue).delete()
        try await OneTimeLinkModel.query(on: database).filter(\.$personID == id.rawValue).delete()
        try await SignInFailureModel.query(on: database).filter(\.$id == "account:\(oldEmail)").delete()
        // The teacher register's record is the school's, not the account's: only the link to it goes.
        try await TeacherLinkStore(database).unlink(.person(id))
        // Their name on CPD enrolments and school experience requests goes; the counts stay.
        try await database.sql.update("cpd_enrolments").set("name", to: SQLBind(Person.erasedName))
            .where("person_id", .equal, SQLBind(id.rawValue)).run()
        try await database.sql.update("experience_requests").set("name", to: SQLBind(Person.erasedName))
            .set("objectives", to: SQLBind("(erased)")).where("person_id", .equal, SQLBind(id.rawValue)).run()
        // An adviser case keeps its state and outcome (the counts); the person's name and words go.
        try await database.sql.update("advice_cases").set("name", to: SQLBind(Person.erasedName))
            .set("interest", to: SQLBind("(erased)")).set("question", to: SQLBind("(erased)"))
            .where("person_id", .equal, SQLBind(id.rawValue)).run()
        try await OutboxModel.query(on: database).group(.or) {
            $0.filter(\.$personID == id.rawValue).filter(\.$recipient == oldEmail)
        }
        .set(\.$recipient, to: Person.erasedEmail(id)).set(\.$subject, to: "(erased)").set(\.$body, to: "(erased)")
        .update()
    }

    /// Active people holding `role` in each of the organisations, by name: who to contact there.
    public func contacts(role: Role, in organisations: [OrganisationID]) async throws
        -> [OrganisationID: [(name: String, email: String)]]
    {
        guard !organisations.isEmpty else { return [:] }
        let rows = try await database.sql.select()
            .column(SQLColumn("organisation_id", table: "memberships")).column(SQLColumn("name", table: "people"))
            .column(SQLColumn("email", table: "people"))
            .from("memberships").join(
                "people", on: SQLColumn("person_id", table: "memberships"), .equal, SQLColumn("id", table: "people")
            )
            .where(SQLColumn("role", table: "memberships"), .equal, SQLBind(role.rawValue))
            .where(SQLColumn("active", table: "people"), .equal, SQLBind(true))
            .where(SQLColumn("erased_at", table: "people"), .is, SQLLiteral.null)
            .where(
                SQLColumn("organisation_id", table: "memberships"), .in, SQLBind.group(organisations.map(\.rawValue))
            )
            .orderBy(SQLColumn("name", table: "people")).all()
        var result: [OrganisationID: [(name: String, email: String)]] = [:]
        for row in rows {
            result[OrganisationID(try row.decode(column: "organisation_id", as: UUID.self)), default: []].append(
                (try row.decode(column: "name", as: String.self), try row.decode(column: "email", as: String.self)))
        }
        return result
    }
}

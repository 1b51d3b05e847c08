import Domain
import FluentKit
import Foundation
import SQLKit

/// Reads and writes organisations, partnerships and which schools belong to which organisation.
public struct OrganisationStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// Organisations, optionally of one kind, ordered by kind then name.
    public func list(kind: OrganisationKind? = nil) async throws -> [Organisation] {
        let query = OrganisationModel.query(on: database)
        if let kind { query.filter(\.$kind == kind.rawValue) }
        let models = try await query.sort(\.$name).sort(\.$id).all()
        let order = Dictionary(uniqueKeysWithValues: OrganisationKind.allCases.enumerated().map { ($1.rawValue, $0) })
        return try models.map { try $0.toDomain() }
            .sorted { (order[$0.kind.rawValue]!, $0.name) < (order[$1.kind.rawValue]!, $1.name) }
    }

    public func find(_ id: OrganisationID) async throws -> Organisation? {
        try await OrganisationModel.find(id.rawValue, on: database)?.toDomain()
    }

    public func create(_ organisation: Organisation) async throws {
        try await OrganisationModel(organisation).create(on: database)
        try await DataVersions(database).bump(DataVersions.organisations)
    }

    /// Saves changes to an existing organisation; false when there is no such organisation.
    public func update(_ organisation: Organisation) async throws -> Bool {
        guard let model = try await OrganisationModel.find(organisation.id.rawValue, on: database) else { return false }
        let new = OrganisationModel(organisation)
        model.name = new.name
        model.kind = new.kind
        model.urn = new.urn
        model.laCode = new.laCode
        model.ukprn = new.ukprn
        model.website = new.website
        try await model.update(on: database)
        try await DataVersions(database).bump(DataVersions.organisations)
        return true
    }

    /// Records that the schools belong to the organisation (a trust's academies, for example).
    public func addSchools(_ urns: [URN], to organisation: OrganisationID) async throws {
        for urn in urns {
            try await OrganisationSchoolModel(organisationID: organisation.rawValue, urn: urn.value).create(
                on: database)
        }
        try await DataVersions(database).bump(DataVersions.organisations)
    }

    /// How many schools belong to each organisation that has any.
    public func schoolCounts() async throws -> [OrganisationID: Int] {
        let rows = try await database.sql.select().column("organisation_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("organisation_schools").groupBy("organisation_id").all()
        var counts: [OrganisationID: Int] = [:]
        for row in rows {
            counts[OrganisationID(try row.decode(column: "organisation_id", as: UUID.self))] = try row.decode(
                column: "n", as: Int.self)
        }
        return counts
    }

    /// URNs of the schools that belong to an organisation.
    public func schools(of organisation: OrganisationID) async throws -> [URN] {
        try await OrganisationSchoolModel.query(on: database)
            .filter(\.$id.$organisationID == organisation.rawValue)
            .all().compactMap { $0.id.map { URN($0.urn) } }.sorted()
    }

    /// Organisations a school belongs to (its trust, for example), and the organisation that is the school.
    public func organisations(ofSchool urn: URN) async throws -> [Organisation] {
        let links = try await OrganisationSchoolModel.query(on: database).filter(\.$id.$urn == urn.value).all()
        let ids = links.compactMap { $0.id?.organisationID }
        let linked = ids.isEmpty ? [] : try await OrganisationModel.query(on: database).filter(\.$id ~~ ids).all()
        let itself = try await OrganisationModel.query(on: database).filter(\.$urn == urn.value).all()
        return try (linked + itself).map { try $0.toDomain() }.sorted { $0.name < $1.name }
    }

    // MARK: - Partnerships

    public func createPartnership(_ partnership: Partnership) async throws {
        try await PartnershipModel(partnership).create(on: database)
        try await DataVersions(database).bump(DataVersions.organisations)
    }

    public func addMember(_ organisation: OrganisationID, to partnership: PartnershipID, joinedOn: Day?) async throws {
        try await PartnershipMemberModel(
            partnershipID: partnership.rawValue, organisationID: organisation.rawValue, joinedOn: joinedOn
        ).create(on: database)
        try await DataVersions(database).bump(DataVersions.organisations)
    }

    /// Makes the organisation a member of the partnership (joined on the day given) or not a member.
    public func setMember(
        _ organisation: OrganisationID, of partnership: PartnershipID, member: Bool, joinedOn: Day?
    ) async throws {
        try await PartnershipMemberModel.query(on: database).filter(\.$id.$partnershipID == partnership.rawValue)
            .filter(\.$id.$organisationID == organisation.rawValue).delete()
        try await DataVersions(database).bump(DataVersions.organisations)
        if member { try await addMember(organisation, to: partnership, joinedOn: joinedOn) }
    }

    /// The partnership the organisation belongs to and when it joined, if it is a member.
    public func membership(of organisation: OrganisationID) async throws -> (PartnershipID, Day?)? {
        guard
            let link = try await PartnershipMemberModel.query(on: database)
                .filter(\.$id.$organisationID == organisation.rawValue).first(), let id = link.id
        else { return nil }
        return (PartnershipID(id.partnershipID), link.joinedOn.flatMap(Day.init))
    }

    public func setDataSharing(_ sharing: DataSharing, for partnership: PartnershipID) async throws {
        try await PartnershipModel.query(on: database).filter(\.$id == partnership.rawValue)
            .set(\.$dataSharing, to: sharing.rawValue).update()
    }

    public func partnerships() async throws -> [Partnership] {
        try await PartnershipModel.query(on: database).sort(\.$name).all().map { try $0.toDomain() }
    }

    /// The partnership this installation serves: the first one created.
    public func mainPartnership() async throws -> Partnership? {
        try await partnerships().first
    }

    /// Members of a partnership, ordered by kind then name.
    public func members(of partnership: PartnershipID) async throws -> [PartnershipMember] {
        let links = try await PartnershipMemberModel.query(on: database)
            .filter(\.$id.$partnershipID == partnership.rawValue).all()
        let joined = Dictionary(links.compactMap { l in l.id.map { ($0.organisationID, l.joinedOn) } }) { a, _ in a }
        let ids = Array(joined.keys)
        guard !ids.isEmpty else { return [] }
        let organisations = try await OrganisationModel.query(on: database).filter(\.$id ~~ ids).all()
        let counts = try await schoolCounts()
        let order = Dictionary(uniqueKeysWithValues: OrganisationKind.allCases.enumerated().map { ($1, $0) })
        return try organisations.map { m in
            let o = try m.toDomain()
            return PartnershipMember(
                organisation: o, joinedOn: (joined[m.id!] ?? nil).flatMap(Day.init), schoolCount: counts[o.id] ?? 0)
        }
        .sorted {
            (order[$0.organisation.kind]!, $0.organisation.name) < (order[$1.organisation.kind]!, $1.organisation.name)
        }
    }
}

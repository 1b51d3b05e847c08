import Domain
import FluentKit
import Foundation

final class OrganisationModel: Model, @unchecked Sendable {
    static let schema = "organisations"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "urn") var urn: Int?
    @OptionalField(key: "la_code") var laCode: String?
    @OptionalField(key: "ukprn") var ukprn: String?
    @OptionalField(key: "website") var website: String?

    init() {}

    init(_ o: Organisation) {
        id = o.id.rawValue
        name = o.name
        kind = o.kind.rawValue
        urn = o.urn?.value
        laCode = o.localAuthorityCode
        ukprn = o.ukprn
        website = o.website
    }

    func toDomain() throws -> Organisation {
        guard let id, let kind = OrganisationKind(rawValue: kind) else {
            throw StoredDataError("organisation \(id?.uuidString ?? "?") has an unknown kind '\(self.kind)'")
        }
        return Organisation(
            id: OrganisationID(id), name: name, kind: kind, urn: urn.map(URN.init), localAuthorityCode: laCode,
            ukprn: ukprn, website: website)
    }
}

final class OrganisationSchoolModel: Model, @unchecked Sendable {
    static let schema = "organisation_schools"

    final class IDValue: Fields, Hashable, @unchecked Sendable {
        @Field(key: "organisation_id") var organisationID: UUID
        @Field(key: "urn") var urn: Int

        init() {}

        init(organisationID: UUID, urn: Int) {
            self.organisationID = organisationID
            self.urn = urn
        }

        static func == (l: IDValue, r: IDValue) -> Bool { l.organisationID == r.organisationID && l.urn == r.urn }
        func hash(into h: inout Hasher) {
            h.combine(organisationID)
            h.combine(urn)
        }
    }

    @CompositeID var id: IDValue?

    init() {}

    init(organisationID: UUID, urn: Int) {
        id = IDValue(organisationID: organisationID, urn: urn)
    }
}

final class PartnershipModel: Model, @unchecked Sendable {
    static let schema = "partnerships"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "summary") var summary: String
    @Field(key: "la_codes") var laCodes: String
    @Field(key: "data_sharing") var dataSharing: String

    init() {}

    init(_ p: Partnership) {
        id = p.id.rawValue
        name = p.name
        summary = p.summary
        laCodes = p.localAuthorityCodes.joined(separator: ",")
        dataSharing = p.dataSharing.rawValue
    }

    func toDomain() throws -> Partnership {
        guard let id else { throw StoredDataError("a partnership has no id") }
        return Partnership(
            id: PartnershipID(id), name: name, summary: summary,
            localAuthorityCodes: laCodes.split(separator: ",").map(String.init),
            dataSharing: DataSharing(rawValue: dataSharing) ?? .aggregatesOnly)
    }
}

final class PartnershipMemberModel: Model, @unchecked Sendable {
    static let schema = "partnership_members"

    final class IDValue: Fields, Hashable, @unchecked Sendable {
        @Field(key: "partnership_id") var partnershipID: UUID
        @Field(key: "organisation_id") var organisationID: UUID

        init() {}

        init(partnershipID: UUID, organisationID: UUID) {
            self.partnershipID = partnershipID
            self.organisationID = organisationID
        }

        static func == (l: IDValue, r: IDValue) -> Bool {
            l.partnershipID == r.partnershipID && l.organisationID == r.organisationID
        }
        func hash(into h: inout Hasher) {
            h.combine(partnershipID)
            h.combine(organisationID)
        }
    }

    @CompositeID var id: IDValue?
    @OptionalField(key: "joined_on") var joinedOn: String?

    init() {}

    init(partnershipID: UUID, organisationID: UUID, joinedOn: Day?) {
        id = IDValue(partnershipID: partnershipID, organisationID: organisationID)
        self.joinedOn = joinedOn?.description
    }
}

import Foundation

/// A typed identifier backed by a UUID: written lower-case in paths, parsed in any case, encoded as the UUID.
public protocol UUIDIdentifier: Hashable, Codable, Sendable, CustomStringConvertible {
    var rawValue: UUID { get }
    init(_ rawValue: UUID)
}

extension UUIDIdentifier {
    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.init(uuid)
    }

    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(UUID.self)) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    public var description: String { rawValue.uuidString.lowercased() }
}

/// A typed identifier for an organisation.
public struct OrganisationID: UUIDIdentifier {
    public let rawValue: UUID
    public init(_ rawValue: UUID = UUID()) { self.rawValue = rawValue }
}

/// The kinds of organisation that work together in a teacher recruitment and retention partnership.
public enum OrganisationKind: String, Codable, Sendable, CaseIterable {
    case university
    case scitt
    case schoolLedProvider = "school-led-provider"
    case multiAcademyTrust = "multi-academy-trust"
    case localAuthority = "local-authority"
    case teachingSchoolHub = "teaching-school-hub"
    case mathsHub = "maths-hub"
    case researchSchool = "research-school"
    case school

    /// Singular label, as people in the sector say it.
    public var label: String {
        switch self {
        case .university: "University"
        case .scitt: "SCITT"
        case .schoolLedProvider: "School-led provider"
        case .multiAcademyTrust: "Multi-academy trust"
        case .localAuthority: "Local authority"
        case .teachingSchoolHub: "Teaching school hub"
        case .mathsHub: "Maths Hub"
        case .researchSchool: "Research School"
        case .school: "School"
        }
    }

    /// Plural label for headings.
    public var pluralLabel: String {
        switch self {
        case .university: "Universities"
        case .scitt: "SCITTs"
        case .schoolLedProvider: "School-led providers"
        case .multiAcademyTrust: "Multi-academy trusts"
        case .localAuthority: "Local authorities"
        case .teachingSchoolHub: "Teaching school hubs"
        case .mathsHub: "Maths Hubs"
        case .researchSchool: "Research Schools"
        case .school: "Schools"
        }
    }
}

/// An organisation: a provider, trust, local authority, hub or school.
public struct Organisation: Hashable, Codable, Sendable, Identifiable {
    public var id: OrganisationID
    public var name: String
    public var kind: OrganisationKind
    /// For a school: its URN in GIAS.
    public var urn: URN?
    /// For a local authority: its GSS code.
    public var localAuthorityCode: String?
    /// UK Provider Reference Number, where the organisation has one.
    public var ukprn: String?
    public var website: String?

    public init(
        id: OrganisationID = OrganisationID(), name: String, kind: OrganisationKind, urn: URN? = nil,
        localAuthorityCode: String? = nil, ukprn: String? = nil, website: String? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.urn = urn
        self.localAuthorityCode = localAuthorityCode
        self.ukprn = ukprn
        self.website = website
    }
}

/// A typed identifier for a partnership.
public struct PartnershipID: UUIDIdentifier {
    public let rawValue: UUID
    public init(_ rawValue: UUID = UUID()) { self.rawValue = rawValue }
}

/// A regional partnership: the organisations that work together, and the local authorities it covers.
public struct Partnership: Hashable, Codable, Sendable, Identifiable {
    public var id: PartnershipID
    public var name: String
    public var summary: String
    /// GSS codes of the local authorities whose schools the partnership serves.
    public var localAuthorityCodes: [String]
    /// What the partners have agreed coordinators may see of individual people.
    public var dataSharing: DataSharing

    public init(
        id: PartnershipID = PartnershipID(), name: String, summary: String, localAuthorityCodes: [String],
        dataSharing: DataSharing = .aggregatesOnly
    ) {
        self.id = id
        self.name = name
        self.summary = summary
        self.localAuthorityCodes = localAuthorityCodes
        self.dataSharing = dataSharing
    }
}

/// An organisation's membership of a partnership.
public struct PartnershipMember: Hashable, Codable, Sendable {
    public var organisation: Organisation
    public var joinedOn: Day?
    /// Schools that belong to the organisation when it is a trust (URNs), empty otherwise.
    public var schoolCount: Int

    public init(organisation: Organisation, joinedOn: Day?, schoolCount: Int = 0) {
        self.organisation = organisation
        self.joinedOn = joinedOn
        self.schoolCount = schoolCount
    }
}

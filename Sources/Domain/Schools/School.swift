/// A school's Unique Reference Number in Get Information About Schools (GIAS).
public struct URN: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public let value: Int

    public init(_ value: Int) { self.value = value }

    /// Parses a URN: a positive whole number of up to seven digits.
    public init?(_ text: String) {
        guard let n = Int(text.trimmingSpaces), n > 0, n < 10_000_000 else { return nil }
        value = n
    }

    public init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Int.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }

    public static func < (l: URN, r: URN) -> Bool { l.value < r.value }
    public var description: String { String(value) }
}

/// An upper-tier (education) local authority, known by its ONS GSS code and DfE's three-digit number.
public struct LocalAuthority: Hashable, Codable, Sendable {
    /// ONS GSS code, e.g. `E10000016`.
    public var code: String
    /// DfE's three-digit LA number, e.g. `886` for Kent.
    public var dfeCode: String
    public var name: String

    public init(code: String, dfeCode: String, name: String) {
        self.code = code
        self.dfeCode = dfeCode
        self.name = name
    }
}

/// A local authority district (lower tier), by ONS code.
public struct District: Hashable, Codable, Sendable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// An ONS region (e.g. `E12000008` South East).
public struct Region: Hashable, Codable, Sendable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// A group of schools in GIAS: a multi-academy trust or single-academy trust, by GIAS group code.
public struct TrustReference: Hashable, Codable, Sendable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// Whether a school is open, in GIAS's terms.
public enum SchoolStatus: String, Codable, Sendable, CaseIterable {
    case open
    case openProposedToClose = "open-proposed-to-close"
    case proposedToOpen = "proposed-to-open"
    case closed

    /// Parses GIAS's `EstablishmentStatus (name)`.
    public init?(gias text: String) {
        switch text.trimmingSpaces.lowercased() {
        case "open": self = .open
        case "open, but proposed to close": self = .openProposedToClose
        case "proposed to open": self = .proposedToOpen
        case "closed": self = .closed
        default: return nil
        }
    }

    /// Whether the school is currently teaching pupils.
    public var isOpen: Bool { self == .open || self == .openProposedToClose }

    public var label: String {
        switch self {
        case .open: "Open"
        case .openProposedToClose: "Open, but proposed to close"
        case .proposedToOpen: "Proposed to open"
        case .closed: "Closed"
        }
    }
}

/// A state-funded school: what GIAS says about it, where it is, and the flags DfE publishes about it.
public struct School: Hashable, Codable, Sendable, Identifiable {
    public var urn: URN
    public var name: String
    public var status: SchoolStatus
    public var phase: Phase
    /// Whether `phase` is GIAS's official phase or was inferred from the school's name.
    public var phaseSource: PhaseSource
    /// GIAS `TypeOfEstablishment (name)`, e.g. "Academy converter"; nil when the source does not say.
    public var establishmentType: String?
    public var statutoryLowAge: Int?
    public var statutoryHighAge: Int?
    public var numberOfPupils: Int?
    public var openDate: Day?
    public var closeDate: Day?
    public var town: String?
    public var postcode: String?
    /// Postcode centroid on the grid; nil when the postcode could not be placed.
    public var location: GridPoint?
    /// The same position in WGS84, for maps and exports.
    public var coordinates: LatLon?
    /// Nil only when the source gives none (a school whose postcode is not yet in the directory).
    public var localAuthority: LocalAuthority?
    public var district: District?
    public var region: Region?
    public var trust: TrustReference?
    /// Listed as an ITT lead school (School Direct lead partner) in July 2024.
    public var isITTLeadSchool: Bool
    /// On DfE's PP50 list (top half of schools by pupil premium share) used for NPQ funding in 2025.
    public var isNPQPP50: Bool?
    /// On DfE's RISE (Regional Improvement for Standards and Excellence) list.
    public var isRISE: Bool?
    /// On the 2021/22 high pupil premium list used for NPQ funding.
    public var isHighPupilPremium202122: Bool?

    public var id: URN { urn }

    public init(
        urn: URN, name: String, status: SchoolStatus = .open, phase: Phase, phaseSource: PhaseSource,
        establishmentType: String? = nil, statutoryLowAge: Int? = nil, statutoryHighAge: Int? = nil,
        numberOfPupils: Int? = nil, openDate: Day? = nil, closeDate: Day? = nil, town: String? = nil,
        postcode: String? = nil, location: GridPoint? = nil, coordinates: LatLon? = nil,
        localAuthority: LocalAuthority?, district: District? = nil, region: Region? = nil,
        trust: TrustReference? = nil, isITTLeadSchool: Bool = false, isNPQPP50: Bool? = nil,
        isRISE: Bool? = nil, isHighPupilPremium202122: Bool? = nil
    ) {
        self.urn = urn
        self.name = name
        self.status = status
        self.phase = phase
        self.phaseSource = phaseSource
        self.establishmentType = establishmentType
        self.statutoryLowAge = statutoryLowAge
        self.statutoryHighAge = statutoryHighAge
        self.numberOfPupils = numberOfPupils
        self.openDate = openDate
        self.closeDate = closeDate
        self.town = town
        self.postcode = postcode
        self.location = location
        self.coordinates = coordinates
        self.localAuthority = localAuthority
        self.district = district
        self.region = region
        self.trust = trust
        self.isITTLeadSchool = isITTLeadSchool
        self.isNPQPP50 = isNPQPP50
        self.isRISE = isRISE
        self.isHighPupilPremium202122 = isHighPupilPremium202122
    }
}

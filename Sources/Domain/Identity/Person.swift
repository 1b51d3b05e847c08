import Foundation

/// A typed identifier for a person: anyone with an account or a record in Chalkface.
public struct PersonID: UUIDIdentifier {
    public let rawValue: UUID
    public init(_ rawValue: UUID = UUID()) { self.rawValue = rawValue }
}

/// What a person does in an organisation. A person's roles come only from their memberships.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case coordinator = "partnership-coordinator"
    case providerStaff = "provider-staff"
    case schoolStaff = "school-staff"
    case mentor
    case teacher
    case applicant
    case undergraduate

    public var label: String {
        switch self {
        case .coordinator: "Partnership coordinator"
        case .providerStaff: "Provider staff"
        case .schoolStaff: "School staff"
        case .mentor: "Mentor"
        case .teacher: "Teacher"
        case .applicant: "Applicant"
        case .undergraduate: "Undergraduate"
        }
    }

    /// The plural, for "this page is for ...": "provider staff", not "provider staffs".
    public var pluralLabel: String {
        switch self {
        case .providerStaff, .schoolStaff: label.lowercased()
        default: label.lowercased() + "s"
        }
    }

    /// The kinds of organisation a membership with this role can be in.
    public var organisationKinds: Set<OrganisationKind> {
        let providers: Set<OrganisationKind> = [.university, .scitt, .schoolLedProvider]
        return switch self {
        case .coordinator: Set(OrganisationKind.allCases)
        case .providerStaff, .applicant: providers
        case .schoolStaff: [.school, .multiAcademyTrust]
        case .mentor, .teacher: [.school]
        case .undergraduate: [.university]
        }
    }

    /// Roles whose holders look after other people's records in their organisation.
    public var isStaff: Bool { self == .coordinator || self == .providerStaff || self == .schoolStaff }

    public static func < (l: Role, r: Role) -> Bool {
        allCases.firstIndex(of: l)! < allCases.firstIndex(of: r)!
    }
}

/// A typed identifier for a membership.
public struct MembershipID: UUIDIdentifier {
    public let rawValue: UUID
    public init(_ rawValue: UUID = UUID()) { self.rawValue = rawValue }
}

/// A person's role in one organisation.
public struct Membership: Hashable, Codable, Sendable, Identifiable {
    public var id: MembershipID
    public var person: PersonID
    public var organisation: OrganisationID
    public var organisationName: String
    public var organisationKind: OrganisationKind
    public var role: Role
    public var since: Date

    public init(
        id: MembershipID = MembershipID(), person: PersonID, organisation: OrganisationID, organisationName: String,
        organisationKind: OrganisationKind, role: Role, since: Date
    ) {
        self.id = id
        self.person = person
        self.organisation = organisation
        self.organisationName = organisationName
        self.organisationKind = organisationKind
        self.role = role
        self.since = since
    }

    /// Checks that the role fits the kind of organisation (a mentor is in a school, not a university).
    public static func validate(role: Role, in kind: OrganisationKind) throws(ValidationError) {
        guard role.organisationKinds.contains(kind) else {
            let allowed = role.organisationKinds.map(\.label).sorted().joined(separator: ", ")
            throw ValidationError([
                .init(
                    field: "role",
                    message: "\(role.label) is not a role in a \(kind.label.lowercased()); it needs one of: \(allowed)")
            ])
        }
    }
}

/// A person's account: who they are and whether they can sign in.
public struct Person: Hashable, Codable, Sendable, Identifiable {
    public var id: PersonID
    public var name: String
    public var email: String
    public var active: Bool
    public var hasPassword: Bool
    public var createdAt: Date
    public var lastSignInAt: Date?
    /// When the person's record was anonymised at their request; nil while it holds their details.
    public var erasedAt: Date?

    public init(
        id: PersonID = PersonID(), name: String, email: String, active: Bool = true, hasPassword: Bool = false,
        createdAt: Date, lastSignInAt: Date? = nil, erasedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.active = active
        self.hasPassword = hasPassword
        self.createdAt = createdAt
        self.lastSignInAt = lastSignInAt
        self.erasedAt = erasedAt
    }

    /// What an erased record shows instead of the person's name.
    public static let erasedName = "Erased person"

    /// The address an erased record holds instead of the person's: unique, and never deliverable.
    public static func erasedEmail(_ id: PersonID) -> String { "erased-\(id)@erased.invalid" }
}

/// Normalises and checks an email address as people type it.
public enum EmailAddress {
    /// Lower-cased and trimmed, or nil when it is not a plausible address.
    public static func normalised(_ text: String) -> String? {
        let t = text.trimmingSpaces.lowercased()
        guard t.count <= 254, !t.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
        else { return nil }
        let parts = t.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return nil }
        return t
    }
}

/// Someone who is signed in (or calling the API with a token), with their memberships.
public struct Principal: Hashable, Sendable {
    public var person: Person
    public var memberships: [Membership]

    public init(person: Person, memberships: [Membership]) {
        self.person = person
        self.memberships = memberships
    }

    public var id: PersonID { person.id }
    public var roles: Set<Role> { Set(memberships.map(\.role)) }
    public func has(_ role: Role) -> Bool { memberships.contains { $0.role == role } }

    /// Organisations in which the person holds the role.
    public func organisations(as role: Role) -> Set<OrganisationID> {
        Set(memberships.filter { $0.role == role }.map(\.organisation))
    }
}

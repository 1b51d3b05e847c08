/// Who may reach a route at all. Every route declares one; object-level checks then use ``AccessPolicy``.
public enum RouteAccess: Hashable, Sendable, CustomStringConvertible {
    /// Anyone, signed in or not.
    case everyone
    /// Anyone signed in (or holding a valid API token).
    case signedIn
    /// Someone holding at least one of the roles.
    case anyRole(Set<Role>)

    public static let coordinator = RouteAccess.anyRole([.coordinator])
    /// Roles that look after other people's records.
    public static let staff = RouteAccess.anyRole([.coordinator, .providerStaff, .schoolStaff])

    public var description: String {
        switch self {
        case .everyone: "everyone"
        case .signedIn: "signed in"
        case .anyRole(let roles): roles.sorted().map(\.rawValue).joined(separator: " or ")
        }
    }

    public enum Outcome: Hashable, Sendable {
        case allowed
        /// Not signed in: sign in first.
        case needsSignIn
        /// Signed in, but this route is not for them.
        case forbidden
    }

    public func decide(_ principal: Principal?) -> Outcome {
        switch self {
        case .everyone: return .allowed
        case .signedIn: return principal == nil ? .needsSignIn : .allowed
        case .anyRole(let roles):
            guard let principal else { return .needsSignIn }
            return principal.roles.isDisjoint(with: roles) ? .forbidden : .allowed
        }
    }
}

/// The partnership's rules for whose records a person may see. Every page and API route asks here.
public enum AccessPolicy {
    /// Whose individual records a viewer may list.
    public enum PeopleScope: Hashable, Sendable {
        /// Every person the partnership holds.
        case everyone
        /// People with a membership in one of these organisations (and the viewer themself).
        case organisations(Set<OrganisationID>)
        /// The viewer only.
        case onlySelf
    }

    public static func peopleScope(for viewer: Principal, sharing: DataSharing) -> PeopleScope {
        if viewer.has(.coordinator), sharing == .individualRecords { return .everyone }
        let organisations = viewer.organisations(as: .providerStaff).union(viewer.organisations(as: .schoolStaff))
        return organisations.isEmpty ? .onlySelf : .organisations(organisations)
    }

    /// May the viewer read the record of the person who holds these memberships?
    public static func mayRead(
        person: PersonID, memberships: [Membership], viewer: Principal, sharing: DataSharing
    ) -> Bool {
        if person == viewer.id { return true }
        switch peopleScope(for: viewer, sharing: sharing) {
        case .everyone: return true
        case .organisations(let organisations): return memberships.contains { organisations.contains($0.organisation) }
        case .onlySelf: return false
        }
    }

    /// Whether coordinators see individual names in lists, or only counts.
    public static func seesAggregatesOnly(_ viewer: Principal, sharing: DataSharing) -> Bool {
        viewer.has(.coordinator) && sharing == .aggregatesOnly
    }
}

extension AccessPolicy {
    /// May the viewer change what a school offers (its placements)? Coordinators for any school; school staff for
    /// a school whose organisation (the school itself, or its trust) they work in.
    public static func mayManageSchool(viewer: Principal, schoolOrganisations: [OrganisationID]) -> Bool {
        viewer.has(.coordinator) || !viewer.organisations(as: .schoolStaff).isDisjoint(with: schoolOrganisations)
    }
}

extension AccessPolicy {
    /// May the viewer see and add a provider's trainees? The provider's own staff; coordinators only where the
    /// partnership shares individual records.
    public static func mayManageTrainees(viewer: Principal, provider: OrganisationID, sharing: DataSharing) -> Bool {
        viewer.organisations(as: .providerStaff).contains(provider)
            || (viewer.has(.coordinator) && sharing == .individualRecords)
    }
}

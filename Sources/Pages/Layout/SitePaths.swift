import Domain
import Foundation

/// Every page's path, in one place, so links and routes agree.
public enum SitePath {
    public static let home = "/"
    public static let schools = "/schools"
    public static let partnership = "/partnership"
    public static let coldSpots = "/coldspots"
    public static let apiDocument = "/api/v1/openapi.json"

    public static func school(_ urn: URN) -> String { "/schools/\(urn.value)" }

    // Signing in and out, and single-use links.
    public static let signIn = "/sign-in"
    public static let signOut = "/sign-out"
    public static let passwordReset = "/password-reset"
    public static func link(_ token: String) -> String { "/links/\(token)" }

    // The signed-in person's own pages.
    public static let dashboard = "/dashboard"
    public static let account = "/account"
    public static let accountTokens = "/account/tokens"
    public static func revokeToken(_ id: UUID) -> String { "/account/tokens/\(id.uuidString.lowercased())/revoke" }
    public static let accountExport = "/account/export"
    public static let accountErase = "/account/erase"

    // Other people's records, for those allowed to see them.
    public static let people = "/people"
    public static func person(_ id: PersonID) -> String { "/people/\(id)" }

    // The coordinator's administration.
    public static let accounts = "/accounts"
    public static let invite = "/accounts/invite"
    public static func accountAdmin(_ id: PersonID) -> String { "/accounts/\(id)" }
    public static func memberships(_ id: PersonID) -> String { "/accounts/\(id)/memberships" }
    public static func removeMembership(_ id: PersonID, _ membership: MembershipID) -> String {
        "/accounts/\(id)/memberships/\(membership)/remove"
    }
    public static func deactivate(_ id: PersonID) -> String { "/accounts/\(id)/deactivate" }
    public static func activate(_ id: PersonID) -> String { "/accounts/\(id)/activate" }
    public static func resendInvitation(_ id: PersonID) -> String { "/accounts/\(id)/resend-invitation" }
    public static let newOrganisation = "/organisations/new"
    public static let organisations = "/organisations"
    public static func organisation(_ id: OrganisationID) -> String { "/organisations/\(id)" }
    public static func editOrganisation(_ id: OrganisationID) -> String { "/organisations/\(id)/edit" }
    public static let partnershipSettings = "/partnership/settings"
    public static let audit = "/audit"
    public static let outbox = "/outbox"

    // Placements.
    public static func placementOffers(_ year: AcademicYear) -> String { "/placements?year=\(year)" }
    public static func placementOffer(_ urn: URN, _ year: AcademicYear) -> String {
        "/schools/\(urn.value)/placement-offer?year=\(year)"
    }
    public static func placementOfferForm(_ urn: URN) -> String { "/schools/\(urn.value)/placement-offer" }

    /// A path with a query string, leaving out empty values.
    public static func with(_ path: String, query: [(String, String?)]) -> String {
        let items = query.compactMap { name, value in
            value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) }
        }
        guard !items.isEmpty else { return path }
        var c = URLComponents()
        c.queryItems = items
        // URLComponents leaves "+" alone in queries, where servers read it as a space.
        return path + "?" + (c.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }
}

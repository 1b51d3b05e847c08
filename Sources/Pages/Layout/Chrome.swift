/// What every page's header needs to know about the person looking at it.
public struct Chrome: Sendable, Hashable {
    /// The signed-in person's name, or nil for someone not signed in.
    public var person: String?
    /// The token every form on the page must send back.
    public var csrfToken: String
    public var isCoordinator: Bool
    /// Whether the person looks after other people's records (coordinator, provider or school staff).
    public var seesPeople: Bool
    /// A development installation with demo people: every page says so. False in production.
    public var isDemo: Bool

    public init(
        person: String?, csrfToken: String, isCoordinator: Bool = false, seesPeople: Bool = false, isDemo: Bool = true
    ) {
        self.isDemo = isDemo
        self.person = person
        self.csrfToken = csrfToken
        self.isCoordinator = isCoordinator
        self.seesPeople = seesPeople
    }

    /// For pages rendered outside a request (tests, static output): no one signed in, no forms to protect.
    public static let anonymous = Chrome(person: nil, csrfToken: "")
}

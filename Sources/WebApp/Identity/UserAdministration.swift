import Domain
import Fluent
import Persistence
import Vapor

/// What the `chalkface users` commands do, kept here so that tests can run it.
public enum UserAdministration {
    public struct Created: Sendable {
        public let person: Person
        public let organisation: Organisation
        /// The one-time link to choose a password, valid for 7 days.
        public let link: String
    }

    /// Makes the person a partnership coordinator (creating their account if needed) and returns a single-use link
    /// for them to set their password. `organisation` is an organisation's id or name; by default the first
    /// member of the partnership.
    public static func createAdmin(
        _ app: Application, email text: String, name: String?, organisation: String?
    ) async throws -> Created {
        guard let email = EmailAddress.normalised(text) else {
            throw ValidationError([.init(field: "email", message: "'\(text)' is not an email address")])
        }
        let store = OrganisationStore(app.db)
        let all = try await store.list()
        let chosen: Organisation?
        if let organisation {
            chosen =
                all.first { $0.id.description == organisation.lowercased() }
                ?? all.first { $0.name.caseInsensitiveCompare(organisation) == .orderedSame }
            guard chosen != nil else {
                throw ValidationError([
                    .init(field: "organisation", message: "no organisation has the id or name '\(organisation)'")
                ])
            }
        } else if let partnership = try await store.mainPartnership() {
            chosen = try await store.members(of: partnership.id).first?.organisation
        } else {
            chosen = all.first
        }
        guard let chosen else {
            throw ValidationError([
                .init(
                    field: "organisation",
                    message:
                        "there are no organisations yet: create the partnership and its first coordinator with `chalkface setup --partnership NAME --organisation NAME --kind KIND --admin EMAIL`"
                )
            ])
        }
        let now = app.clock.now()
        let secret = Secret.generate()
        let person = try await app.db.transaction { tx -> Person in
            let people = PeopleStore(tx)
            var person = try await people.credentials(email: email)?.person
            if person == nil {
                let new = Person(name: name ?? email, email: email, createdAt: now)
                try await people.create(new)
                person = new
            }
            guard let person, person.erasedAt == nil else {
                throw ValidationError([.init(field: "email", message: "that record has been erased")])
            }
            try await people.addMembership(person: person.id, organisation: chosen, role: .coordinator, now: now)
            if !person.active { try await people.setActive(true, for: person.id) }
            try await CredentialStore(tx).createLink(
                person: person.id, tokenHash: Secret.hash(secret), purpose: .invitation, now: now)
            try await AuditLog(tx).append(
                AuditEvent(
                    at: now, actor: nil, action: .membershipAdded, subjectType: "person",
                    subjectID: person.id.description, subjectPerson: person.id,
                    detail: "\(Role.coordinator.rawValue) at \(chosen.name), by chalkface users create-admin",
                    channel: "cli"))
            return person
        }
        let base = app.configuration?.publicURL ?? "http://127.0.0.1:8080"
        return Created(person: person, organisation: chosen, link: base + "/links/" + secret)
    }

    /// What `chalkface setup` creates.
    public struct Setup: Sendable {
        public let partnership: Partnership
        public let admin: Created
        public var schools: ImportSummary?
        public var postcodes = 0
    }

    /// Starts a real partnership on an empty database: the partnership, the organisation its coordinators work
    /// for, and the first coordinator with a one-time link. Refused when a partnership exists already. With
    /// `bundledData`, also loads the bundled real schools and postcodes of the pilot regions (public data only).
    public static func setup(
        _ app: Application, partnership name: String, organisation organisationName: String, kind: OrganisationKind,
        localAuthorities: [String], email: String, adminName: String?, bundledData: Bool
    ) async throws -> Setup {
        var problems: [ValidationError.Problem] = []
        let name = name.trimmingSpaces
        let organisationName = organisationName.trimmingSpaces
        if name.isEmpty || name.count > 200 || BoundedInput.hasControlCharacters(name) {
            problems.append(.init(field: "partnership", message: "must be 1 to 200 characters"))
        }
        if organisationName.isEmpty || organisationName.count > 200
            || BoundedInput.hasControlCharacters(organisationName)
        {
            problems.append(.init(field: "organisation", message: "must be 1 to 200 characters"))
        }
        if EmailAddress.normalised(email) == nil {
            problems.append(.init(field: "admin", message: "\(BoundedInput.quote(email)) is not an email address"))
        }
        let geography = try BundledData.geography()
        let codes = localAuthorities.map { $0.trimmingSpaces.uppercased() }.filter { !$0.isEmpty }
        for code in codes where geography.localAuthority(code) == nil {
            problems.append(
                .init(
                    field: "local-authorities",
                    message: "\(BoundedInput.quote(code)) is not a local authority's GSS code"))
        }
        guard problems.isEmpty else { throw ValidationError(problems) }
        let store = OrganisationStore(app.db)
        guard try await store.partnerships().isEmpty else {
            throw ValidationError([
                .init(
                    field: "partnership",
                    message:
                        "this database holds a partnership already; add coordinators with `chalkface users create-admin`"
                )
            ])
        }
        let partnership = Partnership(
            name: name, summary: "", localAuthorityCodes: codes.map { geography.localAuthority($0)?.code ?? $0 })
        let organisation = Organisation(name: organisationName, kind: kind)
        let today = Day.inUK(app.clock.now())
        try await app.db.transaction { tx in
            let store = OrganisationStore(tx)
            try await store.createPartnership(partnership)
            try await store.create(organisation)
            try await store.addMember(organisation.id, to: partnership.id, joinedOn: today)
        }
        let admin = try await createAdmin(
            app, email: email, name: adminName, organisation: organisation.id.description)
        var result = Setup(partnership: partnership, admin: admin)
        if bundledData {
            result.schools = try await DemoSeed.loadBundledSchools(on: app.db)
            result.postcodes = try await DemoSeed.loadPilotPostcodes(on: app.db)
        }
        return result
    }

    /// Every account with its roles, as `chalkface users list` prints them.
    public static func list(_ app: Application) async throws -> String {
        let people = try await PeopleStore(app.db).all()
        var lines = ["email\tname\tstatus\troles"]
        for p in people {
            let status =
                p.person.erasedAt != nil
                ? "erased" : !p.person.active ? "deactivated" : p.person.hasPassword ? "active" : "invited"
            let roles = p.memberships.map { "\($0.role.rawValue)@\($0.organisationName)" }.joined(separator: "; ")
            lines.append("\(p.person.email)\t\(p.person.name)\t\(status)\t\(roles)")
        }
        return lines.joined(separator: "\n")
    }
}

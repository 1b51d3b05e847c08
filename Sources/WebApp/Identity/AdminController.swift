import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// The coordinator's administration: accounts and roles, organisations and the partnership's settings, the
/// audit log and the outbox.
struct AdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("accounts", access: .coordinator, use: accounts)
        routes.get("accounts", "invite", access: .coordinator, use: inviteForm)
        routes.post("accounts", "invite", access: .coordinator, use: invite)
        routes.get("accounts", ":id", access: .coordinator, use: account)
        routes.post("accounts", ":id", "memberships", access: .coordinator, use: addMembership)
        routes.post(
            "accounts", ":id", "memberships", ":membership", "remove", access: .coordinator, use: removeMembership)
        routes.post("accounts", ":id", "deactivate", access: .coordinator, use: deactivate)
        routes.post("accounts", ":id", "activate", access: .coordinator, use: activate)
        routes.post("accounts", ":id", "resend-invitation", access: .coordinator, use: resendInvitation)
        routes.get("organisations", "new", access: .coordinator, use: newOrganisation)
        routes.post("organisations", access: .coordinator, use: createOrganisation)
        routes.get("organisations", ":id", "edit", access: .coordinator, use: editOrganisation)
        routes.post("organisations", ":id", access: .coordinator, use: updateOrganisation)
        routes.post("partnership", "settings", access: .coordinator, use: partnershipSettings)
        routes.get("audit", access: .coordinator, use: audit)
        routes.get("outbox", access: .coordinator, use: outbox)
    }

    // MARK: Accounts

    func accounts(req: Request) async throws -> Response {
        let all = try await PeopleStore(req.db).all()
        try await req.audit(.peopleListed, subjectType: "accounts", detail: "\(all.count) accounts")
        return HTMLResponse.make(AdminPages.accounts(all.map { ($0.person, $0.memberships) }, chrome: req.chrome))
    }

    func inviteForm(req: Request) async throws -> Response {
        HTMLResponse.make(
            AdminPages.invite(
                .init(), organisations: try await OrganisationStore(req.db).list(), problems: [], chrome: req.chrome))
    }

    struct InviteForm: Content {
        var name: String?
        var email: String?
        var organisation: String?
        var role: String?
    }

    func invite(req: Request) async throws -> Response {
        let form = try req.content.decode(InviteForm.self)
        let organisations = OrganisationStore(req.db)
        var problems: [ValidationError.Problem] = []
        let name = (form.name ?? "").trimmingSpaces
        if name.isEmpty { problems.append(.init(field: "name", message: "Enter the person's full name")) }
        if name.count > 200 { problems.append(.init(field: "name", message: "Name must be 200 characters or fewer")) }
        let email = EmailAddress.normalised(form.email ?? "")
        if email == nil {
            problems.append(
                .init(field: "email", message: "Enter an email address in the correct format, like name@example.org"))
        }
        let (organisation, role) = try await Self.organisationAndRole(
            form.organisation, form.role, organisations, &problems)
        if let email, try await PeopleStore(req.db).credentials(email: email) != nil {
            problems.append(.init(field: "email", message: "Someone already has the email address \(email)"))
        }
        guard problems.isEmpty, let email, let organisation, let role else {
            return HTMLResponse.make(
                AdminPages.invite(
                    .init(
                        name: name, email: form.email ?? "", organisation: form.organisation ?? "",
                        role: form.role ?? ""),
                    organisations: try await organisations.list(), problems: problems, chrome: req.chrome),
                status: .badRequest)
        }
        let person = Person(name: name, email: email, createdAt: req.now)
        let secret = Secret.generate()
        let inviter = req.principal?.person.name ?? "Your partnership coordinator"
        try await req.db.transaction { tx in
            let people = PeopleStore(tx)
            try await people.create(person)
            try await people.addMembership(person: person.id, organisation: organisation, role: role, now: req.now)
            try await CredentialStore(tx).createLink(
                person: person.id, tokenHash: Secret.hash(secret), purpose: .invitation, now: req.now)
            let mailer = Mailer(request: req)
            try await mailer.send(
                to: person, subject: "You are invited to Chalkface",
                body: """
                    Dear \(name),

                    \(inviter) has invited you to Chalkface, the partnership's shared service for teacher recruitment \
                    and retention, as \(role.label.lowercased()) at \(organisation.name).

                    To set up your account, choose a password within 7 days at this link. It works once.

                    \(mailer.link(secret))
                    """, on: tx)
            try await req.audit(
                .personInvited, subjectType: "person", subjectID: person.id.description, person: person.id,
                detail: "\(role.rawValue) at \(organisation.name)", on: tx)
        }
        return req.redirect(to: SitePath.accountAdmin(person.id) + "?invited=1", redirectType: .normal)
    }

    /// A new invitation link for someone who has not yet chosen a password; earlier links stop working.
    func resendInvitation(req: Request) async throws -> Response {
        let record = try await Self.person(req)
        let person = record.person
        guard !person.hasPassword, person.active, person.erasedAt == nil else {
            return try await accountPage(
                req, record,
                problems: [.init(field: "invitation", message: "\(person.name) has already set a password")])
        }
        let secret = Secret.generate()
        let inviter = req.principal?.person.name ?? "Your partnership coordinator"
        try await req.db.transaction { tx in
            let credentials = CredentialStore(tx)
            try await credentials.expireLinks(of: person.id, purpose: .invitation, now: req.now)
            try await credentials.createLink(
                person: person.id, tokenHash: Secret.hash(secret), purpose: .invitation, now: req.now)
            let mailer = Mailer(request: req)
            try await mailer.send(
                to: person, subject: "Your invitation to Chalkface",
                body: """
                    Dear \(person.name),

                    \(inviter) has sent your invitation to Chalkface again. To set up your account, choose a \
                    password within 7 days at this link. It works once; earlier links no longer work.

                    \(mailer.link(secret))
                    """, on: tx)
            try await req.audit(
                .personInvited, subjectType: "person", subjectID: person.id.description, person: person.id,
                detail: "invitation sent again", on: tx)
        }
        return req.redirect(to: SitePath.accountAdmin(person.id) + "?invited=1", redirectType: .normal)
    }

    /// Reads and checks the organisation and role fields of a form.
    static func organisationAndRole(
        _ organisationText: String?, _ roleText: String?, _ store: OrganisationStore,
        _ problems: inout [ValidationError.Problem]
    ) async throws -> (Organisation?, Role?) {
        var organisation: Organisation?
        if let id = organisationText.flatMap(OrganisationID.init) {
            organisation = try await store.find(id)
        }
        if organisation == nil { problems.append(.init(field: "organisation", message: "Choose an organisation")) }
        let role = roleText.flatMap(Role.init(rawValue:))
        if role == nil { problems.append(.init(field: "role", message: "Choose a role")) }
        if let organisation, let role {
            do {
                try Membership.validate(role: role, in: organisation.kind)
            } catch {
                problems += error.problems
            }
        }
        return (organisation, role)
    }

    static func person(_ req: Request) async throws -> PersonWithMemberships {
        guard let id = req.parameters.get("id").flatMap(PersonID.init),
            let record = try await PeopleStore(req.db).record(id)
        else { throw Abort(.notFound, reason: "There is no account with that id.") }
        return record
    }

    func account(req: Request) async throws -> Response {
        let record = try await Self.person(req)
        try await req.audit(
            .accountRead, subjectType: "person", subjectID: record.person.id.description, person: record.person.id)
        let notice = req.query[String.self, at: "invited"] != nil ? "Invitation sent to \(record.person.email)." : nil
        return try await accountPage(req, record, notice: notice)
    }

    func accountPage(
        _ req: Request, _ record: PersonWithMemberships, problems: [ValidationError.Problem] = [], notice: String? = nil
    ) async throws -> Response {
        let model = AdminPages.AccountModel(
            person: record.person, memberships: record.memberships,
            organisations: try await OrganisationStore(req.db).list(), problems: problems, notice: notice,
            isSelf: record.person.id == req.principal?.id)
        return HTMLResponse.make(
            AdminPages.account(model, chrome: req.chrome), status: problems.isEmpty ? .ok : .badRequest)
    }

    func addMembership(req: Request) async throws -> Response {
        let record = try await Self.person(req)
        guard record.person.erasedAt == nil else { throw Abort(.conflict, reason: "This record has been erased.") }
        var problems: [ValidationError.Problem] = []
        let (organisation, role) = try await Self.organisationAndRole(
            try? req.content.get(String.self, at: "organisation"), try? req.content.get(String.self, at: "role"),
            OrganisationStore(req.db), &problems)
        guard problems.isEmpty, let organisation, let role else {
            return try await accountPage(req, record, problems: problems)
        }
        try await req.db.transaction { tx in
            try await PeopleStore(tx).addMembership(
                person: record.person.id, organisation: organisation, role: role, now: req.now)
            try await req.audit(
                .membershipAdded, subjectType: "person", subjectID: record.person.id.description,
                person: record.person.id, detail: "\(role.rawValue) at \(organisation.name)", on: tx)
        }
        return req.redirect(to: SitePath.accountAdmin(record.person.id), redirectType: .normal)
    }

    func removeMembership(req: Request) async throws -> Response {
        let record = try await Self.person(req)
        guard let membershipID = req.parameters.get("membership").flatMap(MembershipID.init),
            let membership = record.memberships.first(where: { $0.id == membershipID })
        else { throw Abort(.notFound, reason: "This person has no such role.") }
        if membership.role == .coordinator, try await AccountController.coordinatorCount(req.db) <= 1,
            record.person.active
        {
            return try await accountPage(
                req, record,
                problems: [
                    .init(
                        field: "role",
                        message: "This is the partnership's only coordinator. Give another person the role first.")
                ])
        }
        try await req.db.transaction { tx in
            _ = try await PeopleStore(tx).removeMembership(membershipID, of: record.person.id)
            try await req.audit(
                .membershipRemoved, subjectType: "person", subjectID: record.person.id.description,
                person: record.person.id, detail: "\(membership.role.rawValue) at \(membership.organisationName)",
                on: tx)
        }
        return req.redirect(to: SitePath.accountAdmin(record.person.id), redirectType: .normal)
    }

    func deactivate(req: Request) async throws -> Response {
        let record = try await Self.person(req)
        if record.person.id == req.principal?.id {
            return try await accountPage(
                req, record, problems: [.init(field: "role", message: "You cannot deactivate your own account.")])
        }
        return try await setActive(false, record, req)
    }

    func activate(req: Request) async throws -> Response {
        let record = try await Self.person(req)
        guard record.person.erasedAt == nil else { throw Abort(.conflict, reason: "This record has been erased.") }
        return try await setActive(true, record, req)
    }

    func setActive(_ active: Bool, _ record: PersonWithMemberships, _ req: Request) async throws -> Response {
        try await req.db.transaction { tx in
            try await PeopleStore(tx).setActive(active, for: record.person.id)
            try await req.audit(
                active ? .accountActivated : .accountDeactivated, subjectType: "person",
                subjectID: record.person.id.description, person: record.person.id, on: tx)
        }
        return req.redirect(to: SitePath.accountAdmin(record.person.id), redirectType: .normal)
    }

    // MARK: Organisations and the partnership

    func newOrganisation(req: Request) async throws -> Response {
        HTMLResponse.make(AdminPages.organisation(.init(), problems: [], chrome: req.chrome))
    }

    func editOrganisation(req: Request) async throws -> Response {
        let store = OrganisationStore(req.db)
        guard let id = req.parameters.get("id").flatMap(OrganisationID.init), let o = try await store.find(id) else {
            throw Abort(.notFound, reason: "There is no organisation with that id.")
        }
        let membership = try await store.membership(of: id)
        let form = AdminPages.OrganisationForm(
            id: id, name: o.name, kind: o.kind.rawValue, urn: o.urn.map { String($0.value) } ?? "",
            localAuthorityCode: o.localAuthorityCode ?? "", ukprn: o.ukprn ?? "", website: o.website ?? "",
            member: membership != nil, joinedOn: membership?.1?.description ?? "")
        return HTMLResponse.make(AdminPages.organisation(form, problems: [], chrome: req.chrome))
    }

    struct OrganisationFormData: Content {
        var name: String?
        var kind: String?
        var urn: String?
        var laCode: String?
        var ukprn: String?
        var website: String?
        var member: String?
        var joinedOn: String?

        enum CodingKeys: String, CodingKey {
            case name, kind, urn, ukprn, website, member
            case laCode = "la_code"
            case joinedOn = "joined_on"
        }
    }

    func createOrganisation(req: Request) async throws -> Response {
        try await saveOrganisation(req, id: nil)
    }

    func updateOrganisation(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id").flatMap(OrganisationID.init),
            try await OrganisationStore(req.db).find(id) != nil
        else { throw Abort(.notFound, reason: "There is no organisation with that id.") }
        return try await saveOrganisation(req, id: id)
    }

    func saveOrganisation(_ req: Request, id: OrganisationID?) async throws -> Response {
        let f = try req.content.decode(OrganisationFormData.self)
        var problems: [ValidationError.Problem] = []
        let name = (f.name ?? "").trimmingSpaces
        if name.isEmpty { problems.append(.init(field: "name", message: "Enter the organisation's name")) }
        if name.count > 200 { problems.append(.init(field: "name", message: "Name must be 200 characters or fewer")) }
        let kind = f.kind.flatMap(OrganisationKind.init(rawValue:))
        if kind == nil { problems.append(.init(field: "kind", message: "Choose what kind of organisation it is")) }
        let urnText = (f.urn ?? "").trimmingSpaces
        let urn = urnText.isEmpty ? nil : URN(urnText)
        if !urnText.isEmpty && urn == nil {
            problems.append(.init(field: "urn", message: "URN must be a number of 5 to 7 digits, like 141308"))
        }
        if kind == .school && urn == nil && urnText.isEmpty {
            problems.append(.init(field: "urn", message: "Enter the school's URN"))
        }
        let laCode = (f.laCode ?? "").trimmingSpaces.uppercased()
        if !laCode.isEmpty && !(laCode.count == 9 && laCode.first == "E" && laCode.dropFirst().allSatisfy(\.isNumber)) {
            problems.append(.init(field: "la_code", message: "Local authority code must be a GSS code like E10000016"))
        }
        let ukprn = (f.ukprn ?? "").trimmingSpaces
        if !ukprn.isEmpty && !(ukprn.count == 8 && ukprn.allSatisfy(\.isNumber)) {
            problems.append(.init(field: "ukprn", message: "UKPRN must be 8 digits"))
        }
        let website = (f.website ?? "").trimmingSpaces
        if !website.isEmpty && !(website.hasPrefix("https://") || website.hasPrefix("http://")) {
            problems.append(.init(field: "website", message: "Website must start with https:// or http://"))
        }
        let joinedText = (f.joinedOn ?? "").trimmingSpaces
        let joined = joinedText.isEmpty ? nil : Day(joinedText)
        if !joinedText.isEmpty && joined == nil {
            problems.append(.init(field: "joined_on", message: "Joined on must be a real date, like 2025-09-01"))
        }
        let member = f.member == "true"
        let form = AdminPages.OrganisationForm(
            id: id, name: name, kind: f.kind ?? "", urn: urnText, localAuthorityCode: laCode, ukprn: ukprn,
            website: website, member: member, joinedOn: joinedText)
        guard problems.isEmpty, let kind else {
            return HTMLResponse.make(
                AdminPages.organisation(form, problems: problems, chrome: req.chrome), status: .badRequest)
        }
        let organisation = Organisation(
            id: id ?? OrganisationID(), name: name, kind: kind, urn: urn,
            localAuthorityCode: laCode.isEmpty ? nil : laCode, ukprn: ukprn.isEmpty ? nil : ukprn,
            website: website.isEmpty ? nil : website)
        let partnership = try await OrganisationStore(req.db).mainPartnership()
        try await req.db.transaction { tx in
            let store = OrganisationStore(tx)
            if id == nil {
                try await store.create(organisation)
            } else {
                _ = try await store.update(organisation)
            }
            if let partnership {
                try await store.setMember(organisation.id, of: partnership.id, member: member, joinedOn: joined)
            }
            try await req.audit(
                id == nil ? .organisationCreated : .organisationUpdated, subjectType: "organisation",
                subjectID: organisation.id.description,
                detail: "\(name) (\(kind.rawValue)), \(member ? "member" : "not a member")", on: tx)
        }
        return req.redirect(to: SitePath.partnership, redirectType: .normal)
    }

    func partnershipSettings(req: Request) async throws -> Response {
        guard let partnership = try await OrganisationStore(req.db).mainPartnership() else {
            throw Abort(.notFound, reason: "No partnership has been set up.")
        }
        let text = (try? req.content.get(String.self, at: "data_sharing")) ?? ""
        guard let sharing = DataSharing(rawValue: text) else {
            throw ValidationError([
                .init(
                    field: "data_sharing",
                    message: "must be one of \(DataSharing.allCases.map(\.rawValue).joined(separator: ", "))")
            ])
        }
        try await req.db.transaction { tx in
            try await OrganisationStore(tx).setDataSharing(sharing, for: partnership.id)
            try await req.audit(
                .partnershipUpdated, subjectType: "partnership", subjectID: partnership.id.description,
                detail: "data sharing: \(partnership.dataSharing.rawValue) -> \(sharing.rawValue)", on: tx)
        }
        return req.redirect(to: SitePath.partnership + "#settings", redirectType: .normal)
    }

    // MARK: Audit log and outbox

    func audit(req: Request) async throws -> Response {
        var problems: [ValidationError.Problem] = []
        var filter = AuditLog.Filter()
        var echo: [String: String] = [:]
        for key in ["actor", "person", "action", "kind", "from", "to"] {
            if let v = req.query[String.self, at: key], !v.isEmpty { echo[key] = v }
        }
        if let v = echo["actor"] {
            filter.actor = PersonID(v)
            if filter.actor == nil { problems.append(.init(field: "actor", message: "Choose a person from the list")) }
        }
        if let v = echo["person"] {
            filter.subjectPerson = PersonID(v)
            if filter.subjectPerson == nil {
                problems.append(.init(field: "person", message: "Choose a person from the list"))
            }
        }
        if let v = echo["action"] {
            filter.action = AuditAction(rawValue: v)
            if filter.action == nil {
                problems.append(.init(field: "action", message: "Choose an action from the list"))
            }
        }
        if let v = echo["kind"] {
            filter.kind = AuditLog.Filter.Kind(rawValue: v)
            if filter.kind == nil { problems.append(.init(field: "kind", message: "Choose reads, changes or both")) }
        }
        for (key, isEnd) in [("from", false), ("to", true)] {
            guard let v = echo[key] else { continue }
            guard let day = Day(v), let date = day.startInUK else {
                problems.append(
                    .init(field: key, message: "\(key == "from" ? "From" : "To") must be a date like 2026-11-01"))
                continue
            }
            if isEnd { filter.to = date.addingTimeInterval(86_400) } else { filter.from = date }
        }
        if let text = req.query[String.self, at: "page"] {
            if let page = BoundedInput.wholeNumber(text, in: 1...AuditLog.Filter.maximumPage) {
                filter.page = page
            } else {
                problems.append(
                    .init(
                        field: "page", message: "Page must be a whole number from 1 to \(AuditLog.Filter.maximumPage)"))
            }
        }
        let (events, total) = try await AuditLog(req.db).events(filter)
        let everyone = try await PeopleStore(req.db).all()
        let names = Dictionary(uniqueKeysWithValues: everyone.map { ($0.person.id, $0.person.name) })
        let model = AdminPages.AuditModel(
            events: events, total: total, page: filter.page, perPage: filter.perPage, names: names, filter: echo,
            people: everyone.map { ($0.person.id, $0.person.name) })
        return HTMLResponse.make(
            AdminPages.audit(model, problems: problems, chrome: req.chrome),
            status: problems.isEmpty ? .ok : .badRequest)
    }

    func outbox(req: Request) async throws -> Response {
        guard req.application.configuration?.isProduction != true else {
            throw Abort(.notFound, reason: "The outbox is shown in development only.")
        }
        let messages = try await Outbox(req.db).recent().map {
            AdminPages.OutboxMessage(
                recipient: $0.recipient, subject: $0.subject, body: $0.body, createdAt: $0.createdAt)
        }
        return HTMLResponse.make(AdminPages.outbox(messages, chrome: req.chrome))
    }
}

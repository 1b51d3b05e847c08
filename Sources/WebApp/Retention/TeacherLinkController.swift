import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// One teacher's record and timeline, and the links that make the register the spine: a teacher's or mentor's
/// account (so they see their own record), and a provider's trainee records (so trainee, ECT and teacher read as
/// one story, linked and not copied).
struct TeacherLinkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = RouteAccess.anyRole(RetentionController.staffRoles)
        // Anyone signed in may ask: the handler lets through the record's schools, its provider, coordinators where
        // individual records are shared, and the teacher themselves.
        routes.get("teachers", ":teacher", access: .signedIn, use: teacher)
        routes.post("teachers", ":teacher", "accounts", access: staff, use: linkAccount)
        routes.post("teachers", ":teacher", "accounts", ":person", "remove", access: staff, use: unlinkAccount)
        let providers = RouteAccess.anyRole([.coordinator, .providerStaff])
        routes.get("providers", ":id", "trainees", ":trainee", "teacher", access: providers, use: traineePage)
        routes.post("providers", ":id", "trainees", ":trainee", "teacher", access: providers, use: linkTrainee)
    }

    /// What the viewer may do with a teacher's record.
    struct View {
        var record: TeacherRecord
        var events: [TeacherEvent]
        var generated: Bool
        var links: [TeacherLink]
        /// The viewer's own record (their account is linked to it).
        var own: Bool
        /// The viewer may link accounts: staff of a school the teacher has a period at, or coordinators where
        /// individual records are shared.
        var canLink: Bool
        /// The organisations whose members the viewer may link (nil: anyone, for coordinators).
        var linkable: Set<OrganisationID>?
    }

    static func view(_ req: Request) async throws -> View {
        let viewer = try req.requirePrincipal()
        guard let id = req.parameters.get("teacher").flatMap(UUID.init(uuidString:)),
            let found = try await TeacherStore(req.db).teacher(id)
        else { throw Abort(.notFound, reason: "The register holds no teacher with that id.") }
        let links = try await TeacherLinkStore(req.db).links(of: id)
        let organisations = try await OrganisationStore(req.db).list()
        let sharing = try await req.dataSharing()
        let ownSchools = organisations.filter { viewer.organisations(as: .schoolStaff).contains($0.id) }
        let schoolURNs = Set(ownSchools.compactMap { $0.urn?.value })
        let ownProviders = organisations.filter { viewer.organisations(as: .providerStaff).contains($0.id) }
        var traineeProviders: Set<OrganisationID> = []
        for link in links {
            if case .trainee(let t) = link.target, let p = try await TraineeStore(req.db).provider(of: t) {
                traineeProviders.insert(p)
            }
        }
        let own = links.contains { $0.target == .person(viewer.id) }
        let coordinator = viewer.has(.coordinator) && sharing == .individualRecords
        let atSchool = found.record.periods.contains { schoolURNs.contains($0.urn) }
        let allowed =
            own || coordinator || atSchool
            || found.record.ittProvider.map { name in ownProviders.contains { $0.name == name } } == true
            || ownProviders.contains { traineeProviders.contains($0.id) }
        guard allowed else {
            throw Abort(
                .forbidden,
                reason:
                    "Only the teacher themselves, their schools, their training provider and (where the partnership shares individual records) coordinators can see this record."
            )
        }
        let linkable: Set<OrganisationID>? =
            coordinator
            ? nil
            : Set(
                ownSchools.filter { o in found.record.periods.contains { $0.urn == o.urn?.value } }.map(\.id))
        return View(
            record: found.record, events: found.events, generated: found.generated, links: links, own: own,
            canLink: coordinator || atSchool, linkable: linkable)
    }

    func teacher(req: Request) async throws -> Response {
        try await page(req, try await Self.view(req))
    }

    func page(
        _ req: Request, _ v: View, form: [String: String] = [:], problems: [ValidationError.Problem] = [],
        notice: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        try await req.audit(
            .teacherRead, subjectType: "teacher", subjectID: v.record.id.uuidString, detail: v.record.name)
        let schools = try await SchoolStore(req.db).find(v.record.periods.map { URN($0.urn) })
        var accounts: [TeacherPages.LinkedAccount] = []
        var trainees: [TeacherPages.LinkedTrainee] = []
        let organisations = try await OrganisationStore(req.db).list()
        let viewer = try req.requirePrincipal()
        for link in v.links {
            switch link.target {
            case .person(let p):
                // Staff see who the account is; the teacher sees that it is theirs.
                guard let person = try await PeopleStore(req.db).find(p) else { continue }
                accounts.append(
                    .init(
                        id: p,
                        name: person.id == viewer.id ? "You (\(person.email))" : "\(person.name) (\(person.email))",
                        linkedOn: Day.inUK(link.linkedAt), linkedBy: link.linkedBy))
            case .trainee(let t):
                guard let provider = try await TraineeStore(req.db).provider(of: t),
                    let found = try await TraineeStore(req.db).trainee(t, provider: provider)
                else { continue }
                let providerName = organisations.first { $0.id == provider }?.name ?? "a provider"
                let mayOpen = AccessPolicy.mayManageTrainees(
                    viewer: viewer, provider: provider, sharing: try await req.dataSharing())
                trainees.append(
                    .init(
                        label:
                            "Trainee with \(providerName), \(found.trainee.year): \(found.trainee.subject.label), \(found.trainee.route.label)\(found.withdrawnAt == nil ? "" : " (withdrawn)")",
                        href: mayOpen ? "/providers/\(provider)/trainees/\(t.uuidString.lowercased())/teacher" : nil))
            }
        }
        return HTMLResponse.make(
            TeacherPages.teacher(
                v.record, events: v.events, generated: v.generated,
                schoolNames: Dictionary(uniqueKeysWithValues: schools.map { ($0.key.value, $0.value.name) }),
                links: .init(
                    accounts: accounts, trainees: trainees, own: v.own, canLink: v.canLink, form: form,
                    problems: problems, notice: notice),
                chrome: req.chrome),
            status: status)
    }

    /// Links the account with this email address to the record: a person with a teacher or mentor role, in one
    /// of the viewer's schools (any organisation for coordinators).
    func linkAccount(req: Request) async throws -> Response {
        let v = try await Self.view(req)
        guard v.canLink else {
            throw Abort(.forbidden, reason: "Only the teacher's schools (and coordinators) can link their account.")
        }
        let raw = (try? req.content.get(String.self, at: "email")) ?? ""
        let form = ["email": String(raw.prefix(320))]
        func fail(_ message: String) async throws -> Response {
            try await page(req, v, form: form, problems: [.init(field: "email", message: message)], status: .badRequest)
        }
        guard let email = EmailAddress.normalised(raw) else {
            return try await fail("Enter an email address in the correct format, like name@example.org")
        }
        guard let person = try await PeopleStore(req.db).credentials(email: email)?.person,
            let record = try await PeopleStore(req.db).record(person.id)
        else { return try await fail("No one with an account has the email address \(email)") }
        let teaching = record.memberships.filter { [.teacher, .mentor].contains($0.role) }
        guard !teaching.isEmpty else {
            return try await fail("\(person.name) has no teacher or mentor role: only teachers' accounts are linked")
        }
        if let linkable = v.linkable, !teaching.contains(where: { linkable.contains($0.organisation) }) {
            return try await fail(
                "\(person.name) is not a teacher or mentor at your school: ask a coordinator to give them the role first"
            )
        }
        do {
            _ = try await req.db.transaction { tx in
                try await TeacherLinkStore(tx).link(
                    .person(person.id), to: v.record.id, detail: "Account linked: \(person.name) can see this record",
                    author: try RetentionController.author(req), at: req.application.clock.now())
            }
        } catch TeacherLinkStore.LinkError.linkedElsewhere {
            return try await fail("\(person.name)'s account is already linked to another teacher's record")
        }
        try await req.audit(
            .teacherLinked, subjectType: "teacher", subjectID: v.record.id.uuidString, person: person.id,
            detail: "\(person.name)'s account linked to \(v.record.name)'s record")
        return try await page(
            req, try await Self.view(req), notice: "\(person.name)'s account is linked to this record.")
    }

    func unlinkAccount(req: Request) async throws -> Response {
        let v = try await Self.view(req)
        guard v.canLink else {
            throw Abort(.forbidden, reason: "Only the teacher's schools (and coordinators) can unlink their account.")
        }
        guard let id = req.parameters.get("person").flatMap(UUID.init(uuidString:)),
            v.links.contains(where: { $0.target == .person(PersonID(id)) })
        else { throw Abort(.notFound, reason: "No such account is linked to this record.") }
        try await req.db.transaction { tx in
            try await TeacherLinkStore(tx).unlink(.person(PersonID(id)))
            try await TeacherStore(tx).insertEvent(
                teacher: v.record.id,
                TeacherEvent(
                    kind: .detailsChanged, on: nil, detail: "Account unlinked",
                    recordedAt: req.application.clock.now(), recordedBy: try RetentionController.author(req)))
        }
        try await req.audit(
            .teacherLinked, subjectType: "teacher", subjectID: v.record.id.uuidString, person: PersonID(id),
            detail: "account unlinked from \(v.record.name)'s record")
        return try await page(req, try await Self.view(req), notice: "The account is no longer linked.")
    }

    // MARK: A trainee's record in the register

    func traineeModel(
        _ req: Request, form: [String: String] = [:], problems: [ValidationError.Problem] = [], notice: String? = nil
    ) async throws -> TeacherPages.TraineeLink {
        let provider = try await TraineeController.provider(req)
        let (trainee, withdrawnAt) = try await TraineeController.trainee(req, provider)
        let linked = try await TeacherLinkStore(req.db).teacher(for: .trainee(trainee.id))
        var record: TeacherRecord?
        if let linked { record = try await TeacherStore(req.db).teacher(linked)?.record }
        return .init(
            providerID: provider.id.description, providerName: provider.name, trainee: trainee,
            withdrawn: withdrawnAt != nil, teacher: record, form: form, problems: problems, notice: notice)
    }

    func traineePage(req: Request) async throws -> Response {
        let m = try await traineeModel(req)
        try await req.audit(
            .traineesListed, subjectType: "trainee", subjectID: m.trainee.id.uuidString,
            detail: "\(m.trainee.name) of \(m.providerName): teacher-register record")
        return HTMLResponse.make(TeacherPages.traineeLink(m, chrome: req.chrome))
    }

    /// `action=create` starts a register record for the trainee (with their TRN when they have one);
    /// `action=link` links them to the record the register holds for a TRN, when the names agree.
    func linkTrainee(req: Request) async throws -> Response {
        let m = try await traineeModel(req)
        guard m.teacher == nil else {
            throw Abort(.conflict, reason: "\(m.trainee.name) is already linked to a teacher-register record.")
        }
        let raw = try req.content.decode([String: String].self)
        let action = raw["action"] ?? ""
        let trnText = (raw["trn"] ?? "").trimmingSpaces
        let form = ["trn": String(trnText.prefix(20))]
        var problems: [ValidationError.Problem] = []
        let trn = trnText.isEmpty ? nil : TRN(trnText)
        if !trnText.isEmpty, trn == nil {
            problems.append(.init(field: "trn", message: "Enter a TRN of 7 digits, like 1234567"))
        }
        if action == "link", trnText.isEmpty {
            problems.append(.init(field: "trn", message: "Enter the TRN of the register's record to link to"))
        }
        guard ["link", "create"].contains(action) else {
            throw Abort(.badRequest, reason: "action must be link or create.")
        }
        let author = try RetentionController.author(req)
        let now = req.application.clock.now()
        let t = m.trainee
        let provider = m.providerName
        var target: UUID?
        if problems.isEmpty {
            let existing = try await trn.asyncMap { try await TeacherStore(req.db).teacher(trn: $0) } ?? nil
            if action == "link" {
                if let existing, Self.sameName(existing.name, t.name) {
                    target = existing.id
                } else if existing != nil {
                    problems.append(
                        .init(
                            field: "trn",
                            message:
                                "The register's record for TRN \(trnText) is under another name: check the TRN with \(t.name)"
                        ))
                } else {
                    problems.append(
                        .init(
                            field: "trn",
                            message: "The register holds no teacher with TRN \(trnText): start a new record instead"))
                }
            } else if existing != nil {
                problems.append(
                    .init(
                        field: "trn",
                        message: "The register already holds TRN \(trnText): link to that record instead"))
            }
        }
        guard problems.isEmpty else {
            return HTMLResponse.make(
                TeacherPages.traineeLink(
                    try await traineeModel(req, form: form, problems: problems), chrome: req.chrome),
                status: .badRequest)
        }
        let existing = target
        try await req.db.transaction { tx in
            _ = try await Self.enter(
                t, provider: provider, trn: trn, existing: existing, from: "\(provider)'s trainee records",
                author: author, at: now, on: tx)
        }
        try await req.audit(
            .teacherLinked, subjectType: "trainee", subjectID: t.id.uuidString,
            detail:
                "\(t.name) of \(provider) \(target == nil ? "entered the teacher register" : "linked to TRN \(trnText)")"
        )
        return HTMLResponse.make(
            TeacherPages.traineeLink(
                try await traineeModel(
                    req,
                    notice: target == nil
                        ? "\(t.name) now has a record in the teacher register." : "\(t.name) is linked to their record."
                ),
                chrome: req.chrome))
    }

    /// Links the trainee to the register's record `existing`, or starts a record for them (with their TRN, if
    /// any) when there is none; returns the record's id. Run it in the transaction that adds or changes the trainee.
    static func enter(
        _ t: Trainee, provider: String, trn: TRN?, existing: UUID?, from source: String, author: String,
        at now: Date, on tx: any Database
    ) async throws -> UUID {
        let id = existing ?? UUID()
        if existing == nil {
            let names = t.name.split(separator: " ").map(String.init)
            let record = TeacherRecord(
                id: id, trn: trn, firstName: names.count > 1 ? names.dropLast().joined(separator: " ") : t.name,
                lastName: names.count > 1 ? names.last! : "", ittProvider: provider, route: t.route.rawValue,
                specialisms: TeachingSubject(placement: t.subject).map { [$0] } ?? [])
            try await TeacherStore(tx).create(record, event: "Record started from \(source)", author: author, at: now)
        }
        let story =
            "Trainee with \(provider), \(t.year): \(t.subject.label) (\(t.phase.label.lowercased())), \(t.route.label)"
        try await TeacherLinkStore(tx).link(.trainee(t.id), to: id, detail: story, author: author, at: now)
        return id
    }

    static func sameName(_ a: String, _ b: String) -> Bool {
        func words(_ s: String) -> [String] {
            s.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        }
        return words(a) == words(b)
    }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let w = self else { return nil }
        return try await f(w)
    }
}

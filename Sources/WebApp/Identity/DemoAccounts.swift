import Domain
import Fluent
import Persistence
import Vapor

/// One demo account per role in the demo partnership, with passwords made up at first start and printed once,
/// plus a few invited people so that lists have something in them. Never fixed in code or documentation.
enum DemoAccounts {
    struct Account: Sendable {
        let role: Role
        let name: String
        let email: String
        let password: String
        let organisation: String
    }

    /// Creates the accounts when the database holds no people yet; returns them with their passwords.
    /// With `registerRecords` (the demo workforce is loaded), the demo teacher and mentor also get records in the
    /// teacher register at their school, linked to their accounts, so they see their own record.
    static func seed(_ app: Application, registerRecords: Bool = false) async throws -> [Account] {
        let db = app.db
        guard try await PeopleStore(db).count() == 0 else { return [] }
        let organisations = try await OrganisationStore(db).list()
        func first(_ kind: OrganisationKind, skipping: Int = 0) -> Organisation? {
            organisations.filter { $0.kind == kind }.dropFirst(skipping).first
        }
        guard let authority = first(.localAuthority), let university = first(.university),
            let otherUniversity = first(.university, skipping: 1), let school = first(.school),
            let otherSchool = first(.school, skipping: 1)
        else { return [] }
        let plan: [(Role, String, Organisation)] = [
            (.coordinator, "Helen Marsh", authority),
            (.providerStaff, "Daniel Okoro", university),
            (.schoolStaff, "Sarah Whitfield", school),
            (.mentor, "James Patel", school),
            (.teacher, "Chloe Bennett", school),
            (.applicant, "Aisha Rahman", university),
            (.undergraduate, "Tom Gallagher", otherUniversity),
        ]
        // Invited people (no password yet) in these and other organisations.
        let invited: [(Role, String, Organisation)] = [
            (.applicant, "Megan Hughes", university), (.applicant, "Kwame Mensah", university),
            (.applicant, "Rhys Evans", otherUniversity), (.teacher, "Hannah Clarke", school),
            (.teacher, "Oliver Nowak", otherSchool), (.mentor, "Fatima Begum", otherSchool),
            (.schoolStaff, "Graham Foster", otherSchool), (.providerStaff, "Lucy Chen", otherUniversity),
            (.undergraduate, "Priya Sharma", university), (.teacher, "Ben Adeyemi", school),
        ]
        let now = app.clock.now()
        var accounts: [Account] = []
        var hashes: [String] = []
        for (role, name, organisation) in plan {
            let password = Secret.demoPassword()
            hashes.append(try await Passwords.hash(password, app))
            accounts.append(
                Account(
                    role: role, name: name, email: Self.email(name), password: password, organisation: organisation.name
                ))
        }
        let created = accounts
        let hashed = hashes
        try await db.transaction { tx in
            let people = PeopleStore(tx)
            for (i, (role, _, organisation)) in plan.enumerated() {
                let person = Person(name: created[i].name, email: created[i].email, hasPassword: true, createdAt: now)
                try await people.create(person, passwordHash: hashed[i])
                try await people.addMembership(person: person.id, organisation: organisation, role: role, now: now)
            }
            for (role, name, organisation) in invited {
                let person = Person(name: name, email: Self.email(name), createdAt: now)
                try await people.create(person)
                try await people.addMembership(person: person.id, organisation: organisation, role: role, now: now)
            }
        }
        if registerRecords, let urn = school.urn {
            try await linkRegisterRecords(app, school: urn.value, provider: university.name)
        }
        return accounts
    }

    /// Register records for the demo mentor (a teacher since 2016, mentoring since 2021) and teacher (an
    /// early-career teacher in her second year), marked as generated and linked to their accounts.
    static func linkRegisterRecords(_ app: Application, school urn: Int, provider: String) async throws {
        let today = Day.inUK(app.clock.now())
        let provider = SchoolCSVExport.escape(provider)
        let ectStart = AcademicYear.containing(today).start - 1
        let rows = [
            "2099001,James,Patel,1988,2015-07-17,\(provider),postgraduate-fee-funded,primary,\(urn),teacher,full-time,1,2016-09-01,,",
            "2099001,James,Patel,1988,2015-07-17,\(provider),postgraduate-fee-funded,primary,\(urn),mentor,part-time,0.1,2021-09-01,,",
            "2099002,Chloe,Bennett,2001,\(ectStart)-07-18,\(provider),postgraduate-fee-funded,primary,\(urn),ect,full-time,1,\(ectStart)-09-01,,",
        ]
        let csv = TeacherFile.columns.joined(separator: ",") + "\n" + rows.joined(separator: "\n") + "\n"
        let entries = try TeacherFile.read(Array(csv.utf8), file: "demo accounts", thisYear: today.year)
        let now = app.clock.now()
        try await app.db.transaction { tx in
            _ = try await TeacherStore(tx).importEntries(
                entries, file: "the demo accounts", author: "Demo data (generated)", generated: true, at: now)
            for (trn, name) in [("2099001", "James Patel"), ("2099002", "Chloe Bennett")] {
                guard let teacher = try await TeacherStore(tx).teacher(trn: TRN(trn)!),
                    let person = try await PeopleStore(tx).credentials(email: Self.email(name))?.person
                else { continue }
                try await TeacherLinkStore(tx).link(
                    .person(person.id), to: teacher.id, detail: "Account linked: \(name) can see this record",
                    author: "Demo data (generated)", at: now)
            }
            // James mentors Chloe, and has profiled her development this term: she sees suggestions at once.
            if let mentor = try await TeacherStore(tx).teacher(trn: TRN("2099001")!),
                let ect = try await TeacherStore(tx).teacher(trn: TRN("2099002")!)
            {
                let store = DevelopmentStore(tx)
                try await store.assign(
                    mentor: (mentor.id, mentor.name), to: ect.id, at: urn, from: Day(year: ectStart, month: 9, day: 1)!,
                    by: "Demo data (generated)", at: now)
                var ratings = Dictionary(uniqueKeysWithValues: ECFArea.allCases.map { ($0, DevelopmentRating.secure) })
                ratings[.assessment] = .areaToDevelop
                ratings[.adaptiveTeaching] = .developing
                ratings[.professionalBehaviours] = .strength
                try await store.record(
                    DevelopmentProfile(
                        teacher: ect.id, year: AcademicYear.containing(today), term: Term.containing(today),
                        rater: .mentor, ratings: ratings,
                        note:
                            "Chloe's questioning is strong; next, using what pupils show her to plan the next lesson.",
                        recordedBy: mentor.name, recordedAt: now))
                try await store.setAdviser(
                    teacher: mentor.id, offer: "Primary mathematics leadership, and what mentoring involves", at: now)
            }
        }
    }

    static func email(_ name: String) -> String {
        name.lowercased().split(separator: " ").joined(separator: ".") + "@example.org"
    }

    /// What `serve` prints at first start: the only place the passwords ever appear.
    static func announcement(_ accounts: [Account], url: String) -> String {
        var lines = [
            "Demo accounts, one per role. These passwords are shown once, now; they are stored only as bcrypt hashes.",
            "Sign in at \(url)/sign-in",
        ]
        for a in accounts {
            lines.append(
                "  \(a.role.label.padding(toLength: 24, withPad: " ", startingAt: 0)) \(a.email.padding(toLength: 30, withPad: " ", startingAt: 0)) \(a.password)   (\(a.organisation))"
            )
        }
        return lines.joined(separator: "\n")
    }
}

extension Application {
    private struct DemoAccountsKey: StorageKey { typealias Value = [DemoAccounts.Account] }

    /// The demo accounts created at this start, with their passwords (empty after the first start).
    var demoAccounts: [DemoAccounts.Account] {
        get { storage[DemoAccountsKey.self] ?? [] }
        set { storage[DemoAccountsKey.self] = newValue }
    }
}

import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

/// Every route x every role x a subject in the viewer's own organisation and one in another, with the outcome the
/// partnership's rules call for. The table below is the specification, written independently of the code: a route
/// added without an entry here fails, as does any outcome that differs.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    enum Outcome: String, CustomStringConvertible {
        case allowed, signIn, forbidden
        var description: String { rawValue }
    }

    /// Who is asking: no one, or the demo account of a role.
    enum Viewer: Hashable, CustomStringConvertible {
        case anonymous
        case role(Role)
        static let all: [Viewer] = [.anonymous] + Role.allCases.map { .role($0) }
        var description: String {
            if case .role(let r) = self { return r.rawValue }
            return "anonymous"
        }
    }

    enum Context: String, CaseIterable { case own, other }

    typealias Rule = @Sendable (Viewer, Context) -> Outcome

    static let everyone: Rule = { _, _ in .allowed }
    static let signedIn: Rule = { v, _ in v == .anonymous ? .signIn : .allowed }
    static func roles(_ allowed: Set<Role>) -> Rule {
        { v, _ in
            guard case .role(let r) = v else { return .signIn }
            return allowed.contains(r) ? .allowed : .forbidden
        }
    }
    static let coordinator = roles([.coordinator])
    static let staff = roles([.coordinator, .providerStaff, .schoolStaff])
    /// Teachers and mentors enrol on CPD; providers' staff and coordinators manage it.
    static let learners = roles([.teacher, .mentor])
    static let cpdManagers = roles([.coordinator, .providerStaff])
    /// A person's record, with aggregates-only sharing: only staff of the person's own provider or school.
    static let record: Rule = { v, c in
        guard case .role(let r) = v else { return .signIn }
        return (r == .providerStaff || r == .schoolStaff) && c == .own ? .allowed : .forbidden
    }

    /// The specification: "METHOD path-pattern" -> rule.
    static let expectations: [String: Rule] = [
        "GET /": everyone, "GET /schools": everyone, "GET /schools/:urn": everyone, "GET /partnership": everyone,
        "GET /coldspots": everyone, "GET /coldspots.csv": everyone, "GET /coldspots.geojson": everyone,
        "GET /coldspots/areas.csv": everyone,
        "GET /assets/chalkface.css": everyone, "GET /healthz": everyone,
        // Metrics: this machine or the METRICS_TOKEN only, whoever is signed in (in-process requests have neither).
        "GET /metrics": { _, _ in .forbidden },
        "GET /api/v1/schools": everyone, "GET /api/v1/schools/:urn": everyone, "GET /api/v1/organisations": everyone,
        "GET /api/v1/openapi.json": everyone, "GET /api/v1/experience": everyone, "GET /api/v1/events": everyone,
        "GET /sign-in": everyone, "POST /sign-in": everyone, "GET /password-reset": everyone,
        "POST /password-reset": everyone, "GET /links/:token": everyone, "POST /links/:token": everyone,
        "POST /sign-out": signedIn, "GET /dashboard": signedIn, "GET /account": signedIn,
        "POST /account/tokens": signedIn, "POST /account/tokens/:id/revoke": signedIn,
        "GET /account/export": signedIn, "GET /account/erase": signedIn, "POST /account/erase": signedIn,
        "GET /api/v1/me": signedIn, "GET /api/v1/me/export": signedIn,
        "GET /people": staff, "GET /api/v1/people": staff,
        "GET /people/:id": record, "GET /api/v1/people/:id": record,
        "GET /accounts": coordinator, "GET /accounts/invite": coordinator, "POST /accounts/invite": coordinator,
        "GET /accounts/:id": coordinator, "POST /accounts/:id/memberships": coordinator,
        "POST /accounts/:id/memberships/:membership/remove": coordinator,
        "POST /accounts/:id/deactivate": coordinator, "POST /accounts/:id/activate": coordinator,
        "POST /accounts/:id/resend-invitation": coordinator,
        "GET /organisations/new": coordinator, "POST /organisations": coordinator,
        "GET /organisations/:id/edit": coordinator, "POST /organisations/:id": coordinator,
        "POST /partnership/settings": coordinator, "GET /audit": coordinator, "GET /outbox": coordinator,
        "GET /placements": staff, "GET /schools/:urn/placement-offer": schoolOffer,
        "POST /schools/:urn/placement-offer": schoolOffer,
        "GET /providers/:id/trainees": trainees, "POST /providers/:id/trainees": trainees,
        "POST /providers/:id/trainees/upload": trainees,
        "GET /providers/:id/recruited": trainees, "GET /providers/:id/recruited/add": trainees,
        "POST /providers/:id/recruited/add": trainees,
        "GET /providers/:id/trainees/:trainee/edit": trainees, "POST /providers/:id/trainees/:trainee": trainees,
        "GET /providers/:id/trainees/:trainee/withdraw": trainees,
        "POST /providers/:id/trainees/:trainee/withdraw": trainees,
        "POST /providers/:id/trainees/:trainee/reinstate": trainees,
        "POST /schools/:urn/placement-offer/respond": schoolOffer,
        "GET /placements/allocation/compare": coordinator, "GET /placements/allocation/place": coordinator,
        "GET /placements/allocation": coordinator, "POST /placements/allocation": coordinator,
        "POST /placements/allocation/:run/publish": coordinator, "GET /placements/allocation.csv": coordinator,
        "GET /placements/allocation/:run/publish": coordinator, "POST /placements/allocation/withdraw": coordinator,
        "POST /placements/allocation/constraints": coordinator,
        "POST /placements/allocation/constraints/:constraint/remove": coordinator,
        "GET /retention": staff, "GET /retention.csv": staff,
        "GET /specialists": staff, "GET /specialists.csv": staff, "GET /api/v1/specialists": staff,
        "POST /specialists/upload": roles([.coordinator, .schoolStaff]),
        "GET /internships": roles([.undergraduate]), "POST /internships": roles([.undergraduate]),
        "POST /internships/intention": roles([.undergraduate]),
        "GET /internships/matching": coordinator, "POST /internships/matching/confirm": coordinator,
        "GET /schools/:urn/internships": staffList, "POST /schools/:urn/internships": staffList,
        "POST /schools/:urn/internships/:offer/ranking": staffList,
        "POST /schools/:urn/internships/attendance": staffList,
        "GET /schools/:urn/vacancies": staffList, "POST /schools/:urn/vacancies": staffList,
        "POST /schools/:urn/vacancies/:vacancy/close": staffList,
        "GET /vacancies": roles([.coordinator, .providerStaff]), "POST /vacancies/referrals": roles([.providerStaff]),
        "GET /api/v1/vacancies": roles([.coordinator, .providerStaff, .schoolStaff]),
        "GET /api/v1/internships": signedIn,
        "GET /returners": roles([.coordinator, .providerStaff]), "POST /returners": coordinator,
        "POST /returners/from-register": coordinator, "GET /returners/:returner": coordinator,
        "POST /returners/:returner/steps": coordinator,
        "GET /retention/forecast": coordinator, "GET /retention/forecast.csv": coordinator,
        "GET /retention/hazards.csv": staff, "GET /retention/funnel.csv": staff,
        "GET /api/v1/teachers": staff, "GET /api/v1/retention": staff, "GET /teachers/:teacher": signedIn,
        "GET /cpd": everyone, "GET /api/v1/cpd": everyone, "GET /api/v1/cpd/enrolments": signedIn,
        "GET /cpd/:programme": everyone,
        "GET /cpd/:programme/calendar.ics": everyone,
        "GET /cpd/enrolments": learners, "GET /cpd/enrolments.ics": learners,
        "POST /cpd/enrolments/:enrolment/withdraw": learners, "POST /cpd/:programme/cohorts/:cohort/enrol": learners,
        "POST /cpd/enrolments/:enrolment/decide": cpdManagers,
        "POST /cpd/enrolments/:enrolment/attendance": cpdManagers,
        "GET /cpd/manage": cpdManagers, "GET /cpd/take-up": staff, "GET /cpd/new": cpdManagers,
        "POST /cpd/new": cpdManagers,
        "GET /cpd/:programme/enrolments": cpdManagers, "POST /cpd/:programme/enrol-for": roles([.schoolStaff]),
        "POST /cpd/:programme/cohorts": cpdManagers,
        "GET /events": everyone, "GET /events/:event": everyone, "GET /events/:event/calendar.ics": everyone,
        "GET /events/new": cpdManagers, "POST /events/new": cpdManagers,
        "POST /events/:event/register": roles([.applicant, .undergraduate]),
        "POST /events/registrations/:registration/cancel": roles([.applicant, .undergraduate]),
        "POST /events/registrations/:registration/attendance": cpdManagers,
        "GET /events/:event/registrations": cpdManagers, "POST /events/:event/reminders": cpdManagers,
        // Importing individual applications: a provider's staff (coordinators too when individual records are
        // shared; the demo shares aggregates only).
        "GET /applications": cpdManagers, "GET /applications/import": roles([.providerStaff]),
        "POST /applications/import": roles([.providerStaff]), "GET /api/v1/applications/funnel": cpdManagers,
        "GET /surveys": coordinator, "POST /surveys": coordinator, "GET /surveys/:survey": coordinator,
        "POST /surveys/:survey/questions": coordinator, "POST /surveys/:survey/open": coordinator,
        "POST /surveys/:survey/close": coordinator, "POST /surveys/:survey/invitations": coordinator,
        "POST /surveys/:survey/reminders": coordinator, "POST /surveys/:survey/responses/:response/tag": coordinator,
        "GET /surveys/:survey/responses.csv": coordinator,
        // A survey link is the respondent's credential: anyone holding it may answer, once.
        "GET /survey/:token": everyone, "POST /survey/:token": everyone,
        "GET /advice": roles([.applicant, .undergraduate]), "POST /advice": roles([.applicant, .undergraduate]),
        "GET /advice/cases": cpdManagers, "GET /advice/cases/:case": cpdManagers,
        "POST /advice/cases/:case/take": cpdManagers, "POST /advice/cases/:case/assign": coordinator,
        "POST /advice/cases/:case/contacts": cpdManagers, "POST /advice/cases/:case/eligibility": cpdManagers,
        "POST /advice/cases/:case/applied": cpdManagers, "POST /advice/cases/:case/close": cpdManagers,
        "GET /experience": everyone, "GET /experience/:date": everyone,
        "GET /experience/requests": roles([.applicant, .undergraduate]),
        "POST /experience/requests/:request/withdraw": roles([.applicant, .undergraduate]),
        "POST /experience/:date/request": roles([.applicant, .undergraduate]),
        "GET /schools/:urn/experience": staffList, "POST /schools/:urn/experience": staffList,
        "POST /schools/:urn/experience/requests/:request": staffList,
        "GET /post16": staff, "GET /post16/:urn": schoolOffer, "POST /post16/:urn": schoolOffer,
        "GET /evidence": everyone, "GET /evidence/new": cpdManagers, "POST /evidence/new": cpdManagers,
        "GET /evidence/engagement": learners, "POST /evidence/engagement": learners, "GET /evidence/share": staff,
        // Peer groups name ECTs: coordinators form them; each teacher or mentor sees their own.
        "GET /ects/peer-groups": coordinator, "POST /ects/peer-groups/form": coordinator,
        "POST /ects/peer-groups/move": coordinator, "POST /ects/peer-groups/lock": coordinator,
        "GET /ects/my-group": learners,
        // A group's meetings: the coordinator and the group's members (checked inside; a random id is 404).
        "GET /ects/peer-groups/:group/meetings": roles([.coordinator, .teacher, .mentor]),
        "POST /ects/peer-groups/:group/meetings": roles([.coordinator, .teacher, .mentor]),
        "POST /ects/peer-groups/:group/meetings/:meeting": roles([.coordinator, .teacher, .mentor]),
        // Development: an ECT's own profile and suggestions; their current mentor rates them (anyone else with the
        // role is refused inside, by the mentorship, with 403: the random id here is no one's, so 404 is past the
        // gate); schools keep their own ECTs' mentors; coordinators see the region's areas.
        "GET /ects/development": learners, "POST /ects/development": learners,
        "POST /ects/development/take-up": learners, "GET /ects/development/areas": coordinator,
        "GET /ects/development/areas.csv": coordinator,
        "GET /ects/mentees": learners, "GET /ects/mentees/:teacher": learners,
        "POST /ects/mentees/:teacher": learners,
        "GET /schools/:urn/ects": staffList, "POST /schools/:urn/ects/mentor": staffList,
        "GET /schools/:urn/ects/:teacher/induction": staffList, "POST /schools/:urn/ects/:teacher/induction": staffList,
        "POST /schools/:urn/ects/:teacher/induction/outcome": staffList, "GET /ects/induction": coordinator,
        "GET /api/v1/ects/suggestions": learners, "GET /api/v1/ects/development-areas": coordinator,
        "GET /api/v1/ects/peer-groups": coordinator,
        "GET /ects/career": learners, "POST /ects/career": learners, "POST /ects/career/offer": learners,
        "POST /teachers/:teacher/accounts": staff, "POST /teachers/:teacher/accounts/:person/remove": staff,
        "GET /providers/:id/trainees/:trainee/teacher": trainees,
        "POST /providers/:id/trainees/:trainee/teacher": trainees,
        "GET /schools/:urn/staff/:teacher/change": staffList, "POST /schools/:urn/staff/:teacher/change": staffList,
        "GET /schools/:urn/staff": staffList, "POST /schools/:urn/staff": staffList,
        "POST /schools/:urn/staff/upload": staffList, "GET /schools/:urn/staff/:teacher/end": staffList,
        "POST /schools/:urn/staff/:teacher/end": staffList,
    ]

    /// A school's staff list from the register: its own staff (coordinators only when individual records are
    /// shared, which the demo's aggregates-only setting does not).
    static let staffList: Rule = { v, c in
        guard case .role(let r) = v else { return .signIn }
        return r == .schoolStaff && c == .own ? .allowed : .forbidden
    }

    /// A provider's trainees: its own staff (coordinators only when individual records are shared).
    static let trainees: Rule = { v, c in
        guard case .role(let r) = v else { return .signIn }
        return r == .providerStaff && c == .own ? .allowed : .forbidden
    }

    /// A school's placement offer: coordinators, and the school's own staff.
    static let schoolOffer: Rule = { v, c in
        guard case .role(let r) = v else { return .signIn }
        return r == .coordinator || (r == .schoolStaff && c == .own) ? .allowed : .forbidden
    }

    /// Whom "own" and "other" mean for each viewer: a person in one of the viewer's organisations, and one in none.
    static func subject(for viewer: Viewer, _ context: Context) -> String {
        let schoolSide: Set<Role> = [.schoolStaff, .mentor, .teacher]
        let atSchool: Bool
        if case .role(let r) = viewer { atSchool = schoolSide.contains(r) } else { atSchool = false }
        switch (viewer, context) {
        case (.role(.undergraduate), .own): return "rhys.evans@example.org"  // at Tom's university
        case (.role(.undergraduate), .other): return "megan.hughes@example.org"
        case (_, .own): return atSchool ? "hannah.clarke@example.org" : "megan.hughes@example.org"
        case (_, .other): return atSchool ? "oliver.nowak@example.org" : "rhys.evans@example.org"
        }
    }

    /// A concrete path for a route pattern. Ids that only coordinators' routes use are random, so that no request
    /// changes the data the others depend on: an allowed request then ends in 404, which is past the gate.
    static func path(
        _ route: Route, subject: PersonID, ownSchool: Int, providers: (own: String, other: String), context: Context
    ) -> String {
        "/"
            + route.path.map { c -> String in
                guard case .parameter(let name) = c else { return c.description }
                if name == "id" && route.path.first?.description == "providers" {
                    return context == .own ? providers.own : providers.other
                }
                switch name {
                case "urn": return context == .own ? String(ownSchool) : "141308"
                case "id":
                    return route.path.first?.description == "people" || route.path.contains(.constant("people"))
                        ? subject.description : UUID().uuidString.lowercased()
                case "token": return "no-such-token"
                default: return UUID().uuidString.lowercased()
                }
            }.joined(separator: "/")
    }

    static func classify(_ reply: Agent.Reply) -> Outcome {
        if reply.status == .unauthorized { return .signIn }
        if reply.status == .seeOther, let to = reply.location, to == "/sign-in" || to.hasPrefix("/sign-in?next=") {
            return .signIn
        }
        return reply.status == .forbidden ? .forbidden : .allowed
    }

    @Test("Every route, every role, own and another organisation: the outcome the rules call for")
    func matrix() async throws {
        try await withTestApp(seed: true) { app in
            let routes = app.routes.all
            let keys = routes.map { "\($0.method.rawValue) /\($0.path.string)" }
            let unlisted = keys.filter { Self.expectations[$0] == nil }
            #expect(unlisted.isEmpty, "routes without an expected outcome: \(unlisted)")
            let stale = Set(Self.expectations.keys).subtracting(keys)
            #expect(stale.isEmpty, "expectations for routes that do not exist: \(stale)")

            var people: [Viewer: PersonID] = [:]
            for role in Role.allCases { people[.role(role)] = try await app.person(email: try app.demo(role).email).id }
            // A fresh session for every request, so that signing out (or anything else) cannot affect the next.
            func session(_ viewer: Viewer) async throws -> (cookie: String, csrf: String)? {
                guard let person = people[viewer] else { return nil }
                let secret = Secret.generate()
                let csrf = Secret.generate()
                try await CredentialStore(app.db).createSession(
                    person: person, tokenHash: Secret.hash(secret), csrfToken: csrf, now: Date(), address: nil,
                    userAgent: nil)
                return (secret, csrf)
            }
            var subjects: [String: PersonID] = [:]
            for viewer in Viewer.all {
                for context in Context.allCases {
                    let email = Self.subject(for: viewer, context)
                    subjects[email] = try await app.person(email: email).id
                }
            }
            let schoolStaff = try await PeopleStore(app.db).record(try #require(people[.role(.schoolStaff)]))
            let schoolOrganisation = try #require(schoolStaff?.memberships.first?.organisation)
            let ownSchool = try #require(try await OrganisationStore(app.db).find(schoolOrganisation)?.urn?.value)
            #expect(ownSchool != 141308)
            let providerStaff = try await PeopleStore(app.db).record(try #require(people[.role(.providerStaff)]))
            let undergraduate = try await PeopleStore(app.db).record(try #require(people[.role(.undergraduate)]))
            let providers = (
                own: try #require(providerStaff?.memberships.first?.organisation.description),
                other: try #require(undergraduate?.memberships.first?.organisation.description)
            )
            #expect(providers.own != providers.other)
            var checked = 0
            var failures: [String] = []
            for route in routes {
                let key = "\(route.method.rawValue) /\(route.path.string)"
                guard let rule = Self.expectations[key] else { continue }
                for viewer in Viewer.all {
                    for context in Context.allCases {
                        let subject = try #require(subjects[Self.subject(for: viewer, context)])
                        let agent = Agent(app)
                        var form: [String: String]?
                        if let session = try await session(viewer) {
                            agent.cookies["chalkface_session"] = session.cookie
                            if route.method != .GET { form = ["csrf_token": session.csrf] }
                        } else if route.method != .GET {
                            let token = try #require(try await agent.get("/sign-in").csrf)
                            form = ["csrf_token": token]
                        }
                        let path = Self.path(
                            route, subject: subject, ownSchool: ownSchool, providers: providers, context: context)
                        let reply = try await agent.request(route.method, path, form: form)
                        let got = Self.classify(reply)
                        let want = rule(viewer, context)
                        checked += 1
                        if got != want {
                            failures.append(
                                "\(key) as \(viewer) (\(context)): \(got), expected \(want) [\(reply.status.code)]")
                        }
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
            #expect(checked == routes.count * Viewer.all.count * Context.allCases.count)
        }
    }

    @Test("Everyone may read their own record; coordinators read others' only when the partnership shares them")
    func selfAndSharing() async throws {
        try await withTestApp(seed: true) { app in
            for role in Role.allCases {
                let account = try app.demo(role)
                let agent = Agent(app)
                try await agent.signIn(account.email, account.password)
                let me = try await app.person(email: account.email)
                #expect(try await agent.get("/people/\(me.id)").status == .ok, "\(role)")
                #expect(try await agent.get("/api/v1/people/\(me.id)").status == .ok, "\(role)")
            }
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let rhys = try await app.person(email: "rhys.evans@example.org")
            #expect(try await coordinator.get("/people/\(rhys.id)").status == .forbidden)
            let partnership = try #require(try await OrganisationStore(app.db).mainPartnership())
            try await OrganisationStore(app.db).setDataSharing(.individualRecords, for: partnership.id)
            #expect(try await coordinator.get("/people/\(rhys.id)").status == .ok)
            #expect(try await coordinator.get("/api/v1/people/\(rhys.id)").status == .ok)
            // Sharing changes nothing for anyone else.
            let mentor = Agent(app)
            try await mentor.signIn(try app.demo(.mentor).email, try app.demo(.mentor).password)
            #expect(try await mentor.get("/people/\(rhys.id)").status == .forbidden)
        }
    }
}

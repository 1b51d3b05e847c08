import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Sign-in, sessions and credentials")
struct SignInTests {
    @Test("Sign in lands on the dashboard with a new session id each time; sign out ends the session")
    func signInAndOut() async throws {
        try await withTestApp(seed: true) { app in
            let teacher = try app.demo(.teacher)
            let agent = Agent(app)
            _ = try await agent.get("/sign-in")
            #expect(agent.cookies["chalkface_csrf"] != nil)
            #expect(agent.cookies["chalkface_session"] == nil)
            let signedIn = try await agent.signIn(teacher.email, teacher.password)
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.location == "/dashboard")
            let cookie = try #require(signedIn.headers[.setCookie].first { $0.hasPrefix("chalkface_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            let first = try #require(agent.cookies["chalkface_session"])
            let dashboard = try await agent.get("/dashboard")
            #expect(dashboard.status == .ok)
            #expect(dashboard.body.contains("Your dashboard") && dashboard.body.contains("id=\"role-teacher\""))

            // Signing in again (from the dashboard's form token) gives a new session id and ends the old one.
            let token = try #require(dashboard.csrf)
            let again = try await agent.request(
                .POST, "/sign-in", form: ["email": teacher.email, "password": teacher.password, "csrf_token": token])
            #expect(again.status == .seeOther)
            let second = try #require(agent.cookies["chalkface_session"])
            #expect(second != first)
            let stale = Agent(app)
            stale.cookies = ["chalkface_session": first]
            #expect(try await stale.get("/dashboard").location?.hasPrefix("/sign-in") == true)

            let out = try await agent.submit("/sign-out", from: "/dashboard", [:])
            #expect(out.location == "/sign-in?signed_out=1")
            let replay = Agent(app)
            replay.cookies = ["chalkface_session": second]
            #expect(try await replay.get("/dashboard").location == "/sign-in?next=/dashboard")
        }
    }

    @Test("Wrong passwords and unknown addresses get the same message; bad input names the field")
    func wrongPassword() async throws {
        try await withTestApp(seed: true) { app in
            let agent = Agent(app)
            let wrong = try await agent.signIn(try app.demo(.mentor).email, "not the password at all")
            let unknown = try await agent.signIn("nobody@example.org", "not the password at all")
            #expect(wrong.status == .badRequest && unknown.status == .badRequest)
            #expect(wrong.body.contains("Enter a correct email address and password"))
            #expect(unknown.body.contains("Enter a correct email address and password"))
            let empty = try await agent.signIn("not an email", "")
            #expect(empty.body.contains("Enter an email address in the correct format"))
            #expect(empty.body.contains("Enter your password"))
            #expect(agent.cookies["chalkface_session"] == nil)
        }
    }

    @Test("A form without the right CSRF token is refused and changes nothing")
    func csrf() async throws {
        try await withTestApp(seed: true) { app in
            let applicant = try app.demo(.applicant)
            let agent = Agent(app)
            _ = try await agent.get("/sign-in")
            let missing = try await agent.request(
                .POST, "/sign-in", form: ["email": applicant.email, "password": applicant.password])
            #expect(missing.status == .forbidden)
            #expect(missing.body.contains("security token"))
            let forged = try await agent.request(
                .POST, "/sign-in",
                form: [
                    "email": applicant.email, "password": applicant.password,
                    "csrf_token": String(repeating: "A", count: 43),
                ])
            #expect(forged.status == .forbidden)
            #expect(agent.cookies["chalkface_session"] == nil)

            // Signed in, the pre-sign-in token no longer works: forms need the session's own.
            let before = try #require(agent.cookies["chalkface_csrf"])
            try await agent.signIn(applicant.email, applicant.password)
            let tokens = try await agent.request(
                .POST, "/account/tokens",
                form: ["name": "script", "scope": "read", "expires_in_days": "30", "csrf_token": before])
            #expect(tokens.status == .forbidden)
            let person = try await app.person(email: applicant.email)
            #expect(try await CredentialStore(app.db).tokens(of: person.id).isEmpty)
            // Through the API the session cookie only reads: a cross-site request cannot change anything with it.
            #expect(try await agent.get("/api/v1/me").status == .ok)
            let writer = try await agent.request(.POST, "/api/v1/me/export")
            #expect([.unauthorized, .notFound, .methodNotAllowed].contains(writer.status))
        }
    }

    @Test("Sessions end after 30 minutes idle and 12 hours in all")
    func expiry() async throws {
        try await withTestApp(seed: true) { app in
            let clock = TestClock()
            clock.install(on: app)
            let staff = try app.demo(.schoolStaff)
            let agent = Agent(app)
            try await agent.signIn(staff.email, staff.password)
            clock.advance(29 * 60)
            #expect(try await agent.get("/dashboard").status == .ok)
            clock.advance(31 * 60)
            let idle = try await agent.get("/dashboard")
            #expect(idle.location?.hasPrefix("/sign-in") == true)
            #expect(agent.cookies["chalkface_session"] == nil)

            try await agent.signIn(staff.email, staff.password)
            for _ in 0..<(12 * 3) {
                clock.advance(20 * 60)
                if try await agent.get("/dashboard").status != .ok { break }
            }
            // Active every 20 minutes, yet signed out at 12 hours.
            #expect(try await agent.get("/dashboard").location?.hasPrefix("/sign-in") == true)
        }
    }

    @Test("Repeated failures slow sign-in, then lock it for 15 minutes, even with the right password")
    func lockout() async throws {
        try await withTestApp(seed: true) { app in
            let clock = TestClock()
            clock.install(on: app)
            let mentor = try app.demo(.mentor)
            let agent = Agent(app)
            for _ in 0..<3 { #expect(try await agent.signIn(mentor.email, "wrong password 123").status == .badRequest) }
            // The fourth failure is allowed, but then the next try must wait.
            #expect(try await agent.signIn(mentor.email, "wrong password 123").status == .badRequest)
            let slowed = try await agent.signIn(mentor.email, mentor.password)
            #expect(slowed.status == .tooManyRequests)
            #expect(slowed.body.contains("Wait 1 second"))
            for _ in 0..<6 {
                clock.advance(61)
                _ = try await agent.signIn(mentor.email, "wrong password 123")
            }
            clock.advance(61)
            let locked = try await agent.signIn(mentor.email, mentor.password)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.contains("Sign-in is locked"))
            #expect(agent.cookies["chalkface_session"] == nil)
            clock.advance(15 * 60)
            let open = try await agent.signIn(mentor.email, mentor.password)
            #expect(open.status == .seeOther)
            // Success clears the account's count.
            #expect(try await CredentialStore(app.db).failures("account:\(mentor.email)") == nil)
        }
    }

    @Test("One address trying many accounts is slowed and then locked too")
    func addressLockout() async throws {
        try await withTestApp(seed: true) { app in
            let clock = TestClock()
            clock.install(on: app)
            let agent = Agent(app)
            for i in 0..<SignInThrottle.address.lockAfter {
                clock.advance(61)
                let reply = try await agent.signIn("guess\(i)@example.org", "some password 123")
                #expect(reply.status == .badRequest, "attempt \(i)")
            }
            let teacher = try app.demo(.teacher)
            let locked = try await agent.signIn(teacher.email, teacher.password)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.contains("Sign-in is locked"))
            clock.advance(15 * 60)
            #expect(try await agent.signIn(teacher.email, teacher.password).status == .seeOther)
        }
    }

    @Test("Cookies are Secure when Chalkface is served over TLS")
    func secureCookies() async throws {
        try await withTestApp(seed: true) { app in
            app.configuration?.publicURLSetting = "https://chalkface.example.org"
            let teacher = try app.demo(.teacher)
            let agent = Agent(app)
            let reply = try await agent.signIn(teacher.email, teacher.password)
            let cookie = try #require(reply.headers[.setCookie].first { $0.hasPrefix("chalkface_session=") })
            #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
        }
    }

    @Test("API tokens: shown once, stored hashed, scoped, revocable, and they expire")
    func tokens() async throws {
        try await withTestApp(seed: true) { app in
            let clock = TestClock()
            clock.install(on: app)
            let provider = try app.demo(.providerStaff)
            let agent = Agent(app)
            try await agent.signIn(provider.email, provider.password)
            let created = try await agent.submit(
                "/account/tokens", from: "/account", ["name": "weekly report", "scope": "read", "expires_in_days": "7"])
            #expect(created.status == .created)
            #expect(created.headers.first(name: .cacheControl) == "no-store")
            let secret = try #require(
                created.body.components(separatedBy: "id=\"new-token\">").dropFirst().first?.prefix { $0 != "<" })
            #expect(secret.hasPrefix("cf_"))
            #expect(!(try await agent.get("/account").body.contains(String(secret))))
            let stored = try await (app.db as! any SQLDatabase).raw("SELECT token_hash FROM api_tokens").all()
            #expect(stored.count == 1)
            #expect(try stored[0].decode(column: "token_hash", as: String.self) != String(secret))

            let api = Agent(app)
            api.bearer = String(secret)
            let me = try await api.get("/api/v1/me")
            #expect(me.status == .ok)
            #expect(me.object["email"] as? String == provider.email)
            // Read-only: any other method is refused before it reaches a route.
            let write = try await api.request(.POST, "/api/v1/schools")
            #expect(write.status == .forbidden)
            #expect(write.headers.first(name: "WWW-Authenticate")?.contains("insufficient_scope") == true)

            // Expiry.
            clock.advance(7 * 86_400 + 1)
            #expect(try await api.get("/api/v1/me").status == .unauthorized)

            // Revocation: a new token works until revoked. (The week also ended the browser session.)
            try await agent.signIn(provider.email, provider.password)
            let second = try await agent.submit(
                "/account/tokens", from: "/account",
                ["name": "sync", "scope": "read-write", "expires_in_days": "30"])
            let secret2 = try #require(
                second.body.components(separatedBy: "id=\"new-token\">").dropFirst().first?.prefix { $0 != "<" })
            api.bearer = String(secret2)
            #expect(try await api.get("/api/v1/me").status == .ok)
            let person = try await app.person(email: provider.email)
            let token = try #require(
                try await CredentialStore(app.db).tokens(of: person.id).first { $0.name == "sync" })
            let revoked = try await agent.submit(
                "/account/tokens/\(token.id.uuidString.lowercased())/revoke", from: "/account", [:])
            #expect(revoked.status == .seeOther)
            let after = try await api.get("/api/v1/me")
            #expect(after.status == .unauthorized)
            #expect(
                after.object["reason"] as? String == "The API token is not valid: it is mistyped, expired or revoked.")
            // Someone else cannot revoke (or learn of) another person's token.
            let other = Agent(app)
            try await other.signIn(try app.demo(.mentor).email, try app.demo(.mentor).password)
            let foreign = try await other.submit(
                "/account/tokens/\(token.id.uuidString.lowercased())/revoke", from: "/account", [:])
            #expect(foreign.status == .notFound)
            #expect(try await Agent(app).get("/api/v1/me").status == .unauthorized)
        }
    }

    @Test("Reset links work once, for an hour; weak passwords are refused; the form does not reveal accounts")
    func passwordReset() async throws {
        try await withTestApp(seed: true) { app in
            let clock = TestClock()
            clock.install(on: app)
            let teacher = try app.demo(.teacher)
            let agent = Agent(app)
            let sent = try await agent.submit("/password-reset", from: "/password-reset", ["email": teacher.email])
            let nobody = try await agent.submit(
                "/password-reset", from: "/password-reset", ["email": "nobody@example.org"])
            #expect(sent.status == .ok && nobody.status == .ok)
            #expect(sent.body.contains("Check your email") && nobody.body.contains("Check your email"))
            #expect(try await app.outbox().count { $0.subject == "Reset your Chalkface password" } == 1)
            let token = try await app.newestLink(to: teacher.email)

            #expect(try await agent.get("/links/\(token)").body.contains("Choose a new password"))
            let weak = try await agent.submit(
                "/links/\(token)", from: "/links/\(token)",
                ["password": "Password1234!", "confirmation": "Password1234!"])
            #expect(weak.status == .badRequest)
            #expect(weak.body.contains("too common"))
            let short = try await agent.submit(
                "/links/\(token)", from: "/links/\(token)", ["password": "short", "confirmation": "short"])
            #expect(short.body.contains("12 characters or more"))
            let good = "violet kettle harbour 42"
            let done = try await agent.submit(
                "/links/\(token)", from: "/links/\(token)", ["password": good, "confirmation": good])
            #expect(done.status == .seeOther && done.location == "/dashboard")
            #expect(try await agent.get("/dashboard").status == .ok)

            // Used: refused with a clear page.
            let stranger = Agent(app)
            let reused = try await stranger.get("/links/\(token)")
            #expect(reused.status == .gone)
            #expect(reused.body.contains("already been used"))
            let replay = try await stranger.submit(
                "/links/\(token)", from: "/sign-in",
                ["password": "another long passphrase", "confirmation": "another long passphrase"])
            #expect(replay.status == .gone)
            #expect(try await stranger.signIn(teacher.email, good).status == .seeOther)
            #expect(try await Agent(app).signIn(teacher.email, teacher.password).status == .badRequest)

            // Expired after an hour.
            clock.advance(1)
            _ = try await agent.submit("/password-reset", from: "/password-reset", ["email": teacher.email])
            let later = try await app.newestLink(to: teacher.email)
            #expect(later != token)
            clock.advance(3601)
            let expired = try await Agent(app).get("/links/\(later)")
            #expect(expired.status == .gone)
            #expect(expired.body.contains("expired"))
            #expect(try await Agent(app).get("/links/not-a-real-token").status == .notFound)
        }
    }

    @Test("Reset links are limited to three an hour for an email address, account or not, so no inbox is flooded")
    func resetRequestLimit() async throws {
        try await withTestApp(seed: true) { app in
            let clock = TestClock()
            clock.install(on: app)
            let teacher = try app.demo(.teacher)
            let agent = Agent(app)
            func ask(_ email: String) async throws -> Agent.Reply {
                try await agent.submit("/password-reset", from: "/password-reset", ["email": email])
            }
            for _ in 0..<3 { #expect(try await ask(teacher.email).status == .ok) }
            let fourth = try await ask(teacher.email)
            #expect(fourth.status == .tooManyRequests)
            #expect(fourth.body.contains("Too many reset links have been asked for. Try again in 60 minutes"))
            // The same for an address without an account: the limit says nothing about who has one.
            for _ in 0..<3 { _ = try await ask("nobody@example.org") }
            #expect(try await ask("nobody@example.org").status == .tooManyRequests)
            #expect(try await app.outbox().count { $0.subject == "Reset your Chalkface password" } == 3)
            // Another address is not held back; an hour later the first may ask again.
            #expect(try await ask(try app.demo(.mentor).email).status == .ok)
            clock.advance(3601)
            #expect(try await ask(teacher.email).status == .ok)
            #expect(try await app.outbox().count { $0.subject == "Reset your Chalkface password" } == 5)
        }
    }
}

@Suite("People's records, roles and the audit log")
struct PeopleAccessTests {
    @Test("The coordinator invites a person, who sets a password and lands on their role's dashboard")
    func invitation() async throws {
        try await withTestApp(seed: true) { app in
            let coordinator = try app.demo(.coordinator)
            let admin = Agent(app)
            try await admin.signIn(coordinator.email, coordinator.password)
            let school = try #require(try await OrganisationStore(app.db).list(kind: .school).first)
            let university = try #require(try await OrganisationStore(app.db).list(kind: .university).first)
            let bad = try await admin.submit(
                "/accounts/invite", from: "/accounts/invite",
                ["name": "", "email": "not-an-email", "organisation": university.id.description, "role": "mentor"])
            #expect(bad.status == .badRequest)
            #expect(
                bad.body.contains("Enter the person&#39;s full name")
                    || bad.body.contains("Enter the person's full name"))
            #expect(bad.body.contains("Mentor is not a role in a university"))
            let before = try await PeopleStore(app.db).count()
            let invited = try await admin.submit(
                "/accounts/invite", from: "/accounts/invite",
                [
                    "name": "Grace Osei", "email": "Grace.Osei@Example.org", "organisation": school.id.description,
                    "role": "mentor",
                ])
            #expect(invited.status == .seeOther)
            #expect(try await PeopleStore(app.db).count() == before + 1)
            let page = try await admin.get(try #require(invited.location))
            #expect(page.body.contains("Invitation sent to grace.osei@example.org"))
            let duplicate = try await admin.submit(
                "/accounts/invite", from: "/accounts/invite",
                [
                    "name": "Grace Again", "email": "grace.osei@example.org", "organisation": school.id.description,
                    "role": "mentor",
                ])
            #expect(duplicate.body.contains("Someone already has the email address"))

            // The coordinator sends the invitation again: a new link, and the first no longer works.
            let firstToken = try await app.newestLink(to: "grace.osei@example.org")
            let graceID = try await app.person(email: "grace.osei@example.org").id
            let accountPage = try await admin.get("/accounts/\(graceID)")
            #expect(accountPage.body.contains("Send the invitation again"))
            let resent = try await admin.submit(
                "/accounts/\(graceID)/resend-invitation", from: "/accounts/\(graceID)", [:])
            #expect(resent.status == .seeOther)
            let token = try await app.newestLink(to: "grace.osei@example.org")
            #expect(token != firstToken)
            #expect(try await Agent(app).get("/links/\(firstToken)").body.contains("Set up your account") == false)
            let grace = Agent(app)
            #expect(try await grace.get("/links/\(token)").body.contains("Set up your account"))
            let done = try await grace.submit(
                "/links/\(token)", from: "/links/\(token)",
                ["password": "marmalade otter lantern", "confirmation": "marmalade otter lantern"])
            #expect(done.location == "/dashboard")
            let dashboard = try await grace.get("/dashboard")
            #expect(dashboard.body.contains("id=\"role-mentor\""))
            #expect(
                dashboard.body.contains(school.name.replacingOccurrences(of: "'", with: "&#39;"))
                    || dashboard.body.contains(school.name))

            // The coordinator deactivates her: her session ends at once.
            let grace1 = try await app.person(email: "grace.osei@example.org")
            _ = try await admin.submit("/accounts/\(grace1.id)/deactivate", from: "/accounts/\(grace1.id)", [:])
            #expect(try await grace.get("/dashboard").location?.hasPrefix("/sign-in") == true)
            let refused = try await Agent(app).signIn("grace.osei@example.org", "marmalade otter lantern")
            #expect(refused.body.contains("deactivated"))
        }
    }

    @Test("Provider staff see their provider's people only; coordinators see counts until sharing allows more")
    func scopes() async throws {
        try await withTestApp(seed: true) { app in
            let provider = try app.demo(.providerStaff)
            let staff = Agent(app)
            try await staff.signIn(provider.email, provider.password)
            let list = try await staff.get("/people")
            #expect(list.body.contains("Megan Hughes"))  // an applicant at the same university
            #expect(!list.body.contains("Rhys Evans"))  // an applicant at another university
            let megan = try await app.person(email: "megan.hughes@example.org")
            let rhys = try await app.person(email: "rhys.evans@example.org")
            #expect(try await staff.get("/people/\(megan.id)").status == .ok)
            #expect(try await staff.get("/people/\(rhys.id)").status == .forbidden)

            let coordinator = try app.demo(.coordinator)
            let admin = Agent(app)
            try await admin.signIn(coordinator.email, coordinator.password)
            let counts = try await admin.get("/people")
            #expect(counts.body.contains("id=\"people-counts\""))
            #expect(!counts.body.contains("Megan Hughes"))
            #expect(try await admin.get("/people/\(rhys.id)").status == .forbidden)
            let apiCounts = try await admin.get("/api/v1/people")
            #expect(apiCounts.object["aggregates_only"] as? Bool == true)

            _ = try await admin.submit(
                "/partnership/settings", from: "/partnership", ["data_sharing": "individual-records"])
            #expect(try await admin.get("/people").body.contains("Rhys Evans"))
            #expect(try await admin.get("/people/\(rhys.id)").status == .ok)
            #expect((try await admin.get("/api/v1/people").object["total"] as? Int ?? 0) >= 17)

            // Every read is in the audit log, with who read whose record.
            let reads = try await AuditLog(app.db).events(.init(subjectPerson: rhys.id, action: .personRead)).events
            let readers = Set(reads.compactMap(\.actor))
            #expect(readers == [try await app.person(email: coordinator.email).id])
            let log = try await admin.get("/audit?action=person.read&person=\(rhys.id)")
            #expect(log.body.contains("Read a person&#39;s record") || log.body.contains("Read a person's record"))
            #expect(log.body.contains("id=\"audit-count\">1 entr"))
            #expect(try await admin.get("/audit?from=yesterday").status == .badRequest)
        }
    }

    @Test("The coordinator adds and changes organisations and partnership membership; bad fields are named")
    func organisations() async throws {
        try await withTestApp(seed: true) { app in
            let admin = Agent(app)
            try await admin.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let bad = try await admin.submit(
                "/organisations", from: "/organisations/new",
                [
                    "name": "", "kind": "school", "urn": "abc", "ukprn": "abc", "website": "example.org",
                    "joined_on": "31-02-2025",
                ])
            #expect(bad.status == .badRequest)
            for message in [
                "Enter the organisation", "URN must be a number", "UKPRN must be 8 digits",
                "Website must start with https://",
                "Joined on must be a real date",
            ] {
                #expect(bad.body.contains(message), "\(message)")
            }
            let count = try await OrganisationStore(app.db).list().count
            let created = try await admin.submit(
                "/organisations", from: "/organisations/new",
                [
                    "name": "Weald Teaching School Hub (demo)", "kind": "teaching-school-hub", "member": "true",
                    "joined_on": "2026-09-01", "website": "https://weald.example.org",
                ])
            #expect(created.status == .seeOther)
            let store = OrganisationStore(app.db)
            #expect(try await store.list().count == count + 1)
            let hub = try #require(try await store.list(kind: .teachingSchoolHub).first { $0.name.hasPrefix("Weald") })
            #expect(try await store.membership(of: hub.id)?.1 == Day("2026-09-01"))
            #expect(try await admin.get("/partnership").body.contains("Weald Teaching School Hub (demo)"))

            let edit = try await admin.get("/organisations/\(hub.id)/edit")
            #expect(edit.body.contains("value=\"Weald Teaching School Hub (demo)\""))
            let changed = try await admin.submit(
                "/organisations/\(hub.id)", from: "/organisations/\(hub.id)/edit",
                ["name": "Weald Hub (demo)", "kind": "teaching-school-hub", "joined_on": ""])
            #expect(changed.status == .seeOther)
            #expect(try await store.find(hub.id)?.name == "Weald Hub (demo)")
            #expect(try await store.membership(of: hub.id) == nil)
            let page = try await admin.get("/partnership")
            #expect(page.body.contains("Organisations that are not members") && page.body.contains("Weald Hub (demo)"))
            let log = try await AuditLog(app.db).events(.init(action: .organisationUpdated)).events
            #expect(log.first?.detail == "Weald Hub (demo) (teaching-school-hub), not a member")
            #expect(try await admin.get("/organisations/\(UUID())/edit").status == .notFound)
        }
    }

    @Test("A person downloads everything held about them")
    func subjectAccessExport() async throws {
        try await withTestApp(seed: true) { app in
            let applicant = try app.demo(.applicant)
            let agent = Agent(app)
            try await agent.signIn(applicant.email, applicant.password)
            _ = try await agent.submit(
                "/account/tokens", from: "/account", ["name": "my script", "scope": "read", "expires_in_days": "30"])
            _ = try await agent.submit("/password-reset", from: "/password-reset", ["email": applicant.email])
            let export = try await agent.get("/account/export")
            #expect(export.status == .ok)
            #expect(export.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            let json = export.object
            let person = try #require(json["person"] as? [String: Any])
            #expect(person["email"] as? String == applicant.email)
            #expect(person["name"] as? String == applicant.name)
            let memberships = try #require(json["memberships"] as? [[String: Any]])
            #expect(memberships.map { $0["role"] as? String } == ["applicant"])
            #expect((json["api_tokens"] as? [[String: Any]])?.first?["name"] as? String == "my script")
            #expect((json["sessions"] as? [[String: Any]])?.count == 1)
            let actions = (json["audit_log"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.contains("session.sign-in") && actions.contains("token.create"))
            #expect(actions.contains("password.reset-request"))
            #expect(
                (json["emails"] as? [[String: Any]])?.first?["subject"] as? String == "Reset your Chalkface password")
            // No secrets: neither the password hash nor the token's secret or hash.
            #expect(
                !export.body.contains("$2b$") && !export.body.contains("cf_") && !export.body.contains("token_hash"))
            // The API gives the same, and the export itself is audited.
            let api = agent
            let viaAPI = try await api.get("/api/v1/me/export")
            #expect(viaAPI.status == .ok)
            let me = try await app.person(email: applicant.email)
            #expect(try await AuditLog(app.db).events(.init(subjectPerson: me.id, action: .personExported)).total == 2)
        }
    }

    @Test("Erasure anonymises the record, ends access, and leaves aggregate counts unchanged")
    func erasure() async throws {
        try await withTestApp(seed: true) { app in
            let undergraduate = try app.demo(.undergraduate)
            let person = try await app.person(email: undergraduate.email)
            let countsBefore = try await PeopleStore(app.db).countsByOrganisationAndRole()
            let totalBefore = try await PeopleStore(app.db).count()
            let agent = Agent(app)
            try await agent.signIn(undergraduate.email, undergraduate.password)
            let wrong = try await agent.submit(
                "/account/erase", from: "/account/erase", ["password": "not my password"])
            #expect(wrong.status == .badRequest)
            let erased = try await agent.submit(
                "/account/erase", from: "/account/erase", ["password": undergraduate.password])
            #expect(erased.status == .ok)
            #expect(erased.body.contains("Your record has been erased"))

            let after = try #require(try await PeopleStore(app.db).find(person.id))
            #expect(after.name == Person.erasedName && after.email == Person.erasedEmail(person.id))
            #expect(!after.active && after.erasedAt != nil && !after.hasPassword)
            #expect(try await PeopleStore(app.db).countsByOrganisationAndRole() == countsBefore)
            #expect(try await PeopleStore(app.db).count() == totalBefore)
            #expect(try await agent.get("/dashboard").location?.hasPrefix("/sign-in") == true)
            #expect(try await Agent(app).signIn(undergraduate.email, undergraduate.password).status == .badRequest)
            // Nothing in the tables still holds the address or name.
            let sql = app.db as! any SQLDatabase
            for (table, column) in [("people", "email"), ("outbox", "recipient"), ("people", "name")] {
                let rows = try await sql.raw(
                    "SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE \(unsafeRaw: column) IN (\(bind: undergraduate.email), \(bind: undergraduate.name))"
                ).all()
                #expect(try rows[0].decode(column: "n", as: Int.self) == 0, "\(table).\(column)")
            }
            // The audit log keeps its entries, and cannot be rewritten.
            let events = try await AuditLog(app.db).events(involving: person.id)
            #expect(events.contains { $0.action == .personErased })
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE audit_events SET detail = 'changed'").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("DELETE FROM audit_events").run()
            }
        }
    }

    @Test("chalkface users create-admin makes a coordinator with a one-time link; users list shows accounts")
    func commandLine() async throws {
        try await withTestApp(seed: true) { app in
            let created = try await UserAdministration.createAdmin(
                app, email: "Ruth.Ellis@example.org", name: "Ruth Ellis", organisation: "kent")
            #expect(created.organisation.name == "Kent")
            #expect(created.link.hasPrefix("http://127.0.0.1:8080/links/"))
            let token = String(created.link.split(separator: "/").last!)
            let ruth = Agent(app)
            _ = try await ruth.submit(
                "/links/\(token)", from: "/links/\(token)",
                ["password": "granite pelican umbrella", "confirmation": "granite pelican umbrella"])
            #expect(try await ruth.get("/accounts").status == .ok)
            let listing = try await UserAdministration.list(app)
            #expect(listing.contains("ruth.ellis@example.org\tRuth Ellis\tactive\tpartnership-coordinator@Kent"))
            await #expect(throws: Domain.ValidationError.self) {
                try await UserAdministration.createAdmin(
                    app, email: "x@example.org", name: nil, organisation: "Atlantis")
            }
        }
    }
}

import Foundation
import Testing

@testable import Domain

@Suite("Identity rules")
struct IdentityRuleTests {
    static let policy = PasswordPolicy(commonPasswords: ["password", "football", "letmein", "qwertyuiop", "sunshine"])

    @Test(
        "Common passwords are refused, with the digits, symbols and look-alike letters people add",
        arguments: [
            "password1234", "Password1234!", "P@ssw0rd2024!!", "footballfootball", "1234letmein!!", "qwertyuiop12",
            "5un5h1ne12345",
        ])
    func common(_ password: String) {
        #expect(
            Self.policy.problems(password) == [
                "Password is too common: it is on a list of passwords that attackers try first"
            ])
    }

    @Test(
        "Long, uncommon passwords are accepted",
        arguments: ["violet kettle harbour 42", "correct horse battery", "k3v9-xq2m-p7wd-h4tn", "footballs are round!"])
    func accepted(_ password: String) {
        #expect(Self.policy.problems(password).isEmpty)
    }

    @Test("Short, repetitive or personal passwords are refused with a reason")
    func other() {
        #expect(Self.policy.problems("short1!")[0].contains("12 characters or more"))
        #expect(Self.policy.problems("aaaaaaaaaaaaaaaa")[0].contains("repeat"))
        #expect(Self.policy.problems(String(repeating: "ab1d", count: 40))[0].contains("128"))
        #expect(
            Self.policy.problems("helen.marsh 2026!", email: "helen.marsh@example.org")[0].contains("name or email"))
        #expect(Self.policy.problems("I am Okafor and proud", name: "Amara Okafor")[0].contains("name or email"))
    }

    @Test("Sign-in throttle: free tries, growing waits, a lock that expires, and forgetting after the window")
    func throttle() {
        let t = SignInThrottle.account
        let start = Date(timeIntervalSince1970: 0)
        var state: SignInThrottle.State?
        for i in 1...3 {
            state = t.failing(state, now: start.addingTimeInterval(Double(i)))
            #expect(t.decide(state, now: start.addingTimeInterval(Double(i))) == .allowed)
        }
        state = t.failing(state, now: start.addingTimeInterval(4))
        #expect(t.decide(state, now: start.addingTimeInterval(4)) == .wait(seconds: 1))
        state = t.failing(state, now: start.addingTimeInterval(5))
        #expect(t.decide(state, now: start.addingTimeInterval(5)) == .wait(seconds: 2))
        #expect(t.decide(state, now: start.addingTimeInterval(7)) == .allowed)
        var now = start.addingTimeInterval(10)
        while state!.failures < t.lockAfter {
            now += 61
            state = t.failing(state, now: now)
        }
        #expect(t.decide(state, now: now + 60) == .lockedUntil(now + 15 * 60))
        #expect(t.decide(state, now: now + 15 * 60) == .allowed)
        // A failure after the lock has passed starts counting again from one.
        #expect(t.failing(state, now: now + 15 * 60).failures == 1)
        // Failures are forgotten a window after the last one.
        let few = t.failing(t.failing(nil, now: start), now: start)
        #expect(t.failing(few, now: start + t.window).failures == 1)
    }

    static func principal(_ roles: [(Role, OrganisationID)]) -> Principal {
        let person = Person(name: "Viewer", email: "viewer@example.org", createdAt: Date())
        return Principal(
            person: person,
            memberships: roles.map {
                Membership(
                    person: person.id, organisation: $0.1, organisationName: "Org", organisationKind: .university,
                    role: $0.0, since: Date())
            })
    }

    @Test("Access policy: own organisation's staff, self, and coordinators only when records are shared")
    func access() {
        let provider = OrganisationID()
        let school = OrganisationID()
        let elsewhere = OrganisationID()
        let subject = PersonID()
        let atProvider = [
            Membership(
                person: subject, organisation: provider, organisationName: "P", organisationKind: .university,
                role: .applicant, since: Date())
        ]
        let staff = Self.principal([(.providerStaff, provider)])
        let otherStaff = Self.principal([(.providerStaff, elsewhere)])
        let schoolStaff = Self.principal([(.schoolStaff, school)])
        let coordinator = Self.principal([(.coordinator, elsewhere)])
        let mentor = Self.principal([(.mentor, provider)])
        for sharing in DataSharing.allCases {
            #expect(AccessPolicy.mayRead(person: subject, memberships: atProvider, viewer: staff, sharing: sharing))
            #expect(
                !AccessPolicy.mayRead(person: subject, memberships: atProvider, viewer: otherStaff, sharing: sharing))
            #expect(
                !AccessPolicy.mayRead(person: subject, memberships: atProvider, viewer: schoolStaff, sharing: sharing))
            #expect(!AccessPolicy.mayRead(person: subject, memberships: atProvider, viewer: mentor, sharing: sharing))
            #expect(AccessPolicy.mayRead(person: mentor.id, memberships: [], viewer: mentor, sharing: sharing))
        }
        #expect(
            !AccessPolicy.mayRead(
                person: subject, memberships: atProvider, viewer: coordinator, sharing: .aggregatesOnly))
        #expect(
            AccessPolicy.mayRead(
                person: subject, memberships: atProvider, viewer: coordinator, sharing: .individualRecords))
        #expect(AccessPolicy.seesAggregatesOnly(coordinator, sharing: .aggregatesOnly))
        #expect(AccessPolicy.peopleScope(for: staff, sharing: .individualRecords) == .organisations([provider]))
        #expect(RouteAccess.staff.decide(mentor) == .forbidden)
        #expect(RouteAccess.staff.decide(nil) == .needsSignIn)
        #expect(RouteAccess.coordinator.decide(coordinator) == .allowed)
        #expect(RouteAccess.signedIn.decide(mentor) == .allowed)
    }

    @Test("Roles fit kinds of organisation; token scopes fit methods; email addresses are normalised")
    func small() throws {
        #expect(throws: ValidationError.self) { try Membership.validate(role: .mentor, in: .university) }
        try Membership.validate(role: .mentor, in: .school)
        try Membership.validate(role: .coordinator, in: .localAuthority)
        #expect(TokenScope.read.permits(method: "GET") && !TokenScope.read.permits(method: "POST"))
        #expect(TokenScope.readWrite.permits(method: "DELETE"))
        #expect(EmailAddress.normalised("  Helen.Marsh@Example.ORG ") == "helen.marsh@example.org")
        for bad in ["", "no-at-sign", "two@@example.org", "a@b", "a@.org", "a b@example.org", "<x>@example.org"] {
            #expect(EmailAddress.normalised(bad) == nil, "\(bad)")
        }
    }
}

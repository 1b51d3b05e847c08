import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Signing in and out, password resets and invitation links.
struct SessionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", access: .everyone, use: signInForm)
        routes.post("sign-in", access: .everyone, use: signIn)
        routes.post("sign-out", access: .signedIn, use: signOut)
        routes.get("password-reset", access: .everyone, use: resetForm)
        routes.post("password-reset", access: .everyone, use: requestReset)
        routes.get("links", ":token", access: .everyone, use: linkForm)
        routes.post("links", ":token", access: .everyone, use: useLink)
    }

    func signInForm(req: Request) async throws -> Response {
        if req.principal != nil { return req.redirect(to: SitePath.dashboard) }
        var notice: String?
        if req.query[String.self, at: "signed_out"] != nil { notice = "You have signed out." }
        if req.query[String.self, at: "next"] != nil && notice == nil { notice = "Sign in to see that page." }
        return HTMLResponse.make(
            SignInPages.signIn(
                email: "", next: SitePathNext.safeNext(req.query[String.self, at: "next"]), problems: [],
                notice: notice,
                chrome: req.chrome))
    }

    struct SignInForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let typed = form.email ?? ""
        let next = SitePathNext.safeNext(form.next)
        func again(_ problems: [ValidationError.Problem], status: HTTPResponseStatus = .badRequest) -> Response {
            HTMLResponse.make(
                SignInPages.signIn(email: typed, next: next, problems: problems, notice: nil, chrome: req.chrome),
                status: status)
        }
        var problems: [ValidationError.Problem] = []
        let email = EmailAddress.normalised(typed)
        if typed.trimmingSpaces.isEmpty {
            problems.append(.init(field: "email", message: "Enter your email address"))
        } else if email == nil {
            problems.append(
                .init(field: "email", message: "Enter an email address in the correct format, like name@example.org"))
        }
        if (form.password ?? "").isEmpty { problems.append(.init(field: "password", message: "Enter your password")) }
        guard problems.isEmpty, let email, let password = form.password else { return again(problems) }

        let now = req.now
        let credentials = CredentialStore(req.db)
        let accountKey = "account:\(email)"
        let addressKey = "address:\(req.sourceAddress ?? "unknown")"
        for (key, throttle) in [(accountKey, SignInThrottle.account), (addressKey, SignInThrottle.address)] {
            switch throttle.decide(try await credentials.failures(key), now: now) {
            case .allowed: continue
            case .wait(let seconds):
                return again(
                    [
                        .init(
                            field: "email",
                            message:
                                "Too many failed attempts. Wait \(seconds) second\(seconds == 1 ? "" : "s") before you try again."
                        )
                    ], status: .tooManyRequests)
            case .lockedUntil(let until):
                let minutes = Int((until.timeIntervalSince(now) / 60).rounded(.up))
                return again(
                    [
                        .init(
                            field: "email",
                            message:
                                "Sign-in is locked after too many failed attempts. Try again in \(minutes) minute\(minutes == 1 ? "" : "s"), or reset your password."
                        )
                    ], status: .tooManyRequests)
            }
        }

        let found = try await PeopleStore(req.db).credentials(email: email)
        let correct = try await Passwords.verify(password, hash: found?.passwordHash, req.application)
        guard correct, let person = found?.person else {
            for (key, throttle) in [(accountKey, SignInThrottle.account), (addressKey, SignInThrottle.address)] {
                try await credentials.setFailures(key, throttle.failing(try await credentials.failures(key), now: now))
            }
            try await req.audit(
                .signInFailed, subjectType: "person", subjectID: found?.person.id.description,
                person: found?.person.id, detail: found == nil ? "no account with that email" : "wrong password")
            return again(
                [.init(field: "email", message: "Enter a correct email address and password")], status: .badRequest)
        }
        guard person.active else {
            return again(
                [
                    .init(
                        field: "email",
                        message: "This account has been deactivated. Ask your partnership coordinator if you need it.")
                ], status: .forbidden)
        }
        try await credentials.clearFailures(accountKey)
        let response = req.redirect(to: next ?? SitePath.dashboard, redirectType: .normal)
        try await startSession(for: person.id, req, response)
        try await req.audit(
            .signedIn, subjectType: "person", subjectID: person.id.description, person: person.id, actor: person.id)
        return response
    }

    /// Starts a new session (a new id, whatever the browser had before) and sets its cookie on the response.
    func startSession(for person: PersonID, _ req: Request, _ response: Response) async throws {
        let credentials = CredentialStore(req.db)
        if let old = req.identity?.session { try await credentials.deleteSession(old.id) }
        let secret = Secret.generate()
        try await credentials.createSession(
            person: person, tokenHash: Secret.hash(secret), csrfToken: Secret.generate(), now: req.now,
            address: req.sourceAddress, userAgent: req.headers.first(name: .userAgent))
        try await PeopleStore(req.db).recordSignIn(person, at: req.now)
        response.cookies[SessionPolicy.cookieName] = req.sessionCookie(secret)
    }

    func signOut(req: Request) async throws -> Response {
        if let session = req.identity?.session {
            try await CredentialStore(req.db).deleteSession(session.id)
            try await req.audit(
                .signedOut, subjectType: "person", subjectID: session.person.description, person: session.person)
        }
        let response = req.redirect(to: SitePath.signIn + "?signed_out=1", redirectType: .normal)
        response.cookies[SessionPolicy.cookieName] = .expired
        return response
    }

    func resetForm(req: Request) async throws -> Response {
        HTMLResponse.make(SignInPages.requestReset(email: "", problems: [], chrome: req.chrome))
    }

    func requestReset(req: Request) async throws -> Response {
        let typed = (try? req.content.get(String.self, at: "email")) ?? ""
        func again(_ message: String, status: HTTPStatus) -> Response {
            HTMLResponse.make(
                SignInPages.requestReset(
                    email: typed, problems: [.init(field: "email", message: message)], chrome: req.chrome),
                status: status)
        }
        guard let email = EmailAddress.normalised(typed) else {
            return again("Enter an email address in the correct format, like name@example.org", status: .badRequest)
        }
        // Limits by the typed address (account or not, so the answer still says nothing about accounts) and by
        // the source address; each request counts.
        let credentials = CredentialStore(req.db)
        let limits = [
            ("reset:\(email)", SignInThrottle.resetRequests),
            ("reset-address:\(req.sourceAddress ?? "unknown")", SignInThrottle.resetRequestsFromAddress),
        ]
        for (key, throttle) in limits {
            if case .lockedUntil(let until) = throttle.decide(try await credentials.failures(key), now: req.now) {
                let minutes = Int((until.timeIntervalSince(req.now) / 60).rounded(.up))
                return again(
                    "Too many reset links have been asked for. Try again in \(minutes) minute\(minutes == 1 ? "" : "s"), or use the last link sent.",
                    status: .tooManyRequests)
            }
        }
        for (key, throttle) in limits {
            try await credentials.setFailures(key, throttle.failing(try await credentials.failures(key), now: req.now))
        }
        if let person = try await PeopleStore(req.db).credentials(email: email)?.person, person.active,
            person.erasedAt == nil
        {
            let secret = Secret.generate()
            try await req.db.transaction { tx in
                try await CredentialStore(tx).createLink(
                    person: person.id, tokenHash: Secret.hash(secret), purpose: .passwordReset, now: req.now)
                let mailer = Mailer(request: req)
                try await mailer.send(
                    to: person, subject: "Reset your Chalkface password",
                    body: """
                        Dear \(person.name),

                        Someone (we hope you) asked to reset the password of your Chalkface account. To choose a new \
                        password, open this link within 1 hour. It works once.

                        \(mailer.link(secret))

                        If you did not ask for this, you can ignore this email: your password has not changed.
                        """, on: tx)
                try await req.audit(
                    .passwordResetRequested, subjectType: "person", subjectID: person.id.description, person: person.id,
                    on: tx)
            }
        }
        // The same answer whether or not the address has an account, so the form cannot be used to find accounts.
        return HTMLResponse.make(SignInPages.resetSent(email: email, chrome: req.chrome))
    }

    func linkForm(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        switch try await CredentialStore(req.db).link(tokenHash: Secret.hash(token), now: req.now) {
        case .usable(let person, let purpose):
            guard let person = try await PeopleStore(req.db).find(person) else { throw Abort(.notFound) }
            return HTMLResponse.make(
                SignInPages.choosePassword(
                    token: token, purpose: purpose, person: person, problems: [], chrome: req.chrome))
        case .used: return HTMLResponse.make(SignInPages.linkProblem(.used, chrome: req.chrome), status: .gone)
        case .expired: return HTMLResponse.make(SignInPages.linkProblem(.expired, chrome: req.chrome), status: .gone)
        case .unknown:
            return HTMLResponse.make(SignInPages.linkProblem(.unknown, chrome: req.chrome), status: .notFound)
        }
    }

    func useLink(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let hash = Secret.hash(token)
        let credentials = CredentialStore(req.db)
        guard case .usable(let personID, let purpose) = try await credentials.link(tokenHash: hash, now: req.now),
            let person = try await PeopleStore(req.db).find(personID)
        else { return try await linkForm(req: req) }
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        let confirmation = (try? req.content.get(String.self, at: "confirmation")) ?? ""
        var problems = try BundledData.passwordPolicy().problems(password, email: person.email, name: person.name)
            .map { ValidationError.Problem(field: "password", message: $0) }
        if problems.isEmpty && password != confirmation {
            problems.append(.init(field: "confirmation", message: "The passwords do not match"))
        }
        guard problems.isEmpty else {
            return HTMLResponse.make(
                SignInPages.choosePassword(
                    token: token, purpose: purpose, person: person, problems: problems, chrome: req.chrome),
                status: .badRequest)
        }
        let hashed = try await Passwords.hash(password, req.application)
        let used = try await req.db.transaction { tx -> Bool in
            guard case .usable = try await CredentialStore(tx).consumeLink(tokenHash: hash, now: req.now) else {
                return false
            }
            try await PeopleStore(tx).setPasswordHash(hashed, for: person.id)
            // A new password ends every session that was signed in with the old one.
            for session in try await CredentialStore(tx).sessions(of: person.id) {
                try await CredentialStore(tx).deleteSession(session.id)
            }
            try await req.audit(
                .passwordSet, subjectType: "person", subjectID: person.id.description, person: person.id,
                detail: purpose.rawValue, actor: person.id, on: tx)
            return true
        }
        guard used else { return HTMLResponse.make(SignInPages.linkProblem(.used, chrome: req.chrome), status: .gone) }
        let response = req.redirect(to: SitePath.dashboard, redirectType: .normal)
        guard person.active else {
            return req.redirect(to: SitePath.signIn, redirectType: .normal)
        }
        try await startSession(for: person.id, req, response)
        try await req.audit(
            .signedIn, subjectType: "person", subjectID: person.id.description, person: person.id, actor: person.id)
        return response
    }
}

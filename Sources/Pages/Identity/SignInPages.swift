import Domain
import Foundation
import Plot

/// Dates and times as people in England read them, in UK time.
public enum DateText {
    private static let formatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = TimeZone(identifier: "Europe/London")
        f.dateFormat = "d MMMM yyyy 'at' HH:mm"
        return f
    }()
    private static let lock = NSLock()

    public static func dateTime(_ date: Date) -> String {
        lock.lock()
        defer { lock.unlock() }
        return formatter.string(from: date)
    }
}

/// Signing in, asking for a password reset, and choosing a password from a single-use link.
public enum SignInPages {
    public static func signIn(
        email: String, next: String?, problems: [ValidationError.Problem], notice: String?, chrome: Chrome
    ) -> HTML {
        Layout.page(
            title: problems.isEmpty ? "Sign in" : "Error: Sign in", section: .none, chrome: chrome,
            content: [
                .div(
                    .class("app-grid-row"),
                    .div(
                        .class("app-grid-column-two-thirds"),
                        Form.errorSummary(problems),
                        .unwrap(notice) { .div(.class("app-notification"), .p(.text($0))) },
                        .h1(.text("Sign in to Chalkface")),
                        .form(
                            .method(.post), .action(SitePath.signIn),
                            .attribute(named: "novalidate", value: "novalidate"),
                            Form.csrf(chrome.csrfToken),
                            .unwrap(next) { .input(.type(.hidden), .name("next"), .value(Escape.attribute($0))) },
                            Form.input(
                                "email", label: "Email address", value: email, kind: .email, autocomplete: "username",
                                problems: problems),
                            Form.input(
                                "password", label: "Password", kind: .password, autocomplete: "current-password",
                                problems: problems),
                            Form.submit("Sign in")
                        ),
                        .p(.a(.href(SitePath.passwordReset), .text("I have forgotten my password"))),
                        .p(
                            .class("app-hint"),
                            .text(
                                "Accounts are created by your partnership coordinator, who sends you an invitation by email."
                            ))
                    )
                )
            ])
    }

    public static func requestReset(email: String, problems: [ValidationError.Problem], chrome: Chrome) -> HTML {
        Layout.page(
            title: "Reset your password", section: .none, chrome: chrome,
            content: [
                Form.errorSummary(problems),
                .h1(.text("Reset your password")),
                .p(.text("Enter the email address of your account. We will send you a link to choose a new password.")),
                .form(
                    .method(.post), .action(SitePath.passwordReset),
                    .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    Form.input(
                        "email", label: "Email address", value: email, kind: .email, autocomplete: "username",
                        problems: problems),
                    Form.submit("Send the link")
                ),
            ])
    }

    public static func resetSent(email: String, chrome: Chrome) -> HTML {
        Layout.page(
            title: "Check your email", section: .none, chrome: chrome,
            content: [
                .h1(.text("Check your email")),
                .p(
                    .text(
                        "If \(email) belongs to an account, we have sent it a link to choose a new password. The link works once, for 1 hour."
                    )),
                .p(.a(.href(SitePath.signIn), .text("Back to sign in"))),
            ])
    }

    /// Choosing a password from an invitation or a reset link.
    public static func choosePassword(
        token: String, purpose: LinkPurpose, person: Person, problems: [ValidationError.Problem], chrome: Chrome
    ) -> HTML {
        let title = purpose == .invitation ? "Set up your account" : "Choose a new password"
        return Layout.page(
            title: problems.isEmpty ? title : "Error: \(title)", section: .none, chrome: chrome,
            content: [
                Form.errorSummary(problems),
                .h1(.text(title)),
                .p(.text("Account: \(person.name), \(person.email)")),
                .form(
                    .method(.post), .action(Escape.attribute(SitePath.link(token))),
                    .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    .input(
                        .type(.hidden), .name("username"), .value(Escape.attribute(person.email)),
                        .attribute(named: "autocomplete", value: "username")),
                    Form.input(
                        "password", label: "New password",
                        hint:
                            "At least \(PasswordPolicy.minimumLength) characters. Three or four unrelated words work well. Common passwords are refused.",
                        kind: .password, autocomplete: "new-password", problems: problems),
                    Form.input(
                        "confirmation", label: "Type the password again", kind: .password,
                        autocomplete: "new-password", problems: problems),
                    Form.submit(purpose == .invitation ? "Set password and sign in" : "Change password and sign in")
                ),
            ])
    }

    public enum LinkProblem: Sendable {
        case used, expired, unknown
    }

    public static func linkProblem(_ problem: LinkProblem, chrome: Chrome) -> HTML {
        let (title, text): (String, String) =
            switch problem {
            case .used:
                (
                    "This link has already been used",
                    "Each link works once. If you still need to choose a password, ask for a new link."
                )
            case .expired:
                ("This link has expired", "Reset links work for 1 hour and invitations for 7 days. Ask for a new link.")
            case .unknown:
                ("This link is not valid", "Check you copied the whole link from the email, or ask for a new one.")
            }
        return Layout.page(
            title: title, section: .none, chrome: chrome,
            content: [
                .h1(.text(title)),
                .p(.text(text)),
                .p(.a(.href(SitePath.passwordReset), .text("Ask for a new link"))),
            ])
    }
}

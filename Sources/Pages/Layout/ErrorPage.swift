import Plot

/// What a person sees when something goes wrong: what happened and what to do next.
public enum ErrorPage {
    public static func html(status: Int, reason: String, chrome: Chrome) -> HTML {
        let (title, advice): (String, String) =
            switch status {
            case 401:
                ("Sign in to see this page", "Sign in with your email address and password, then try again.")
            case 403:
                (
                    "You do not have access to this page",
                    "If you think you should, ask your partnership coordinator to check your role."
                )
            case 404:
                (
                    "Page not found",
                    "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address."
                )
            case 400...499: ("There is a problem with your request", "Check what you entered and try again.")
            default: ("Sorry, there is a problem with the service", "Try again later.")
            }
        return Layout.page(
            title: title, section: .none, chrome: chrome,
            content: [
                .h1(.text(title)),
                .p(.text(reason)),
                .p(.text(advice)),
                .p(.a(.href(SitePath.schools), .text("Go to the schools list"))),
            ])
    }
}

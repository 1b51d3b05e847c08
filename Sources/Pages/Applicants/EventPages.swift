import Domain
import Foundation
import Plot

/// Recruitment events: the list, one event, adding one, and the organiser's registrations.
public enum EventPages {
    static func path(_ e: RecruitmentEvent) -> String { "/events/\(e.id.uuidString.lowercased())" }

    static func when(_ e: RecruitmentEvent) -> String { "\(e.session.day.longDescription), \(e.session.times)" }

    static func places(_ e: RecruitmentEvent) -> String {
        e.placesLeft > 0 ? "\(e.placesLeft) of \(e.capacity) places left" : "Full: registering joins the waiting list"
    }

    public static func list(
        events: [RecruitmentEvent], mine: [(RecruitmentEvent, EventRegistration)], kind: String?,
        problems: [ValidationError.Problem], canManage: Bool, isCandidate: Bool, notice: String?, chrome: Chrome
    ) -> HTML {
        Layout.page(
            title: problems.isEmpty ? "Events" : "Error: Events", section: .experience, chrome: chrome,
            content: [
                .h1(.text("Events for future teachers")),
                .p(
                    .text(
                        "Train to teach evenings, providers' open days, online information sessions and application workshops across the partnership. Register for a place; when an event is full you join its waiting list and are told by email if a place comes up."
                    )),
                .unwrap(notice) { Layout.notice($0) },
                .if(canManage, .p(.a(.id("add-event"), .href("/events/new"), .text("Add an event")))),
                Form.errorSummary(problems),
                .if(
                    isCandidate && !mine.isEmpty,
                    .group(
                        .h2(.text("Your events")),
                        .ul(
                            .class("app-list"), .id("my-events"),
                            .forEach(mine) { e, r in
                                .li(.a(.href(path(e)), .text(e.title)), .text(" (\(when(e))): \(r.status.label)"))
                            }))),
                .form(
                    .method(.get), .action("/events"),
                    Form.select(
                        "kind", label: "Kind of event",
                        options: [("", "Any")] + RecruitmentEventKind.allCases.map { ($0.rawValue, $0.label) },
                        selected: kind, problems: problems),
                    Form.submit("Show", secondary: true)),
                .h2(.id("results-count"), .text("\(events.count) event\(events.count == 1 ? "" : "s") to come")),
                .ul(
                    .class("app-list"), .id("events"),
                    .forEach(events) { e in
                        .li(
                            .class("app-result"),
                            .h3(.a(.href(path(e)), .text(e.title))),
                            .p(.class("app-hint"), .text("\(e.organiser) · \(e.kind.label) · \(when(e)) · \(e.venue)")),
                            .p(.text(places(e))))
                    }),
            ])
    }

    public static func detail(
        _ e: RecruitmentEvent, mine: EventRegistration?, isCandidate: Bool, canManage: Bool, notice: String?,
        problems: [ValidationError.Problem], chrome: Chrome
    ) -> HTML {
        let base = path(e)
        let open = mine == nil || mine?.status == .cancelled
        return Layout.page(
            title: problems.isEmpty ? e.title : "Error: \(e.title)", section: .experience, chrome: chrome,
            breadcrumbs: [.init("Events", "/events")],
            content: [
                .span(.class("app-caption-l"), .text(e.organiser)),
                .h1(.text(e.title)),
                .unwrap(notice) { Layout.notice($0) },
                Form.errorSummary(problems),
                .if(e.generated, .div(.class("app-inset"), .text("A demo event, generated for the demo partnership."))),
                .p(.text(e.summary)),
                Layout.summaryList([
                    ("Kind", .text(e.kind.label)), ("When", .text(when(e))), ("Where", .text(e.venue)),
                    ("Places", .text(places(e))),
                ]),
                .p(.a(.id("event-calendar"), .href("\(base)/calendar.ics"), .text("Add it to your calendar (.ics)"))),
                .unwrap(mine) { r in
                    .p(.id("your-registration"), .strong(.text("You are: \(r.status.label.lowercased())")))
                },
                .if(
                    isCandidate && open,
                    Form.button(
                        e.placesLeft > 0 ? "Register" : "Join the waiting list", action: "\(base)/register",
                        csrf: chrome.csrfToken)),
                .unwrap(mine.flatMap { $0.status == .registered || $0.status == .waiting ? $0 : nil }) { r in
                    Form.button(
                        "Cancel my registration",
                        action: "/events/registrations/\(r.id.uuidString.lowercased())/cancel",
                        csrf: chrome.csrfToken, warning: true)
                },
                .if(chrome.person == nil, .p(.text("Sign in as an applicant or undergraduate to register."))),
                .if(
                    canManage,
                    .p(.a(.id("event-registrations"), .href("\(base)/registrations"), .text("Registrations")))),
            ])
    }

    public static func newEvent(
        form f: [String: String], organiser: String, problems: [ValidationError.Problem], chrome: Chrome
    ) -> HTML {
        Layout.page(
            title: problems.isEmpty ? "Add an event" : "Error: Add an event", section: .experience, chrome: chrome,
            breadcrumbs: [.init("Events", "/events")],
            content: [
                .h1(.text("Add an event")),
                .p(.class("app-hint"), .text("Organised by \(organiser)")),
                Form.errorSummary(problems),
                .form(
                    .method(.post), .action("/events/new"), .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    Form.input("title", label: "Title", value: f["title"] ?? "", problems: problems),
                    Form.select(
                        "kind", label: "Kind", options: RecruitmentEventKind.allCases.map { ($0.rawValue, $0.label) },
                        selected: f["kind"], problems: problems),
                    Form.textarea(
                        "summary", label: "What happens", hint: nil, value: f["summary"] ?? "", problems: problems),
                    Form.input(
                        "when", label: "Date and time", hint: "For example 2027-02-10 18:00-19:30",
                        value: f["when"] ?? "",
                        problems: problems),
                    Form.input(
                        "venue", label: "Venue", hint: "An address, or Online", value: f["venue"] ?? "",
                        problems: problems),
                    Form.input(
                        "capacity", label: "Places", value: f["capacity"] ?? "", kind: .number, problems: problems),
                    Form.submit("Add event")),
            ])
    }

    public static func registrations(
        _ e: RecruitmentEvent, _ rows: [EventRegistration], today: Day, remindedAt: Date?, notice: String?,
        chrome: Chrome
    ) -> HTML {
        let base = path(e)
        let counts = Dictionary(grouping: rows, by: \.status).mapValues(\.count)
        return Layout.page(
            title: "Registrations: \(e.title)", section: .experience, chrome: chrome,
            breadcrumbs: [.init("Events", "/events"), .init(e.title, base)],
            content: [
                .h1(.text("Registrations: \(e.title)")),
                .unwrap(notice) { Layout.notice($0) },
                .p(
                    .id("registration-counts"),
                    .text(
                        EventRegistration.Status.allCases.map { "\($0.label): \(counts[$0] ?? 0)" }.joined(
                            separator: " · "))),
                .if(
                    remindedAt == nil && e.session.day > today,
                    Form.button(
                        "Email a reminder to everyone registered", action: "\(base)/reminders", csrf: chrome.csrfToken)),
                .unwrap(remindedAt) { at in
                    .p(.class("app-hint"), .text("Reminders sent \(Day.inUK(at).longDescription)."))
                },
                .table(
                    .class("app-table"), .id("registrations"),
                    .caption(.class("app-visually-hidden"), .text("Registrations, in the order they came")),
                    .thead(.tr(.th(.text("Name")), .th(.text("Status")), .th(.text("Attendance")))),
                    .tbody(.forEach(rows) { row($0, event: e, today: today, csrf: chrome.csrfToken) })),
            ])
    }

    static func row(_ r: EventRegistration, event e: RecruitmentEvent, today: Day, csrf: String) -> Node<
        HTML.TableContext
    > {
        let canMark = r.status == .registered && today >= e.session.day
        let form: Node<HTML.BodyContext> =
            canMark
            ? .form(
                .method(.post), .action("/events/registrations/\(r.id.uuidString.lowercased())/attendance"),
                Form.csrf(csrf),
                .button(
                    .class("app-button"), .type(.submit), .name("status"), .value("attended"), .text("Attended"),
                    .span(.class("app-visually-hidden"), .text(" \(r.name)"))),
                .button(
                    .class("app-button app-button--secondary"), .type(.submit), .name("status"), .value("no-show"),
                    .text("Did not attend"), .span(.class("app-visually-hidden"), .text(" \(r.name)"))))
            : .empty
        return .tr(.td(.text(r.name)), .td(.text(r.status.label)), .td(form))
    }
}

import Domain
import Foundation
import Plot

/// Other people's records, as far as the viewer may see them.
public enum PeoplePages {
    public struct Count: Hashable, Sendable {
        public var organisation: String
        public var role: Role
        public var people: Int
        public init(organisation: String, role: Role, people: Int) {
            self.organisation = organisation
            self.role = role
            self.people = people
        }
    }

    public struct Model: Sendable {
        /// Individual people the viewer may see; nil when the viewer sees counts only.
        public var people: [(person: Person, memberships: [Membership])]?
        public var counts: [Count]
        public var sharing: DataSharing

        public init(people: [(Person, [Membership])]?, counts: [Count], sharing: DataSharing) {
            self.people = people?.map { (person: $0.0, memberships: $0.1) }
            self.counts = counts
            self.sharing = sharing
        }
    }

    public static func list(_ m: Model, chrome: Chrome) -> HTML {
        var content: [Node<HTML.BodyContext>] = [.h1(.text("People"))]
        if let people = m.people {
            content += [
                .p(.id("people-count"), .text("\(people.count.formatted) people you may see.")),
                .table(
                    .class("app-table"),
                    .caption(.class("app-visually-hidden"), .text("People")),
                    .thead(.tr(.th(.text("Name")), .th(.text("Roles")), .th(.text("Status")))),
                    .tbody(
                        .forEach(people) { p in
                            .tr(
                                .td(.a(.href(SitePath.person(p.person.id)), .text(p.person.name))),
                                .td(
                                    .text(
                                        p.memberships.map { "\($0.role.label), \($0.organisationName)" }.joined(
                                            separator: "; "))),
                                .td(.text(status(p.person)))
                            )
                        })
                ),
            ]
        } else {
            content += [
                .div(
                    .class("app-inset"),
                    .p(
                        .text(
                            "The partnership shares aggregates only, so coordinators see how many people each organisation holds, not who they are. \(m.sharing.explanation)"
                        ))),
                .table(
                    .class("app-table"), .id("people-counts"),
                    .caption(.text("People by organisation and role")),
                    .thead(
                        .tr(.th(.text("Organisation")), .th(.text("Role")), .th(.class("app-numeric"), .text("People")))
                    ),
                    .tbody(
                        .forEach(m.counts) { c in
                            .tr(
                                .td(.text(c.organisation)), .td(.text(c.role.label)),
                                .td(.class("app-numeric"), .text(c.people.formatted)))
                        })
                ),
            ]
        }
        return Layout.page(title: "People", section: .people, chrome: chrome, content: content)
    }

    static func status(_ p: Person) -> String {
        if p.erasedAt != nil { return "Erased" }
        if !p.active { return "Deactivated" }
        return p.hasPassword ? "Active" : "Invited"
    }

    /// A person's record: everything the viewer may see about them.
    public static func record(person: Person, memberships: [Membership], isSelf: Bool, chrome: Chrome) -> HTML {
        Layout.page(
            title: person.name, section: isSelf ? .account : .people, chrome: chrome,
            breadcrumbs: isSelf ? [] : [.init("People", SitePath.people)],
            content: [
                .span(.class("app-caption-l"), .text("Person")),
                .h1(.text(person.name)),
                Layout.summaryList([
                    ("Email", .text(person.email)),
                    ("Status", .text(status(person))),
                    ("Account created", .text(DateText.dateTime(person.createdAt))),
                    ("Signed in last", .text(person.lastSignInAt.map(DateText.dateTime) ?? "Not yet")),
                ]),
                .h2(.text("Roles")),
                AccountPages.memberships(memberships),
                .p(
                    .class("app-hint"),
                    .text(
                        "Opening this record was recorded in the audit log. Placements, training and career records will appear here as Chalkface adds them."
                    )),
            ])
    }
}

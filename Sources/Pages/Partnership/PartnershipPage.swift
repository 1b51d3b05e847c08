import Domain
import Plot

/// The partnership and its member organisations, grouped by kind.
public enum PartnershipPage {
    public struct Model: Sendable {
        public var partnership: Partnership?
        public var members: [PartnershipMember]
        public var authorityNames: [String]
        /// Coordinators add and change organisations and the data-sharing setting here.
        public var canEdit: Bool
        /// Organisations that are not (or no longer) members, listed for coordinators so they can be changed.
        public var others: [Organisation]

        public init(
            partnership: Partnership?, members: [PartnershipMember], authorityNames: [String], canEdit: Bool = false,
            others: [Organisation] = []
        ) {
            self.partnership = partnership
            self.members = members
            self.authorityNames = authorityNames
            self.canEdit = canEdit
            self.others = others
        }
    }

    public static func html(_ m: Model, chrome: Chrome) -> HTML {
        guard let p = m.partnership else {
            return Layout.page(
                title: "Partnership", section: .partnership, chrome: chrome,
                content: [
                    .h1(.text("Partnership")),
                    .p(
                        .text(
                            "No partnership has been set up yet. Run chalkface serve once to create the demo partnership."
                        )),
                ])
        }
        var content: [Node<HTML.BodyContext>] = [
            .span(.class("app-caption-l"), .text("Partnership")),
            .h1(.text(p.name)),
            .p(.text(p.summary)),
            .p(.text("Covers: \(m.authorityNames.joined(separator: ", ")).")),
        ]
        if m.canEdit {
            content.append(
                .div(
                    .class("app-inset"), .id("settings"),
                    .form(
                        .method(.post), .action(SitePath.partnershipSettings),
                        Form.csrf(chrome.csrfToken),
                        Form.radios(
                            "data_sharing", legend: "What coordinators may see of individual people",
                            options: DataSharing.allCases.map { ($0.rawValue, $0.label, $0.explanation) },
                            selected: p.dataSharing.rawValue),
                        Form.submit("Save setting", secondary: true)
                    ),
                    .p(.a(.class("app-button"), .href(SitePath.newOrganisation), .text("Add an organisation")))
                ))
        }
        let kinds = OrganisationKind.allCases.filter { k in m.members.contains { $0.organisation.kind == k } }
        content.append(
            .ul(
                .class("app-list"),
                .forEach(kinds) { k in
                    .li(
                        .a(
                            .href("#\(k.rawValue)"),
                            .text("\(k.pluralLabel) (\(m.members.filter { $0.organisation.kind == k }.count))")))
                }))
        for kind in kinds {
            let ofKind = m.members.filter { $0.organisation.kind == kind }
            content.append(.h2(.id(kind.rawValue), .text(kind.pluralLabel)))
            content.append(
                .table(
                    .class("app-table"),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("Name")),
                            .th(
                                .attribute(named: "scope", value: "col"),
                                .text(kind == .multiAcademyTrust ? "Schools" : "Details")),
                            .th(.attribute(named: "scope", value: "col"), .text("Member since")),
                            .if(m.canEdit, .th(.attribute(named: "scope", value: "col"), .text("")))
                        )),
                    .tbody(
                        .forEach(ofKind) { member in
                            let o = member.organisation
                            return .tr(
                                .td(o.urn.map { .a(.href(SitePath.school($0)), .text(o.name)) } ?? .text(o.name)),
                                .td(
                                    .if(
                                        o.website.map(Self.isWebAddress) == true && o.kind != .multiAcademyTrust,
                                        .a(
                                            .href(o.website ?? ""), .attribute(named: "rel", value: "noopener"),
                                            .text(Self.shortAddress(o.website ?? "")),
                                            .span(.class("app-visually-hidden"), .text(" (\(o.name)'s website)"))),
                                        else: .text(details(member)))),
                                .td(.text(member.joinedOn?.longDescription ?? "")),
                                .if(
                                    m.canEdit,
                                    .td(
                                        .a(
                                            .href(SitePath.editOrganisation(o.id)), .text("Change"),
                                            .span(.class("app-visually-hidden"), .text(" \(o.name)")))))
                            )
                        })
                ))
        }
        if m.canEdit && !m.others.isEmpty {
            content.append(.h2(.id("not-members"), .text("Organisations that are not members")))
            content.append(
                .ul(
                    .class("app-list"),
                    .forEach(m.others) { o in
                        .li(
                            .text("\(o.name) (\(o.kind.label)) "),
                            .a(.href(SitePath.editOrganisation(o.id)), .text("Change")))
                    }))
        }
        return Layout.page(title: p.name, section: .partnership, chrome: chrome, content: content)
    }

    /// Only http and https addresses become links (a stored value is never a `javascript:` link).
    static func isWebAddress(_ text: String) -> Bool {
        let lower = text.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && !text.contains(where: \.isWhitespace)
    }

    /// "https://www.canterbury.ac.uk/" as "www.canterbury.ac.uk".
    static func shortAddress(_ text: String) -> String {
        var s = Substring(text)
        for prefix in ["https://", "http://"] where s.lowercased().hasPrefix(prefix) { s = s.dropFirst(prefix.count) }
        while s.hasSuffix("/") { s = s.dropLast() }
        return String(s)
    }

    static func details(_ m: PartnershipMember) -> String {
        let o = m.organisation
        switch o.kind {
        case .multiAcademyTrust: return "\(m.schoolCount) schools"
        case .school: return o.urn.map { "URN \($0.value)" } ?? ""
        case .localAuthority: return o.localAuthorityCode ?? ""
        default: return o.website ?? ""
        }
    }
}

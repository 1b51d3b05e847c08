import Domain
import Plot

/// The partnership and its member organisations, grouped by kind.
public enum PartnershipPage {
    public struct Model: Sendable {
        public var partnership: Partnership?
        public var members: [PartnershipMember]
        public var authorityNames: [String]

        public init(partnership: Partnership?, members: [PartnershipMember], authorityNames: [String]) {
            self.partnership = partnership
            self.members = members
            self.authorityNames = authorityNames
        }
    }

    public static func html(_ m: Model) -> HTML {
        guard let p = m.partnership else {
            return Layout.page(
                title: "Partnership", section: .partnership,
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
                            .th(.attribute(named: "scope", value: "col"), .text("Member since"))
                        )),
                    .tbody(
                        .forEach(ofKind) { member in
                            let o = member.organisation
                            return .tr(
                                .td(o.urn.map { .a(.href(SitePath.school($0)), .text(o.name)) } ?? .text(o.name)),
                                .td(.text(details(member))),
                                .td(.text(member.joinedOn?.longDescription ?? ""))
                            )
                        })
                ))
        }
        return Layout.page(title: p.name, section: .partnership, content: content)
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

import Domain
import Plot

/// The start page: what Chalkface is, the partnership, headline counts and a map of the region's schools.
public enum HomePage {
    public struct Model: Sendable {
        public var partnership: Partnership?
        public var openSchools: Int
        public var leadSchools: Int
        public var authorities: [(authority: LocalAuthority, schools: Int)]
        public var membersByKind: [(kind: OrganisationKind, count: Int)]
        public var mapPoints: [SVGMap.Point]
        public var mapLabels: [SVGMap.Label]

        public init(
            partnership: Partnership?, openSchools: Int, leadSchools: Int,
            authorities: [(authority: LocalAuthority, schools: Int)], membersByKind: [(kind: OrganisationKind, count: Int)],
            mapPoints: [SVGMap.Point], mapLabels: [SVGMap.Label]
        ) {
            self.partnership = partnership
            self.openSchools = openSchools
            self.leadSchools = leadSchools
            self.authorities = authorities
            self.membersByKind = membersByKind
            self.mapPoints = mapPoints
            self.mapLabels = mapLabels
        }
    }

    public static func html(_ m: Model) -> HTML {
        let members = m.membersByKind.reduce(0) { $0 + $1.count }
        var content: [Node<HTML.BodyContext>] = [
            .h1(.text("Chalkface")),
            .p(
                .class("app-body-l"),
                .text(
                    "One place for a regional partnership of universities, teacher-training providers, trusts, local authorities and schools to attract, train, place, develop and keep teachers."
                )),
            .p(
                .text(
                    "It shows where teacher training and subject specialists are short, places every provider's trainees in one run, supports mentors and early-career teachers, and follows who stays."
                )),
        ]
        if let p = m.partnership {
            content.append(.h2(.text(p.name)))
            content.append(.p(.text(p.summary)))
            content.append(.p(.a(.href(SitePath.partnership), .text("See the partnership's \(members) member organisations"))))
        }
        content.append(
            .ul(
                .class("app-stats"),
                .li(.strong(.text(m.openSchools.formatted)), .text("open state-funded schools")),
                .li(.strong(.text(String(m.authorities.count))), .text("local authorities")),
                .li(.strong(.text(String(m.leadSchools))), .text("ITT lead schools")),
                .li(.strong(.text(String(members))), .text("member organisations"))
            ))
        if let bounds = SVGMap.Bounds.around(m.mapPoints.map(\.at)) {
            content.append(.h2(.text("Schools in the region")))
            content.append(
                .raw(
                    SVGMap.render(
                        id: "region-map", title: "Map of the region's open schools",
                        description:
                            "\(m.mapPoints.count) schools drawn at their postcode positions; ITT lead schools as orange squares; local authority names at the centre of their postcodes.",
                        bounds: bounds, points: m.mapPoints, labels: m.mapLabels, width: 960)))
            content.append(
                .p(
                    .class("app-map-caption"),
                    .text("Blue circles: schools. Orange squares: ITT lead schools. The table below gives the same counts.")))
        }
        content.append(
            .table(
                .class("app-table"),
                .caption(.text("Open schools by local authority")),
                .thead(.tr(.th(.text("Local authority")), .th(.text("DfE number")), .th(.class("app-numeric"), .text("Schools")))),
                .tbody(
                    .forEach(m.authorities) { a in
                        .tr(
                            .td(.a(.href(SitePath.with(SitePath.schools, query: [("la", a.authority.code)])), .text(a.authority.name))),
                            .td(.text(a.authority.dfeCode)),
                            .td(.class("app-numeric"), .text(a.schools.formatted))
                        )
                    })
            ))
        return Layout.page(title: "Home", section: .home, content: content)
    }
}

extension Int {
    /// With thousands separators, as GOV.UK writes numbers: 17,673.
    var formatted: String {
        let digits = String(abs(self))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (self < 0 ? "-" : "") + out
    }
}

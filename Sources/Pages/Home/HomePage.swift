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
        /// One map per region, so that distant parts of a partnership each fill their own map.
        public var maps: [RegionMap]

        public init(
            partnership: Partnership?, openSchools: Int, leadSchools: Int,
            authorities: [(authority: LocalAuthority, schools: Int)],
            membersByKind: [(kind: OrganisationKind, count: Int)],
            maps: [RegionMap]
        ) {
            self.partnership = partnership
            self.openSchools = openSchools
            self.leadSchools = leadSchools
            self.authorities = authorities
            self.membersByKind = membersByKind
            self.maps = maps
        }
    }

    public struct RegionMap: Sendable {
        public var region: String
        public var points: [SVGMap.Point]
        public var labels: [SVGMap.Label]

        public init(region: String, points: [SVGMap.Point], labels: [SVGMap.Label]) {
            self.region = region
            self.points = points
            self.labels = labels
        }
    }

    public static func html(_ m: Model, chrome: Chrome) -> HTML {
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
            content.append(
                .p(.a(.href(SitePath.partnership), .text("See the partnership's \(members) member organisations"))))
        }
        content.append(
            .ul(
                .class("app-stats"),
                .li(.strong(.text(m.openSchools.formatted)), .text("open state-funded schools")),
                .li(.strong(.text(String(m.authorities.count))), .text("local authorities")),
                .li(.strong(.text(String(m.leadSchools))), .text("ITT lead schools")),
                .li(.strong(.text(String(members))), .text("member organisations"))
            ))
        if !m.maps.isEmpty {
            content.append(.h2(.text("Schools in the region")))
        }
        for (i, map) in m.maps.enumerated() {
            guard let bounds = SVGMap.Bounds.around(map.points.map(\.at)) else { continue }
            content.append(.h3(.text(map.region)))
            content.append(
                .raw(
                    SVGMap.render(
                        id: "region-map-\(i + 1)", title: "Map of open schools in \(map.region)",
                        description:
                            "\(map.points.count) schools drawn at their postcode positions; ITT lead schools as orange squares; local authority names at the centre of their postcodes.",
                        bounds: bounds, points: map.points, labels: map.labels, width: 960)))
        }
        if !m.maps.isEmpty {
            content.append(
                .p(
                    .class("app-map-caption"),
                    .text(
                        "Blue circles: schools. Orange squares: ITT lead schools. The table below gives the same counts."
                    )))
        }
        content.append(
            .table(
                .class("app-table"),
                .caption(.text("Open schools by local authority")),
                .thead(
                    .tr(
                        .th(.text("Local authority")), .th(.text("DfE number")),
                        .th(.class("app-numeric"), .text("Schools")))),
                .tbody(
                    .forEach(m.authorities) { a in
                        .tr(
                            .td(
                                .a(
                                    .href(SitePath.with(SitePath.schools, query: [("la", a.authority.code)])),
                                    .text(a.authority.name))),
                            .td(.text(a.authority.dfeCode)),
                            .td(.class("app-numeric"), .text(a.schools.formatted))
                        )
                    })
            ))
        return Layout.page(title: "Home", section: .home, chrome: chrome, content: content)
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

import Domain
import Plot

/// One school: its details, where it is, and which partnership organisations it belongs to.
public enum SchoolPage {
    public struct Model: Sendable {
        public var school: School
        public var organisations: [Organisation]
        public var nearby: [School]
        public var mapRadius: Double

        public init(school: School, organisations: [Organisation], nearby: [School], mapRadius: Double) {
            self.school = school
            self.organisations = organisations
            self.nearby = nearby
            self.mapRadius = mapRadius
        }
    }

    public static func html(_ m: Model, chrome: Chrome) -> HTML {
        let s = m.school
        var rows: [(String, Node<HTML.BodyContext>)] = [
            ("URN", .text(String(s.urn.value))),
            ("Status", .text(s.status.label)),
            (
                "Phase",
                .group(
                    .text(s.phase.label),
                    .if(
                        s.phaseSource == .name,
                        .span(.class("app-hint"), .text(" (guessed from the school's name, not official)"))))
            ),
        ]
        if let t = s.establishmentType { rows.append(("Type", .text(t))) }
        if let low = s.statutoryLowAge, let high = s.statutoryHighAge {
            rows.append(("Ages", .text("\(low) to \(high)")))
        }
        if let pupils = s.numberOfPupils { rows.append(("Pupils", .text(pupils.formatted))) }
        rows.append(("Address", .text([s.town, s.postcode].compactMap { $0 }.joined(separator: ", "))))
        if let la = s.localAuthority {
            rows.append(
                (
                    "Local authority",
                    .group(.text("\(la.name) "), .span(.class("app-hint"), .text("(\(la.dfeCode), \(la.code))")))
                ))
        } else {
            rows.append(("Local authority", .text("Not known")))
        }
        if let d = s.district { rows.append(("District", .text(d.name))) }
        if let r = s.region { rows.append(("Region", .text(r.name))) }
        if let trust = s.trust { rows.append(("Trust (GIAS)", .text(trust.name))) }
        if let open = s.openDate { rows.append(("Opened", .text(open.longDescription))) }
        if let close = s.closeDate { rows.append(("Closed", .text(close.longDescription))) }
        rows.append(("ITT lead school (2024)", .text(s.isITTLeadSchool ? "Yes" : "No")))
        if let pp50 = s.isNPQPP50 { rows.append(("On the NPQ PP50 list (2025)", .text(pp50 ? "Yes" : "No"))) }
        if let l = s.location {
            rows.append(("Grid reference", .text("\(Int(l.easting)), \(Int(l.northing))")))
        }
        if let c = s.coordinates {
            rows.append(("Latitude, longitude", .text("\(rounded(c.latitude)), \(rounded(c.longitude))")))
        }

        var content: [Node<HTML.BodyContext>] = [
            .span(.class("app-caption-l"), .text(s.localAuthority?.name ?? "School")),
            .h1(.text(s.name)),
            Layout.summaryList(rows),
        ]
        if !m.organisations.isEmpty {
            content.append(.h2(.text("In the partnership")))
            content.append(
                .ul(
                    .class("app-list"),
                    .forEach(m.organisations) {
                        .li(.text("\($0.name) "), .span(.class("app-hint"), .text("(\($0.kind.label.lowercased()))")))
                    }))
        }
        if let here = s.location {
            let others = m.nearby.filter { $0.urn != s.urn }
            let points =
                others.compactMap { o in
                    o.location.map {
                        SVGMap.Point(
                            at: $0, marker: o.isITTLeadSchool ? .leadSchool : .school, title: o.name,
                            link: SitePath.school(o.urn))
                    }
                } + [SVGMap.Point(at: here, marker: .subject, title: s.name)]
            content.append(.h2(.text("Location")))
            content.append(
                .raw(
                    SVGMap.render(
                        id: "school-map", title: "Map of \(s.name) and nearby schools",
                        description:
                            "\(s.name) is the red diamond in the centre; \(others.count) other open schools within \(Int(m.mapRadius / 1000)) km are shown.",
                        bounds: .centred(on: here, radius: m.mapRadius), points: points,
                        labels: SVGMap.townLabels(
                            others.compactMap { o in o.location.map { (o.town ?? "", $0) } },
                            bounds: .centred(on: here, radius: m.mapRadius)),
                        width: 640)))
            content.append(
                .p(
                    .class("app-map-caption"),
                    .text(
                        "Red diamond: this school. Blue circles: other schools. Orange squares: ITT lead schools. Positions are postcode centres."
                    )))
            content.append(SVGMap.linkList(points, summary: "All \(others.count) schools on the map"))
            if !others.isEmpty {
                content.append(
                    .table(
                        .class("app-table"),
                        .caption(.text("Nearest schools")),
                        .thead(
                            .tr(
                                .th(.text("School")), .th(.text("Phase")), .th(.class("app-numeric"), .text("Distance"))
                            )),
                        .tbody(
                            .forEach(others.prefix(10)) { o in
                                .tr(
                                    .td(.a(.href(SitePath.school(o.urn)), .text(o.name))),
                                    .td(.text(o.phase.label)),
                                    .td(
                                        .class("app-numeric"),
                                        .text(distance(o.location.map { $0.distance(to: here) } ?? 0)))
                                )
                            })
                    ))
            }
        } else {
            content.append(
                .div(
                    .class("app-inset"), .text("This school's postcode could not be placed, so it has no map position.")
                ))
        }
        return Layout.page(
            title: s.name, section: .schools, chrome: chrome,
            breadcrumbs: [.init("Home", SitePath.home), .init("Schools", SitePath.schools)], content: content)
    }

    static func rounded(_ v: Double) -> String {
        String((v * 1_000_000).rounded() / 1_000_000)
    }

    static func distance(_ metres: Double) -> String {
        let km = (metres / 100).rounded() / 10
        return "\(km) km"
    }
}

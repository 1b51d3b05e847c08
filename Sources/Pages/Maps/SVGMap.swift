import Domain
import Foundation
import Plot

/// Maps drawn on the server as SVG from grid coordinates: no tiles, no script, so they work offline and print.
public enum SVGMap {
    public enum Marker: Sendable {
        /// A school, as a small circle.
        case school
        /// An ITT lead school, as a small square, so the difference does not rest on colour alone.
        case leadSchool
        /// The school the page is about: a large ringed diamond.
        case subject
        /// A Gi* class: -3..-1 cold spots (downward triangles), 1...3 hot spots (upward triangles), larger and
        /// darker with confidence; 0 a small grey circle. Shape and size carry the meaning without colour.
        case giClass(Int)
        /// A share from 0 to 1 as a circle whose area and darkness grow with it; nil (a suppressed share) as a
        /// small hollow grey circle.
        case share(Double?)
        /// A count as a circle whose area grows with it; 0 as a small grey circle.
        case count(Int)
    }

    static func countShape(_ n: Int, cx: Double, cy: Double) -> String {
        guard n > 0 else {
            return "<circle cx=\"\(fmt(cx))\" cy=\"\(fmt(cy))\" r=\"2\" fill=\"#b1b4b6\"/>"
        }
        let r = 3 + 2.5 * Double(min(n, 100)).squareRoot()
        let colour = n >= 10 ? "#08306b" : n >= 3 ? "#2171b5" : "#6baed6"
        return
            "<circle cx=\"\(fmt(cx))\" cy=\"\(fmt(cy))\" r=\"\(fmt(r))\" fill=\"\(colour)\" fill-opacity=\"0.85\" stroke=\"#0b0c0c\" stroke-width=\"0.6\"/>"
    }

    /// A legend as a small SVG: one row per entry, its shape at (shapeX, the row's middle) and its label after.
    static func legend(
        width: Int, rowHeight: Int, shapeX: Double, textX: Int,
        _ entries: [(shape: (Double, Double) -> String, label: String)]
    ) -> String {
        let height = entries.count * rowHeight + 8
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"Legend\">"
        for (i, e) in entries.enumerated() {
            let y = Double(i * rowHeight + 16)
            svg += e.shape(shapeX, y)
            svg +=
                "<text x=\"\(textX)\" y=\"\(fmt(y + 5))\" font-family=\"arial,sans-serif\" font-size=\"14\" fill=\"#0b0c0c\">\(escape(e.label))</text>"
        }
        return svg + "</svg>"
    }

    /// A legend for counts, as a small SVG with text.
    public static func countLegend() -> String {
        let entries: [(Int, String)] = [(0, "None"), (1, "1 or 2"), (3, "3 to 9"), (10, "10 or more")]
        return legend(
            width: 260, rowHeight: 26, shapeX: 16, textX: 36,
            entries.map { e in ({ countShape(e.0, cx: $0, cy: $1) }, e.1) })
    }

    /// The share bands' upper limits and colours, lightest first.
    static let shareBands: [(upTo: Double, colour: String)] = [
        (0.1, "#c6dbef"), (0.2, "#6baed6"), (0.3, "#2171b5"), (1.0, "#08306b"),
    ]

    static func shareShape(_ share: Double?, cx: Double, cy: Double) -> String {
        guard let share else {
            return
                "<circle cx=\"\(fmt(cx))\" cy=\"\(fmt(cy))\" r=\"2.5\" fill=\"none\" stroke=\"#6f777b\" stroke-width=\"1\"/>"
        }
        let colour = shareBands.first { share <= $0.upTo }?.colour ?? shareBands.last!.colour
        let r = 2.5 + 6 * min(1, max(0, share)).squareRoot()
        return
            "<circle cx=\"\(fmt(cx))\" cy=\"\(fmt(cy))\" r=\"\(fmt(r))\" fill=\"\(colour)\" stroke=\"#0b0c0c\" stroke-width=\"0.6\"/>"
    }

    /// A legend for shares, as a small SVG with text.
    public static func shareLegend() -> String {
        let entries: [(Double?, String)] = [
            (0.05, "Under 10%"), (0.15, "10% to 20%"), (0.25, "20% to 30%"), (0.5, "Over 30%"),
            (nil, "Fewer than 10 teachers: not shown"),
        ]
        return legend(
            width: 300, rowHeight: 24, shapeX: 14, textX: 32,
            entries.map { e in ({ shareShape(e.0, cx: $0, cy: $1) }, e.1) })
    }

    /// Fill colour of a Gi* class.
    public static func colour(ofClass c: Int) -> String {
        switch c {
        case -3: "#08306b"
        case -2: "#2171b5"
        case -1: "#4292c6"
        case 1: "#fb6a4a"
        case 2: "#cb181d"
        case 3: "#67000d"
        default: "#b1b4b6"
        }
    }

    /// The shape of a Gi* class centred on (cx, cy).
    public static func giShape(_ c: Int, cx: Double, cy: Double) -> String {
        if c == 0 {
            return "<circle cx=\"\(fmt(cx))\" cy=\"\(fmt(cy))\" r=\"2.5\" fill=\"#b1b4b6\"/>"
        }
        let r = 4.0 + Double(abs(c)) * 1.5
        let dir = c < 0 ? 1.0 : -1.0  // cold points down, hot points up
        let tip = cy + dir * r
        let base = cy - dir * r * 0.6
        // Every significant class has a dark outline, so the palest colours still stand out from the page and
        // the grey of schools that are not significant; 99% gets a heavier one.
        let stroke = " stroke=\"#0b0c0c\" stroke-width=\"\(abs(c) == 3 ? "1.5" : "0.8")\""
        return
            "<path d=\"M\(fmt(cx)) \(fmt(tip))L\(fmt(cx + r)) \(fmt(base))L\(fmt(cx - r)) \(fmt(base))Z\" fill=\"\(colour(ofClass: c))\"\(stroke)/>"
    }

    /// A legend for Gi* classes, as a small SVG with text.
    public static func giLegend() -> String {
        let entries: [(Int, String)] = [
            (-3, "Cold spot, 99% confidence"), (-2, "Cold spot, 95%"), (-1, "Cold spot, 90%"), (0, "Not significant"),
            (1, "Hot spot, 90%"), (2, "Hot spot, 95%"), (3, "Hot spot, 99% confidence"),
        ]
        return legend(
            width: 260, rowHeight: 24, shapeX: 14, textX: 32,
            entries.map { e in ({ giShape(e.0, cx: $0, cy: $1) }, e.1) })
    }

    public struct Point: Sendable {
        public var at: GridPoint
        public var marker: Marker
        public var title: String
        public var link: String?

        public init(at: GridPoint, marker: Marker, title: String, link: String? = nil) {
            self.at = at
            self.marker = marker
            self.title = title
            self.link = link
        }
    }

    public struct Label: Sendable {
        public var at: GridPoint
        public var text: String

        public init(at: GridPoint, text: String) {
            self.at = at
            self.text = text
        }
    }

    /// The area a map shows, in grid metres.
    public struct Bounds: Sendable, Equatable {
        public var minE, minN, maxE, maxN: Double

        public init(minE: Double, minN: Double, maxE: Double, maxN: Double) {
            self.minE = minE
            self.minN = minN
            self.maxE = maxE
            self.maxN = maxN
        }

        /// The smallest box around the points with a margin; at least `minimumSpan` metres wide and high.
        /// Whether a place falls inside, with room for a label around it.
        public func contains(_ p: GridPoint, inset: Double = 0.05) -> Bool {
            let e = (maxE - minE) * inset
            let n = (maxN - minN) * inset
            return p.easting >= minE + e && p.easting <= maxE - e && p.northing >= minN + n && p.northing <= maxN - n
        }

        public static func around(_ points: [GridPoint], margin: Double = 0.05, minimumSpan: Double = 2_000) -> Bounds?
        {
            guard let first = points.first else { return nil }
            var b = Bounds(minE: first.easting, minN: first.northing, maxE: first.easting, maxN: first.northing)
            for p in points.dropFirst() {
                b.minE = min(b.minE, p.easting)
                b.maxE = max(b.maxE, p.easting)
                b.minN = min(b.minN, p.northing)
                b.maxN = max(b.maxN, p.northing)
            }
            let w = max(b.maxE - b.minE, minimumSpan)
            let h = max(b.maxN - b.minN, minimumSpan)
            let cx = (b.minE + b.maxE) / 2
            let cy = (b.minN + b.maxN) / 2
            let hw = w * (0.5 + margin)
            let hh = h * (0.5 + margin)
            return Bounds(minE: cx - hw, minN: cy - hh, maxE: cx + hw, maxN: cy + hh)
        }

        public static func centred(on p: GridPoint, radius: Double) -> Bounds {
            Bounds(
                minE: p.easting - radius, minN: p.northing - radius, maxE: p.easting + radius, maxN: p.northing + radius
            )
        }
    }

    /// A line between two places: a trainee's home and their placement school.
    public struct Line: Sendable {
        public var from: GridPoint
        public var to: GridPoint
        public var title: String
        public init(from: GridPoint, to: GridPoint, title: String) {
            self.from = from
            self.to = to
            self.title = title
        }
    }

    /// Renders the map. `width` is in SVG units; the height follows the area's shape.
    public static func render(
        id: String, title: String, description: String, bounds: Bounds, points: [Point], labels: [Label] = [],
        lines: [Line] = [], width: Double = 640
    ) -> String {
        let spanE = bounds.maxE - bounds.minE
        let spanN = bounds.maxN - bounds.minN
        let scale = width / spanE
        let height = (spanN * scale).rounded()
        func x(_ p: GridPoint) -> String { fmt((p.easting - bounds.minE) * scale) }
        func y(_ p: GridPoint) -> String { fmt((bounds.maxN - p.northing) * scale) }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="app-map" viewBox="0 0 \(fmt(width)) \(fmt(height))" \
            role="img" aria-labelledby="\(id)-title \(id)-desc"><title id="\(id)-title">\(escape(title))</title>\
            <desc id="\(id)-desc">\(escape(description))</desc>
            """
        for l in lines {
            svg +=
                "<g><title>\(escape(l.title))</title><line x1=\"\(x(l.from))\" y1=\"\(y(l.from))\" x2=\"\(x(l.to))\" y2=\"\(y(l.to))\" stroke=\"#505a5f\" stroke-width=\"1.5\"/><circle cx=\"\(x(l.from))\" cy=\"\(y(l.from))\" r=\"2\" fill=\"#505a5f\"/></g>"
        }
        // Ordinary schools first, so the highlighted ones are drawn on top.
        let ordered = points.sorted { rank($0.marker) < rank($1.marker) }
        for p in ordered {
            let shape: String
            switch p.marker {
            case .school:
                shape = "<circle cx=\"\(x(p.at))\" cy=\"\(y(p.at))\" r=\"3\" fill=\"#1d70b8\" fill-opacity=\"0.75\"/>"
            case .leadSchool:
                shape =
                    "<rect x=\"\(fmt((p.at.easting - bounds.minE) * scale - 4))\" y=\"\(fmt((bounds.maxN - p.at.northing) * scale - 4))\" width=\"8\" height=\"8\" fill=\"#f47738\" stroke=\"#0b0c0c\" stroke-width=\"1\"/>"
            case .giClass(let c):
                shape = giShape(c, cx: (p.at.easting - bounds.minE) * scale, cy: (bounds.maxN - p.at.northing) * scale)
            case .count(let n):
                shape = countShape(
                    n, cx: (p.at.easting - bounds.minE) * scale, cy: (bounds.maxN - p.at.northing) * scale)
            case .share(let v):
                shape = shareShape(
                    v, cx: (p.at.easting - bounds.minE) * scale, cy: (bounds.maxN - p.at.northing) * scale)
            case .subject:
                let cx = (p.at.easting - bounds.minE) * scale
                let cy = (bounds.maxN - p.at.northing) * scale
                shape =
                    "<circle cx=\"\(fmt(cx))\" cy=\"\(fmt(cy))\" r=\"14\" fill=\"none\" stroke=\"#d4351c\" stroke-width=\"3\"/>"
                    + "<path d=\"M\(fmt(cx)) \(fmt(cy - 8))L\(fmt(cx + 8)) \(fmt(cy))L\(fmt(cx)) \(fmt(cy + 8))L\(fmt(cx - 8)) \(fmt(cy))Z\" fill=\"#d4351c\"/>"
            }
            // No links inside: the map is one image to assistive technology (links nested in it are not reached),
            // so pages list the linked places after the map (`linkList`).
            svg += "<g><title>\(escape(p.title))</title>\(shape)</g>"
        }
        for l in labels {
            svg +=
                "<text x=\"\(x(l.at))\" y=\"\(y(l.at))\" text-anchor=\"middle\" font-family=\"arial,sans-serif\" font-size=\"14\" font-weight=\"700\" fill=\"#0b0c0c\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">\(escape(l.text))</text>"
        }
        svg += scaleBar(metresPerUnit: 1 / scale, width: width, height: height)
        svg += northArrow(width: width)
        svg += "</svg>"
        return svg
    }

    /// Names of the towns with the most points on a map, each at the middle of its points: a few words for
    /// orientation (at most `limit`, each with at least `minimum` points, inside the bounds).
    public static func townLabels(
        _ places: [(town: String, at: GridPoint)], bounds: Bounds, limit: Int = 4, minimum: Int = 3
    )
        -> [Label]
    {
        let byTown = Dictionary(grouping: places.filter { !$0.town.isEmpty }, by: \.town)
        return byTown.filter { $0.value.count >= minimum }
            .sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
            .compactMap { town, points -> Label? in
                let e = points.map(\.at.easting).reduce(0, +) / Double(points.count)
                let n = points.map(\.at.northing).reduce(0, +) / Double(points.count)
                let at = GridPoint(easting: e, northing: n)
                return bounds.contains(at) ? Label(at: at, text: town) : nil
            }.prefix(limit).map { $0 }
    }

    /// The map's linked places as a list after it, where keyboard and screen-reader users reach them.
    public static func linkList(_ points: [Point], summary: String) -> Node<HTML.BodyContext> {
        let linked = points.filter { $0.link != nil }
        guard !linked.isEmpty else { return .empty }
        return .element(
            named: "details",
            nodes: [
                .class("app-details"),
                .element(named: "summary", nodes: [.text(summary)]),
                .ul(.class("app-list app-columns"), .forEach(linked) { .li(.a(.href($0.link!), .text($0.title))) }),
            ])
    }

    static func rank(_ m: Marker) -> Int {
        switch m {
        case .school: 0
        // Cold spots are drawn over hot spots of the same confidence: on this page they are what people look for.
        case .giClass(let c): c == 0 ? 0 : 2 * abs(c) + (c < 0 ? 1 : 0)
        case .leadSchool: 1
        case .share(let v): v == nil ? 0 : 1
        case .count(let n): n == 0 ? 0 : 1
        case .subject: 9
        }
    }

    /// A scale bar about a fifth of the map's width, at a round length.
    static func scaleBar(metresPerUnit: Double, width: Double, height: Double) -> String {
        let target = width / 5 * metresPerUnit
        let steps: [Double] = [100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000]
        let metres = steps.last { $0 <= target } ?? steps[0]
        let length = metres / metresPerUnit
        let label = metres >= 1_000 ? "\(fmt(metres / 1_000)) km" : "\(fmt(metres)) m"
        let x0 = 12.0
        let y0 = height - 14
        return
            "<g aria-hidden=\"true\"><rect x=\"\(fmt(x0 - 4))\" y=\"\(fmt(y0 - 20))\" width=\"\(fmt(length + 8))\" height=\"28\" fill=\"#fff\" fill-opacity=\"0.85\"/>"
            + "<path d=\"M\(fmt(x0)) \(fmt(y0 - 6))V\(fmt(y0))H\(fmt(x0 + length))V\(fmt(y0 - 6))\" fill=\"none\" stroke=\"#0b0c0c\" stroke-width=\"2\"/>"
            + "<text x=\"\(fmt(x0))\" y=\"\(fmt(y0 - 9))\" font-family=\"arial,sans-serif\" font-size=\"12\" fill=\"#0b0c0c\">\(label)</text></g>"
    }

    static func northArrow(width: Double) -> String {
        let x = width - 24
        return
            "<g aria-hidden=\"true\"><path d=\"M\(fmt(x)) 10L\(fmt(x + 7)) 30L\(fmt(x)) 25L\(fmt(x - 7)) 30Z\" fill=\"#0b0c0c\"/>"
            + "<text x=\"\(fmt(x))\" y=\"44\" text-anchor=\"middle\" font-family=\"arial,sans-serif\" font-size=\"12\" font-weight=\"700\">N</text></g>"
    }

    static func fmt(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// Escapes text for XML content and attribute values.
    public static func escape(_ s: String) -> String { Escape.attribute(s) }
}

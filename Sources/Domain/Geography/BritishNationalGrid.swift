import Foundation

/// A position on the British National Grid (EPSG:27700), in metres.
public struct GridPoint: Hashable, Codable, Sendable {
    public var easting: Double
    public var northing: Double

    public init(easting: Double, northing: Double) {
        self.easting = easting
        self.northing = northing
    }

    /// Straight-line distance on the grid, in metres. Within a region the grid's scale error
    /// (at most 0.04%) is far below the precision of a postcode centroid.
    public func distance(to other: GridPoint) -> Double {
        let dx = easting - other.easting
        let dy = northing - other.northing
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Whether the point lies inside the National Grid's false-origin square that covers Great Britain.
    public var isWithinGreatBritain: Bool {
        (0...700_000).contains(easting) && (0...1_300_000).contains(northing)
    }
}

/// A WGS84 latitude and longitude, in degrees.
public struct LatLon: Hashable, Codable, Sendable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Great-circle distance in metres on a sphere of the WGS84 mean radius (haversine).
    public func distance(to other: LatLon) -> Double {
        let r = 6_371_008.8
        let phi1 = latitude * .pi / 180
        let phi2 = other.latitude * .pi / 180
        let dPhi = phi2 - phi1
        let dLambda = (other.longitude - longitude) * .pi / 180
        let h = sin(dPhi / 2) * sin(dPhi / 2) + cos(phi1) * cos(phi2) * sin(dLambda / 2) * sin(dLambda / 2)
        return 2 * r * asin(min(1, h.squareRoot()))
    }
}

/// Conversion between British National Grid and WGS84.
///
/// The grid is the OSGB36 transverse Mercator projection on the Airy 1830 ellipsoid; the datum shift is the
/// seven-parameter Helmert transformation published by Ordnance Survey ("A guide to coordinate systems in
/// Great Britain", section 6.6 and annex C). Helmert is accurate to a few metres across Great Britain, which is
/// within the 5 m the product needs for postcode centroids; OSTN15 would be needed for survey accuracy.
public enum BritishNationalGrid {
    struct Ellipsoid {
        let a: Double
        let b: Double
        var e2: Double { (a * a - b * b) / (a * a) }
    }

    static let airy1830 = Ellipsoid(a: 6_377_563.396, b: 6_356_256.909)
    static let wgs84 = Ellipsoid(a: 6_378_137.000, b: 6_356_752.3142)

    // Projection constants of the National Grid.
    static let f0 = 0.9996012717
    static let phi0 = 49.0 * Double.pi / 180
    static let lambda0 = -2.0 * Double.pi / 180
    static let e0 = 400_000.0
    static let n0 = -100_000.0

    struct Helmert {
        let tx, ty, tz: Double  // metres
        let s: Double  // parts per million
        let rx, ry, rz: Double  // arc-seconds

        var inverse: Helmert { Helmert(tx: -tx, ty: -ty, tz: -tz, s: -s, rx: -rx, ry: -ry, rz: -rz) }

        func apply(_ p: (x: Double, y: Double, z: Double)) -> (x: Double, y: Double, z: Double) {
            let arcsec = Double.pi / (180 * 3600)
            let s1 = 1 + s * 1e-6
            let rx = rx * arcsec
            let ry = ry * arcsec
            let rz = rz * arcsec
            return (
                tx + s1 * p.x - rz * p.y + ry * p.z,
                ty + rz * p.x + s1 * p.y - rx * p.z,
                tz - ry * p.x + rx * p.y + s1 * p.z
            )
        }
    }

    static let wgs84ToOSGB36 = Helmert(
        tx: -446.448, ty: 125.157, tz: -542.060, s: 20.4894, rx: -0.1502, ry: -0.2470, rz: -0.8421)

    /// Converts a grid reference to WGS84 latitude and longitude.
    public static func toWGS84(_ point: GridPoint) -> LatLon {
        let (phi, lambda) = inverseProjection(point)
        let osgb = toCartesian(phi: phi, lambda: lambda, on: airy1830)
        let wgs = wgs84ToOSGB36.inverse.apply(osgb)
        let (lat, lon) = toGeodetic(wgs, on: wgs84)
        return LatLon(latitude: lat * 180 / .pi, longitude: lon * 180 / .pi)
    }

    /// Converts WGS84 latitude and longitude to a grid reference.
    public static func fromWGS84(_ position: LatLon) -> GridPoint {
        let wgs = toCartesian(
            phi: position.latitude * .pi / 180, lambda: position.longitude * .pi / 180, on: wgs84)
        let osgb = wgs84ToOSGB36.apply(wgs)
        let (phi, lambda) = toGeodetic(osgb, on: airy1830)
        return forwardProjection(phi: phi, lambda: lambda)
    }

    private static func meridionalArc(_ phi: Double) -> Double {
        let a = airy1830.a
        let b = airy1830.b
        let n = (a - b) / (a + b)
        let n2 = n * n
        let n3 = n2 * n
        let dp = phi - phi0
        let sp = phi + phi0
        let ma = (1 + n + 5.0 / 4 * n2 + 5.0 / 4 * n3) * dp
        let mb = (3 * n + 3 * n2 + 21.0 / 8 * n3) * sin(dp) * cos(sp)
        let mc = (15.0 / 8 * n2 + 15.0 / 8 * n3) * sin(2 * dp) * cos(2 * sp)
        let md = 35.0 / 24 * n3 * sin(3 * dp) * cos(3 * sp)
        return b * f0 * (ma - mb + mc - md)
    }

    private static func forwardProjection(phi: Double, lambda: Double) -> GridPoint {
        let a = airy1830.a
        let e2 = airy1830.e2
        let sinPhi = sin(phi)
        let cosPhi = cos(phi)
        let tanPhi = tan(phi)
        let nu = a * f0 / (1 - e2 * sinPhi * sinPhi).squareRoot()
        let rho = a * f0 * (1 - e2) / pow(1 - e2 * sinPhi * sinPhi, 1.5)
        let eta2 = nu / rho - 1
        let m = meridionalArc(phi)
        let i = m + n0
        let ii = nu / 2 * sinPhi * cosPhi
        let iii = nu / 24 * sinPhi * pow(cosPhi, 3) * (5 - tanPhi * tanPhi + 9 * eta2)
        let iiiA = nu / 720 * sinPhi * pow(cosPhi, 5) * (61 - 58 * tanPhi * tanPhi + pow(tanPhi, 4))
        let iv = nu * cosPhi
        let v = nu / 6 * pow(cosPhi, 3) * (nu / rho - tanPhi * tanPhi)
        let vi =
            nu / 120 * pow(cosPhi, 5)
            * (5 - 18 * tanPhi * tanPhi + pow(tanPhi, 4) + 14 * eta2 - 58 * tanPhi * tanPhi * eta2)
        let dl = lambda - lambda0
        let northing = i + ii * dl * dl + iii * pow(dl, 4) + iiiA * pow(dl, 6)
        let easting = e0 + iv * dl + v * pow(dl, 3) + vi * pow(dl, 5)
        return GridPoint(easting: easting, northing: northing)
    }

    private static func inverseProjection(_ point: GridPoint) -> (phi: Double, lambda: Double) {
        let a = airy1830.a
        let e2 = airy1830.e2
        var phi = phi0
        var m = 0.0
        repeat {
            phi = (point.northing - n0 - m) / (a * f0) + phi
            m = meridionalArc(phi)
        } while abs(point.northing - n0 - m) >= 0.00001
        let sinPhi = sin(phi)
        let cosPhi = cos(phi)
        let tanPhi = tan(phi)
        let nu = a * f0 / (1 - e2 * sinPhi * sinPhi).squareRoot()
        let rho = a * f0 * (1 - e2) / pow(1 - e2 * sinPhi * sinPhi, 1.5)
        let eta2 = nu / rho - 1
        let t2 = tanPhi * tanPhi
        let vii = tanPhi / (2 * rho * nu)
        let viii = tanPhi / (24 * rho * pow(nu, 3)) * (5 + 3 * t2 + eta2 - 9 * t2 * eta2)
        let ix = tanPhi / (720 * rho * pow(nu, 5)) * (61 + 90 * t2 + 45 * t2 * t2)
        let secPhi = 1 / cosPhi
        let x = secPhi / nu
        let xi = secPhi / (6 * pow(nu, 3)) * (nu / rho + 2 * t2)
        let xii = secPhi / (120 * pow(nu, 5)) * (5 + 28 * t2 + 24 * t2 * t2)
        let xiiA = secPhi / (5040 * pow(nu, 7)) * (61 + 662 * t2 + 1320 * t2 * t2 + 720 * pow(tanPhi, 6))
        let de = point.easting - e0
        let lat = phi - vii * de * de + viii * pow(de, 4) - ix * pow(de, 6)
        let lon = lambda0 + x * de - xi * pow(de, 3) + xii * pow(de, 5) - xiiA * pow(de, 7)
        return (lat, lon)
    }

    private static func toCartesian(phi: Double, lambda: Double, on e: Ellipsoid) -> (
        x: Double, y: Double, z: Double
    ) {
        let nu = e.a / (1 - e.e2 * sin(phi) * sin(phi)).squareRoot()
        return (nu * cos(phi) * cos(lambda), nu * cos(phi) * sin(lambda), (1 - e.e2) * nu * sin(phi))
    }

    private static func toGeodetic(_ p: (x: Double, y: Double, z: Double), on e: Ellipsoid) -> (
        phi: Double, lambda: Double
    ) {
        let lambda = atan2(p.y, p.x)
        let r = (p.x * p.x + p.y * p.y).squareRoot()
        var phi = atan2(p.z, r * (1 - e.e2))
        for _ in 0..<10 {
            let nu = e.a / (1 - e.e2 * sin(phi) * sin(phi)).squareRoot()
            let next = atan2(p.z + e.e2 * nu * sin(phi), r)
            if abs(next - phi) < 1e-13 {
                phi = next
                break
            }
            phi = next
        }
        return (phi, lambda)
    }
}

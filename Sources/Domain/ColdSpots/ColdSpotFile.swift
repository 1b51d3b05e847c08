/// The generic point file the `coldspots` command reads: `id,x,y,value`, with x and y in British National Grid
/// metres, or longitude and latitude in degrees (x = longitude, y = latitude) when read as WGS84.
public struct ColdSpotPoints: Sendable {
    public var ids: [String]
    /// Grid metres (converted from WGS84 when the file holds latitude and longitude).
    public var x: [Double]
    public var y: [Double]
    public var values: [Double]

    public init(ids: [String], x: [Double], y: [Double], values: [Double]) {
        self.ids = ids
        self.x = x
        self.y = y
        self.values = values
    }

    /// Reads and checks the file, naming every bad line and field; nothing is computed unless all rows are good.
    public static func read(_ bytes: [UInt8], file: String, latitudeLongitude: Bool) throws(ImportFileError)
        -> ColdSpotPoints
    {
        let table = try CSVTable(bytes: bytes, file: file, encoding: .utf8)
        // The benchmark files name the coordinates x_m and y_m; accept both.
        let xColumn = !table.has("x") && table.has("x_m") ? "x_m" : "x"
        let yColumn = !table.has("y") && table.has("y_m") ? "y_m" : "y"
        try table.require(["id", xColumn, yColumn, "value"])
        var points = ColdSpotPoints(ids: [], x: [], y: [], values: [])
        var problems: [ImportFileError.Problem] = []
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            let id = row["id"]
            var ok = true
            func number(_ column: String, _ limit: Double) -> Double? {
                guard let v = BoundedInput.decimal(row[column], in: -limit...limit) else {
                    problems.append(
                        .init(
                            line: row.line, field: column,
                            message:
                                "\(BoundedInput.quote(row[column])) is not a number from \(Int(-limit)) to \(Int(limit))"
                        ))
                    ok = false
                    return nil
                }
                return v
            }
            if id.isEmpty {
                problems.append(.init(line: row.line, field: "id", message: "is empty"))
                ok = false
            } else if let first = firstLine[id] {
                problems.append(
                    .init(
                        line: row.line, field: "id",
                        message: "\(BoundedInput.quote(id)) appears again (first on line \(first))"))
                ok = false
            } else {
                firstLine[id] = row.line
            }
            let coordinateLimit = latitudeLongitude ? 180 : GetisOrd.coordinateLimit
            let x = number(xColumn, coordinateLimit)
            let y = number(yColumn, coordinateLimit)
            let value = number("value", GetisOrd.valueLimit)
            if let value, value < 0 {
                problems.append(
                    .init(
                        line: row.line, field: "value",
                        message: "\(BoundedInput.quote(row["value"])) is negative: Gi* needs non-negative values"))
                ok = false
            }
            if latitudeLongitude, let x, let y, !((-90...90).contains(y) && (-180...180).contains(x)) {
                problems.append(
                    .init(line: row.line, field: yColumn, message: "\(y), \(x) is not a latitude and longitude"))
                ok = false
            }
            guard ok, let x, let y, let value else { continue }
            let point =
                latitudeLongitude
                ? BritishNationalGrid.fromWGS84(LatLon(latitude: y, longitude: x)) : GridPoint(easting: x, northing: y)
            points.ids.append(id)
            points.x.append(point.easting)
            points.y.append(point.northing)
            points.values.append(value)
        }
        if !problems.isEmpty { throw ImportFileError(file: file, problems: problems) }
        if points.ids.count < 3 {
            throw ImportFileError(
                file: file, problems: [.init(message: "Gi* needs at least 3 points; the file has \(points.ids.count)")])
        }
        return points
    }
}

/// Writes Gi* results as `id,gi_z,p_norm,p_sim,class`.
public enum ColdSpotCSV {
    public static let header = "id,gi_z,p_norm,p_sim,class\n"

    public static func write(ids: [String], results: [GiStar]) -> String {
        var out = header
        out.reserveCapacity(ids.count * 48)
        for (id, r) in zip(ids, results) {
            out += SchoolCSVExport.escape(id)
            out += ","
            out += "\(r.z),\(r.pNorm),"
            if let p = r.pSim { out += "\(p)" }
            out += ",\(r.classification)\n"
        }
        return out
    }
}

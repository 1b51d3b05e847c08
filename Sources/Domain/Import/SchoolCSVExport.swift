/// Writes schools as CSV (RFC 4180, UTF-8), one row per school with a header.
public enum SchoolCSVExport {
    public static let columns = [
        "urn", "name", "status", "phase", "phase_source", "establishment_type", "statutory_low_age",
        "statutory_high_age", "number_of_pupils", "open_date", "close_date", "town", "postcode", "easting", "northing",
        "latitude", "longitude", "la_code", "la_code_dfe", "la_name", "lad_code", "lad_name", "region_code",
        "region_name", "trust_code", "trust_name", "itt_lead_school", "npq_pp50_school_2025", "npq_rise_school",
        "npq_high_pupil_premium_2021_22",
    ]

    public static func header() -> String { columns.joined(separator: ",") + "\r\n" }

    public static func row(_ s: School) -> String {
        func n(_ v: Int?) -> String { v.map(String.init) ?? "" }
        func d(_ v: Double?) -> String {
            guard let v else { return "" }
            return v == v.rounded() && abs(v) < 1e12 ? String(Int(v)) : String(v)
        }
        func b(_ v: Bool?) -> String { v.map { $0 ? "True" : "False" } ?? "" }
        let fields: [String] = [
            String(s.urn.value), s.name, s.status.rawValue, s.phase.rawValue, s.phaseSource.rawValue,
            s.establishmentType ?? "", n(s.statutoryLowAge), n(s.statutoryHighAge), n(s.numberOfPupils),
            s.openDate?.description ?? "", s.closeDate?.description ?? "", s.town ?? "", s.postcode ?? "",
            d(s.location?.easting), d(s.location?.northing), d(s.coordinates?.latitude), d(s.coordinates?.longitude),
            s.localAuthority?.code ?? "", s.localAuthority?.dfeCode ?? "", s.localAuthority?.name ?? "",
            s.district?.code ?? "",
            s.district?.name ?? "", s.region?.code ?? "", s.region?.name ?? "", s.trust?.code ?? "",
            s.trust?.name ?? "",
            b(s.isITTLeadSchool), b(s.isNPQPP50), b(s.isRISE), b(s.isHighPupilPremium202122),
        ]
        return fields.map(escape).joined(separator: ",") + "\r\n"
    }

    /// Quotes a field when it holds a comma, quote or line break, and nothing else: for CSV read back by Chalkface
    /// itself.
    public static func escapeQuoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingQuotes + "\""
    }

    /// Quotes a field when it holds a comma, quote or line break. A leading =, +, - or @ is prefixed with an
    /// apostrophe so that spreadsheets do not run it as a formula (CSV injection).
    public static func escape(_ field: String) -> String {
        var f = field
        if let first = f.first, "=+-@".contains(first), Double(f) == nil { f = "'" + f }
        guard f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return f }
        return "\"" + f.replacingQuotes + "\""
    }
}

extension String {
    fileprivate var replacingQuotes: String {
        var out = ""
        for c in self {
            if c == "\"" { out += "\"\"" } else { out.append(c) }
        }
        return out
    }
}

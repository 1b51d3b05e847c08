import Domain

/// A row of the `schools` table, as SQLKit reads and writes it. Never leaves Persistence.
struct SchoolRow: Codable, Sendable {
    var urn: Int
    var name: String
    var name_search: String
    var status: String
    var phase: String
    var phase_source: String
    var establishment_type: String?
    var statutory_low_age: Int?
    var statutory_high_age: Int?
    var number_of_pupils: Int?
    var open_date: String?
    var close_date: String?
    var town: String?
    var postcode: String?
    var postcode_compact: String?
    var easting: Double?
    var northing: Double?
    var latitude: Double?
    var longitude: Double?
    var la_code: String?
    var la_code_dfe: String?
    var la_name: String?
    var lad_code: String?
    var lad_name: String?
    var region_code: String?
    var region_name: String?
    var trust_code: String?
    var trust_name: String?
    var itt_lead_school: Bool
    var npq_pp50: Bool?
    var npq_rise: Bool?
    var npq_high_pupil_premium_2021_22: Bool?

    static let columns = [
        "urn", "name", "name_search", "status", "phase", "phase_source", "establishment_type", "statutory_low_age",
        "statutory_high_age", "number_of_pupils", "open_date", "close_date", "town", "postcode", "postcode_compact",
        "easting", "northing", "latitude", "longitude", "la_code", "la_code_dfe", "la_name", "lad_code", "lad_name",
        "region_code", "region_name", "trust_code", "trust_name", "itt_lead_school", "npq_pp50", "npq_rise",
        "npq_high_pupil_premium_2021_22",
    ]

    init(_ s: School) {
        urn = s.urn.value
        name = s.name
        name_search = SchoolRow.searchText(s.name)
        status = s.status.rawValue
        phase = s.phase.rawValue
        phase_source = s.phaseSource.rawValue
        establishment_type = s.establishmentType
        statutory_low_age = s.statutoryLowAge
        statutory_high_age = s.statutoryHighAge
        number_of_pupils = s.numberOfPupils
        open_date = s.openDate?.description
        close_date = s.closeDate?.description
        town = s.town
        postcode = s.postcode
        postcode_compact = s.postcode.flatMap { Postcode($0)?.compact }
        easting = s.location?.easting
        northing = s.location?.northing
        latitude = s.coordinates?.latitude
        longitude = s.coordinates?.longitude
        la_code = s.localAuthority?.code
        la_code_dfe = s.localAuthority?.dfeCode
        la_name = s.localAuthority?.name
        lad_code = s.district?.code
        lad_name = s.district?.name
        region_code = s.region?.code
        region_name = s.region?.name
        trust_code = s.trust?.code
        trust_name = s.trust?.name
        itt_lead_school = s.isITTLeadSchool
        npq_pp50 = s.isNPQPP50
        npq_rise = s.isRISE
        npq_high_pupil_premium_2021_22 = s.isHighPupilPremium202122
    }

    /// Lower-cased, with punctuation folded to spaces, so that name search is case-insensitive on both databases.
    static func searchText(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " })
    }

    func toDomain() throws -> School {
        guard let status = SchoolStatus(rawValue: status), let phase = Phase(rawValue: phase),
            let phaseSource = PhaseSource(rawValue: phase_source)
        else { throw StoredDataError("school \(urn) has an unknown status, phase or phase source") }
        return School(
            urn: URN(urn), name: name, status: status, phase: phase, phaseSource: phaseSource,
            establishmentType: establishment_type, statutoryLowAge: statutory_low_age,
            statutoryHighAge: statutory_high_age, numberOfPupils: number_of_pupils,
            openDate: open_date.flatMap(Day.init),
            closeDate: close_date.flatMap(Day.init), town: town, postcode: postcode,
            location: easting.flatMap { e in northing.map { GridPoint(easting: e, northing: $0) } },
            coordinates: latitude.flatMap { lat in longitude.map { LatLon(latitude: lat, longitude: $0) } },
            localAuthority: la_code.map { LocalAuthority(code: $0, dfeCode: la_code_dfe ?? "", name: la_name ?? $0) },
            district: lad_code.map { District(code: $0, name: lad_name ?? $0) },
            region: region_code.map { Region(code: $0, name: region_name ?? $0) },
            trust: trust_code.map { TrustReference(code: $0, name: trust_name ?? $0) },
            isITTLeadSchool: itt_lead_school, isNPQPP50: npq_pp50, isRISE: npq_rise,
            isHighPupilPremium202122: npq_high_pupil_premium_2021_22)
    }
}

/// Data in the database that the code cannot read back: a bug or a hand edit, never user input.
public struct StoredDataError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

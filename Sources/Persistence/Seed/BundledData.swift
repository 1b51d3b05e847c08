import Domain
import Foundation

/// Real public data shipped with Chalkface (Open Government Licence v3.0; see the README's data section).
public enum BundledData {
    /// Open state-funded schools of the two pilot regions (GIAS-derived, July 2025): 1,739 schools.
    public static let regionalSchoolsFile = "schools_regions_of_interest_2025-07.csv"
    /// Local authority district -> local authority -> region (DfE geo_hierarchy, 2025).
    public static let districtLookupFile = "lad_to_la_region_2025.csv"
    /// Mean position of each local authority's postcodes (derived from ONSPD).
    public static let authorityCentroidsFile = "la_centroids_postcode_mean.csv"

    /// The ONS Postcode Directory's postcodes in the pilot regions' 35 districts (186,567), gzip-compressed: enough
    /// to place the demo's people by home postcode. `chalkface import postcodes` loads the whole country.
    public static let pilotPostcodesFile = "postcodes_pilot_regions.csv.gz"

    /// The 30,000 most common passwords in leaked sets, most common first (from zxcvbn 4.5.0's frequency lists,
    /// MIT licence, which took them from Mark Burnett's 10 million password set).
    public static let commonPasswordsFile = "common_passwords.txt"

    /// The password rules with the bundled common-password list, read once per process.
    public static func passwordPolicy() throws -> PasswordPolicy { try passwordPolicyOnce.get() }

    private static let passwordPolicyOnce = Result<PasswordPolicy, any Error> {
        let text = String(decoding: try bytes(commonPasswordsFile), as: UTF8.self)
        return PasswordPolicy(commonPasswords: text.split(separator: "\n").map(String.init))
    }

    /// DfE's Teacher Workforce Model flows (2026 publication) and pupil and teacher numbers with projections, for
    /// the supply forecast (Open Government Licence v3.0).
    public static let workforceFlowsFile = "twm_flow_trajectories_2026_publication.csv"
    public static let pupilNumbersFile = "twm_pupil_teacher_numbers.csv"

    /// The workforce model, read from the bundle once per process.
    public static func workforceModel() throws -> WorkforceModel { try workforceOnce.get() }

    private static let workforceOnce = Result<WorkforceModel, any Error> {
        try WorkforceModel.read(flows: bytes(workforceFlowsFile), pupils: bytes(pupilNumbersFile))
    }

    /// DfE's national postgraduate ITT trainee need by subject (Teacher Workforce Model), read once per process.
    public static let traineeNeedFile = "twm_pgitt_trainee_need_by_subject.csv"
    public static func traineeNeed() throws -> TraineeNeed { try traineeNeedOnce.get() }

    private static let traineeNeedOnce = Result<TraineeNeed, any Error> {
        try TraineeNeed.read(bytes(traineeNeedFile), file: traineeNeedFile)
    }

    /// DfE's 12 NPQ courses and their default lead providers (from DFE-Digital/npq-registration).
    public static func npqCourses() throws -> [NPQCourse] { try npqOnce.get() }

    private static let npqOnce = Result<[NPQCourse], any Error> {
        try NPQCourse.read(
            courses: bytes("npq_courses.csv"), leadProviders: bytes("npq_course_lead_providers_default.csv"))
    }

    /// The EEF Teaching and Learning Toolkit's strand names (names only; see ../shared/data/README.md).
    public static func eefStrands() throws -> [EEFStrand] { try strandsOnce.get() }

    private static let strandsOnce = Result<[EEFStrand], any Error> {
        try EEFStrand.read(bytes("eef_toolkit_strand_names.csv"), file: "eef_toolkit_strand_names.csv")
    }

    public static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources") else {
            throw FileReadError(path: name, message: "is missing from the bundled resources")
        }
        return [UInt8](try Data(contentsOf: url))
    }

    /// The district lookup, read from the bundle once per process.
    public static func geography() throws -> GeographyLookup { try geographyOnce.get() }

    /// Where each local authority's label goes on a map, read from the bundle once per process.
    public static func authorityCentroids() throws -> [String: GridPoint] { try centroidsOnce.get() }

    private static let geographyOnce = Result<GeographyLookup, any Error> {
        try GeographyLookup(csv: bytes(districtLookupFile), file: districtLookupFile)
    }

    private static let centroidsOnce = Result<[String: GridPoint], any Error> {
        let table = try CSVTable(bytes: bytes(authorityCentroidsFile), file: authorityCentroidsFile, encoding: .utf8)
        var out: [String: GridPoint] = [:]
        for row in table.rows {
            if let e = Double(row["easting"]), let n = Double(row["northing"]) {
                out[row["la_code"]] = GridPoint(easting: e, northing: n)
            }
        }
        return out
    }
}

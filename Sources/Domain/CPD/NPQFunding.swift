import Foundation

/// DfE's NPQ courses (../shared/data/reference/npq_courses.csv, from DFE-Digital/npq-registration).
public struct NPQCourse: Hashable, Sendable, Codable {
    public var identifier: String
    public var shortCode: String
    public var name: String
    public var group: String
    public var description: String
    public var leadProviders: [String]

    public init(
        identifier: String, shortCode: String, name: String, group: String, description: String,
        leadProviders: [String]
    ) {
        self.identifier = identifier
        self.shortCode = shortCode
        self.name = name
        self.group = group
        self.description = description
        self.leadProviders = leadProviders
    }

    /// Reads the courses file and the default lead providers file, naming bad lines.
    public static func read(courses: [UInt8], leadProviders: [UInt8]) throws(ImportFileError) -> [NPQCourse] {
        let table = try CSVTable(bytes: courses, file: "npq_courses.csv", encoding: .utf8)
        try table.require(["identifier", "short_code", "name", "course_group", "description"])
        let providers = try CSVTable(
            bytes: leadProviders, file: "npq_course_lead_providers_default.csv", encoding: .utf8)
        try providers.require(["course_identifier", "lead_provider_name"])
        var byCourse: [String: [String]] = [:]
        for row in providers.rows { byCourse[row["course_identifier"], default: []].append(row["lead_provider_name"]) }
        return table.rows.map { row in
            NPQCourse(
                identifier: row["identifier"], shortCode: row["short_code"], name: row["name"],
                group: row["course_group"], description: row["description"],
                leadProviders: byCourse[row["identifier"]] ?? [])
        }
    }
}

/// Whether DfE funds an NPQ for a teacher at a school, with the reason: the rules DfE published for the autumn
/// 2024 cohort onwards (the NPQ registration service's eligibility), answered from the school's record. Where the
/// record lacks what the rule needs, the answer is "depends" and says what to check, never a guess.
public enum NPQFunding {
    public enum Answer: String, Sendable, Hashable {
        case yes, no, depends
        public var label: String {
            switch self {
            case .yes: "Yes"
            case .no: "No"
            case .depends: "It depends"
            }
        }
    }

    public struct Decision: Sendable, Hashable {
        public var answer: Answer
        public var reason: String
    }

    /// Fully funded for teachers in publicly funded schools and 16 to 19 settings.
    public static let universal: Set<String> = [
        "npq-headship", "npq-early-headship-coaching-offer", "npq-leading-primary-mathematics", "npq-senco",
    ]
    /// Funded in the top 50% of schools by pupil premium (the PP50 list).
    public static let targeted: Set<String> = [
        "npq-early-years-leadership", "npq-executive-leadership", "npq-leading-behaviour-culture",
        "npq-leading-literacy", "npq-leading-teaching-development", "npq-leading-teaching", "npq-senior-leadership",
    ]

    public static let source =
        "DfE's NPQ funding eligibility from the autumn 2024 cohort (the Register for an NPQ service), and the PP50 list in the bundled school data."

    /// Establishment types that are not publicly funded.
    static func isIndependent(_ school: School) -> Bool {
        let t = (school.establishmentType ?? "").lowercased()
        return t.contains("independent")
    }

    public static func decide(course: String, school: School?) -> Decision {
        guard let school else {
            return Decision(
                answer: .depends,
                reason:
                    "Funding depends on the school you work at: sign in with a school role, or choose your school, to see the answer."
            )
        }
        if isIndependent(school) {
            return Decision(
                answer: .no,
                reason:
                    "\(school.name) is not a publicly funded school (\(school.establishmentType ?? "")): DfE does not fund NPQs there."
            )
        }
        if course == "npq-additional-support-offer" {
            return Decision(
                answer: .depends,
                reason:
                    "The additional support offer is for new headteachers: it depends on how long you have been a headteacher."
            )
        }
        if course == "npq-early-headship-coaching-offer" {
            return Decision(
                answer: .depends,
                reason:
                    "Funded for headteachers in their first five years of headship at a publicly funded school such as \(school.name)."
            )
        }
        if universal.contains(course) {
            return Decision(
                answer: .yes,
                reason:
                    "DfE fully funds this NPQ for teachers and leaders at publicly funded schools, including \(school.name)."
            )
        }
        if targeted.contains(course) {
            switch school.isNPQPP50 {
            case .some(true):
                return Decision(
                    answer: .yes,
                    reason:
                        "\(school.name) is on DfE's PP50 list (the half of schools with the highest share of pupils attracting pupil premium), so this NPQ is funded."
                )
            case .some(false):
                return Decision(
                    answer: .no,
                    reason:
                        "\(school.name) is not on DfE's PP50 list, and this NPQ is funded only there (or in 16 to 19 and early years settings of high disadvantage): the school or the teacher pays."
                )
            case .none:
                return Decision(
                    answer: .depends,
                    reason:
                        "Funded only at schools on DfE's PP50 list, and Chalkface does not hold \(school.name)'s PP50 status: check the school on the NPQ registration service."
                )
            }
        }
        return Decision(
            answer: .depends, reason: "This is not one of DfE's NPQ courses: ask the provider about funding.")
    }
}

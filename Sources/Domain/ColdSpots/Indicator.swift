/// A per-school measure that cold-spot analysis can map.
public struct Indicator: Hashable, Sendable, Identifiable {
    public enum Kind: Hashable, Sendable {
        /// 1 for a school on DfE's July 2024 ITT lead-school list, 0 otherwise.
        case ittLeadSchools
        /// 1 for a school that belongs to the partnership (a member school, or in a member trust), 0 otherwise.
        case partnerSchools
        /// Teachers at the school on a CPD programme in the catalogue (accepted or completed enrolments).
        case cpdTakeUp
        /// The share of a school's teachers (from the register) who recorded research engagement this academic
        /// year; schools with fewer than 10 teachers in the register are left out.
        case researchEngagement
        /// Places a school offers on school experience dates still to come.
        case experiencePlaces
        /// The share of a school's maths and science hours (or one subject's) taught by specialists, from the
        /// schools' curriculum deployment; schools with fewer than 10 hours are left out.
        case specialistTeaching
        /// Values a coordinator imported with `chalkface import indicator`.
        case imported(name: String)
    }

    public var kind: Kind
    public var title: String
    public var description: String
    public var source: String
    /// Subjects the indicator has values for; empty when it has none.
    public var subjects: [String]

    public init(kind: Kind, title: String, description: String, source: String, subjects: [String] = []) {
        self.kind = kind
        self.title = title
        self.description = description
        self.source = source
        self.subjects = subjects
    }

    /// The key used in addresses: `itt-lead-schools`, `partner-schools`, or `imported:NAME`.
    public var id: String {
        switch kind {
        case .ittLeadSchools: "itt-lead-schools"
        case .partnerSchools: "partner-schools"
        case .cpdTakeUp: "cpd-take-up"
        case .researchEngagement: "research-engagement"
        case .experiencePlaces: "school-experience-places"
        case .specialistTeaching: "specialist-teaching"
        case .imported(let name): "imported:\(name)"
        }
    }

    public static let ittLeadSchools = Indicator(
        kind: .ittLeadSchools, title: "ITT lead schools",
        description:
            "Each school counts 1 if it is an initial teacher training lead school (a School Direct lead partner), 0 if not. Cold spots are areas with significantly fewer lead schools than the region as a whole: places where schools have no training partner close by. Lead schools are rare (about 1 school in 33), so a school can show as a cold spot only when its neighbourhood holds roughly 90 schools or more: use a distance band (10 km by default) rather than a few nearest neighbours.",
        source: "DfE Publish teacher training courses, lead schools list, July 2024 (with GIAS school positions).")

    public static let cpdTakeUp = Indicator(
        kind: .cpdTakeUp, title: "CPD take-up",
        description:
            "Each school counts its teachers' places on the partnership's CPD programmes (accepted or completed enrolments in the catalogue, every kind including post-16 and specialist programmes). Cold spots are areas where teachers take up significantly less CPD than around them: where teachers get no CPD. The same numbers as the CPD take-up table.",
        source: "Chalkface CPD catalogue enrolments.")

    public static let researchEngagement = Indicator(
        kind: .researchEngagement, title: "Research engagement",
        description:
            "Each school's share of its teachers (those in post this academic year, from the teacher register) who recorded at least one piece of research engagement there this year: a Research School event, a Toolkit strand used in their teaching, or a trial or enquiry. Schools with fewer than 10 teachers in the register are left out, so no share rests on a handful of people. Cold spots are areas where research engagement is significantly lower than around them. The same figures as the research-engagement page.",
        source: "Chalkface teacher register and research engagement records.")

    public static let experiencePlaces = Indicator(
        kind: .experiencePlaces, title: "School experience places",
        description:
            "Each school counts the places it offers on school experience dates still to come (0 when it offers none). Cold spots are areas where candidates find significantly fewer places than around them: where would-be teachers cannot see a classroom before they apply. Searches that found nothing near a postcode are recorded separately as unmet demand.",
        source: "Chalkface school experience dates.")

    /// Subjects: `maths-and-science` (all five together) then each subject with deployment hours.
    public static func specialistTeaching(subjects: [String]) -> Indicator {
        Indicator(
            kind: .specialistTeaching, title: "Specialist teaching",
            description:
                "Each school's share of its maths and science lessons (hours a week, from the curriculum deployment schools upload) taught by a teacher with a relevant post-A-level qualification in the subject; for combined science, any of biology, chemistry or physics. Choose one subject or all of maths and science together. Schools with fewer than 10 hours are left out. Cold spots are areas where the specialist share is significantly lower than around them: where non-specialists teach the most. The same figures as the specialist teaching page.",
            source: "Chalkface curriculum deployment and the teacher register's qualifications.", subjects: subjects)
    }

    public static let partnerSchools = Indicator(
        kind: .partnerSchools, title: "Partnership schools",
        description:
            "Each school counts 1 if it belongs to the partnership (a member school, or a school of a member trust), 0 if not. Cold spots are areas the partnership does not yet reach.",
        source: "Chalkface partnership membership.")
}

/// One row of an indicator file: `urn,value[,subject]`.
public struct IndicatorValue: Hashable, Sendable {
    public var urn: URN
    public var subject: String?
    public var value: Double
    public var line: Int

    public init(urn: URN, subject: String?, value: Double, line: Int) {
        self.urn = urn
        self.subject = subject
        self.value = value
        self.line = line
    }

    /// Reads an indicator file, naming every bad line; values must be non-negative (counts or rates), and each
    /// URN appears once per subject.
    public static func read(_ bytes: [UInt8], file: String) throws(ImportFileError) -> [IndicatorValue] {
        let table = try CSVTable(bytes: bytes, file: file, encoding: .utf8)
        try table.require(["urn", "value"])
        var out: [IndicatorValue] = []
        var problems: [ImportFileError.Problem] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let urnText = row["urn"]
            let valueText = row["value"]
            let subject = row.has("subject") && !row["subject"].isEmpty ? row["subject"] : nil
            guard let urn = URN(urnText), urnText.allSatisfy(\.isNumber) else {
                problems.append(
                    .init(
                        line: row.line, field: "urn",
                        message: "\(BoundedInput.quote(urnText)) is not a URN (a whole number)"))
                continue
            }
            guard let value = BoundedInput.decimal(valueText, in: -GetisOrd.valueLimit...GetisOrd.valueLimit) else {
                problems.append(
                    .init(
                        line: row.line, field: "value",
                        message:
                            "\(BoundedInput.quote(valueText)) is not a number from 0 to \(Int(GetisOrd.valueLimit))"))
                continue
            }
            if let subject, subject.count > 100 || BoundedInput.hasControlCharacters(subject) {
                problems.append(
                    .init(
                        line: row.line, field: "subject",
                        message: "\(BoundedInput.quote(subject)) is not a subject name (at most 100 characters)"))
                continue
            }
            guard value >= 0 else {
                problems.append(
                    .init(
                        line: row.line, field: "value",
                        message: "\(valueText) is negative: indicators are counts or rates"))
                continue
            }
            let key = "\(urn.value)|\(subject ?? "")"
            if let first = seen[key] {
                problems.append(
                    .init(
                        line: row.line, field: "urn",
                        message:
                            "URN \(urn.value)\(subject.map { " (\($0))" } ?? "") appears again (first on line \(first))"
                    ))
                continue
            }
            seen[key] = row.line
            out.append(IndicatorValue(urn: urn, subject: subject, value: value, line: row.line))
        }
        if !problems.isEmpty { throw ImportFileError(file: file, problems: problems) }
        if out.isEmpty { throw ImportFileError(file: file, problems: [.init(message: "the file has no rows")]) }
        return out
    }
}

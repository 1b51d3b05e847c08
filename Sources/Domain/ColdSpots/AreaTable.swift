import Foundation

/// The partnership's own supply and demand, area by area: placement places offered against the trainees who live
/// there, open specialist vacancies and the candidates referred to them, who teaches maths and science, TSST
/// enrolments and internship places against applicants. Every figure is a count of the partnership's records for
/// one district and subject; local authorities and the partnership add up their districts.
public enum AreaMeasure: String, Sendable, CaseIterable, Codable {
    case placesOffered = "places_offered"
    case traineesSeeking = "trainees_seeking"
    case openVacancies = "open_vacancies"
    case referrals
    case tsstEnrolments = "tsst_enrolments"
    case internshipPlaces = "internship_places"
    case internshipApplicants = "internship_applicants"

    public var label: String {
        switch self {
        case .placesOffered: "Placement places offered"
        case .traineesSeeking: "Trainees living here"
        case .openVacancies: "Open specialist vacancies"
        case .referrals: "Candidates referred"
        case .tsstEnrolments: "TSST enrolments"
        case .internshipPlaces: "Internship places"
        case .internshipApplicants: "Internship applicants"
        }
    }

    /// Whether the measure counts people (suppressed from 1 to 9) rather than places or posts.
    public var countsPeople: Bool {
        switch self {
        case .traineesSeeking, .referrals, .tsstEnrolments, .internshipApplicants: true
        case .placesOffered, .openVacancies, .internshipPlaces: false
        }
    }
}

/// One record behind the area table: `amount` of `measure` in a district and subject. `key` names what is
/// counted (a trainee, a vacancy, a school's places in a subject) so that a record filed under two subjects or two
/// districts (a vacancy for maths and physics; an applicant choosing schools in two districts) counts once in a
/// total over them.
public struct AreaFact: Hashable, Sendable {
    public var district: String
    public var subject: TeachingSubject
    public var measure: AreaMeasure
    public var key: String
    public var amount: Int

    public init(district: String, subject: TeachingSubject, measure: AreaMeasure, key: String, amount: Int = 1) {
        self.district = district
        self.subject = subject
        self.measure = measure
        self.key = key
        self.amount = amount
    }
}

/// A ratio shown only when it does not rest on tiny numbers: the denominator at least 10, and the numerator 0 or
/// at least 10 when it counts people (a count of 1 to 9 people is itself suppressed, so no ratio may reveal it).
public struct AreaRatio: Hashable, Sendable {
    public var numerator: Int
    public var denominator: Int
    public var numeratorCountsPeople: Bool

    public static let minimum = 10

    public var value: Double? {
        guard denominator >= Self.minimum else { return nil }
        if numeratorCountsPeople, (1..<Self.minimum).contains(numerator) { return nil }
        return Double(numerator) / Double(denominator)
    }
}

public struct AreaTable: Sendable {
    public enum Level: String, Sendable { case partnership, localAuthority = "la", district }

    public struct Row: Sendable, Hashable {
        public var level: Level
        public var code: String
        public var name: String
        public var subject: TeachingSubject?
        public var counts: [AreaMeasure: Int]
        public var hours: SpecialistHours

        public func count(_ m: AreaMeasure) -> Int { counts[m] ?? 0 }

        /// A count as it may be shown: people counts of 1 to 9 are suppressed (nil).
        public func shown(_ m: AreaMeasure) -> Int? {
            let n = count(m)
            return m.countsPeople && (1..<AreaRatio.minimum).contains(n) ? nil : n
        }

        /// Placement places offered per trainee living in the area.
        public var placesPerTrainee: AreaRatio {
            .init(numerator: count(.placesOffered), denominator: count(.traineesSeeking), numeratorCountsPeople: false)
        }
        /// Candidates referred per open specialist vacancy.
        public var referralsPerVacancy: AreaRatio {
            .init(numerator: count(.referrals), denominator: count(.openVacancies), numeratorCountsPeople: true)
        }
        /// Internship applicants per internship place.
        public var applicantsPerPlace: AreaRatio {
            .init(
                numerator: count(.internshipApplicants), denominator: count(.internshipPlaces),
                numeratorCountsPeople: true)
        }
    }

    /// The partnership's row first, then each local authority (by name) followed by its districts (by name).
    public var rows: [Row]

    /// Builds the table for one subject, or all subjects (`subject` nil), over the districts `geography` places in
    /// `authorities`. Facts and hours in other districts are left out; `hours` is by district code and subject.
    public init(
        facts: [AreaFact], hours: [String: [TeachingSubject: SpecialistHours]], geography: GeographyLookup,
        authorities: [LocalAuthority], subject: TeachingSubject?
    ) {
        let wanted = Set(authorities.map(\.code))
        let districts = geography.byDistrict.values.filter { wanted.contains($0.localAuthority.code) }
        let inArea = Set(districts.map(\.district.code))
        let relevant = facts.filter { inArea.contains($0.district) && (subject == nil || $0.subject == subject) }

        func row(_ level: Level, code: String, name: String, _ members: Set<String>) -> Row {
            // Each (measure, key) counts once however many of the member districts and subjects it is filed under.
            var seen: Set<[String]> = []
            var counts: [AreaMeasure: Int] = [:]
            for f in relevant where members.contains(f.district) {
                if seen.insert([f.measure.rawValue, f.key]).inserted { counts[f.measure, default: 0] += f.amount }
            }
            var h = SpecialistHours()
            for d in members {
                for (s, v) in hours[d] ?? [:] where subject == nil || s == subject { h = h + v }
            }
            return Row(level: level, code: code, name: name, subject: subject, counts: counts, hours: h)
        }

        var out = [row(.partnership, code: "", name: "The partnership", inArea)]
        let byAuthority = Dictionary(grouping: districts, by: \.localAuthority.code)
        for a in authorities.sorted(by: { $0.name < $1.name }) {
            let ds = (byAuthority[a.code] ?? []).sorted { $0.district.name < $1.district.name }
            out.append(row(.localAuthority, code: a.code, name: a.name, Set(ds.map(\.district.code))))
            // A unitary authority is its own single district: its row says it all.
            if ds.count > 1 {
                for d in ds {
                    out.append(row(.district, code: d.district.code, name: d.district.name, [d.district.code]))
                }
            }
        }
        rows = out
    }

    public static let csvHeader =
        "level,code,name,subject,places_offered,trainees_seeking,places_per_trainee,open_vacancies,referrals,referrals_per_vacancy,hours,specialist_hours,specialist_share,tsst_enrolments,internship_places,internship_applicants,applicants_per_place"

    /// The rows as CSV, suppressed figures empty (subject empty: all subjects).
    public static func csv(_ tables: [AreaTable]) -> String {
        var out = csvHeader + "\r\n"
        func n(_ v: Int?) -> String { v.map(String.init) ?? "" }
        func r(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "" }
        for t in tables {
            for row in t.rows {
                let fields = [
                    row.level.rawValue, row.code, SchoolCSVExport.escape(row.name), row.subject?.rawValue ?? "",
                    n(row.shown(.placesOffered)), n(row.shown(.traineesSeeking)), r(row.placesPerTrainee.value),
                    n(row.shown(.openVacancies)), n(row.shown(.referrals)), r(row.referralsPerVacancy.value),
                    row.hours.hours.description, row.hours.specialistHours.description, r(row.hours.share),
                    n(row.shown(.tsstEnrolments)), n(row.shown(.internshipPlaces)),
                    n(row.shown(.internshipApplicants)), r(row.applicantsPerPlace.value),
                ]
                out += fields.joined(separator: ",") + "\r\n"
            }
        }
        return out
    }
}

/// DfE's national postgraduate initial teacher training need by subject (Teacher Workforce Model), shown beside the
/// area table as context: a national figure, not apportioned to areas.
public struct TraineeNeed: Sendable {
    /// Academic year -> DfE subject name (secondary), or "Primary" -> trainees needed.
    public var byYear: [AcademicYear: [String: Int]]

    public static func read(_ bytes: [UInt8], file: String) throws(ImportFileError) -> TraineeNeed {
        let t = try CSVTable(bytes: bytes, file: file, encoding: .utf8)
        try t.require(["time_period", "subject", "education_phase", "pgitt_trainee_need_count"])
        var out: [AcademicYear: [String: Int]] = [:]
        for row in t.rows {
            let period = row["time_period"]
            guard period.count == 6, let start = Int(period.prefix(4)), let year = AcademicYear(start: start),
                let n = BoundedInput.wholeNumber(row["pgitt_trainee_need_count"], in: 0...1_000_000)
            else { continue }
            let phase = row["education_phase"]
            let key = phase == "Secondary" ? row["subject"] : phase == "Primary" ? "Primary" : "All"
            out[year, default: [:]][key] = n
        }
        return TraineeNeed(byYear: out)
    }

    /// The need for a subject (nil: all phases and subjects) in the latest published year up to `year`, with the
    /// year it is for. Combined science has no line of its own.
    public func need(_ subject: TeachingSubject?, upTo year: AcademicYear) -> (year: AcademicYear, trainees: Int)? {
        let key: String
        switch subject {
        case nil: key = "All"
        case .primary?: key = "Primary"
        case .combinedScience?: return nil
        case let s?: key = WorkforceModel.subjectName(s)
        }
        for y in byYear.keys.sorted(by: >) where y <= year {
            if let n = byYear[y]?[key] { return (y, n) }
        }
        return nil
    }
}

import Foundation

/// Hours of teaching in a week, kept in hundredths of an hour so sums and shares are exact.
public struct TeachingHours: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let hundredths: Int

    public init(hundredths: Int) { self.hundredths = hundredths }

    /// At most 40 hours a week and at most two decimal places; nil otherwise.
    public init?(_ text: some StringProtocol) {
        guard let v = BoundedInput.decimal(text, in: 0...Self.weeklyMaximum), v > 0 else { return nil }
        let scaled = (v * 100).rounded()
        guard abs(v * 100 - scaled) < 1e-6 else { return nil }
        hundredths = Int(scaled)
    }

    public static let weeklyMaximum = 40.0
    public static let zero = TeachingHours(hundredths: 0)

    public var hours: Double { Double(hundredths) / 100 }

    /// `12`, `12.5` or `12.25`: no trailing zeros.
    public var description: String {
        let whole = hundredths / 100
        let part = hundredths % 100
        if part == 0 { return "\(whole)" }
        return part % 10 == 0 ? "\(whole).\(part / 10)" : "\(whole).\(part < 10 ? "0" : "")\(part)"
    }

    public static func + (l: Self, r: Self) -> Self { .init(hundredths: l.hundredths + r.hundredths) }
    public static func - (l: Self, r: Self) -> Self { .init(hundredths: l.hundredths - r.hundredths) }
    public static func < (l: Self, r: Self) -> Bool { l.hundredths < r.hundredths }
}

/// One teacher's weekly hours in one subject at one school, from a school's curriculum deployment (its timetable).
public struct Deployment: Hashable, Sendable {
    public var urn: Int
    public var trn: TRN
    public var subject: TeachingSubject
    public var hours: TeachingHours

    public init(urn: Int, trn: TRN, subject: TeachingSubject, hours: TeachingHours) {
        self.urn = urn
        self.trn = trn
        self.subject = subject
        self.hours = hours
    }
}

/// A curriculum deployment file: `urn,trn,subject,hours`, one row per teacher, school and subject, hours a week.
/// Every problem is named by line and field, and a file with any problem is refused whole.
public enum DeploymentFile {
    public static let columns = ["urn", "trn", "subject", "hours"]
    public static let maximumRows = 200_000

    public struct Entry: Hashable, Sendable {
        public var deployment: Deployment
        public var line: Int

        public init(deployment: Deployment, line: Int) {
            self.deployment = deployment
            self.line = line
        }
    }

    public static func read(_ bytes: [UInt8], file: String) throws(ImportFileError) -> [Entry] {
        let table = try CSVTable(bytes: bytes, file: file, encoding: nil)
        try table.requireHeader(columns, maximumRows: maximumRows)
        var problems: [ImportFileError.Problem] = []
        var count = 0
        func problem(_ line: Int, _ field: String, _ message: String) {
            count += 1
            if problems.count < ImportFileError.problemsKept {
                problems.append(.init(line: line, field: field, message: message))
            }
        }
        struct Key: Hashable {
            var urn: Int
            var trn: TRN
            var subject: TeachingSubject
        }
        struct TeacherAtSchool: Hashable {
            var urn: Int
            var trn: TRN
        }
        var seen: [Key: Int] = [:]
        var weekly: [TeacherAtSchool: TeachingHours] = [:]
        var entries: [Entry] = []
        for row in table.rows {
            let before = count
            let urn = BoundedInput.wholeNumber(row["urn"], in: 100_000...999_999)
            if urn == nil {
                problem(row.line, "urn", "must be a school's 6-digit URN; got \(BoundedInput.quote(row["urn"]))")
            }
            let trn = TRN(row["trn"])
            if trn == nil {
                problem(row.line, "trn", "must be the teacher's 7-digit TRN; got \(BoundedInput.quote(row["trn"]))")
            }
            let subject = TeachingSubject(rawValue: row["subject"].trimmingSpaces)
            if subject == nil {
                problem(
                    row.line, "subject",
                    "\(BoundedInput.quote(row["subject"])) is not a subject; use \(TeachingSubject.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let hours = TeachingHours(row["hours"])
            if hours == nil {
                problem(
                    row.line, "hours",
                    "must be hours a week, more than 0 and at most \(Int(TeachingHours.weeklyMaximum)), with at most two decimal places; got \(BoundedInput.quote(row["hours"]))"
                )
            }
            guard count == before, let urn, let trn, let subject, let hours else { continue }
            let key = Key(urn: urn, trn: trn, subject: subject)
            if let first = seen[key] {
                problem(
                    row.line, "subject",
                    "TRN \(trn) at URN \(urn) already has \(subject.rawValue) hours on line \(first); give one row per teacher, school and subject"
                )
                continue
            }
            seen[key] = row.line
            let total = TeacherAtSchool(urn: urn, trn: trn)
            let sum = (weekly[total] ?? .zero) + hours
            weekly[total] = sum
            if sum.hours > TeachingHours.weeklyMaximum {
                problem(
                    row.line, "hours",
                    "brings TRN \(trn)'s teaching at URN \(urn) to \(sum) hours a week; at most \(Int(TeachingHours.weeklyMaximum)) in all"
                )
                continue
            }
            entries.append(
                Entry(deployment: Deployment(urn: urn, trn: trn, subject: subject, hours: hours), line: row.line))
        }
        if count > 0 { throw ImportFileError(file: file, problems: problems, problemCount: count) }
        if entries.isEmpty {
            throw ImportFileError(file: file, problems: [.init(line: 2, message: "the file has a header but no rows")])
        }
        return entries
    }
}

/// Hours taught in a subject and how many of them by a specialist: a teacher who holds a relevant post-A-level
/// qualification in it. No share is shown over fewer than `minimumHours`.
public struct SpecialistHours: Hashable, Sendable {
    public var hours: TeachingHours
    public var specialistHours: TeachingHours

    public init(hours: TeachingHours = .zero, specialistHours: TeachingHours = .zero) {
        self.hours = hours
        self.specialistHours = specialistHours
    }

    public static let minimumHours = 10.0

    public var nonSpecialistHours: TeachingHours { hours - specialistHours }

    /// The share of hours taught by specialists, or nil (suppressed) under 10 hours.
    public var share: Double? {
        guard hours.hours >= Self.minimumHours else { return nil }
        return Double(specialistHours.hundredths) / Double(hours.hundredths)
    }

    public static func + (l: Self, r: Self) -> Self {
        .init(hours: l.hours + r.hours, specialistHours: l.specialistHours + r.specialistHours)
    }
}

/// Who teaches what: the share of each subject's hours taught by specialists, for each school, any grouping of
/// schools (local authority, district) and the partnership.
public struct SpecialistShares: Sendable {
    /// Whether a teacher with these qualifications is a specialist in the subject. Combined science counts a
    /// qualification in any of biology, chemistry or physics (or combined science itself).
    public static func isSpecialist(in subject: TeachingSubject, holding specialisms: some Sequence<TeachingSubject>)
        -> Bool
    {
        let held = Set(specialisms)
        if subject == .combinedScience {
            return !held.isDisjoint(with: [.biology, .chemistry, .physics, .combinedScience])
        }
        return held.contains(subject)
    }

    /// Hours by school and subject.
    public private(set) var bySchool: [Int: [TeachingSubject: SpecialistHours]] = [:]

    /// `specialisms` gives each TRN's qualifications from the register; a TRN it does not know counts as a
    /// non-specialist (imports refuse such TRNs, so this happens only for records removed since).
    public init(_ deployments: [Deployment], specialisms: [TRN: [TeachingSubject]]) {
        for d in deployments {
            let specialist = Self.isSpecialist(in: d.subject, holding: specialisms[d.trn] ?? [])
            bySchool[d.urn, default: [:]][d.subject, default: .init()] =
                (bySchool[d.urn]?[d.subject] ?? .init())
                + .init(hours: d.hours, specialistHours: specialist ? d.hours : .zero)
        }
    }

    /// Hours summed over the schools each group holds (a school `group` returns nil for is left out).
    public func grouped(by group: (Int) -> String?) -> [String: [TeachingSubject: SpecialistHours]] {
        var out: [String: [TeachingSubject: SpecialistHours]] = [:]
        for (urn, subjects) in bySchool {
            guard let g = group(urn) else { continue }
            for (subject, h) in subjects { out[g, default: [:]][subject] = (out[g]?[subject] ?? .init()) + h }
        }
        return out
    }

    /// Every school's hours summed: the partnership.
    public var total: [TeachingSubject: SpecialistHours] { grouped { _ in "" }[""] ?? [:] }

    /// The subjects anyone teaches, in the product's order.
    public var subjects: [TeachingSubject] {
        Set(bySchool.values.flatMap(\.keys)).sorted()
    }

    /// Each school's non-specialist share of its maths and science hours (maths, biology, chemistry, physics,
    /// combined science), or of one subject's: the cold-spot indicator, as a specialist share so that cold spots
    /// are where specialists are short. Schools under 10 hours are left out.
    public func specialistShareBySchool(subject: TeachingSubject?) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for (urn, subjects) in bySchool {
            let h: SpecialistHours
            if let subject {
                h = subjects[subject] ?? .init()
            } else {
                h = subjects.filter { Self.mathsAndScience.contains($0.key) }.values.reduce(.init(), +)
            }
            if let s = h.share { out[urn] = s }
        }
        return out
    }

    /// The hours that subject specialism training moved: each school's hours in a subject taught by a specialist
    /// who would not be one without the qualifications recorded on completing the training (`trained` gives those
    /// subjects per TRN, `specialisms` every qualification held). They count as specialist hours now.
    public static func moved(
        _ deployments: [Deployment], specialisms: [TRN: [TeachingSubject]], trained: [TRN: Set<TeachingSubject>]
    ) -> [Int: [TeachingSubject: TeachingHours]] {
        var out: [Int: [TeachingSubject: TeachingHours]] = [:]
        for d in deployments {
            guard let subjects = trained[d.trn], !subjects.isEmpty else { continue }
            let held = specialisms[d.trn] ?? []
            let before = held.filter { !subjects.contains($0) }
            if isSpecialist(in: d.subject, holding: held), !isSpecialist(in: d.subject, holding: before) {
                out[d.urn, default: [:]][d.subject] = (out[d.urn]?[d.subject] ?? .zero) + d.hours
            }
        }
        return out
    }

    public static let mathsAndScience: Set<TeachingSubject> = [
        .mathematics, .biology, .chemistry, .physics, .combinedScience,
    ]

    /// `urn,subject,hours,specialist_hours,share` per school and subject, ordered by URN then subject; share
    /// (4 decimal places) empty under 10 hours.
    public func csv() -> String {
        var text = "urn,subject,hours,specialist_hours,share\n"
        for urn in bySchool.keys.sorted() {
            for (subject, h) in bySchool[urn]!.sorted(by: { $0.key < $1.key }) {
                text +=
                    "\(urn),\(subject.rawValue),\(h.hours),\(h.specialistHours),\(h.share.map { String(format: "%.4f", $0) } ?? "")\n"
            }
        }
        return text
    }
}

/// DfE's national figures: the share of hours taught by teachers with a relevant post-A-level qualification,
/// secondary schools in England, 2022/23 (School Workforce in England).
public enum NationalSpecialistShare {
    public static let year = "2022/23"
    public static let source =
        "DfE, School Workforce in England, November 2022 (2022/23): hours taught by teachers with a relevant post-A level qualification"
    public static let shares: [TeachingSubject: Double] = [
        .mathematics: 0.872, .physics: 0.725, .chemistry: 0.832, .biology: 0.933, .english: 0.921,
    ]
}

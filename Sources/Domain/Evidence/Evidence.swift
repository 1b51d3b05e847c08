import Foundation

/// A strand of the EEF Teaching and Learning Toolkit, by name (../shared/data/reference). Chalkface holds only the
/// names: it shows no per-strand cost, evidence strength or months' progress, because none came from a checkable
/// source.
public struct EEFStrand: Hashable, Sendable, Comparable, Codable {
    public let name: String

    public init(name: String) { self.name = name }

    /// The key used in addresses and stored records: the name in lower case, words joined by hyphens.
    public var slug: String {
        name.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }

    public static func < (l: Self, r: Self) -> Bool { l.name < r.name }

    /// Reads the strand list (`strand` column), naming the file and line of a blank or repeated name.
    public static func read(_ bytes: [UInt8], file: String) throws(ImportFileError) -> [EEFStrand] {
        let table = try CSVTable(bytes: bytes, file: file, encoding: .utf8)
        try table.require(["strand"])
        var out: [EEFStrand] = []
        var problems: [ImportFileError.Problem] = []
        var seen = Set<String>()
        for row in table.rows {
            let s = EEFStrand(name: row["strand"].trimmingSpaces)
            if s.slug.isEmpty {
                problems.append(.init(line: row.line, field: "strand", message: "is blank"))
            } else if !seen.insert(s.slug).inserted {
                problems.append(.init(line: row.line, field: "strand", message: "repeats \(s.name)"))
            } else {
                out.append(s)
            }
        }
        guard problems.isEmpty else { throw ImportFileError(file: file, problems: problems) }
        return out
    }
}

/// What kind of thing a Research School resource is.
public enum EvidenceKind: String, Sendable, Hashable, CaseIterable, Codable {
    case guidance
    case event
    case caseStudy = "case-study"
    case blog
    case tool

    public var label: String {
        switch self {
        case .guidance: "Guidance summary"
        case .event: "Event or training"
        case .caseStudy: "Case study"
        case .blog: "Blog"
        case .tool: "Tool or template"
        }
    }
}

/// A Research School resource: what it is, the Toolkit strands it draws on, the phases it suits.
public struct EvidenceResource: Hashable, Sendable, Identifiable, Codable {
    public static let maxTitle = 200
    public static let maxSummary = 2_000
    public static let maxURL = 500

    public var id: UUID
    public var title: String
    public var summary: String
    public var kind: EvidenceKind
    /// Strand slugs.
    public var strands: Set<String>
    public var phases: Set<CPDPhase>
    public var url: String?
    public var publishedOn: Day
    public var generated: Bool

    public init(
        id: UUID = UUID(), title: String, summary: String, kind: EvidenceKind, strands: Set<String>,
        phases: Set<CPDPhase>, url: String?, publishedOn: Day, generated: Bool = false
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.kind = kind
        self.strands = strands
        self.phases = phases
        self.url = url
        self.publishedOn = publishedOn
        self.generated = generated
    }

    /// What is wrong with it, by form field: a title and summary within their lengths, at least one known strand,
    /// an https address if any, published no later than today.
    public func problems(strands known: [EEFStrand], today: Day) -> [ValidationError.Problem] {
        var out: [(String, String)] = []
        if title.isEmpty { out.append(("title", "Enter a title")) }
        if title.count > Self.maxTitle { out.append(("title", "Title must be \(Self.maxTitle) characters or fewer")) }
        if summary.isEmpty { out.append(("summary", "Enter a summary")) }
        if summary.count > Self.maxSummary {
            out.append(("summary", "Summary must be \(Self.maxSummary) characters or fewer"))
        }
        let slugs = Set(known.map(\.slug))
        if strands.isEmpty { out.append(("strands", "Select at least one Toolkit strand")) }
        if !strands.isSubset(of: slugs) { out.append(("strands", "Select strands from the Toolkit's list")) }
        if let url {
            let lower = url.lowercased()
            if !lower.hasPrefix("https://") || url.count > Self.maxURL || url.contains(where: { $0.isWhitespace })
                || url.count < 12
            {
                out.append(("url", "Enter a web address starting https://, \(Self.maxURL) characters or fewer"))
            }
        }
        if publishedOn > today { out.append(("published", "Date published must be today or in the past")) }
        return out.map { ValidationError.Problem(field: $0.0, message: $0.1) }
    }
}

/// A search of the Research School's resources: words, strand, kind and phase, all optional.
public struct EvidenceSearch: Sendable, Hashable {
    public var text: String?
    public var strand: String?
    public var kind: EvidenceKind?
    public var phase: CPDPhase?

    public init(text: String? = nil, strand: String? = nil, kind: EvidenceKind? = nil, phase: CPDPhase? = nil) {
        self.text = text
        self.strand = strand
        self.kind = kind
        self.phase = phase
    }

    /// Every word must appear in the title, summary or a strand's name; a resource for no particular phase suits
    /// every phase.
    public func matches(_ r: EvidenceResource, strands: [String: EEFStrand]) -> Bool {
        if let text, !text.isEmpty {
            let names = r.strands.compactMap { strands[$0]?.name }.joined(separator: " ")
            let hay = "\(r.title) \(r.summary) \(names)".lowercased()
            if !text.lowercased().split(separator: " ").allSatisfy({ hay.contains($0) }) { return false }
        }
        if let strand, !r.strands.contains(strand) { return false }
        if let kind, r.kind != kind { return false }
        if let phase, !r.phases.isEmpty, !r.phases.contains(phase) { return false }
        return true
    }
}

/// One piece of a teacher's research engagement.
public struct ResearchEngagement: Hashable, Sendable, Identifiable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// Attended a Research School event (named in `title`).
        case event
        /// Used a Toolkit strand in their teaching, with a short reflection.
        case strand
        /// Joined a trial or an enquiry (named in `title`).
        case enquiry

        public var label: String {
            switch self {
            case .event: "Attended a Research School event"
            case .strand: "Used a Toolkit strand in my teaching"
            case .enquiry: "Joined a trial or enquiry"
            }
        }
    }

    public static let maxTitle = 200
    public static let maxReflection = 1_500

    public var id: UUID
    /// The teacher's register record.
    public var teacher: UUID
    /// The school the teacher was at when it happened, if any.
    public var urn: Int?
    public var kind: Kind
    public var strand: String?
    public var title: String?
    public var reflection: String?
    public var on: Day
    public var recordedAt: Date
    public var generated: Bool

    public init(
        id: UUID = UUID(), teacher: UUID, urn: Int?, kind: Kind, strand: String?, title: String?, reflection: String?,
        on: Day, recordedAt: Date, generated: Bool = false
    ) {
        self.id = id
        self.teacher = teacher
        self.urn = urn
        self.kind = kind
        self.strand = strand
        self.title = title
        self.reflection = reflection
        self.on = on
        self.recordedAt = recordedAt
        self.generated = generated
    }

    /// Reads the form's fields into an engagement, or the problems by field: a strand use names a known strand
    /// and has a reflection; an event or enquiry has a name; the date is a real day this century and not in the
    /// future.
    public static func parse(
        kind: String, strand: String, title: String, reflection: String, on: String, strands known: [EEFStrand],
        today: Day
    ) -> Result<(kind: Kind, strand: String?, title: String?, reflection: String?, on: Day), ValidationError> {
        var problems: [(String, String)] = []
        let kind = Kind(rawValue: kind)
        if kind == nil { problems.append(("kind", "Select what you did")) }
        let strandSlug = strand.trimmingSpaces
        let title = title.trimmingSpaces
        let reflection = reflection.trimmingSpaces
        var day: Day?
        if on.trimmingSpaces.isEmpty {
            problems.append(("on", "Enter the date"))
        } else if let d = Day(on), d.year >= 2000 {
            if d > today { problems.append(("on", "Date must be today or in the past")) } else { day = d }
        } else {
            problems.append(("on", "Enter a real date, like 2026-11-19"))
        }
        if kind == .strand {
            if strandSlug.isEmpty {
                problems.append(("strand", "Select the strand you used"))
            } else if !known.contains(where: { $0.slug == strandSlug }) {
                problems.append(("strand", "Select a strand from the Toolkit's list"))
            }
            if reflection.isEmpty { problems.append(("reflection", "Write a short reflection on how it went")) }
        }
        if kind == .event || kind == .enquiry {
            if title.isEmpty {
                problems.append(
                    ("title", kind == .event ? "Enter the event's name" : "Enter the trial or enquiry's name"))
            }
        }
        if title.count > maxTitle { problems.append(("title", "Name must be \(maxTitle) characters or fewer")) }
        if reflection.count > maxReflection {
            problems.append(("reflection", "Reflection must be \(maxReflection) characters or fewer"))
        }
        guard problems.isEmpty, let kind, let day else {
            return .failure(ValidationError(problems.map { .init(field: $0.0, message: $0.1) }))
        }
        return .success(
            (
                kind, kind == .strand ? strandSlug : nil, kind == .strand ? nil : title,
                reflection.isEmpty ? nil : reflection, day
            ))
    }
}

/// Each school's research-engagement share: of the teachers in post there during an academic year (a period at
/// the school overlapping it, from the register), how many recorded at least one piece of research engagement
/// there that year. A share resting on fewer than 10 teachers is suppressed.
public enum ResearchEngagementShare {
    public static let minimumStaff = 10

    public struct Cell: Hashable, Sendable {
        public var engaged: Int
        public var staff: Int

        public init(engaged: Int, staff: Int) {
            self.engaged = engaged
            self.staff = staff
        }

        public var isSuppressed: Bool { staff < ResearchEngagementShare.minimumStaff }
        /// The share, or nil when suppressed.
        public var share: Double? { isSuppressed ? nil : Double(engaged) / Double(staff) }
    }

    /// Cells by school URN and year, for the years given. An engagement counts for the school it names when the
    /// teacher was in post there that year; one that names no school, or a school the register does not place
    /// the teacher at, does not count.
    public static func bySchool(
        teachers: [TeacherRecord], engagements: [(teacher: UUID, urn: Int?, on: Day)], years: [AcademicYear]
    ) -> [Int: [AcademicYear: Cell]] {
        var staff: [Int: [AcademicYear: Set<UUID>]] = [:]
        for t in teachers {
            for p in t.periods {
                for y in years {
                    let first = Day(year: y.start, month: 9, day: 1)!
                    let last = Day(year: y.start + 1, month: 8, day: 31)!
                    if p.startedOn <= last && (p.finishedOn.map { $0 >= first } ?? true) {
                        staff[p.urn, default: [:]][y, default: []].insert(t.id)
                    }
                }
            }
        }
        var engaged: [Int: [AcademicYear: Set<UUID>]] = [:]
        let wanted = Set(years)
        for e in engagements {
            guard let urn = e.urn else { continue }
            let y = AcademicYear.containing(e.on)
            guard wanted.contains(y), staff[urn]?[y]?.contains(e.teacher) == true else { continue }
            engaged[urn, default: [:]][y, default: []].insert(e.teacher)
        }
        var out: [Int: [AcademicYear: Cell]] = [:]
        for (urn, byYear) in staff {
            for (y, ids) in byYear {
                out[urn, default: [:]][y] = Cell(engaged: engaged[urn]?[y]?.count ?? 0, staff: ids.count)
            }
        }
        return out
    }

    /// The region's share per year: every school's teachers and engaged teachers added up (each teacher counted
    /// once per school they were at).
    public static func total(_ cells: [Int: [AcademicYear: Cell]], year: AcademicYear) -> Cell {
        cells.values.compactMap { $0[year] }.reduce(Cell(engaged: 0, staff: 0)) {
            Cell(engaged: $0.engaged + $1.engaged, staff: $0.staff + $1.staff)
        }
    }
}

import Foundation

/// The areas of the Early Career Framework (DfE, 2019; its eight standards), on which an early-career teacher's
/// development is profiled and which catalogue programmes say they develop.
public enum ECFArea: String, Codable, Sendable, CaseIterable, Comparable {
    case highExpectations = "high-expectations"
    case howPupilsLearn = "how-pupils-learn"
    case subjectAndCurriculum = "subject-and-curriculum"
    case classroomPractice = "classroom-practice"
    case adaptiveTeaching = "adaptive-teaching"
    case assessment
    case managingBehaviour = "managing-behaviour"
    case professionalBehaviours = "professional-behaviours"

    public var label: String {
        switch self {
        case .highExpectations: "High expectations"
        case .howPupilsLearn: "How pupils learn"
        case .subjectAndCurriculum: "Subject and curriculum"
        case .classroomPractice: "Classroom practice"
        case .adaptiveTeaching: "Adaptive teaching"
        case .assessment: "Assessment"
        case .managingBehaviour: "Managing behaviour"
        case .professionalBehaviours: "Professional behaviours"
        }
    }

    /// The label as it reads inside a sentence ("rated assessment as ...").
    public var inSentence: String { label.prefix(1).lowercased() + label.dropFirst() }

    public static func < (l: Self, r: Self) -> Bool { allCases.firstIndex(of: l)! < allCases.firstIndex(of: r)! }
}

/// How secure a teacher is in an area, on the four-point scale the profile uses.
public enum DevelopmentRating: Int, Codable, Sendable, CaseIterable, Comparable {
    case areaToDevelop = 1
    case developing = 2
    case secure = 3
    case strength = 4

    public var label: String {
        switch self {
        case .areaToDevelop: "An area to develop"
        case .developing: "Developing"
        case .secure: "Secure"
        case .strength: "A strength"
        }
    }

    /// Whether the area is one to develop: rated an area to develop or developing.
    public var toDevelop: Bool { self <= .developing }

    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }
}

extension CPDProgramme {
    /// The Early Career Framework areas the programme develops: those its manager chose, or, when none were
    /// chosen, what its kind implies (subject programmes develop subject and curriculum; research and evidence
    /// programmes, how pupils learn). Other kinds develop no area unless chosen.
    public var developsAreas: Set<ECFArea> {
        if !ecfAreas.isEmpty { return ecfAreas }
        switch kind {
        case .subjectKnowledge, .tsst, .subjectNetwork, .post16: return [.subjectAndCurriculum]
        case .research: return [.howPupilsLearn]
        case .npq, .leadership, .mentoring: return []
        }
    }
}

/// One rater's view of an early-career teacher's development in one term: a rating in every area.
public struct DevelopmentProfile: Hashable, Sendable, Codable {
    public enum Rater: String, Codable, Sendable, CaseIterable {
        /// The early-career teacher themself.
        case ect
        case mentor

        public var label: String { self == .ect ? "Early-career teacher" : "Mentor" }
    }

    public var teacher: UUID
    public var year: AcademicYear
    public var term: Term
    public var rater: Rater
    public var ratings: [ECFArea: DevelopmentRating]
    /// What the rater wants to add, at most `noteLimit` characters.
    public var note: String
    public var recordedBy: String
    public var recordedAt: Date

    public static let noteLimit = 1_000

    public init(
        teacher: UUID, year: AcademicYear, term: Term, rater: Rater, ratings: [ECFArea: DevelopmentRating],
        note: String = "", recordedBy: String, recordedAt: Date
    ) {
        self.teacher = teacher
        self.year = year
        self.term = term
        self.rater = rater
        self.ratings = ratings
        self.note = note
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }

    /// The form field of an area's rating.
    public static func field(_ area: ECFArea) -> String { "area-\(area.rawValue)" }

    /// Reads a profile form: a rating (1 to 4) for every area, named by its field when missing or not on the
    /// scale, and an optional note.
    public static func ratings(_ form: [String: String]) -> Result<
        (ratings: [ECFArea: DevelopmentRating], note: String), ValidationError
    > {
        var ratings: [ECFArea: DevelopmentRating] = [:]
        var problems: [ValidationError.Problem] = []
        for area in ECFArea.allCases {
            let text = (form[field(area)] ?? "").trimmingSpaces
            if let n = BoundedInput.wholeNumber(text, in: 1...4), let r = DevelopmentRating(rawValue: n) {
                ratings[area] = r
            } else {
                problems.append(
                    .init(
                        field: field(area),
                        message:
                            "Choose how secure the teacher is in \(area.inSentence), from an area to develop to a strength"
                    ))
            }
        }
        let note = (form["note"] ?? "").trimmingSpaces
        if note.unicodeScalars.count > noteLimit {
            problems.append(.init(field: "note", message: "The note must be \(noteLimit) characters or fewer"))
        }
        return problems.isEmpty ? .success((ratings, note)) : .failure(ValidationError(problems))
    }
}

/// What an early-career teacher needs to develop, from their own and their mentor's profiles of one term.
public struct DevelopmentNeeds: Hashable, Sendable {
    public struct Need: Hashable, Sendable {
        public var area: ECFArea
        public var own: DevelopmentRating?
        public var mentor: DevelopmentRating?

        /// How much the area needs developing: 2 for "an area to develop", 1 for "developing", from the lower of
        /// the two ratings; half a point more when both raters agree it is one to develop; 0 otherwise.
        public var weight: Double {
            let lowest = [own, mentor].compactMap { $0 }.min()
            guard let lowest, lowest.toDevelop else { return 0 }
            let agreed = (own?.toDevelop ?? false) && (mentor?.toDevelop ?? false)
            return Double(3 - lowest.rawValue) + (agreed ? 0.5 : 0)
        }

        /// Who rated the area as one to develop, in words addressed to the teacher ("your mentor rated
        /// assessment as an area to develop").
        public var because: String {
            let area = self.area.inSentence
            switch (own.flatMap { $0.toDevelop ? $0 : nil }, mentor.flatMap { $0.toDevelop ? $0 : nil }) {
            case (let o?, let m?) where o == m: return "you and your mentor rated \(area) as \(o.phrase)"
            case (let o?, let m?): return "your mentor rated \(area) as \(m.phrase) and you rated it as \(o.phrase)"
            case (nil, let m?): return "your mentor rated \(area) as \(m.phrase)"
            case (let o?, nil): return "you rated \(area) as \(o.phrase)"
            case (nil, nil): return "\(area) is not rated as one to develop"
            }
        }
    }

    /// The areas to develop, most needed first (then in the framework's order).
    public var needs: [Need]

    public init(own: DevelopmentProfile?, mentor: DevelopmentProfile?) {
        needs = ECFArea.allCases.map { Need(area: $0, own: own?.ratings[$0], mentor: mentor?.ratings[$0]) }
            .filter { $0.weight > 0 }
            .sorted { ($1.weight, $0.area) < ($0.weight, $1.area) }
    }

    public var areas: Set<ECFArea> { Set(needs.map(\.area)) }
}

extension DevelopmentRating {
    /// As it reads after "rated assessment as".
    var phrase: String { self == .areaToDevelop ? "an area to develop" : label.lowercased() }
}

/// One programme suggested to an early-career teacher, with the reason in words.
public struct CPDSuggestion: Hashable, Sendable {
    public var programme: CPDProgramme
    /// The cohort to ask for: the earliest still to start with a place left.
    public var cohort: CPDCohort
    /// The areas to develop that the programme develops, most needed first.
    public var areas: [ECFArea]
    /// From the teacher's school to the venue, in kilometres; nil for an online programme.
    public var distanceKm: Double?
    public var score: Double
    public var reason: String
}

/// Ranks the catalogue's programmes for an early-career teacher's areas to develop.
public enum CPDSuggester {
    /// Who the suggestions are for.
    public struct Learner: Hashable, Sendable {
        public var phase: CPDPhase
        /// The subject they teach (secondary); ignored for primary teachers, who teach every subject.
        public var subject: TeachingSubject?
        /// Their school's position, for distances; nil: in-person programmes cannot be placed and are left out.
        public var school: GridPoint?
        public var stage: CareerStage

        public init(phase: CPDPhase, subject: TeachingSubject?, school: GridPoint?, stage: CareerStage = .earlyCareer) {
            self.phase = phase
            self.subject = subject
            self.school = school
            self.stage = stage
        }
    }

    /// In-person and blended programmes further than this from the school are not suggested.
    public static let defaultReachKm = 30.0

    /// Programmes that develop at least one of the teacher's areas to develop and suit them (their career stage,
    /// phase and subject, within reach, with a cohort still to start after `today` that has a place left, not one
    /// they already hold a place on), ranked by how much of their need they meet (the sum of the areas' weights),
    /// then by distance (online counts as no distance), then by start date and title.
    public static func suggest(
        needs: DevelopmentNeeds, for learner: Learner, programmes: [CPDProgramme], cohorts: [UUID: [CPDCohort]],
        venues: [Int: GridPoint], today: Day, holding: Set<UUID> = [], reachKm: Double = defaultReachKm,
        limit: Int = 10
    ) -> [CPDSuggestion] {
        let weights = Dictionary(uniqueKeysWithValues: needs.needs.map { ($0.area, $0) })
        var out: [CPDSuggestion] = []
        for p in programmes where !holding.contains(p.id) {
            let matched = p.developsAreas.compactMap { weights[$0] }
                .sorted { ($1.weight, $0.area) < ($0.weight, $1.area) }
            guard !matched.isEmpty else { continue }
            if !p.stages.isEmpty && !p.stages.contains(learner.stage) { continue }
            if !p.phases.isEmpty && !p.phases.contains(learner.phase) { continue }
            if learner.phase != .primary, !p.subjects.isEmpty {
                guard let s = learner.subject, p.subjects.contains(s) else { continue }
            }
            guard
                let cohort = (cohorts[p.id] ?? []).filter({
                    ($0.startsOn.map { $0 > today } ?? false) && $0.placesLeft > 0
                })
                .min(by: { ($0.startsOn!, $0.id.uuidString) < ($1.startsOn!, $1.id.uuidString) })
            else { continue }
            var distance: Double?
            if p.format != .online {
                guard let school = learner.school, let venue = p.venueURN.flatMap({ venues[$0] }) else { continue }
                let km = venue.distance(to: school) / 1000
                guard km <= reachKm else { continue }
                distance = km
            }
            let score = matched.reduce(0) { $0 + $1.weight }
            out.append(
                CPDSuggestion(
                    programme: p, cohort: cohort, areas: matched.map(\.area), distanceKm: distance, score: score,
                    reason: reason(matched, format: p.format, distanceKm: distance)))
        }
        out.sort {
            ($1.score, $0.distanceKm ?? 0, $0.cohort.startsOn!, $0.programme.title)
                < ($0.score, $1.distanceKm ?? 0, $1.cohort.startsOn!, $1.programme.title)
        }
        return Array(out.prefix(max(0, limit)))
    }

    /// "Because your mentor rated assessment as an area to develop, and this runs 6 km from your school."
    static func reason(_ matched: [DevelopmentNeeds.Need], format: CPDFormat, distanceKm: Double?) -> String {
        let becauses = matched.prefix(2).map(\.because)
        var text = "Because " + becauses.joined(separator: "; and ")
        if matched.count > 2 { text += " (and \(matched.count - 2) more of your areas to develop)" }
        if let km = distanceKm {
            let place =
                km < 0.05
                ? "at your school"
                : km < 1 ? "less than 1 km from your school" : "\(Int(km.rounded())) km from your school"
            text += format == .blended ? ", and it meets \(place) (partly online)" : ", and this runs \(place)"
        } else {
            text += ", and it is online"
        }
        return text + "."
    }
}

/// The region's development areas against the catalogue's supply, for the coordinator.
public enum DevelopmentDemand {
    public struct Row: Hashable, Sendable {
        public var area: ECFArea
        /// Profiled ECTs with the area to develop (by either rater).
        public var ects: Int
        /// ECTs with a profile this term.
        public var profiled: Int
        /// Programmes that develop the area with a cohort still to start that has a place left.
        public var programmes: Int
        /// Places left in those cohorts.
        public var places: Int
        /// Requests made from a suggestion for the area.
        public var takenUp: Int
    }

    /// One row per area, in the framework's order.
    public static func rows(
        needs: [DevelopmentNeeds], programmes: [CPDProgramme], cohorts: [UUID: [CPDCohort]], today: Day,
        takenUp: [ECFArea: Int]
    ) -> [Row] {
        ECFArea.allCases.map { area in
            let offering = programmes.filter { $0.developsAreas.contains(area) }
            let open = offering.map { p in
                (cohorts[p.id] ?? []).filter { ($0.startsOn.map { $0 > today } ?? false) && $0.placesLeft > 0 }
            }
            return Row(
                area: area, ects: needs.count { $0.areas.contains(area) }, profiled: needs.count,
                programmes: open.count { !$0.isEmpty }, places: open.joined().reduce(0) { $0 + $1.placesLeft },
                takenUp: takenUp[area] ?? 0)
        }
    }
}

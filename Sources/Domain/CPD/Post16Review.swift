import Foundation

/// The subjects the post-16 review asks about: the city plan's English, maths and science.
public enum Post16Subject: String, Sendable, Hashable, CaseIterable, Codable {
    case english, mathematics, science

    public var label: String {
        switch self {
        case .english: "English"
        case .mathematics: "Maths"
        case .science: "Science"
        }
    }

    /// The name within a sentence: "English", "maths", "science".
    public var inSentence: String { self == .english ? label : label.lowercased() }

    /// The catalogue subjects that serve it.
    public var catalogueSubjects: Set<TeachingSubject> {
        switch self {
        case .english: [.english]
        case .mathematics: [.mathematics]
        case .science: [.biology, .chemistry, .physics, .combinedScience]
        }
    }
}

/// A CPD need a post-16 institution can report for a subject.
public enum Post16Need: String, Sendable, Hashable, CaseIterable, Codable {
    case subjectKnowledge = "subject-knowledge"
    case resits
    case coreMaths = "core-maths"
    case practical
    case assessment
    case send
    case newToPost16 = "new-to-post-16"

    public var label: String {
        switch self {
        case .subjectKnowledge: "Subject knowledge for non-specialists"
        case .resits: "Teaching GCSE resits"
        case .coreMaths: "Core Maths"
        case .practical: "Practical work"
        case .assessment: "Assessment and exam preparation"
        case .send: "Students with special educational needs"
        case .newToPost16: "Teachers new to post-16"
        }
    }
}

/// One institution's review for an academic year: whether it teaches 16 to 19, its English, maths and science
/// staff, their CPD needs, and the CPD they use now.
public struct Post16Review: Hashable, Sendable, Codable {
    public struct SubjectReview: Hashable, Sendable, Codable {
        /// Staff teaching the subject to 16 to 19 year olds.
        public var teachers: Int
        /// Of them, those without a post-A-level qualification in it.
        public var nonSpecialists: Int
        public var needs: Set<Post16Need>

        public init(teachers: Int, nonSpecialists: Int, needs: Set<Post16Need>) {
            self.teachers = teachers
            self.nonSpecialists = nonSpecialists
            self.needs = needs
        }
    }

    public static let maxStaff = 500
    public static let maxOffer = 2_000

    public var urn: Int
    public var year: AcademicYear
    public var teaches16to19: Bool
    public var subjects: [Post16Subject: SubjectReview]
    public var currentOffer: String
    public var generated: Bool

    public init(
        urn: Int, year: AcademicYear, teaches16to19: Bool, subjects: [Post16Subject: SubjectReview],
        currentOffer: String, generated: Bool = false
    ) {
        self.urn = urn
        self.year = year
        self.teaches16to19 = teaches16to19
        self.subjects = subjects
        self.currentOffer = currentOffer
        self.generated = generated
    }

    /// Reads the review form: `sixth_form` yes or no; for each subject `SUBJECT_teachers`,
    /// `SUBJECT_nonspecialists` (whole numbers from 0 to 500, non-specialists no more than teachers) and
    /// `SUBJECT_needs` (any of the needs); `offer` (at most 2,000 characters). An institution without 16 to 19
    /// provision answers nothing else.
    public static func parse(
        urn: Int, year: AcademicYear, one: (String) -> String, all: (String) -> [String]
    ) -> Result<Post16Review, ValidationError> {
        var problems: [ValidationError.Problem] = []
        let sixthForm = one("sixth_form")
        if sixthForm != "yes" && sixthForm != "no" {
            problems.append(.init(field: "sixth_form", message: "Say whether you teach students aged 16 to 19"))
        }
        var subjects: [Post16Subject: SubjectReview] = [:]
        if sixthForm == "yes" {
            for s in Post16Subject.allCases {
                func count(_ suffix: String, _ what: String) -> Int? {
                    let field = "\(s.rawValue)_\(suffix)"
                    let text = one(field).trimmingSpaces
                    if text.isEmpty {
                        problems.append(.init(field: field, message: "Enter the number of \(what) (0 if none)"))
                        return nil
                    }
                    guard let n = BoundedInput.wholeNumber(text, in: 0...maxStaff) else {
                        problems.append(
                            .init(
                                field: field,
                                message: "The number of \(what) must be a whole number from 0 to \(maxStaff)"))
                        return nil
                    }
                    return n
                }
                let teachers = count("teachers", "\(s.inSentence) teachers")
                let non = count("nonspecialists", "\(s.inSentence) non-specialists")
                var needs: Set<Post16Need> = []
                for v in all("\(s.rawValue)_needs") {
                    if let n = Post16Need(rawValue: v) {
                        needs.insert(n)
                    } else {
                        problems.append(.init(field: "\(s.rawValue)_needs", message: "Choose needs from the list"))
                    }
                }
                if let teachers, let non, non > teachers {
                    problems.append(
                        .init(
                            field: "\(s.rawValue)_nonspecialists",
                            message: "\(s.label) non-specialists cannot be more than its teachers (\(teachers))"))
                }
                if let teachers, let non {
                    subjects[s] = SubjectReview(teachers: teachers, nonSpecialists: non, needs: needs)
                }
            }
        }
        let offer = one("offer").trimmingSpaces
        if offer.count > maxOffer {
            problems.append(.init(field: "offer", message: "Current offer must be \(maxOffer) characters or fewer"))
        }
        guard problems.isEmpty else { return .failure(ValidationError(problems)) }
        return .success(
            Post16Review(
                urn: urn, year: year, teaches16to19: sixthForm == "yes", subjects: subjects, currentOffer: offer))
    }
}

/// The region's post-16 picture from the reviews, and its gaps against the catalogue.
public struct Post16Picture: Sendable, Hashable {
    public struct SubjectLine: Sendable, Hashable {
        public var subject: Post16Subject
        /// Institutions reporting any staff in the subject.
        public var institutions: Int
        public var teachers: Int
        public var nonSpecialists: Int
        /// Institutions reporting each need.
        public var needs: [Post16Need: Int]
        /// Catalogue programmes for post-16 in the subject with a cohort still to start (ids).
        public var programmes: [UUID]

        /// A need with no programme to meet it: institutions report needs in the subject, and the catalogue has no
        /// post-16 programme for it that is still to start.
        public var isGap: Bool { programmes.isEmpty && needs.values.contains { $0 > 0 } }
    }

    public var reviews: Int
    public var teaching16to19: Int
    public var subjects: [SubjectLine]

    /// A programme serves post-16 in a subject when it is a post-16 programme or lists the post-16 phase, and
    /// names one of the subject's catalogue subjects or none (any subject); it counts when a cohort starts on or
    /// after `today`.
    public static func build(
        reviews: [Post16Review], programmes: [CPDProgramme], cohorts: [UUID: [CPDCohort]], today: Day
    ) -> Post16Picture {
        let open = reviews.filter(\.teaches16to19)
        let lines = Post16Subject.allCases.map { s -> SubjectLine in
            let parts = open.compactMap { $0.subjects[s] }
            var needs: [Post16Need: Int] = [:]
            for p in parts { for n in p.needs { needs[n, default: 0] += 1 } }
            let matching = programmes.filter { p in
                (p.kind == .post16 || p.phases.contains(.post16))
                    && (p.subjects.isEmpty || !p.subjects.isDisjoint(with: s.catalogueSubjects))
                    && (cohorts[p.id] ?? []).contains { ($0.startsOn ?? today) >= today }
            }.map(\.id)
            return SubjectLine(
                subject: s, institutions: parts.filter { $0.teachers > 0 }.count,
                teachers: parts.map(\.teachers).reduce(0, +), nonSpecialists: parts.map(\.nonSpecialists).reduce(0, +),
                needs: needs, programmes: matching)
        }
        return Post16Picture(reviews: reviews.count, teaching16to19: open.count, subjects: lines)
    }
}

extension Post16Review {
    /// Whether a school may teach 16 to 19 and so is asked for a review: a secondary, all-through or 16-plus
    /// school, or one whose name says it is a college or sixth form. (The school list does not say which
    /// secondary schools have sixth forms; the review's first question does.)
    public static func isCandidate(_ s: School) -> Bool {
        switch s.phase {
        case .secondary, .sixteenPlus, .allThrough: return true
        default:
            let name = s.name.lowercased()
            return name.contains("sixth form") || name.contains("college")
        }
    }
}

import Foundation

/// A former teacher interested in returning to teach maths or science, and where they are on the way back.
public struct Returner: Hashable, Sendable, Identifiable {
    /// The steps back into teaching, in order.
    public enum Stage: String, Sendable, CaseIterable, Codable, Comparable {
        case interest
        case refresher
        case schoolExperience = "school-experience"
        case applying
        case backInPost = "back-in-post"
        /// Stopped: no longer pursuing a return (kept so the pipeline's losses show).
        case stopped

        public var label: String {
            switch self {
            case .interest: "Registered interest"
            case .refresher: "Refresher or TSST"
            case .schoolExperience: "School experience"
            case .applying: "Applying for posts"
            case .backInPost: "Back in post"
            case .stopped: "Stopped"
            }
        }

        public static func < (l: Self, r: Self) -> Bool {
            allCases.firstIndex(of: l)! < allCases.firstIndex(of: r)!
        }

        /// The stages of the way back, without "stopped".
        public static let pipeline: [Stage] = [.interest, .refresher, .schoolExperience, .applying, .backInPost]
    }

    /// One step recorded on the way back: never overwritten; the latest is where the returner is.
    public struct Step: Hashable, Sendable {
        public var stage: Stage
        public var on: Day
        public var note: String
        public var author: String

        public init(stage: Stage, on: Day, note: String = "", author: String) {
            self.stage = stage
            self.on = on
            self.note = note
            self.author = author
        }
    }

    /// The subjects a returner can be coming back to.
    public static let subjects: [TeachingSubject] = [.mathematics, .physics, .chemistry, .biology, .combinedScience]

    public var id: UUID
    /// Their record in the teacher register, when they left from a school in it.
    public var teacher: UUID?
    public var name: String
    public var email: String
    public var subject: TeachingSubject
    /// Where they live (a district code), for the figures by area; nil when not known.
    public var district: String?
    public var steps: [Step]

    public init(
        id: UUID = UUID(), teacher: UUID? = nil, name: String, email: String, subject: TeachingSubject,
        district: String?, steps: [Step]
    ) {
        self.id = id
        self.teacher = teacher
        self.name = name
        self.email = email
        self.subject = subject
        self.district = district
        self.steps = steps
    }

    /// The latest step's stage (by date, then by order recorded).
    public var stage: Stage {
        steps.enumerated().max { a, b in (a.element.on, a.offset) < (b.element.on, b.offset) }?.element.stage
            ?? .interest
    }

    /// The day they registered interest (their first step).
    public var since: Day? { steps.map(\.on).min() }

    /// Whether the register shows them teaching again: a period at a school that started on or after they
    /// registered interest and is open on `today`. Such a returner is back in post whatever was last recorded.
    public static func backInPost(since: Day?, periods: [ServicePeriod], today: Day) -> ServicePeriod? {
        guard let since else { return nil }
        return periods.first {
            $0.startedOn >= since && $0.startedOn <= today && ($0.finishedOn.map { $0 >= today } ?? true)
        }
    }

    /// A register record of someone who could return to maths or science: a qualification in maths or a science
    /// (the first, in `subjects`' order), and every period at a school ended before `today`. With their last period.
    public static func leaver(_ t: TeacherRecord, today: Day) -> (subject: TeachingSubject, last: ServicePeriod)? {
        guard let subject = subjects.first(where: t.specialisms.contains),
            t.periods.allSatisfy({ $0.finishedOn.map { $0 < today } ?? false }),
            let last = t.periods.max(by: { $0.finishedOn! < $1.finishedOn! })
        else { return nil }
        return (subject, last)
    }

    /// The next step from the coordinator's form: stage, on (a day, not after today nor before the last step),
    /// note (at most 500 characters).
    public static func parseStep(
        _ one: (String) -> String, after last: Day?, today: Day, author: String
    ) -> Result<Step, ValidationError> {
        var problems: [ValidationError.Problem] = []
        let stage = Stage(rawValue: one("stage"))
        if stage == nil { problems.append(.init(field: "stage", message: "Choose the stage from the list")) }
        let on = Day(one("on").trimmingSpaces)
        if let on {
            if on > today {
                problems.append(.init(field: "on", message: "The date cannot be in the future"))
            } else if let last, on < last {
                problems.append(.init(field: "on", message: "The date cannot be before the last step (\(last))"))
            }
        } else {
            problems.append(.init(field: "on", message: "Enter the date as YYYY-MM-DD"))
        }
        let note = one("note").trimmingSpaces
        if note.count > 500 || BoundedInput.hasControlCharactersBesideLineBreaks(note) {
            problems.append(.init(field: "note", message: "The note must be at most 500 characters"))
        }
        guard problems.isEmpty, let stage, let on else { return .failure(ValidationError(problems)) }
        return .success(Step(stage: stage, on: on, note: note, author: author))
    }

    /// A returner from the form: name (1-100), email, subject (maths or a science), postcode (optional; placed
    /// in a district by the caller), and the day interest was registered (not in the future).
    public static func parse(
        _ one: (String) -> String, today: Day, author: String
    ) -> Result<(name: String, email: String, subject: TeachingSubject, postcode: Postcode?, on: Day), ValidationError>
    {
        var problems: [ValidationError.Problem] = []
        let name = one("name").trimmingSpaces
        if name.isEmpty || name.count > 100 || BoundedInput.hasControlCharacters(name) {
            problems.append(.init(field: "name", message: "Enter their name, at most 100 characters"))
        }
        let email = EmailAddress.normalised(one("email")) ?? ""
        if email.isEmpty {
            problems.append(.init(field: "email", message: "Enter an email address like name@example.org"))
        }
        let subject = TeachingSubject(rawValue: one("subject")).flatMap { subjects.contains($0) ? $0 : nil }
        if subject == nil { problems.append(.init(field: "subject", message: "Choose maths or a science")) }
        let postcodeText = one("postcode").trimmingSpaces
        let postcode = postcodeText.isEmpty ? nil : Postcode(postcodeText)
        if !postcodeText.isEmpty, postcode == nil {
            problems.append(.init(field: "postcode", message: "Enter a full UK postcode, like CT1 1QU"))
        }
        let on = Day(one("on").trimmingSpaces)
        if on == nil || on! > today {
            problems.append(.init(field: "on", message: "Enter the day they registered interest, not in the future"))
        }
        guard problems.isEmpty, let subject, let on else { return .failure(ValidationError(problems)) }
        return .success((name, email, subject, postcode, on))
    }
}

/// The returners pipeline in numbers: how many are at each stage, by subject and by area, with people counts of
/// 1 to 9 withheld.
public struct ReturnerFigures: Sendable {
    /// Row (a subject, an area's name, or "All") -> stage -> how many returners are there now.
    public var rows: [(name: String, counts: [Returner.Stage: Int])]

    /// `group` names each returner's row; `stage` says where each is now (the register may move them on).
    public init(_ returners: [Returner], stage: (Returner) -> Returner.Stage, group: (Returner) -> String?) {
        var byGroup: [String: [Returner.Stage: Int]] = [:]
        var total: [Returner.Stage: Int] = [:]
        for r in returners {
            let s = stage(r)
            total[s, default: 0] += 1
            if let g = group(r) { byGroup[g, default: [:]][s, default: 0] += 1 }
        }
        rows = [("All", total)] + byGroup.keys.sorted().map { ($0, byGroup[$0]!) }
    }

    /// A count as it may be shown: nil for 1 to 9 people.
    public static func shown(_ n: Int) -> Int? { (1..<10).contains(n) ? nil : n }
}

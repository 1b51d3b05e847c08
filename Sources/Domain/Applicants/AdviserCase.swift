import Foundation

/// Where a candidate's GCSE (or equivalent) stands, as an adviser checks it.
public enum QualificationCheck: String, Sendable, Hashable, CaseIterable, Codable {
    case unknown
    case met
    case predicted
    case equivalencyNeeded = "equivalency-needed"
    case notMet = "not-met"

    public var label: String {
        switch self {
        case .unknown: "Not checked yet"
        case .met: "Met (grade 4 or C or above)"
        case .predicted: "Predicted, not yet awarded"
        case .equivalencyNeeded: "Needs an equivalency test"
        case .notMet: "Not met"
        }
    }
}

/// Where a candidate's degree stands.
public enum DegreeCheck: String, Sendable, Hashable, CaseIterable, Codable {
    case unknown, held, predicted, none

    public var label: String {
        switch self {
        case .unknown: "Not checked yet"
        case .held: "Has a degree"
        case .predicted: "Degree predicted"
        case .none: "No degree (an undergraduate or apprenticeship route)"
        }
    }
}

/// An adviser's eligibility check: GCSE English and maths (and science for primary), the degree, the equivalency
/// tests needed, and the agreed next steps.
public struct EligibilityCheck: Hashable, Sendable, Codable {
    public var english: QualificationCheck
    public var maths: QualificationCheck
    /// For primary teaching.
    public var science: QualificationCheck
    public var degree: DegreeCheck
    public var equivalency: String
    public var nextSteps: String

    public init(
        english: QualificationCheck = .unknown, maths: QualificationCheck = .unknown,
        science: QualificationCheck = .unknown, degree: DegreeCheck = .unknown, equivalency: String = "",
        nextSteps: String = ""
    ) {
        self.english = english
        self.maths = maths
        self.science = science
        self.degree = degree
        self.equivalency = equivalency
        self.nextSteps = nextSteps
    }

    public static let maximumText = 2_000

    public static func parse(_ value: (String) -> String) -> Result<EligibilityCheck, ValidationError> {
        var problems: [ValidationError.Problem] = []
        func check(_ field: String, _ what: String) -> QualificationCheck {
            guard let c = QualificationCheck(rawValue: value(field).trimmingSpaces) else {
                problems.append(.init(field: field, message: "Choose where the candidate's \(what) stands"))
                return .unknown
            }
            return c
        }
        let english = check("english", "GCSE English")
        let maths = check("maths", "GCSE maths")
        let science = check("science", "GCSE science")
        let degree = DegreeCheck(rawValue: value("degree").trimmingSpaces)
        if degree == nil {
            problems.append(.init(field: "degree", message: "Choose where the candidate's degree stands"))
        }
        func text(_ field: String, _ what: String) -> String {
            let t = value(field).trimmingSpaces
            if t.count > maximumText {
                problems.append(.init(field: field, message: "\(what) must be \(maximumText) characters or fewer"))
            }
            return t
        }
        let equivalency = text("equivalency", "Equivalency tests")
        let next = text("next_steps", "Next steps")
        guard problems.isEmpty, let degree else { return .failure(ValidationError(problems)) }
        return .success(
            EligibilityCheck(
                english: english, maths: maths, science: science, degree: degree, equivalency: equivalency,
                nextSteps: next))
    }

    /// What still stands between the candidate and applying for a phase, in words; empty when nothing does.
    public func gaps(primary: Bool) -> [String] {
        var gaps: [String] = []
        let needed: [(String, QualificationCheck)] =
            [("GCSE English", english), ("GCSE maths", maths)] + (primary ? [("GCSE science", science)] : [])
        for (name, c) in needed where c == .notMet || c == .equivalencyNeeded || c == .unknown {
            gaps.append(
                c == .unknown
                    ? "\(name) not checked" : c == .notMet ? "\(name) not met" : "\(name) needs an equivalency test")
        }
        if degree == .unknown { gaps.append("Degree not checked") }
        return gaps
    }
}

/// A candidate's request for pre-application support, and what the adviser does with it.
public struct AdviceCase: Hashable, Sendable, Codable, Identifiable {
    public enum State: String, Sendable, Hashable, CaseIterable, Codable {
        case waiting, active, applied, closed

        public var label: String {
            switch self {
            case .waiting: "Waiting to be assigned"
            case .active: "Active"
            case .applied: "Applied"
            case .closed: "Closed"
            }
        }
    }

    public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable {
        case recruited
        case appliedNotRecruited = "applied-not-recruited"
        case notApplying = "not-applying"
        case noResponse = "no-response"
        case other

        public var label: String {
            switch self {
            case .recruited: "Applied and was recruited"
            case .appliedNotRecruited: "Applied and was not recruited"
            case .notApplying: "Decided not to apply"
            case .noResponse: "Stopped responding"
            case .other: "Other"
            }
        }
    }

    public var id: UUID
    public var person: PersonID
    public var name: String
    public var stage: DegreeStage
    /// The subject and phase they are thinking of, in their words.
    public var interest: String
    public var question: String
    public var state: State
    public var adviser: PersonID?
    public var adviserName: String?
    public var eligibility: EligibilityCheck
    public var outcome: Outcome?
    public var outcomeNote: String
    public var requestedAt: Date
    public var assignedAt: Date?
    public var closedAt: Date?

    public init(
        id: UUID = UUID(), person: PersonID, name: String, stage: DegreeStage, interest: String, question: String,
        state: State = .waiting, adviser: PersonID? = nil, adviserName: String? = nil,
        eligibility: EligibilityCheck = EligibilityCheck(), outcome: Outcome? = nil, outcomeNote: String = "",
        requestedAt: Date, assignedAt: Date? = nil, closedAt: Date? = nil
    ) {
        self.id = id
        self.person = person
        self.name = name
        self.stage = stage
        self.interest = interest
        self.question = question
        self.state = state
        self.adviser = adviser
        self.adviserName = adviserName
        self.eligibility = eligibility
        self.outcome = outcome
        self.outcomeNote = outcomeNote
        self.requestedAt = requestedAt
        self.assignedAt = assignedAt
        self.closedAt = closedAt
    }

    /// Days spent waiting for an adviser: until assigned, or until now.
    public func daysWaiting(now: Date) -> Int {
        max(0, Int(((assignedAt ?? now).timeIntervalSince(requestedAt) / 86_400).rounded(.down)))
    }

    /// A candidate's request: what they are interested in, what they want help with, where they are.
    public static func parseRequest(interest: String, question: String, stage: String) -> Result<
        (String, String, DegreeStage), ValidationError
    > {
        var problems: [ValidationError.Problem] = []
        let interest = interest.trimmingSpaces
        let question = question.trimmingSpaces
        if interest.isEmpty || interest.count > 200 || BoundedInput.hasControlCharacters(interest) {
            problems.append(
                .init(
                    field: "interest", message: "Say which subject or phase you are thinking of, up to 200 characters"))
        }
        if question.isEmpty || question.count > EligibilityCheck.maximumText {
            problems.append(
                .init(
                    field: "question",
                    message: "Say what you would like help with, up to \(EligibilityCheck.maximumText) characters"))
        }
        let stage = DegreeStage(rawValue: stage.trimmingSpaces)
        if stage == nil {
            problems.append(.init(field: "stage", message: "Choose where you are in your studies or career"))
        }
        guard problems.isEmpty, let stage else { return .failure(ValidationError(problems)) }
        return .success((interest, question, stage))
    }

    /// Moves the case on: applied from active; closed (with an outcome) from active or applied.
    public func closing(outcome: String, note: String, at now: Date) -> Result<AdviceCase, ValidationError> {
        guard state == .active || state == .applied else {
            return .failure(ValidationError([.init(field: "outcome", message: "Only an active case can be closed")]))
        }
        guard let o = Outcome(rawValue: outcome.trimmingSpaces) else {
            return .failure(ValidationError([.init(field: "outcome", message: "Choose the case's outcome")]))
        }
        let note = note.trimmingSpaces
        guard note.count <= EligibilityCheck.maximumText else {
            return .failure(ValidationError([.init(field: "note", message: "The note is up to 2,000 characters")]))
        }
        var c = self
        c.state = .closed
        c.outcome = o
        c.outcomeNote = note
        c.closedAt = now
        return .success(c)
    }
}

/// A contact an adviser logged with a candidate.
public struct AdviceContact: Hashable, Sendable, Codable, Identifiable {
    public enum Channel: String, Sendable, Hashable, CaseIterable, Codable {
        case phone, email, video
        case inPerson = "in-person"

        public var label: String {
            switch self {
            case .phone: "Phone"
            case .email: "Email"
            case .video: "Video call"
            case .inPerson: "In person"
            }
        }
    }

    public var id: UUID
    public var caseID: UUID
    public var day: Day
    public var channel: Channel
    public var note: String
    public var author: String

    public init(id: UUID = UUID(), caseID: UUID, day: Day, channel: Channel, note: String, author: String) {
        self.id = id
        self.caseID = caseID
        self.day = day
        self.channel = channel
        self.note = note
        self.author = author
    }

    /// A contact on or before today and since the request.
    public static func parse(day: String, channel: String, note: String, requested: Day, today: Day) -> Result<
        (Day, Channel, String), ValidationError
    > {
        var problems: [ValidationError.Problem] = []
        let d = Day(day)
        if d == nil {
            problems.append(.init(field: "day", message: "Enter the date of the contact, like 2026-12-07"))
        } else if let d, d > today || d < requested {
            problems.append(.init(field: "day", message: "The contact is between the request and today"))
        }
        let c = Channel(rawValue: channel.trimmingSpaces)
        if c == nil { problems.append(.init(field: "channel", message: "Choose how you were in touch")) }
        let note = note.trimmingSpaces
        if note.isEmpty || note.count > EligibilityCheck.maximumText {
            problems.append(.init(field: "note", message: "Write what was discussed, up to 2,000 characters"))
        }
        guard problems.isEmpty, let d, let c else { return .failure(ValidationError(problems)) }
        return .success((d, c, note))
    }
}

import Foundation

/// Statutory induction for early-career teachers (DfE, "Induction for early career teachers (England)", 2024):
/// two years (six terms) full time, longer in proportion for part-time teachers, overseen by an appropriate body,
/// ending in a pass or a fail, or extended.
public enum AppropriateBodyKind: String, Codable, Sendable, CaseIterable {
    case localAuthority = "local-authority"
    case teachingSchoolHub = "teaching-school-hub"
    case national

    public var label: String {
        switch self {
        case .localAuthority: "Local authority"
        case .teachingSchoolHub: "Teaching school hub"
        case .national: "National appropriate body"
        }
    }
}

/// How the ECT's induction training is delivered.
public enum InductionRoute: String, Codable, Sendable, CaseIterable {
    case providerLed = "provider-led"
    case schoolLed = "school-led"

    public var label: String { self == .providerLed ? "Provider-led" : "School-led" }
}

public enum InductionOutcome: String, Codable, Sendable, CaseIterable {
    case passed, failed, extended

    public var label: String {
        switch self {
        case .passed: "Passed"
        case .failed: "Failed"
        case .extended: "Extended"
        }
    }
}

/// One ECT's induction: who oversees it, how it is delivered, when it started and for how long.
public struct Induction: Hashable, Sendable, Codable {
    public var teacher: UUID
    public var urn: Int
    public var appropriateBody: AppropriateBodyKind
    public var appropriateBodyName: String
    public var route: InductionRoute
    public var tutor: String
    public var startedOn: Day
    /// Full-time equivalent of the ECT's post, more than 0 and at most 1.
    public var fte: Double
    /// Terms added by extensions.
    public var extensionTerms: Int
    /// The final outcome, once there is one (an extension is recorded as extra terms, not an outcome).
    public var outcome: InductionOutcome?
    public var outcomeOn: Day?

    public static let fullTimeTerms = 6
    public static let textLimit = 200

    public init(
        teacher: UUID, urn: Int, appropriateBody: AppropriateBodyKind, appropriateBodyName: String,
        route: InductionRoute, tutor: String, startedOn: Day, fte: Double = 1, extensionTerms: Int = 0,
        outcome: InductionOutcome? = nil, outcomeOn: Day? = nil
    ) {
        self.teacher = teacher
        self.urn = urn
        self.appropriateBody = appropriateBody
        self.appropriateBodyName = appropriateBodyName
        self.route = route
        self.tutor = tutor
        self.startedOn = startedOn
        self.fte = fte
        self.extensionTerms = extensionTerms
        self.outcome = outcome
        self.outcomeOn = outcomeOn
    }

    /// Terms the induction lasts: six full time, in proportion for part time (rounded up to a whole term), plus
    /// any extension.
    public var termsRequired: Int {
        let base = Int((Double(Self.fullTimeTerms) / min(1, max(0.1, fte)) - 1e-9).rounded(.up))
        return base + extensionTerms
    }

    /// The last day of the term in which the induction is due to end, counting the term it started in as the
    /// first (autumn ends 31 December, spring 31 March, summer 31 August).
    public var expectedEnd: Day {
        var year = AcademicYear.containing(startedOn).start
        var term = Term.containing(startedOn)
        for _ in 1..<max(1, termsRequired) {
            switch term {
            case .autumn: term = .spring
            case .spring: term = .summer
            case .summer:
                term = .autumn
                year += 1
            }
        }
        switch term {
        case .autumn: return Day(year: year, month: 12, day: 31)!
        case .spring: return Day(year: year + 1, month: 3, day: 31)!
        case .summer: return Day(year: year + 1, month: 8, day: 31)!
        }
    }

    /// Where the induction stands on a day.
    public enum Status: String, Sendable, CaseIterable {
        case inProgress = "in-progress"
        /// In progress, due to end within 90 days.
        case dueToFinish = "due-to-finish"
        /// In progress past its expected end with no outcome.
        case overdue
        case passed, failed

        public var label: String {
            switch self {
            case .inProgress: "In progress"
            case .dueToFinish: "Due to finish"
            case .overdue: "Overdue: no outcome recorded"
            case .passed: "Passed"
            case .failed: "Failed"
            }
        }
    }

    public func status(on day: Day) -> Status {
        switch outcome {
        case .passed: return .passed
        case .failed: return .failed
        case .extended, nil:
            let end = expectedEnd
            if end < day { return .overdue }
            return end.ordinal - day.ordinal <= 90 ? .dueToFinish : .inProgress
        }
    }

    /// Reads the induction form: appropriate body (kind and name), route, tutor and start day, each named by field.
    public static func parse(
        _ form: [String: String], teacher: UUID, urn: Int, fte: Double, today: Day
    ) -> Result<Induction, ValidationError> {
        var problems: [ValidationError.Problem] = []
        let kind = AppropriateBodyKind(rawValue: form["appropriate_body_kind"] ?? "")
        if kind == nil {
            problems.append(.init(field: "appropriate_body_kind", message: "Choose the kind of appropriate body"))
        }
        func text(_ field: String, _ name: String) -> String {
            let t = (form[field] ?? "").trimmingSpaces
            if t.isEmpty { problems.append(.init(field: field, message: "Enter the \(name)")) }
            if t.unicodeScalars.count > textLimit {
                problems.append(.init(field: field, message: "The \(name) must be \(textLimit) characters or fewer"))
            }
            return t
        }
        let body = text("appropriate_body", "appropriate body's name")
        let route = InductionRoute(rawValue: form["route"] ?? "")
        if route == nil { problems.append(.init(field: "route", message: "Choose provider-led or school-led")) }
        let tutor = text("tutor", "induction tutor's name")
        let started = Day((form["started_on"] ?? "").trimmingSpaces)
        if started == nil {
            problems.append(.init(field: "started_on", message: "Enter the day induction started, like 2026-09-01"))
        } else if let s = started, s > today || today.ordinal - s.ordinal > 6 * 366 {
            problems.append(
                .init(
                    field: "started_on", message: "Enter a day induction started, not after today and within six years")
            )
        }
        guard problems.isEmpty, let kind, let route, let started else { return .failure(ValidationError(problems)) }
        return .success(
            Induction(
                teacher: teacher, urn: urn, appropriateBody: kind, appropriateBodyName: body, route: route,
                tutor: tutor,
                startedOn: started, fte: fte))
    }

    /// Applies an outcome from the form: passed or failed (final), or extended by 1 to 6 terms.
    public func recording(_ form: [String: String], on day: Day) -> Result<Induction, ValidationError> {
        if let outcome, outcome != .extended {
            return .failure(
                ValidationError([
                    .init(
                        field: "outcome",
                        message: "The induction already has its outcome: \(outcome.label.lowercased())")
                ]))
        }
        guard let outcome = InductionOutcome(rawValue: form["outcome"] ?? "") else {
            return .failure(ValidationError([.init(field: "outcome", message: "Choose passed, failed or extended")]))
        }
        var next = self
        next.outcome = outcome
        next.outcomeOn = day
        if outcome == .extended {
            guard let terms = BoundedInput.wholeNumber((form["extension_terms"] ?? "").trimmingSpaces, in: 1...6) else {
                return .failure(
                    ValidationError([
                        .init(
                            field: "extension_terms",
                            message: "Enter the extension in terms, a whole number from 1 to 6")
                    ]))
            }
            next.extensionTerms += terms
        }
        return .success(next)
    }
}

/// Whether other early-career teachers at a school left early: ECT periods there that ended, other than by a move
/// within the partnership, within two years of starting, in the three years before `day`.
public enum EarlyLeavers {
    public static func count(
        at urn: Int, periods: [(teacher: UUID, period: ServicePeriod)], excluding: UUID?, on day: Day
    )
        -> Int
    {
        periods.count { entry in
            let p = entry.period
            guard entry.teacher != excluding, p.urn == urn, p.role == .ect, let end = p.finishedOn,
                let reason = p.endReason, reason != .movedWithinPartnership, end <= day,
                day.ordinal - end.ordinal <= 3 * 366
            else { return false }
            return end.ordinal - p.startedOn.ordinal < 2 * 365
        }
    }
}

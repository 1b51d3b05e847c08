/// Phase of education, following GIAS's `PhaseOfEducation (name)`.
public enum Phase: String, Codable, Sendable, CaseIterable {
    case nursery
    case primary
    case middleDeemedPrimary = "middle-deemed-primary"
    case middleDeemedSecondary = "middle-deemed-secondary"
    /// A middle school whose GIAS sub-type is not known (phase inferred from a name saying "Middle").
    case middle
    case secondary
    case sixteenPlus = "16-plus"
    case allThrough = "all-through"
    case special
    case alternativeProvision = "alternative-provision"
    case notApplicable = "not-applicable"
    case unknown

    /// Parses GIAS's phase names ("Primary", "Middle deemed secondary", "16 plus", ...).
    public init?(gias text: String) {
        switch text.trimmingSpaces.lowercased() {
        case "nursery": self = .nursery
        case "primary": self = .primary
        case "middle deemed primary": self = .middleDeemedPrimary
        case "middle deemed secondary": self = .middleDeemedSecondary
        case "secondary": self = .secondary
        case "16 plus": self = .sixteenPlus
        case "all-through", "all through": self = .allThrough
        case "not applicable": self = .notApplicable
        default: return nil
        }
    }

    /// Parses the heuristic `phase_from_name` column of the GIAS-derived school lists ("Primary (name)", "Unknown").
    public init?(fromNameHeuristic text: String) {
        let t = text.trimmingSpaces.lowercased()
        let stem = t.hasSuffix("(name)") ? String(t.dropLast("(name)".count)).trimmingSpaces : t
        switch stem {
        case "unknown", "": self = .unknown
        case "nursery": self = .nursery
        case "primary": self = .primary
        case "middle": self = .middle
        case "secondary": self = .secondary
        case "all-through", "all through": self = .allThrough
        case "special": self = .special
        case "alternative provision": self = .alternativeProvision
        case "16 plus", "sixth form": self = .sixteenPlus
        default: return nil
        }
    }

    public var label: String {
        switch self {
        case .nursery: "Nursery"
        case .primary: "Primary"
        case .middleDeemedPrimary: "Middle deemed primary"
        case .middleDeemedSecondary: "Middle deemed secondary"
        case .middle: "Middle"
        case .secondary: "Secondary"
        case .sixteenPlus: "16 plus"
        case .allThrough: "All-through"
        case .special: "Special"
        case .alternativeProvision: "Alternative provision"
        case .notApplicable: "Not applicable"
        case .unknown: "Unknown"
        }
    }
}

/// Where a school's phase came from.
public enum PhaseSource: String, Codable, Sendable {
    /// GIAS's `PhaseOfEducation`.
    case gias
    /// Guessed from words in the school's name: not official.
    case name
}

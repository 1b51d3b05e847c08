/// Kinds of school broad enough to contrast placements by, grouped from GIAS `TypeOfEstablishment (name)`.
public enum SchoolTypeGroup: String, Sendable, Codable, CaseIterable {
    /// Academies, free schools, studio schools, UTCs and city technology colleges.
    case academy
    /// Community, foundation and voluntary schools and nursery schools run by the local authority.
    case maintained
    /// Special schools and alternative provision, whoever runs them.
    case special

    public var label: String {
        switch self {
        case .academy: "Academy or free school"
        case .maintained: "Maintained school"
        case .special: "Special school or alternative provision"
        }
    }

    /// Nil when the type is not given (the bundled regional list has none; a full GIAS import does) or is not a
    /// kind of school this grouping knows.
    public init?(establishmentType: String?) {
        guard let type = establishmentType?.lowercased(), !type.isEmpty else { return nil }
        if type.contains("special") || type.contains("pupil referral") || type.contains("alternative provision") {
            self = .special
        } else if type.contains("academy") || type.contains("free school") || type.contains("studio school")
            || type.contains("university technical") || type.contains("city technology")
        {
            self = .academy
        } else if type.contains("community") || type.contains("voluntary") || type.contains("foundation")
            || type.contains("nursery")
        {
            self = .maintained
        } else {
            return nil
        }
    }
}

/// What the partners have agreed coordinators may see of individual people.
public enum DataSharing: String, Codable, Sendable, CaseIterable {
    /// Coordinators see counts and rates across the region, never an individual's record.
    case aggregatesOnly = "aggregates-only"
    /// Coordinators may open any individual record held by the partnership (each read is audited).
    case individualRecords = "individual-records"

    public var label: String {
        switch self {
        case .aggregatesOnly: "Aggregates only"
        case .individualRecords: "Individual records"
        }
    }

    public var explanation: String {
        switch self {
        case .aggregatesOnly:
            "Coordinators see region-wide counts. Only a person's own provider or school sees their record."
        case .individualRecords:
            "Coordinators may open any person's record. Every read is recorded in the audit log."
        }
    }
}

import Foundation

/// How a trainee is training.
public enum TrainingRoute: String, Codable, Sendable, CaseIterable {
    case postgraduateFeeFunded = "postgraduate-fee-funded"
    case postgraduateSalaried = "postgraduate-salaried"
    case teacherDegreeApprenticeship = "teacher-degree-apprenticeship"
    case undergraduate
    case assessmentOnly = "assessment-only"

    public var label: String {
        switch self {
        case .postgraduateFeeFunded: "Postgraduate (fee-funded)"
        case .postgraduateSalaried: "Postgraduate (salaried)"
        case .teacherDegreeApprenticeship: "Teacher degree apprenticeship"
        case .undergraduate: "Undergraduate with QTS"
        case .assessmentOnly: "Assessment only"
        }
    }
}

/// Primary or secondary, for placements.
public enum PlacementPhase: String, Codable, Sendable, CaseIterable {
    case primary, secondary
    public var label: String { rawValue.capitalized }
}

/// A provider's trainee for one academic year, as the placement allocation needs them.
public struct Trainee: Hashable, Codable, Sendable, Identifiable {
    public var id: UUID
    public var provider: OrganisationID
    public var year: AcademicYear
    public var name: String
    public var subject: PlacementSubject
    public var phase: PlacementPhase
    public var route: TrainingRoute
    /// 1 for the first placement, 2 for the second.
    public var placement: Int
    /// For a second placement: where the first one was (the second must be elsewhere).
    public var firstPlacementURN: URN?
    public var homePostcode: Postcode
    /// Where the home postcode is (British National Grid), from the postcode directory.
    public var home: GridPoint
    public var maximumTravelKm: Int
    public var noCar: Bool
    public var sendInterest: Bool
    /// Schools the trainee would like, most wanted first (at most three).
    public var preferences: [URN]

    public init(
        id: UUID = UUID(), provider: OrganisationID, year: AcademicYear, name: String, subject: PlacementSubject,
        phase: PlacementPhase, route: TrainingRoute, placement: Int, firstPlacementURN: URN?, homePostcode: Postcode,
        home: GridPoint, maximumTravelKm: Int, noCar: Bool, sendInterest: Bool, preferences: [URN]
    ) {
        self.id = id
        self.provider = provider
        self.year = year
        self.name = name
        self.subject = subject
        self.phase = phase
        self.route = route
        self.placement = placement
        self.firstPlacementURN = firstPlacementURN
        self.homePostcode = homePostcode
        self.home = home
        self.maximumTravelKm = maximumTravelKm
        self.noCar = noCar
        self.sendInterest = sendInterest
        self.preferences = preferences
    }

    /// Without a car a trainee relies on public transport: their limit is at most this many kilometres.
    public static let noCarLimitKm = 15

    /// The straight-line distance the allocation may send them, in metres.
    public var travelLimitMetres: Int {
        1000 * (noCar ? min(maximumTravelKm, Self.noCarLimitKm) : maximumTravelKm)
    }
}

/// A trainee as typed on the form or read from a row of the upload, before the home postcode is placed.
public struct TraineeEntry: Hashable, Sendable {
    public var line: Int?
    public var name: String
    public var subject: PlacementSubject
    public var phase: PlacementPhase
    public var route: TrainingRoute
    public var placement: Int
    public var firstPlacementURN: URN?
    public var homePostcode: Postcode
    public var maximumTravelKm: Int
    public var noCar: Bool
    public var sendInterest: Bool
    public var preferences: [URN]
    /// The provider's recruited application choice (Apply's reference) this trainee comes from, when the upload
    /// gives one: the trainee is then linked to it and entered in the teacher register.
    public var applicationChoice: String? = nil

    /// An optional column of the upload: the recruited application choice each trainee comes from.
    public static let applicationChoiceColumn = "application_choice"

    /// The columns of the upload, in order; the form's fields have the same names.
    public static let columns = [
        "name", "subject", "phase", "route", "placement", "first_placement_urn", "home_postcode", "max_travel_km",
        "no_car", "send_interest", "preferences",
    ]

    /// Reads one trainee from named values; every problem names its field.
    public static func parse(_ value: (String) -> String, line: Int?) -> Result<TraineeEntry, ValidationError> {
        var problems: [ValidationError.Problem] = []
        func problem(_ field: String, _ message: String) { problems.append(.init(field: field, message: message)) }
        let name = value("name").trimmingSpaces
        if name.isEmpty { problem("name", "Enter the trainee's name") }
        if name.count > 200 { problem("name", "Name must be 200 characters or fewer") }
        let subject = PlacementSubject(key: value("subject").trimmingSpaces)
        if subject == nil {
            problem("subject", "Subject must be one of \(PlacementSubject.allCases.map(\.key).joined(separator: ", "))")
        }
        let phase = PlacementPhase(rawValue: value("phase").trimmingSpaces.lowercased())
        if phase == nil { problem("phase", "Phase must be primary or secondary") }
        if let subject, let phase, (subject == .primary) != (phase == .primary) {
            problem(
                "phase",
                subject == .primary
                    ? "Primary trainees train in the primary phase" : "\(subject.label) is a secondary subject")
        }
        let route = TrainingRoute(rawValue: value("route").trimmingSpaces.lowercased())
        if route == nil {
            problem("route", "Route must be one of \(TrainingRoute.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let placement = Int(value("placement").trimmingSpaces)
        if placement != 1 && placement != 2 { problem("placement", "Placement must be 1 (first) or 2 (second)") }
        let firstText = value("first_placement_urn").trimmingSpaces
        let first = firstText.isEmpty ? nil : Self.school(firstText)
        if !firstText.isEmpty && first == nil {
            problem(
                "first_placement_urn",
                "First placement school must be chosen from the list of schools, or given by its URN, like 141308")
        }
        if placement == 2 && first == nil && firstText.isEmpty {
            problem("first_placement_urn", "A second placement needs the URN of the first placement's school")
        }
        let postcode = Postcode(value("home_postcode"))
        if postcode == nil { problem("home_postcode", "Enter a real postcode, like ME1 1AA") }
        let km = Int(value("max_travel_km").trimmingSpaces)
        if km == nil || !(1...100).contains(km!) { problem("max_travel_km", "Maximum travel must be 1 to 100 km") }
        func flag(_ field: String) -> Bool {
            switch value(field).trimmingSpaces.lowercased() {
            case "", "false", "no", "n", "0": return false
            case "true", "yes", "y", "1": return true
            default:
                problem(field, "\(field.replacingOccurrences(of: "_", with: " ").capitalized) must be yes or no")
                return false
            }
        }
        let noCar = flag("no_car")
        let send = flag("send_interest")
        var preferences: [URN] = []
        for part in value("preferences").split(separator: ";").map({ $0.trimmingSpaces }) where !part.isEmpty {
            if let urn = Self.school(part) {
                preferences.append(urn)
            } else if part.split(separator: " ").allSatisfy({ URN(String($0)) != nil }) {
                preferences += part.split(separator: " ").compactMap { URN(String($0)) }
            } else {
                problem(
                    "preferences",
                    "Preferred schools must be chosen from the list of schools or given by URN, separated by semicolons; '\(BoundedInput.quote(part))' is not one"
                )
            }
        }
        if preferences.count > 3 { problem("preferences", "Give at most three preferred schools") }
        if let first, preferences.contains(first) {
            problem("preferences", "A second placement cannot prefer the first placement's school")
        }
        let choice = value(applicationChoiceColumn).trimmingSpaces
        if choice.count > 100 || BoundedInput.hasControlCharacters(choice) {
            problem(
                applicationChoiceColumn,
                "Application choice must be Apply's reference for the choice (up to 100 characters); got \(BoundedInput.quote(choice))"
            )
        }
        guard problems.isEmpty, let subject, let phase, let route, let placement, let postcode, let km else {
            return .failure(ValidationError(problems))
        }
        return .success(
            TraineeEntry(
                line: line, name: name, subject: subject, phase: phase, route: route, placement: placement,
                firstPlacementURN: placement == 2 ? first : nil, homePostcode: postcode, maximumTravelKm: km,
                noCar: noCar, sendInterest: send, preferences: preferences,
                applicationChoice: choice.isEmpty ? nil : choice))
    }

    /// A school as the form names it: its URN ("141308"), or its name followed by its URN in brackets, as the
    /// list of schools offers it ("Adisham Church of England Primary School (141308)").
    public static func school(_ text: String) -> URN? {
        let text = text.trimmingSpaces
        if let urn = URN(text) { return urn }
        guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return nil }
        return URN(String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
    }

    /// How the form shows a school, so that `school(_:)` reads it back.
    public static func schoolChoice(name: String, urn: URN) -> String { "\(name) (\(urn.value))" }

    /// Reads an upload: every row must be good, or the problems of all bad rows are returned by line and field.
    public static func readFile(_ bytes: [UInt8], file: String) throws(ImportFileError) -> [TraineeEntry] {
        let table = try CSVTable(bytes: bytes, file: file, encoding: nil)
        let missing = columns.filter { !table.header.contains($0) }
        if !missing.isEmpty {
            throw ImportFileError(
                file: file,
                problems: [
                    .init(
                        line: 1,
                        message:
                            "missing columns: \(missing.joined(separator: ", ")); the header must be \(columns.joined(separator: ","))"
                    )
                ])
        }
        if table.rows.isEmpty { throw ImportFileError(file: file, problems: [.init(message: "has no trainees")]) }
        var entries: [TraineeEntry] = []
        var problems: [ImportFileError.Problem] = []
        for row in table.rows {
            switch parse({ row[$0] }, line: row.line) {
            case .success(let entry): entries.append(entry)
            case .failure(let error):
                problems += error.problems.map { .init(line: row.line, field: $0.field, message: $0.message) }
            }
        }
        guard problems.isEmpty else { throw ImportFileError(file: file, problems: problems) }
        return entries
    }
}

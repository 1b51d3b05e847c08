/// What a user asks of the schools list: search text, filters and a page.
public struct SchoolQuery: Hashable, Sendable {
    /// Matches a URN exactly, a postcode from its start, or words in the school's name.
    public var search: String?
    /// Local authority, by GSS code (`E10000016`) or DfE number (`886`).
    public var localAuthority: String?
    /// Local authority district, by ONS code.
    public var district: String?
    public var phase: Phase?
    public var ittLeadSchool: Bool?
    /// Which statuses to include; `open` (the default) means open, or open but proposed to close.
    public var status: StatusFilter
    public var page: Int
    public var perPage: Int

    public enum StatusFilter: String, Sendable, CaseIterable {
        case open, closed, all
    }

    public static let maximumPerPage = 200
    public static let defaultPerPage = 25
    /// The last page anyone can ask for; bounds the offset so it cannot overflow.
    public static let maximumPage = 10_000

    public init(
        search: String? = nil, localAuthority: String? = nil, district: String? = nil, phase: Phase? = nil,
        ittLeadSchool: Bool? = nil, status: StatusFilter = .open, page: Int = 1, perPage: Int = defaultPerPage
    ) {
        self.search = search.flatMap { $0.trimmingSpaces.isEmpty ? nil : $0.trimmingSpaces }
        self.localAuthority = localAuthority.flatMap {
            $0.trimmingSpaces.isEmpty ? nil : $0.trimmingSpaces.uppercased()
        }
        self.district = district.flatMap { $0.trimmingSpaces.isEmpty ? nil : $0.trimmingSpaces.uppercased() }
        self.phase = phase
        self.ittLeadSchool = ittLeadSchool
        self.status = status
        self.page = page
        self.perPage = perPage
    }

    /// Checks the page numbers, naming each bad field.
    public func validated() throws(ValidationError) -> SchoolQuery {
        var problems: [ValidationError.Problem] = []
        if !(1...Self.maximumPage).contains(page) {
            problems.append(.init(field: "page", message: "must be a whole number from 1 to \(Self.maximumPage)"))
        }
        if !(1...Self.maximumPerPage).contains(perPage) {
            problems.append(.init(field: "per_page", message: "must be between 1 and \(Self.maximumPerPage)"))
        }
        // Counted in Unicode code points, as the OpenAPI document's maxLength is (JSON Schema's rule): counting
        // characters let 200 letters carrying combining marks through (found by schemathesis).
        if let search, search.unicodeScalars.count > 200 {
            problems.append(.init(field: "q", message: "must be at most 200 characters"))
        }
        guard problems.isEmpty else { throw ValidationError(problems) }
        return self
    }

    public var offset: Int { (page - 1) * perPage }

    /// How the search text should be matched, decided once here so every store does the same.
    public var searchKind: SearchKind? {
        guard let search else { return nil }
        if let urn = URN(search), search.allSatisfy(\.isNumber) { return .urn(urn) }
        if let postcode = Postcode(search) { return .postcode(postcode.value) }
        let upper = search.uppercased()
        // An outward code alone ("ME1", "TN34") or a postcode sector ("ME1 1").
        if upper.count <= 6, upper.first?.isLetter == true, upper.contains(where: \.isNumber),
            upper.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " ") })
        {
            return .postcodePrefix(upper, name: search)
        }
        return .name(search)
    }

    public enum SearchKind: Hashable, Sendable {
        case urn(URN)
        case postcode(String)
        /// Could be the start of a postcode or part of a name: match either.
        case postcodePrefix(String, name: String)
        case name(String)
    }
}

/// One page of results with the total across all pages.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var perPage: Int

    public init(items: [Item], total: Int, page: Int, perPage: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.perPage = perPage
    }

    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
}

extension Page: Equatable where Item: Equatable {}

/// Input that failed validation, naming every field at fault.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Problem: Hashable, Sendable {
        public let field: String
        public let message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public let problems: [Problem]

    public init(_ problems: [Problem]) { self.problems = problems }

    public var description: String { problems.map { "\($0.field) \($0.message)" }.joined(separator: "; ") }
}

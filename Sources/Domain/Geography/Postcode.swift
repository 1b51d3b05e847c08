/// A UK postcode, normalised to upper case with a single space before the inward code ("ME1 1AA").
public struct Postcode: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The postcode as written on an address: outward code, one space, inward code.
    public let value: String

    /// Normalises and validates a postcode. Returns nil for text that cannot be a UK postcode.
    public init?(_ text: String) {
        let compact = text.uppercased().filter { !$0.isWhitespace }
        guard (5...7).contains(compact.count), compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        let inward = compact.suffix(3)
        let outward = compact.dropLast(3)
        // Inward code: digit, letter, letter. Outward code: starts with a letter, contains a digit.
        let i = Array(inward)
        guard i[0].isNumber, i[1].isLetter, i[2].isLetter,
            let first = outward.first, first.isLetter, outward.contains(where: \.isNumber)
        else { return nil }
        value = "\(outward) \(inward)"
    }

    /// The postcode without spaces, the key used to join to the ONS directory.
    public var compact: String { value.filter { $0 != " " } }

    public var description: String { value }
}

/// Where a postcode is: its centroid on the grid and its local authority district.
public struct PostcodeLocation: Hashable, Codable, Sendable {
    public let postcode: Postcode
    public let point: GridPoint
    public let districtCode: String

    public init(postcode: Postcode, point: GridPoint, districtCode: String) {
        self.postcode = postcode
        self.point = point
        self.districtCode = districtCode
    }
}

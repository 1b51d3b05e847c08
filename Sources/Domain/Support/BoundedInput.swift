/// Numbers and text from outside (query strings, forms, files, JSON) become bounded values here, at the edge, so
/// no arithmetic ever runs on an unchecked number and no error message repeats a huge or hostile value.
public enum BoundedInput {
    /// The most characters of an offending value an error message quotes.
    public static let quoteLimit = 80

    /// The value as an error message shows it: in single quotes, at most `quoteLimit` characters (then "..." and
    /// how long it was), with control characters shown as `?` so a message cannot forge lines or terminal codes.
    public static func quote(_ text: some StringProtocol) -> String {
        var shown = ""
        var count = 0
        for c in text {
            count += 1
            if count <= quoteLimit {
                shown.append(c.unicodeScalars.contains(where: isControl) ? "?" : c)
            }
        }
        return count <= quoteLimit ? "'\(shown)'" : "'\(shown)...' (\(count) characters)"
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
    }

    /// Whether the text holds a control character (line breaks, tabs, NUL, escape...).
    public static func hasControlCharacters(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains(where: isControl)
    }

    /// Whether text from a multi-line field holds a control character other than its line breaks (LF, CRLF).
    public static func hasControlCharactersBesideLineBreaks(_ text: some StringProtocol) -> Bool {
        hasControlCharacters(
            String(text).replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " "))
    }

    /// A whole number written in plain decimal digits with an optional leading minus, within `range`; nil for
    /// anything else (signs twice, spaces, hex, exponents, overflow, more than 20 characters).
    public static func wholeNumber(_ text: some StringProtocol, in range: ClosedRange<Int>) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 20 else { return nil }
        var digits = Substring(text)
        if digits.first == "-" { digits.removeFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        guard let n = Int(text), range.contains(n) else { return nil }
        return n
    }

    /// A decimal number (`12`, `-3.5`, `.5`, `2.5e3`), finite and within `range`; nil for anything else: NaN,
    /// infinities, hex floats (`0x1p10`), words, more than 40 characters.
    public static func decimal(_ text: some StringProtocol, in range: ClosedRange<Double>) -> Double? {
        guard !text.isEmpty, text.utf8.count <= 40 else { return nil }
        let allowed: Set<UInt8> = Set("0123456789+-.eE".utf8)
        guard text.utf8.allSatisfy({ allowed.contains($0) }), text.utf8.contains(where: { (0x30...0x39).contains($0) })
        else { return nil }
        guard let v = Double(String(text)), v.isFinite, range.contains(v) else { return nil }
        return v == 0 ? 0 : v  // -0 is 0
    }

    /// The text when it has at most `limit` characters.
    public static func text(_ text: String, maximumLength limit: Int) -> String? {
        text.count <= limit ? text : nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space.
    public var trimmingSpaces: String {
        // Most fields begin and end with a printable ASCII character: nothing to trim, and no need to look at
        // Unicode properties (this runs on every field of every imported row).
        let bytes = utf8
        if let first = bytes.first, (0x21...0x7E).contains(first),
            (0x21...0x7E).contains(bytes[bytes.index(bytes.endIndex, offsetBy: -1)])
        {
            return String(self)
        }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

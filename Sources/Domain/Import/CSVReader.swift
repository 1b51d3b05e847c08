/// Character encodings that the importers read.
public enum TextEncoding: String, Sendable {
    case utf8 = "UTF-8"
    /// Windows code page 1252, the encoding of GIAS downloads.
    case windows1252 = "Windows-1252"
}

/// A problem that makes a CSV file unreadable as a whole.
public enum CSVError: Error, Hashable, Sendable {
    case empty
    case utf16
    case binary(line: Int)
    case unterminatedQuote(line: Int)
    case invalidEncoding(line: Int, encoding: TextEncoding)

    public var message: String {
        switch self {
        case .empty:
            "the file is empty"
        case .utf16:
            "the file is encoded as UTF-16; save it as CSV (UTF-8 or Windows-1252) and try again"
        case .binary(let line):
            "line \(line) holds a NUL byte: this is not a text CSV file (is it a spreadsheet or a compressed file?)"
        case .unterminatedQuote(let line):
            "a quoted field that starts on line \(line) is never closed"
        case .invalidEncoding(let line, let encoding):
            "line \(line) is not valid \(encoding.rawValue) text; save the file as CSV UTF-8 and try again"
        }
    }

    public var line: Int? {
        switch self {
        case .empty, .utf16: nil
        case .binary(let l), .unterminatedQuote(let l), .invalidEncoding(let l, _): l
        }
    }
}

/// An RFC 4180 CSV reader over bytes: quoted fields, doubled quotes, CR LF, LF or CR line ends, line breaks inside
/// quotes. Each record is reported with the line on which it starts, so errors can name it.
public enum CSVReader {
    /// Checks what no encoding can read: UTF-16 and binary content. Returns the bytes after any UTF-8 byte-order mark.
    public static func textBytes(_ bytes: [UInt8]) throws(CSVError) -> ArraySlice<UInt8> {
        guard !bytes.isEmpty else { throw .empty }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw .utf16
        }
        if let nul = bytes.firstIndex(of: 0) {
            // Every other byte NUL at the start is UTF-16 without a byte-order mark.
            if bytes.count >= 4, bytes[1] == 0 || bytes[0] == 0, bytes[3] == 0 || bytes[2] == 0 { throw .utf16 }
            throw .binary(line: 1 + bytes[..<nul].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return bytes[3...] }
        return bytes[...]
    }

    /// Whether the bytes are valid UTF-8 throughout.
    public static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        // Fast path: ASCII only.
        if !bytes.contains(where: { $0 >= 0x80 }) { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    /// Reads every record, calling `visit` with the line on which the record starts and its fields.
    /// A blank line is skipped. Stops at the first error `visit` throws.
    public static func read<E: Error>(
        _ bytes: ArraySlice<UInt8>, encoding: TextEncoding,
        visit: (_ line: Int, _ fields: [String]) throws(E) -> Void
    ) throws(CSVReadError<E>) {
        var fields: [String] = []
        fields.reserveCapacity(32)
        var field: [UInt8] = []
        field.reserveCapacity(256)
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedFieldStart = 0
        var i = bytes.startIndex
        let end = bytes.endIndex
        var recordHasContent = false

        func decode(_ bytes: [UInt8], line: Int) throws(CSVError) -> String {
            switch encoding {
            case .utf8:
                guard let s = String(validating: bytes, as: UTF8.self) else {
                    throw .invalidEncoding(line: line, encoding: .utf8)
                }
                return s
            case .windows1252:
                guard let s = Windows1252.decode(bytes) else {
                    throw .invalidEncoding(line: line, encoding: .windows1252)
                }
                return s
            }
        }

        func endRecord() throws(CSVReadError<E>) {
            do {
                fields.append(try decode(field, line: recordLine))
            } catch {
                throw .csv(error)
            }
            field.removeAll(keepingCapacity: true)
            if recordHasContent || fields.count > 1 || !(fields.first?.isEmpty ?? true) {
                do {
                    try visit(recordLine, fields)
                } catch {
                    throw .visitor(error)
                }
            }
            fields.removeAll(keepingCapacity: true)
            recordHasContent = false
        }

        while i < end {
            let b = bytes[i]
            if inQuotes {
                if b == 0x22 {
                    let next = i + 1
                    if next < end, bytes[next] == 0x22 {
                        field.append(0x22)
                        i = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
            } else {
                switch b {
                case 0x2C:  // ,
                    do {
                        fields.append(try decode(field, line: recordLine))
                    } catch {
                        throw .csv(error)
                    }
                    field.removeAll(keepingCapacity: true)
                    recordHasContent = true
                case 0x22 where field.isEmpty:
                    inQuotes = true
                    quotedFieldStart = line
                    recordHasContent = true
                case 0x0D:
                    // CR LF ends a line at the LF; a CR alone (old Mac line ends) ends one here.
                    if i + 1 < end, bytes[i + 1] == 0x0A { break }
                    try endRecord()
                    line += 1
                    recordLine = line
                case 0x0A:
                    try endRecord()
                    line += 1
                    recordLine = line
                default:
                    field.append(b)
                }
            }
            i += 1
        }
        if inQuotes { throw .csv(.unterminatedQuote(line: quotedFieldStart)) }
        if !field.isEmpty || !fields.isEmpty || recordHasContent { try endRecord() }
    }
}

/// An error while reading: either the CSV itself or what the caller's visitor threw.
public enum CSVReadError<E: Error>: Error {
    case csv(CSVError)
    case visitor(E)
}

/// Windows code page 1252.
public enum Windows1252 {
    // 0x80...0x9F; nil where the code page defines no character.
    static let high: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    /// Decodes Windows-1252 bytes; nil when a byte has no character in the code page.
    public static func decode(_ bytes: [UInt8]) -> String? {
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for b in bytes {
            if b < 0x80 || b >= 0xA0 {
                scalars.append(Unicode.Scalar(b))
            } else if let s = high[Int(b) - 0x80] {
                scalars.append(s)
            } else {
                return nil
            }
        }
        return String(scalars)
    }

    /// Encodes text as Windows-1252; nil when a character has no byte in the code page.
    public static func encode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        for s in text.unicodeScalars {
            if s.value < 0x80 || (0xA0...0xFF).contains(s.value) {
                out.append(UInt8(s.value))
            } else if let i = high.firstIndex(where: { $0 == s }) {
                out.append(UInt8(0x80 + i))
            } else {
                return nil
            }
        }
        return out
    }
}

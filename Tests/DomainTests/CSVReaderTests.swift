import Testing

@testable import Domain

@Suite("CSV reading")
struct CSVReaderTests {
    func records(_ text: String, encoding: TextEncoding = .utf8) throws -> [(Int, [String])] {
        var out: [(Int, [String])] = []
        try CSVReader.read(CSVReader.textBytes(Array(text.utf8)), encoding: encoding) { (line, fields) throws(Never) in
            out.append((line, fields))
        }
        return out
    }

    @Test("Quoted fields, doubled quotes, CR LF and line breaks inside quotes, with the line each record starts on")
    func rfc4180() throws {
        let rows = try records("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\nlast,,\n")
        #expect(rows.map(\.0) == [1, 2, 5])
        #expect(rows[1].1 == ["x, y", "say \"hi\"", "two\nlines"])
        #expect(rows[2].1 == ["last", "", ""])
    }

    @Test("A final record without a line break is read")
    func noFinalNewline() throws {
        #expect(try records("a,b\n1,2").last?.1 == ["1", "2"])
    }

    @Test("An unterminated quote names the line it opens on")
    func unterminated() {
        #expect(throws: CSVReadError<Never>.self) { try records("a,b\n1,\"open\n2,3\n") }
        do {
            _ = try records("a,b\n1,\"open\n2,3\n")
        } catch let e as CSVReadError<Never> {
            guard case .csv(let error) = e else { Issue.record("wrong error"); return }
            #expect(error == .unterminatedQuote(line: 2))
            #expect(error.message == "a quoted field that starts on line 2 is never closed")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("UTF-16 and binary files are told apart from text")
    func notText() {
        #expect(throws: CSVError.utf16) { try CSVReader.textBytes([0xFF, 0xFE, 0x61, 0x00]) }
        #expect(throws: CSVError.utf16) { try CSVReader.textBytes([0x61, 0x00, 0x62, 0x00]) }
        #expect(throws: CSVError.binary(line: 2)) {
            try CSVReader.textBytes(Array("ab\ncd".utf8) + [0, 0x41, 0x42, 0x43])
        }
        #expect(throws: CSVError.empty) { try CSVReader.textBytes([]) }
    }

    @Test("Windows-1252 decodes its own characters and refuses undefined bytes")
    func windows1252() {
        #expect(Windows1252.decode([0x43, 0x61, 0x66, 0xE9, 0x20, 0x80, 0x92]) == "Café €’")
        #expect(Windows1252.decode([0x41, 0x81]) == nil)
        #expect(Windows1252.encode("Café €’") == [0x43, 0x61, 0x66, 0xE9, 0x20, 0x80, 0x92])
    }

    @Test("Invalid UTF-8 names the line")
    func invalidUTF8() {
        do {
            _ = try records("a\nok\nbad \u{00E9}\n".replacingOccurrences(of: "é", with: "é"))
            var bytes = Array("a\nok\nbad ".utf8)
            bytes.append(0xE9)
            try CSVReader.read(bytes[...], encoding: .utf8) { (_, _) throws(Never) in }
            Issue.record("should have failed")
        } catch let e as CSVReadError<Never> {
            guard case .csv(let error) = e else { Issue.record("wrong error"); return }
            #expect(error == .invalidEncoding(line: 3, encoding: .utf8))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite("Trimming spaces")
struct TrimmingTests {
    @Test("Leading and trailing white space of any kind goes; inner spaces and other characters stay")
    func trimming() {
        #expect("Canterbury".trimmingSpaces == "Canterbury")
        #expect("  St Mary's CE  ".trimmingSpaces == "St Mary's CE")
        #expect("\tME1 1AA\r\n".trimmingSpaces == "ME1 1AA")
        #expect("\u{00A0}Ysgol Gymraeg\u{2003}".trimmingSpaces == "Ysgol Gymraeg")
        #expect("Café".trimmingSpaces == "Café")
        #expect("".trimmingSpaces == "" && "   ".trimmingSpaces == "")
        #expect("a".trimmingSpaces == "a" && Substring(" b ").trimmingSpaces == "b")
    }
}

@Suite("School search length")
struct SchoolSearchLengthTests {
    @Test("The search is limited to 200 code points, as the OpenAPI document's maxLength counts them")
    func codePoints() throws {
        // 100 letters each with a combining mark: 100 characters, 200 code points, allowed; one more is refused.
        let marked = String(repeating: "e\u{0301}", count: 100)
        #expect(marked.count == 100 && marked.unicodeScalars.count == 200)
        #expect(throws: Never.self) { try SchoolQuery(search: marked).validated() }
        #expect(throws: ValidationError.self) { try SchoolQuery(search: marked + "a").validated() }
    }
}

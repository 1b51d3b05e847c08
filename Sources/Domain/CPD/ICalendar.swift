import Foundation

/// An iCalendar (RFC 5545) file of events, for calendar apps: CRLF line ends, text escaped, lines folded at 75
/// octets, times in UTC.
public enum ICalendar {
    public struct Event: Sendable, Hashable {
        public var uid: String
        public var summary: String
        public var start: Date
        public var end: Date
        public var location: String?
        public var description: String?

        public init(uid: String, summary: String, start: Date, end: Date, location: String?, description: String?) {
            self.uid = uid
            self.summary = summary
            self.start = start
            self.end = end
            self.location = location
            self.description = description
        }
    }

    /// The instant a UK wall-clock time on a day happens.
    public static func ukInstant(_ day: Day, minutes: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        let components = DateComponents(
            year: day.year, month: day.month, day: day.day, hour: minutes / 60, minute: minutes % 60)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }

    static func stamp(_ d: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
    }

    /// Escapes text values: backslash, semicolon, comma and new lines.
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default: out.append(ch)
            }
        }
        return out
    }

    /// Folds a content line to at most 75 octets per physical line, never splitting a UTF-8 character.
    public static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        for ch in line {
            let n = String(ch).utf8.count
            if octets + n > 75 {
                out += "\r\n "
                octets = 1
            }
            out.append(ch)
            octets += n
        }
        return out
    }

    public static func calendar(name: String, events: [Event], now: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Chalkface//CPD catalogue//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:\(escape(name))",
        ]
        for e in events {
            lines += [
                "BEGIN:VEVENT", "UID:\(escape(e.uid))", "DTSTAMP:\(stamp(now))", "DTSTART:\(stamp(e.start))",
                "DTEND:\(stamp(e.end))", "SUMMARY:\(escape(e.summary))",
            ]
            if let l = e.location { lines.append("LOCATION:\(escape(l))") }
            if let d = e.description { lines.append("DESCRIPTION:\(escape(d))") }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }
}

/// Escaping for text placed into HTML or SVG by hand. Plot escapes text nodes but writes attribute values as
/// given, so every attribute value that can hold data or user input goes through `attribute(_:)`.
public enum Escape {
    /// Escapes `&`, `<`, `>`, `"` and `'` for use in element content or a quoted attribute value.
    public static func attribute(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}

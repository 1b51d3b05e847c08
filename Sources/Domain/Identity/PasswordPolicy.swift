/// The rules a new password must meet: at least 12 characters, not a common password (nor one with a few digits
/// or symbols added, or letters swapped for look-alike digits), not the person's own name or email.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 12
    public static let maximumLength = 128

    let common: Set<String>

    /// - Parameter commonPasswords: lower-case common passwords, most frequent first or in any order.
    public init(commonPasswords: some Sequence<String>) {
        common = Set(commonPasswords.map { $0.lowercased() })
    }

    /// Problems with the password, in words a person can act on; empty when it is acceptable.
    public func problems(_ password: String, email: String = "", name: String = "") -> [String] {
        if password.count < Self.minimumLength {
            return ["Password must be \(Self.minimumLength) characters or more"]
        }
        if password.count > Self.maximumLength {
            return ["Password must be \(Self.maximumLength) characters or fewer"]
        }
        let lower = password.lowercased()
        if Set(lower).count < 4 {
            return ["Password must not repeat the same few characters"]
        }
        if isCommon(lower) {
            return ["Password is too common: it is on a list of passwords that attackers try first"]
        }
        let local = email.split(separator: "@").first.map { String($0).lowercased() } ?? ""
        let nameParts = name.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init).filter {
            $0.count >= 4
        }
        if (local.count >= 4 && lower.contains(local)) || nameParts.contains(where: { lower.contains($0) }) {
            return ["Password must not contain your name or email address"]
        }
        return []
    }

    func isCommon(_ lower: String) -> Bool {
        if common.contains(lower) { return true }
        // Strip what people add to a common word to pass a length rule (digits, symbols and spaces at either end),
        // and undo look-alike digits ("p4ssw0rd"), in either order.
        let notLetter: (Character) -> Bool = { !$0.isLetter }
        let trailing = String(lower.reversed().drop(while: notLetter).reversed())
        let leading = String(lower.drop(while: notLetter))
        let both = String(trailing.drop(while: notLetter))
        var candidates: [String] = []
        for s in [lower, trailing, leading, both] {
            candidates.append(s)
            let plain = Self.unleet(s)
            candidates.append(plain)
            candidates.append(String(plain.reversed().drop(while: notLetter).reversed().drop(while: notLetter)))
        }
        for candidate in candidates where candidate.count >= 4 {
            if common.contains(candidate) { return true }
            // The same common word twice or more ("passwordpassword").
            for unit in 4...max(4, candidate.count / 2) where candidate.count % unit == 0 {
                let piece = String(candidate.prefix(unit))
                if String(repeating: piece, count: candidate.count / unit) == candidate, common.contains(piece) {
                    return true
                }
            }
        }
        return false
    }

    static func unleet(_ s: String) -> String {
        String(
            s.map { c -> Character in
                switch c {
                case "0": "o"
                case "1", "!": "i"
                case "3": "e"
                case "4", "@": "a"
                case "5", "$": "s"
                case "7": "t"
                default: c
                }
            })
    }
}

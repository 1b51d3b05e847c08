/// The reverse proxies whose `X-Forwarded-For` header Chalkface believes, from `TRUSTED_PROXIES`: IPv4 or IPv6
/// addresses and IPv4 ranges in CIDR form (`10.0.0.0/8`), separated by commas. Without it the client is the
/// socket's peer, so a forwarded header cannot be used to dodge the sign-in limits or forge the audit log's address.
public struct TrustedProxies: Sendable, Hashable {
    struct Range: Sendable, Hashable {
        var base: UInt32
        var mask: UInt32
    }
    var exact: Set<String>
    var ranges: [Range]

    public static let none = TrustedProxies(exact: [], ranges: [])

    init(exact: Set<String>, ranges: [Range]) {
        self.exact = exact
        self.ranges = ranges
    }

    /// Parses the setting; the error names each entry that is not an address or an IPv4 range.
    public init(parsing text: String) throws(ValidationError) {
        var exact: Set<String> = []
        var ranges: [Range] = []
        var problems: [ValidationError.Problem] = []
        for raw in text.split(separator: ",") {
            let entry = raw.trimmingSpaces
            if entry.isEmpty { continue }
            if let slash = entry.firstIndex(of: "/") {
                let address = String(entry[..<slash])
                if let base = Self.ipv4(address), let bits = Int(entry[entry.index(after: slash)...]),
                    (0...32).contains(bits)
                {
                    let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
                    ranges.append(Range(base: base & mask, mask: mask))
                } else {
                    problems.append(
                        .init(
                            field: "TRUSTED_PROXIES",
                            message: "'\(entry)' is not an IPv4 range like 10.0.0.0/8"))
                }
            } else if Self.ipv4(entry) != nil || Self.looksLikeIPv6(entry) {
                exact.insert(entry.lowercased())
            } else {
                problems.append(.init(field: "TRUSTED_PROXIES", message: "'\(entry)' is not an IP address"))
            }
        }
        guard problems.isEmpty else { throw ValidationError(problems) }
        self.init(exact: exact, ranges: ranges)
    }

    public var isEmpty: Bool { exact.isEmpty && ranges.isEmpty }

    public func trusts(_ address: String) -> Bool {
        if exact.contains(address.lowercased()) { return true }
        guard let v4 = Self.ipv4(address) else { return false }
        return ranges.contains { v4 & $0.mask == $0.base }
    }

    /// The client's address: the socket's peer, unless the peer is a trusted proxy, in which case the rightmost
    /// address in `X-Forwarded-For` (all its headers in order) that is not itself a trusted proxy. Entries that
    /// are not addresses end the walk, leaving the last trusted hop.
    public func client(peer: String?, forwardedFor headers: [String]) -> String? {
        guard let peer, trusts(peer) else { return peer }
        let hops = headers.flatMap { $0.split(separator: ",").map(\.trimmingSpaces) }
        var client = peer
        for hop in hops.reversed() {
            guard Self.ipv4(hop) != nil || Self.looksLikeIPv6(hop) else { break }
            client = hop
            if !trusts(hop) { break }
        }
        return client
    }

    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let n = UInt32(part), n <= 255 else {
                return nil
            }
            value = value << 8 | n
        }
        return value
    }

    static func looksLikeIPv6(_ text: String) -> Bool {
        text.contains(":") && text.count <= 45
            && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}

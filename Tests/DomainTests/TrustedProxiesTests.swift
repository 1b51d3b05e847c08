import Testing

@testable import Domain

@Suite("Trusted proxies")
struct TrustedProxiesTests {
    @Test("Only a trusted peer's X-Forwarded-For is believed, and only back to the first untrusted hop")
    func client() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.0/8, 192.168.1.5, ::1")
        // Not from a proxy: the header is ignored, however it is spelled.
        #expect(proxies.client(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"]) == "203.0.113.9")
        // From a proxy: the rightmost hop that is not a proxy is the client; a forged leftmost entry is not used.
        #expect(
            proxies.client(peer: "10.1.2.3", forwardedFor: ["1.2.3.4, 198.51.100.7", "192.168.1.5"]) == "198.51.100.7")
        #expect(proxies.client(peer: "::1", forwardedFor: ["198.51.100.8"]) == "198.51.100.8")
        // A header that is not an address ends the walk at the last trusted hop.
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["<script>"]) == "10.1.2.3")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: []) == "10.1.2.3")
        #expect(proxies.trusts("10.255.0.1") && !proxies.trusts("11.0.0.1") && !proxies.trusts("192.168.1.6"))
        #expect(TrustedProxies.none.client(peer: "10.1.2.3", forwardedFor: ["1.1.1.1"]) == "10.1.2.3")
    }

    @Test("A bad setting names each bad entry")
    func parsing() {
        do {
            _ = try TrustedProxies(parsing: "10.0.0.0/33, proxy.example.org, 300.1.1.1, 127.0.0.1")
            Issue.record("accepted a bad setting")
        } catch {
            #expect(error.problems.count == 3)
            #expect(error.problems.map(\.message).contains("'proxy.example.org' is not an IP address"))
        }
        #expect((try? TrustedProxies(parsing: ""))?.isEmpty == true)
    }
}

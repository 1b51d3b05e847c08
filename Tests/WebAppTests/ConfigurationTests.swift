import Testing

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Configuration from the environment")
struct ConfigurationTests {
    @Test("Every bad setting is named in one message; good ones are read")
    func settings() throws {
        do {
            _ = try AppConfiguration.fromEnvironment([
                "PORT": "99999", "PUBLIC_URL": "ftp://x", "TRUSTED_PROXIES": "10.0.0.1, gateway",
            ])
            Issue.record("bad settings were accepted")
        } catch let error as ConfigurationError {
            #expect(error.message.contains("PORT must be a number from 1 to 65535; got '99999'"))
            #expect(error.message.contains("PUBLIC_URL must be an http:// or https:// address"))
            #expect(error.message.contains("TRUSTED_PROXIES: 'gateway' is not an IP address"))
        }
        let good = try AppConfiguration.fromEnvironment([
            "PORT": "8123", "PUBLIC_URL": "https://chalkface.example.org/", "TRUSTED_PROXIES": "172.16.0.0/12",
        ])
        #expect(good.port == 8123 && good.publicURL == "https://chalkface.example.org")
        #expect(good.trustedProxies.trusts("172.20.1.1") && !good.trustedProxies.trusts("172.32.0.1"))
        #expect(try AppConfiguration.fromEnvironment([:]).trustedProxies.isEmpty)
    }
}

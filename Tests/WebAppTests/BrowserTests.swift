import Foundation
import Testing
import Vapor

@testable import Domain
@testable import WebApp

/// Drives headless Chromium through chromedriver (W3C WebDriver over HTTP) against a real server on loopback.
/// `scripts/test` starts chromedriver and sets `CHROMEDRIVER_URL`.
@Suite(
    "In a browser", .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["CHROMEDRIVER_URL"] != nil, "CHROMEDRIVER_URL is not set"))
struct BrowserTests {
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    struct WebDriver {
        let client: any Client
        let base: URL
        let session: String

        static func start(_ client: any Client) async throws -> WebDriver {
            let base = URL(string: ProcessInfo.processInfo.environment["CHROMEDRIVER_URL"]!)!
            let binary = ProcessInfo.processInfo.environment["CHROMIUM_BINARY"] ?? "/usr/bin/chromium"
            let caps: [String: Any] = [
                "capabilities": [
                    "alwaysMatch": [
                        "browserName": "chrome",
                        "goog:chromeOptions": [
                            "binary": binary,
                            "args": [
                                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--window-size=1280,1600",
                            ],
                        ],
                    ]
                ]
            ]
            let value = try await call(client, base, "POST", "session", caps)
            guard let id = (value as? [String: Any])?["sessionId"] as? String else {
                throw Abort(.internalServerError, reason: "chromedriver gave no session: \(String(describing: value))")
            }
            return WebDriver(client: client, base: base, session: id)
        }

        @discardableResult
        static func call(
            _ client: any Client, _ base: URL, _ method: String, _ path: String, _ body: [String: Any]? = nil
        ) async throws -> Any? {
            let uri = URI(string: base.appendingPathComponent(path).absoluteString)
            var headers = HTTPHeaders()
            var buffer: ByteBuffer?
            if let body {
                buffer = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
                headers.contentType = .json
            }
            let response = try await client.send(HTTPMethod(rawValue: method), headers: headers, to: uri) { req in
                req.body = buffer
            }
            guard let data = response.body.map({ Data(buffer: $0) }) else { return nil }
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            if let value = json?["value"] as? [String: Any], let error = value["error"] as? String {
                throw Abort(.internalServerError, reason: "WebDriver \(path): \(error): \(value["message"] ?? "")")
            }
            return json?["value"]
        }

        @discardableResult
        func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
            try await Self.call(client, base, method, "session/\(session)/\(path)", body)
        }

        func open(_ url: String) async throws { try await call("POST", "url", ["url": url]) }
        func title() async throws -> String { try await call("GET", "title") as? String ?? "" }
        func currentURL() async throws -> String { try await call("GET", "url") as? String ?? "" }

        func find(_ css: String) async throws -> String {
            let value = try await call("POST", "element", ["using": "css selector", "value": css]) as? [String: Any]
            guard let id = value?[BrowserTests.elementKey] as? String else {
                throw Abort(.notFound, reason: "no element \(css)")
            }
            return id
        }

        func type(_ css: String, _ text: String) async throws {
            try await call("POST", "element/\(try await find(css))/value", ["text": text])
        }

        func click(_ css: String) async throws {
            try await call("POST", "element/\(try await find(css))/click", [:])
        }

        /// Clicks a submit button or link and waits until the browser has moved to a URL that satisfies
        /// `arrived`: chromedriver may answer the click before the new page has loaded.
        func follow(_ css: String, until arrived: (String) -> Bool) async throws -> String {
            try await click(css)
            for _ in 0..<100 {
                let url = try await currentURL()
                if arrived(url),
                    try await call("POST", "execute/sync", ["script": "return document.readyState", "args": []])
                        as? String == "complete"
                {
                    return url
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            return try await currentURL()
        }

        func text(_ css: String) async throws -> String {
            try await call("GET", "element/\(try await find(css))/text") as? String ?? ""
        }

        func screenshot(_ name: String) async throws {
            guard let base64 = try await call("GET", "screenshot") as? String, let data = Data(base64Encoded: base64)
            else { return }
            let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("screenshots")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: folder.appendingPathComponent("\(name).png"))
        }

        func quit() async { _ = try? await Self.call(client, base, "DELETE", "session/\(session)") }
    }

    /// Serves the application on a loopback port, opens a browser session, runs `body` with the driver and the
    /// server's address, and closes both whatever happens.
    func withBrowser(_ app: Application, _ body: (WebDriver, String) async throws -> Void) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            let port = try #require(app.http.server.shared.localAddress?.port)
            let driver = try await WebDriver.start(app.client)
            do {
                try await body(driver, "http://127.0.0.1:\(port)")
            } catch {
                await driver.quit()
                throw error
            }
            await driver.quit()
        } catch {
            await app.server.shutdown()
            throw error
        }
        await app.server.shutdown()
    }

    @Test("Load the schools list, search, open a school, go back through the breadcrumb")
    func searchAndOpen() async throws {
        try await withTestApp(seed: true) { app in
            try await withBrowser(app) { driver, base in
                try await driver.open("\(base)/schools")
                #expect(try await driver.title() == "Schools - Chalkface")
                #expect(try await driver.text("#result-count") == "Showing 1 to 25 of 1,739 schools")
                try await driver.screenshot("schools-list")

                try await driver.type("#q", "Adisham")
                let searched = try await driver.follow("button[type=submit]") { $0.contains("?") }
                #expect(searched.contains("q=Adisham"))
                #expect(try await driver.text("#result-count") == "Showing 1 to 1 of 1 schools")

                _ = try await driver.follow("a[href='/schools/141308']") { $0.hasSuffix("/schools/141308") }
                #expect(try await driver.title() == "Adisham Church of England Primary School - Chalkface")
                #expect(try await driver.text("h1") == "Adisham Church of England Primary School")
                try await driver.screenshot("school-page")

                _ = try await driver.follow(".app-breadcrumbs a[href='/schools']") { $0.hasSuffix("/schools") }
                #expect(try await driver.text("#result-count") == "Showing 1 to 25 of 1,739 schools")
            }
        }
    }

    @Test("Filters work without JavaScript: choose a local authority and ITT lead schools only")
    func filters() async throws {
        try await withTestApp(seed: true) { app in
            try await withBrowser(app) { driver, base in
                try await driver.open("\(base)/schools")
                try await driver.click("#la option[value='E06000035']")
                try await driver.click("#itt_lead_school")
                let url = try await driver.follow("button[type=submit]") { $0.contains("?") }
                #expect(url.contains("la=E06000035") && url.contains("itt_lead_school=true"))
                // "Any" phase and district submit empty values, which are ignored.
                #expect(url.contains("phase=&") || url.hasSuffix("phase="))
                #expect(try await driver.text("#result-count").hasPrefix("Showing 1 to"))
                try await driver.screenshot("schools-filtered")
            }
        }
    }

    @Test("Cold spots: change the neighbourhood and confidence, see the map and the ranked table")
    func coldSpots() async throws {
        try await withTestApp(seed: true) { app in
            try await withBrowser(app) { driver, base in
                try await driver.open("\(base)/coldspots")
                #expect(try await driver.title() == "Cold spots - Chalkface")
                try await driver.click("#neighbours option[value='knn']")
                try await driver.click("#confidence option[value='95']")
                let url = try await driver.follow("button[type=submit]") { $0.contains("?") }
                #expect(url.contains("neighbours=knn") && url.contains("confidence=95"))
                _ = try await driver.find("svg[aria-labelledby='coldspot-map-1-title coldspot-map-1-desc']")
                #expect(try await driver.text("main").contains("Most significant cold spots"))
                try await driver.screenshot("coldspots")
            }
        }
    }

    /// For each role: a page it may open, and one it may not.
    static let rolePages: [Role: (allowed: String, heading: String, refused: String)] = [
        .coordinator: ("/audit", "Audit log", "/people/{other}"),
        .providerStaff: ("/people", "People", "/accounts"),
        .schoolStaff: ("/people", "People", "/audit"),
        .mentor: ("/account", "Your account", "/people"),
        .teacher: ("/people/{self}", "Chloe Bennett", "/accounts"),
        .applicant: ("/account", "Your account", "/people"),
        .undergraduate: ("/schools", "Schools", "/outbox"),
    ]

    @Test(
        "Each role signs in, lands on its dashboard, opens a page it may see, is refused one it may not, signs out",
        arguments: Role.allCases)
    func role(_ role: Role) async throws {
        try await withTestApp(seed: true) { app in
            let account = try app.demo(role)
            let me = try await app.person(email: account.email)
            let other = try await app.person(email: "rhys.evans@example.org")
            let pages = try #require(Self.rolePages[role])
            func resolve(_ path: String) -> String {
                path.replacingOccurrences(of: "{self}", with: me.id.description)
                    .replacingOccurrences(of: "{other}", with: other.id.description)
            }
            try await withBrowser(app) { driver, base in
                try await driver.open("\(base)/dashboard")
                #expect(try await driver.currentURL().contains("/sign-in?next=/dashboard"))
                try await driver.type("#email", account.email)
                try await driver.type("#password", account.password)
                let landed = try await driver.follow("form[action='/sign-in'] button[type=submit]") {
                    !$0.contains("/sign-in") && $0.hasSuffix("/dashboard")
                }
                #expect(landed.hasSuffix("/dashboard"), "\(role)")
                #expect(try await driver.text("#role-\(role.rawValue) h2") == role.label)
                try await driver.screenshot("dashboard-\(role.rawValue)")

                try await driver.open(base + resolve(pages.allowed))
                #expect(try await driver.text("h1") == pages.heading, "\(role) \(pages.allowed)")
                try await driver.open(base + resolve(pages.refused))
                #expect(
                    try await driver.text("h1") == "You do not have access to this page", "\(role) \(pages.refused)")

                let out = try await driver.follow(".app-header__account button[type=submit]") {
                    $0.contains("signed_out=1")
                }
                #expect(out.contains("/sign-in?signed_out=1"))
                #expect(try await driver.text("main").contains("You have signed out."))
                try await driver.open("\(base)/dashboard")
                #expect(try await driver.currentURL().contains("/sign-in"))
            }
        }
    }

    @Test("The coordinator runs the demo allocation in the browser and sees the draft with its map")
    func allocation() async throws {
        try await withTestApp(seed: true) { app in
            let coordinator = try app.demo(.coordinator)
            try await withBrowser(app) { driver, base in
                try await driver.open("\(base)/sign-in")
                try await driver.type("#email", coordinator.email)
                try await driver.type("#password", coordinator.password)
                _ = try await driver.follow("form[action='/sign-in'] button[type=submit]") {
                    $0.hasSuffix("/dashboard")
                }
                try await driver.open("\(base)/placements/allocation")
                #expect(try await driver.text("main").contains("No allocation has been run"))
                _ = try await driver.follow("main form button[type=submit]") { _ in true }
                for _ in 0..<50 {
                    if (try? await driver.find("#allocation-summary")) != nil { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(try await driver.text("#allocation-summary").contains("trainees placed"))
                // One map for each of the partnership's regions.
                _ = try await driver.find("svg[aria-labelledby='allocation-map-1-title allocation-map-1-desc']")
                _ = try await driver.find("svg[aria-labelledby='allocation-map-2-title allocation-map-2-desc']")
                try await driver.screenshot("allocation")
            }
        }
    }
}

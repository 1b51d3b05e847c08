import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
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
                        // axe-core on a long page (a school's whole staff list) can take more than WebDriver's
                        // default 30 seconds on a busy 2-core machine: a budget, not a speed test.
                        "timeouts": ["script": 180_000, "pageLoad": 300_000],
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

        /// axe-core's violations on the page as it stands (WCAG 2.x A and AA, and best practice), as
        /// "rule (impact): help at targets". Empty when `AXE_SCRIPT` (the path of axe.min.js, which the test command
        /// fetches from PyPI's axe-playwright-python) is not set.
        func accessibilityViolations() async throws -> [String] {
            guard let path = ProcessInfo.processInfo.environment["AXE_SCRIPT"] else { return [] }
            let source = try String(contentsOfFile: path, encoding: .utf8)
            try await call("POST", "execute/sync", ["script": source + "\nreturn true;", "args": []])
            let script = """
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})
                  .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
                    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
                  .catch(e => done(['axe failed: ' + e]));
                """
            let result = try await call("POST", "execute/async", ["script": script, "args": []])
            return result as? [String] ?? ["axe returned nothing"]
        }

        /// Expects no accessibility violations on the page now shown.
        func checkAccessibility(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let violations = try await accessibilityViolations()
            #expect(
                violations.isEmpty, "\(name): \(violations.joined(separator: "; "))", sourceLocation: sourceLocation)
        }

        /// Signs in through the form and waits for the dashboard.
        func signIn(_ base: String, _ account: DemoAccounts.Account) async throws {
            try await open("\(base)/sign-in")
            try await type("#email", account.email)
            try await type("#password", account.password)
            _ = try await follow("form[action='/sign-in'] button[type=submit]") { $0.hasSuffix("/dashboard") }
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
                try await driver.checkAccessibility("schools list")

                try await driver.type("#q", "Adisham")
                let searched = try await driver.follow("button[type=submit]") { $0.contains("?") }
                #expect(searched.contains("q=Adisham"))
                #expect(try await driver.text("#result-count") == "Showing 1 to 1 of 1 schools")

                _ = try await driver.follow("a[href='/schools/141308']") { $0.hasSuffix("/schools/141308") }
                #expect(try await driver.title() == "Adisham Church of England Primary School - Chalkface")
                #expect(try await driver.text("h1") == "Adisham Church of England Primary School")
                try await driver.screenshot("school-page")
                try await driver.checkAccessibility("school page")

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
                try await driver.checkAccessibility("schools filtered")
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
                try await driver.checkAccessibility("cold spots")
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
                if role == .coordinator { try await driver.checkAccessibility("sign-in") }
                try await driver.type("#email", account.email)
                try await driver.type("#password", account.password)
                let landed = try await driver.follow("form[action='/sign-in'] button[type=submit]") {
                    !$0.contains("/sign-in") && $0.hasSuffix("/dashboard")
                }
                #expect(landed.hasSuffix("/dashboard"), "\(role)")
                #expect(try await driver.text("#role-\(role.rawValue) h2") == role.label)
                try await driver.screenshot("dashboard-\(role.rawValue)")
                try await driver.checkAccessibility("dashboard of \(role)")

                try await driver.open(base + resolve(pages.allowed))
                #expect(try await driver.text("h1") == pages.heading, "\(role) \(pages.allowed)")
                try await driver.checkAccessibility("\(pages.allowed) as \(role)")
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
                try await driver.signIn(base, coordinator)
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
                try await driver.checkAccessibility("allocation")

                // Publish, with a confirmation page first.
                _ = try await driver.follow("#publish") { $0.contains("/publish") }
                #expect(try await driver.text("h1") == "Publish run 1?")
                try await driver.checkAccessibility("publish confirmation")
                _ = try await driver.follow("main form button[type=submit]") { !$0.contains("/publish") }
                #expect(try await driver.text("#publication").contains("Run 1, published"))

                // Place an unplaced trainee by hand: the first whose page offers schools, then a pin.
                let links =
                    try await driver.call(
                        "POST", "execute/sync",
                        [
                            "script":
                                "return Array.from(document.querySelectorAll(\"#by-trainee a[href*='/placements/allocation/place']\")).map(a => a.href)",
                            "args": [],
                        ]) as? [String] ?? []
                #expect(!links.isEmpty, "the demo run leaves someone unplaced")
                var pinned = false
                for link in links {
                    try await driver.open(link)
                    #expect(try await driver.text("h1").hasPrefix("Place "))
                    guard (try? await driver.find("#candidates")) != nil else {
                        #expect(try await driver.text("#no-candidates").contains("No school could take them"))
                        continue
                    }
                    try await driver.checkAccessibility("place by hand")
                    try await driver.screenshot("allocation-place")
                    _ = try await driver.follow("#candidates button[type=submit]") { !$0.contains("/place?") }
                    #expect(try await driver.text("#constraints").contains("pinned to"))
                    pinned = true
                    break
                }
                #expect(pinned, "no unplaced trainee of the demo had a school that could take them")
                try await driver.open("\(base)/placements/allocation")

                // Run again, then compare the two runs.
                _ = try await driver.follow("main form[action^='/placements/allocation?'] button[type=submit]") {
                    _ in true
                }
                for _ in 0..<50 {
                    if (try? await driver.text("main h2"))?.hasPrefix("Run 2") == true { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                _ = try await driver.follow("#compare-runs") { $0.contains("/compare") }
                #expect(try await driver.text("h1") == "Compare two runs")
                #expect(try await driver.text("#comparison-totals").contains("Trainees placed"))
                #expect(try await driver.text("#comparison-summary").contains("stayed at the same school"))
                try await driver.checkAccessibility("compare runs")
                try await driver.screenshot("allocation-compare")

                // Withdraw the publication.
                try await driver.open("\(base)/placements/allocation")
                _ = try await driver.follow("#publication button[type=submit]") { _ in true }
                for _ in 0..<50 {
                    if (try? await driver.text("#publication"))?.contains("Nothing is published") == true { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(try await driver.text("#publication").contains("Nothing is published"))
            }
        }
    }

    @Test("A provider changes a trainee's details and withdraws a trainee, in the browser")
    func providerTrainees() async throws {
        try await withTestApp(seed: true) { app in
            let staff = try app.demo(.providerStaff)
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, staff)
                _ = try await driver.follow("main a[href$='/trainees']") { $0.hasSuffix("/trainees") }
                #expect(try await driver.text("h1").hasPrefix("Trainees for"))
                try await driver.checkAccessibility("provider's trainees")
                let firstName = try await driver.text("#trainees tbody tr td")
                _ = try await driver.follow("#trainees tbody tr a[href*='/edit?']") {
                    $0.contains("/edit")
                }
                #expect(try await driver.text("h1") == "Change \(firstName)'s details")
                try await driver.checkAccessibility("change a trainee")
                try await driver.call("POST", "element/\(try await driver.find("#max_travel_km"))/clear", [:])
                try await driver.type("#max_travel_km", "35")
                _ = try await driver.follow("main form button[type=submit]") { !$0.contains("/edit") }
                #expect(try await driver.text("main").contains("\(firstName)'s details saved"))

                _ = try await driver.follow("#trainees tbody tr a[href*='/withdraw?']") { $0.contains("/withdraw") }
                let heading = try await driver.text("h1")
                #expect(heading.hasPrefix("Withdraw ") && heading.hasSuffix("?"))
                try await driver.checkAccessibility("withdraw a trainee")
                _ = try await driver.follow("main form button[type=submit]") { !$0.contains("/withdraw?") }
                #expect(
                    try await driver.text("main").contains("withdrawn: they will not be in the next allocation run"))
                _ = try await driver.find("#withdrawn")
                try await driver.screenshot("provider-trainees")
            }
        }
    }

    @Test("Internships: an undergraduate applies, the school ranks, the coordinator confirms, the place shows")
    func internships() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            let year = Internships.year(on: Day.inUK(app.clock.now()))
            let own = try #require(try await InternshipStore(app.db).offers(year: year).first { $0.urn == urn })
            let tom = try app.demo(.undergraduate)
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, tom)
                _ = try await driver.follow("#internships-undergraduate") { $0.hasSuffix("/internships") }
                try await driver.click("#choice_1 option[value='\(own.id.uuidString.lowercased())']")
                try await driver.type("#statement", "I study maths at Staffordshire and want to try teaching.")
                _ = try await driver.follow("#apply button[type=submit]") { $0.contains("saved=application") }
                #expect(try await driver.text("#my-application").contains("Applied"))
                try await driver.checkAccessibility("internship application")

                _ = try await driver.follow("form[action='/sign-out'] button[type=submit]") {
                    $0.contains("signed_out=1")
                }
                try await driver.signIn(base, try app.demo(.schoolStaff))
                _ = try await driver.follow("#internships-\(urn)") { $0.hasSuffix("/internships") }
                #expect(try await driver.text("main").contains(tom.name))
                try await driver.checkAccessibility("school's internship applicants")
                // The school's vacancies: post one (the form with checkboxes and radios), then see its close form.
                try await driver.open("\(base)/dashboard")
                _ = try await driver.follow("#vacancies-\(urn)") { $0.hasSuffix("/vacancies") }
                try await driver.checkAccessibility("school's vacancies")
                try await driver.type("#job_title", "Teacher of mathematics")
                try await driver.click("#subjects-1")
                try await driver.click("#working_pattern")
                try await driver.click("#contract")
                try await driver.type("#salary", "MPS/UPS")
                let closes = Day(ordinal: Day.inUK(app.clock.now()).ordinal + 30)
                try await driver.call(
                    "POST", "execute/sync",
                    ["script": "document.getElementById('closes_on').value = arguments[0];", "args": ["\(closes)"]])
                _ = try await driver.follow("#post button[type=submit]") { $0.contains("saved=posted") }
                #expect(try await driver.text("main").contains("Teacher of mathematics"))
                try await driver.checkAccessibility("school's vacancy with its close form")
                try await driver.open("\(base)/schools/\(urn)/internships")
                let application = try #require(
                    try await InternshipStore(app.db).application(
                        person: try await app.person(email: tom.email).id, year: year))
                try await driver.type("#rank_\(application.id.uuidString.lowercased())", "1")
                _ = try await driver.follow("#ranking-\(own.id.uuidString.lowercased()) button[type=submit]") {
                    $0.contains("saved=ranking")
                }

                _ = try await driver.follow("form[action='/sign-out'] button[type=submit]") {
                    $0.contains("signed_out=1")
                }
                try await driver.signIn(base, try app.demo(.coordinator))
                _ = try await driver.follow("#internships-coordinator") { $0.hasSuffix("/internships/matching") }
                #expect(try await driver.text("#proposal").contains(tom.name))
                #expect(try await driver.text("#blocking").contains("no blocking pair"))
                try await driver.checkAccessibility("internship matching")
                try await driver.open("\(base)/vacancies")
                _ = try await driver.find("#by-subject")
                try await driver.checkAccessibility("vacancy figures")
                try await driver.open("\(base)/internships/matching")
                _ = try await driver.follow("#confirm button[type=submit]") { $0.contains("confirmed=1") }
                #expect(try await driver.text("#confirmed").contains(tom.name))
                try await driver.screenshot("internship-matching")

                _ = try await driver.follow("form[action='/sign-out'] button[type=submit]") {
                    $0.contains("signed_out=1")
                }
                try await driver.signIn(base, tom)
                try await driver.open("\(base)/internships")
                #expect(try await driver.text("#my-application").contains("Placed"))
                try await driver.screenshot("internship-placed")
            }
        }
    }

    @Test("School staff open their offer from the dashboard, see the trainees allocated to them, and confirm one")
    func schoolConfirms() async throws {
        try await withTestApp(seed: true) { app in
            // The demo allocation for the year being planned, published, with the school's trainees in it.
            let s = try await TraineeChangeTests.setting(app)
            let year = s.year
            let inputs = try await AllocationController.inputs(year, app.db)
            let plan = AllocationPlan.run(
                year: year, offers: inputs.offers,
                hosts: Dictionary(uniqueKeysWithValues: inputs.hosts.map { ($0.urn, $0) }),
                trainees: inputs.trainees, constraints: inputs.constraints)
            let run = AllocationRun(
                id: UUID(), year: year, createdAt: Date(), createdBy: nil, publishedAt: nil, inputs: inputs, plan: plan)
            try await AllocationStore(app.db).save(run)
            try await AllocationStore(app.db).publish(run.id, year: year, at: Date(), by: nil)
            let staff = try app.demo(.schoolStaff)
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, staff)
                _ = try await driver.follow("#own-offers a") { $0.contains("/placement-offer") }
                // The dashboard goes to the year being planned; this allocation is for 2030/31.
                try await driver.open("\(base)/schools/\(s.schoolURN.value)/placement-offer?year=2030/31")
                #expect(try await driver.text("#allocated-trainees").contains("Nadia Near"))
                try await driver.checkAccessibility("school offer with allocated trainees")
                _ = try await driver.follow("#allocated-trainees button[type=submit]") { $0.contains("responded=1") }
                #expect(try await driver.text("#allocated-trainees").contains("Confirmed"))
                try await driver.screenshot("school-allocated-trainees")
            }
        }
    }

    @Test("Retention: the coordinator compares by subject; school staff open their staff list and a teacher's timeline")
    func retention() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.coordinator))
                _ = try await driver.follow("nav a[href='/retention']") { $0.hasSuffix("/retention") }
                _ = try await driver.find("#survival-chart")
                try await driver.call(
                    "POST", "element/\(try await driver.find("#by option[value='subject']"))/click", [:])
                _ = try await driver.follow("main form button[type=submit]") { $0.contains("by=subject") }
                #expect(try await driver.text("#survival-table").contains("Mathematics"))
                #expect(try await driver.text("#logrank").contains("Log-rank test across the"))
                try await driver.checkAccessibility("retention by subject")
                try await driver.screenshot("retention")
                _ = try await driver.follow("#forecast-link") { $0.hasSuffix("/retention/forecast") }
                try await driver.call(
                    "POST", "element/\(try await driver.find("#subject option[value='mathematics']"))/click", [:])
                try await driver.type("#extra", "20")
                _ = try await driver.follow("main form button[type=submit]") { $0.contains("extra=20") }
                #expect(try await driver.text("#forecast").contains("Year 5 with the what-if"))
                #expect(try await driver.text("#forecast").contains("Secondary mathematics"))
                try await driver.checkAccessibility("supply forecast")
                try await driver.screenshot("forecast")
                // One school's time-at-the-school curve.
                try await driver.open("\(base)/retention")
                try await driver.type("#school", String(urn))
                _ = try await driver.follow("main form button[type=submit]") { $0.contains("school=\(urn)") }
                #expect(try await driver.text("main").contains("Back to the whole partnership"))
                try await driver.checkAccessibility("one school's retention")
                // Research engagement by school, with its map, and as a cold-spots indicator.
                try await driver.open("\(base)/evidence/share")
                _ = try await driver.find("#share-map-1-title")
                #expect(try await driver.text("#share-years").contains("so far"))
                try await driver.checkAccessibility("research engagement by school")
                try await driver.screenshot("research-engagement")
                _ = try await driver.follow("#share-cold-spots") { $0.contains("indicator=research-engagement") }
                try await driver.checkAccessibility("research engagement cold spots")
                // Early-career peer groups: formed from the register's ECTs, on a map, one member moved.
                try await driver.open("\(base)/dashboard")
                _ = try await driver.follow("#peer-groups-coordinator") { $0.hasSuffix("/ects/peer-groups") }
                _ = try await driver.follow("main form[action='/ects/peer-groups/form'] button[type=submit]") {
                    $0.contains("formed=")
                }
                _ = try await driver.find("#peer-group-map-title")
                #expect(try await driver.text("#group-1").contains("Group 1:"))
                try await driver.checkAccessibility("peer groups")
                try await driver.screenshot("peer-groups")
                _ = try await driver.follow("#group-1 form[action='/ects/peer-groups/move'] button[type=submit]") {
                    $0.contains("moved=1")
                }
                #expect(try await driver.text("main").contains("The member was moved"))
                // A group's meetings: plan one; the page lists it to come.
                _ = try await driver.follow("#group-1 a[href$='/meetings']") { $0.hasSuffix("/meetings") }
                let nextWeek = Day(ordinal: Day.inUK(app.clock.now()).ordinal + 7)
                try await driver.type("#when", "\(nextWeek) 16:00-17:30")
                _ = try await driver.follow("#plan button[type=submit]") { $0.contains("planned=1") }
                #expect(try await driver.text("#meetings").contains("To come"))
                try await driver.checkAccessibility("a peer group's meetings")
                // The region's development areas against the catalogue.
                try await driver.open("\(base)/dashboard")
                _ = try await driver.follow("#development-areas-coordinator") {
                    $0.hasSuffix("/ects/development/areas")
                }
                #expect(try await driver.text("#areas").contains("Managing behaviour"))
                try await driver.checkAccessibility("development areas against supply")
                try await driver.screenshot("development-areas")
                try await driver.open("\(base)/ects/induction")
                _ = try await driver.find("main h1")
                try await driver.checkAccessibility("induction overview")
                // Specialist teaching from the generated deployment, then its cold spots.
                try await driver.open("\(base)/dashboard")
                _ = try await driver.follow("#specialists-coordinator") { $0.hasSuffix("/specialists") }
                #expect(try await driver.text("#partnership").contains("Mathematics"))
                #expect(try await driver.text("#authorities").contains("hours"))
                try await driver.checkAccessibility("specialist teaching")
                try await driver.screenshot("specialists")
                _ = try await driver.follow("main a[href^='/coldspots?indicator=specialist-teaching']") {
                    $0.contains("indicator=specialist-teaching")
                }
                #expect(try await driver.text("main").contains("Specialist teaching"))
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.schoolStaff))
                try await driver.open("\(base)/retention")
                #expect(try await driver.text("main").contains("Staff of"))
                _ = try await driver.follow("#staff-list-link") { $0.hasSuffix("/staff") }
                try await driver.checkAccessibility("school staff list")
                _ = try await driver.follow("#current-staff tbody a") { $0.contains("/teachers/") }
                #expect(try await driver.text("#timeline").contains("Started at"))
                try await driver.checkAccessibility("teacher timeline")
                try await driver.screenshot("teacher-timeline")
                // Link the demo teacher's account to this record, so they can see it.
                try await driver.type("#email", "hannah.clarke@example.org")
                _ = try await driver.follow("#links form[action$='/accounts'] button[type=submit]") {
                    $0.hasSuffix("/accounts")
                }
                #expect(try await driver.text("#linked-accounts").contains("Hannah Clarke"))
                try await driver.checkAccessibility("teacher record with a linked account")
                // Change their hours from the staff list.
                try await driver.open("\(base)/schools/\(urn)/staff")
                _ = try await driver.follow("#current-staff tbody a[href$='/change']") { $0.hasSuffix("/change") }
                try await driver.checkAccessibility("change role or hours")
                try await driver.call(
                    "POST", "element/\(try await driver.find("#working_pattern option[value='part-time']"))/click", [:])
                try await driver.call("POST", "element/\(try await driver.find("#fte"))/clear", [:])
                try await driver.type("#fte", "0.8")
                _ = try await driver.follow("main form button[type=submit]") { $0.contains("changed=") }
                #expect(try await driver.text("main").contains("is recorded"))
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.teacher))
                _ = try await driver.follow("#teaching-record-teacher") { $0.contains("/teachers/") }
                // The demo links the demo teacher to her record: an early-career teacher at the school.
                #expect(try await driver.text("main").contains("Your record in the teacher register"))
                #expect(try await driver.text("#periods").contains("Early-career teacher"))
                #expect(try await driver.text("#timeline").contains("Account linked"))
                try await driver.checkAccessibility("a teacher's own record")
                try await driver.screenshot("teacher-own-record")
                // Her development profile: suggestions with her mentor's reasons; she asks for a place on the first.
                try await driver.open("\(base)/dashboard")
                _ = try await driver.follow("#development-teacher") { $0.hasSuffix("/ects/development") }
                #expect(try await driver.text("#suggestion-1").contains("Because your mentor rated assessment"))
                try await driver.checkAccessibility("development profile and suggestions")
                try await driver.screenshot("development-suggestions")
                _ = try await driver.follow("#suggestion-1 button[type=submit]") { $0.contains("asked=") }
                #expect(try await driver.text("main").contains("Suggestions you took up"))
                // A profile with a rating missing is refused, each area named in the error summary.
                try await driver.call("POST", "element/\(try await driver.find("#area-assessment-3"))/click", [:])
                _ = try await driver.follow("main form[action='/ects/development'] button[type=submit]") {
                    $0.hasSuffix("/ects/development")
                }
                #expect(try await driver.text(".app-error-summary").contains("high expectations"))
                try await driver.checkAccessibility("development profile with errors")
                // Career planning: NPQs that fit the chosen step, peers' paths, who offers conversations.
                try await driver.open("\(base)/dashboard")
                _ = try await driver.follow("#career-teacher") { $0.hasSuffix("/ects/career") }
                try await driver.call("POST", "element/\(try await driver.find("#aspiration-2"))/click", [:])
                try await driver.call("POST", "element/\(try await driver.find("#timescale-2"))/click", [:])
                try await driver.type("#next_step", "Lead a maths topic for year 4")
                _ = try await driver.follow("#conversation-form button[type=submit]") { $0.contains("saved=1") }
                #expect(try await driver.text("#career-npqs").contains("Leading teaching"))
                #expect(try await driver.text("#career-advisers").contains("James Patel"))
                try await driver.checkAccessibility("career planning")
                try await driver.screenshot("career-planning")
            }
            try await withBrowser(app) { driver, base in
                // Her mentor rates her; her school sees its ECTs and their mentors.
                try await driver.signIn(base, try app.demo(.mentor))
                _ = try await driver.follow("#mentees-mentor") { $0.hasSuffix("/ects/mentees") }
                _ = try await driver.follow("main table a[href^='/ects/mentees/']") { $0.contains("/ects/mentees/") }
                try await driver.checkAccessibility("a mentor rating an ECT")
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.schoolStaff))
                _ = try await driver.follow("#ects-\(urn)") { $0.hasSuffix("/schools/\(urn)/ects") }
                #expect(try await driver.text("main").contains("James Patel, since"))
                try await driver.checkAccessibility("a school's ECTs and mentors")
                _ = try await driver.follow("main a[href$='/induction']") { $0.hasSuffix("/induction") }
                try await driver.checkAccessibility("recording an ECT's induction")
                try await driver.type("#appropriate_body", "Trent and Peak Teaching School Hub")
                _ = try await driver.follow("#induction-form button[type=submit]") { $0.hasSuffix("/induction") }
                #expect(try await driver.text(".app-error-summary").contains("induction tutor"))
                try await driver.checkAccessibility("an induction form with errors")
            }
            try await withBrowser(app) { driver, base in
                // A provider starts a trainee's register record.
                try await driver.signIn(base, try app.demo(.providerStaff))
                let provider = try await TraineeTests.provider(app)
                try await driver.open("\(base)/providers/\(provider)/trainees")
                _ = try await driver.follow("#trainees tbody a[href$='/teacher']") { $0.hasSuffix("/teacher") }
                try await driver.checkAccessibility("a trainee in the teacher register")
                _ = try await driver.follow("main form button[value=create]") { $0.hasSuffix("/teacher") }
                #expect(try await driver.text("#linked-teacher").contains("Linked to"))
                _ = try await driver.follow("#linked-teacher a") { $0.contains("/teachers/") }
                #expect(try await driver.text("#linked-trainees").contains("Trainee with"))
                try await driver.checkAccessibility("a former trainee's record")
            }
        }
    }

    @Test("CPD: a teacher filters the catalogue and enrols; the provider accepts and completes; the timeline shows it")
    func cpd() async throws {
        try await withTestApp(seed: true) { app in
            let account = try app.demo(.teacher)
            let person = try await app.person(email: account.email)
            let record = TeacherRecord(trn: TRN("2099002"), firstName: "Chloe", lastName: "Bennett")
            try await TeacherStore(app.db).create(record, event: "Record started", author: "Test", at: Date())
            try await TeacherLinkStore(app.db).link(
                .person(person.id), to: record.id, detail: "Account linked", author: "Test", at: Date())
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, account)
                _ = try await driver.follow("#cpd-teacher") { $0.hasSuffix("/cpd/enrolments") }
                #expect(try await driver.text("main").contains("You have no enrolments yet"))
                try await driver.open("\(base)/cpd")
                try await driver.call(
                    "POST", "element/\(try await driver.find("#kind option[value='mentoring']"))/click", [:])
                _ = try await driver.follow(".app-filters button[type=submit]") { $0.contains("kind=mentoring") }
                #expect(try await driver.text("#results-count").hasPrefix("1 programme of"))
                try await driver.checkAccessibility("CPD catalogue, filtered")
                try await driver.screenshot("cpd-catalogue")
                _ = try await driver.follow("#programmes a") { $0.contains("/cpd/") && !$0.contains("kind=") }
                try await driver.checkAccessibility("CPD programme")
                _ = try await driver.follow("#cohorts form button[type=submit]") { $0.hasSuffix("/enrol") }
                #expect(try await driver.text("main").contains("You asked for a place"))
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.providerStaff))
                try await driver.open("\(base)/cpd/manage")
                try await driver.checkAccessibility("manage CPD")
                try await driver.open("\(base)/cpd?kind=mentoring")
                _ = try await driver.follow("#programmes a") { !$0.contains("kind=") }
                _ = try await driver.follow("#programme-enrolments") { $0.hasSuffix("/enrolments") }
                #expect(try await driver.text("main").contains(account.name))
                try await driver.checkAccessibility("CPD enrolments")
                _ = try await driver.follow("main button[value=accept]") { $0.contains("to=accepted") }
                #expect(try await driver.text("main").contains("accepted"))
                _ = try await driver.follow("main button[value=complete]") { $0.contains("to=completed") }
                #expect(try await driver.text("main").contains("completed"))
                try await driver.screenshot("cpd-enrolments")
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, account)
                _ = try await driver.follow("#teaching-record-teacher") { $0.contains("/teachers/") }
                #expect(try await driver.text("#timeline").contains("Completed Mentor development"))
                try await driver.open("\(base)/cpd/enrolments")
                #expect(try await driver.text("#enrolments").contains("Completed"))
                try await driver.checkAccessibility("a teacher's CPD enrolments")
                // Evidence: find resources on a strand, then record using it, with a reflection.
                try await driver.open("\(base)/evidence")
                try await driver.call(
                    "POST", "element/\(try await driver.find("#strand option[value='feedback']"))/click", [:])
                _ = try await driver.follow(".app-filters button[type=submit]") { $0.contains("strand=feedback") }
                #expect(try await driver.text("#results-count").contains("resource"))
                try await driver.checkAccessibility("evidence, searched by strand")
                try await driver.screenshot("evidence")
                try await driver.open("\(base)/dashboard")
                _ = try await driver.follow("#evidence-teacher") { $0.hasSuffix("/evidence/engagement") }
                try await driver.call("POST", "element/\(try await driver.find("#kind-2"))/click", [:])
                _ = try await driver.follow("main form button[type=submit]") { $0.hasSuffix("/evidence/engagement") }
                #expect(try await driver.text(".app-error-summary").contains("Select the strand you used"))
                try await driver.checkAccessibility("research engagement with errors")
                try await driver.call("POST", "element/\(try await driver.find("#kind-2"))/click", [:])
                try await driver.call(
                    "POST",
                    "element/\(try await driver.find("#strand option[value='metacognition-and-self-regulation']"))/click",
                    [:])
                try await driver.type("#reflection", "Modelled planning aloud; pupils set their own goals.")
                _ = try await driver.follow("main form button[type=submit]") { $0.contains("recorded=1") }
                #expect(try await driver.text("#my-engagement").contains("Metacognition and self-regulation"))
                try await driver.checkAccessibility("research engagement recorded")
                try await driver.open("\(base)/dashboard")
                _ = try await driver.follow("#teaching-record-teacher") { $0.contains("/teachers/") }
                #expect(try await driver.text("#timeline").contains("Used a Toolkit strand in my teaching"))
            }
            try await withBrowser(app) { driver, base in
                // School staff ask for a place for the teacher; the coordinator reviews a post-16 institution.
                try await driver.signIn(base, try app.demo(.schoolStaff))
                try await driver.open("\(base)/cpd?kind=subject-knowledge")
                _ = try await driver.follow("#programmes a") { !$0.contains("kind=") }
                _ = try await driver.find("#enrol-for")
                try await driver.checkAccessibility("a programme, as school staff")
                try await driver.call(
                    "POST", "element/\(try await driver.find("#person option:nth-child(2)"))/click", [:])
                _ = try await driver.follow("#enrol-for button[type=submit]") { $0.hasSuffix("/enrol-for") }
                #expect(try await driver.text("main").contains("You asked for a place for"))
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.coordinator))
                try await driver.open("\(base)/post16")
                #expect(try await driver.text("#post16-subjects").contains("Maths"))
                try await driver.checkAccessibility("post-16 review picture")
                try await driver.screenshot("post16")
                _ = try await driver.follow("#post16-institutions tbody a[href^='/post16/']") {
                    $0.contains("/post16/")
                }
                try await driver.call("POST", "element/\(try await driver.find("#sixth_form"))/click", [:])
                try await driver.call("POST", "element/\(try await driver.find("#english_teachers"))/clear", [:])
                try await driver.type("#english_teachers", "many")
                _ = try await driver.follow("main form button[type=submit]") { $0.contains("/post16/") }
                #expect(try await driver.text(".app-error-summary").contains("whole number"))
                try await driver.checkAccessibility("post-16 review with errors")
                try await driver.open("\(base)/cpd/take-up")
                _ = try await driver.find("#take-up-subjects")
                try await driver.checkAccessibility("CPD take-up")
                try await driver.open("\(base)/evidence/new")
                _ = try await driver.follow("main form button[type=submit]") { $0.hasSuffix("/evidence/new") }
                #expect(try await driver.text(".app-error-summary").contains("Enter a title"))
                try await driver.checkAccessibility("add a resource with errors")
            }
        }
    }

    @Test(
        "School experience: a school offers a date; an applicant finds it and asks; the school accepts; on the day, attended. A provider's funnel"
    )
    func schoolExperience() async throws {
        try await withTestApp(seed: true) { app in
            let urn = try await PlacementOfferTests.ownSchool(app).value
            let day = Day(ordinal: Day.inUK(app.clock.now()).ordinal + 21)
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.schoolStaff))
                _ = try await driver.follow("#experience-\(urn)") { $0.hasSuffix("/experience") }
                try await driver.checkAccessibility("a school's school experience")
                _ = try await driver.follow("main form[action$='/experience'] button[type=submit]") {
                    $0.hasSuffix("/experience")
                }
                #expect(try await driver.text(".app-error-summary").contains("Enter a real date"))
                try await driver.checkAccessibility("offering a date, with errors")
                // A date field takes keys in the browser's locale; set its value as a date picker would.
                try await driver.call(
                    "POST", "execute/sync",
                    ["script": "document.querySelector('#day').value = arguments[0]", "args": [day.description]])
                try await driver.type("#expectations", "Shadow our Year 6 teacher for the day.")
                _ = try await driver.follow("main form[action$='/experience'] button[type=submit]") {
                    $0.contains("done=offered")
                }
                #expect(try await driver.text("main").contains("The date is offered"))
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.applicant))
                _ = try await driver.follow("#experience-applicant") { $0.hasSuffix("/experience") }
                try await driver.call(
                    "POST", "element/\(try await driver.find("#phase option[value='primary']"))/click", [:])
                _ = try await driver.follow(".app-filters button[type=submit]") { $0.contains("phase=primary") }
                try await driver.checkAccessibility("school experience search")
                try await driver.screenshot("school-experience")
                try await driver.open("\(base)/experience")
                let dates = try await ExperienceStore(app.db).dates(urn: urn)
                let date = try #require(dates.first { $0.expectations.contains("Year 6") })
                try await driver.open("\(base)/experience/\(date.id.uuidString.lowercased())")
                try await driver.checkAccessibility("a school experience date")
                try await driver.type("#objectives", "To see how a primary classroom runs.")
                try await driver.call(
                    "POST", "element/\(try await driver.find("#stage option[value='career-changer']"))/click", [:])
                _ = try await driver.follow("main form button[type=submit]") { $0.hasSuffix("/request") }
                #expect(try await driver.text("main").contains("You asked for a place"))
                try await driver.open("\(base)/experience/requests")
                try await driver.checkAccessibility("your school experience requests")
                // An event: register, and see it among their events.
                try await driver.open("\(base)/experience")
                _ = try await driver.follow("#events-link") { $0.hasSuffix("/events") }
                try await driver.checkAccessibility("recruitment events")
                _ = try await driver.follow("#events a") { $0.contains("/events/") }
                try await driver.checkAccessibility("a recruitment event")
                _ = try await driver.follow("main form[action$='/register'] button") { $0.hasSuffix("/register") }
                #expect(try await driver.text("main").contains("You are registered"))
                try await driver.open("\(base)/events")
                #expect(try await driver.text("#my-events").contains("Registered"))
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.schoolStaff))
                try await driver.open("\(base)/schools/\(urn)/experience")
                _ = try await driver.follow("main button[value=accept]") { $0.contains("done=answered") }
                #expect(try await driver.text("main").contains("Your answer is recorded"))
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.applicant))
                try await driver.open("\(base)/experience/requests")
                #expect(try await driver.text("#requests").contains("Accepted"))
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.coordinator))
                try await driver.open("\(base)/events/new")
                _ = try await driver.follow("main form button[type=submit]") { $0.hasSuffix("/events/new") }
                #expect(try await driver.text(".app-error-summary").contains("Enter a title"))
                try await driver.checkAccessibility("add an event, with errors")
                try await driver.open("\(base)/events")
                _ = try await driver.follow("#events a") { $0.contains("/events/") }
                _ = try await driver.follow("#event-registrations") { $0.hasSuffix("/registrations") }
                #expect(try await driver.text("#registrations").contains(try app.demo(.applicant).name))
                try await driver.checkAccessibility("an event's registrations")
            }
            // A provider reads its application funnel beside the partnership's, and narrows it.
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.providerStaff))
                _ = try await driver.follow("a[id^='applications-']") { $0.hasSuffix("/applications") }
                #expect(try await driver.text("#funnel").contains("Partnership"))
                try await driver.checkAccessibility("the application funnel")
                try await driver.screenshot("application-funnel")
                try await driver.call(
                    "POST", "element/\(try await driver.find("#subject option[value='mathematics']"))/click", [:])
                _ = try await driver.follow(".app-filters button[type=submit]") { $0.contains("subject=mathematics") }
                #expect(try await driver.text("#summary").contains("application choices"))
                _ = try await driver.follow("#import-applications") { $0.hasSuffix("/applications/import") }
                _ = try await driver.follow("main form button[type=submit]") { $0.hasSuffix("/applications/import") }
                #expect(try await driver.text(".app-error-summary").contains("Choose a CSV file"))
                try await driver.checkAccessibility("importing applications, with errors")
            }
            // The day comes: the school records that the applicant attended, and the applicant sees it.
            let clock = TestClock()
            clock.advance(try #require(day.startInUK).timeIntervalSince(clock.now) + 10 * 3600)
            clock.install(on: app)
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.schoolStaff))
                try await driver.open("\(base)/schools/\(urn)/experience")
                _ = try await driver.follow("main button[value=attended]") { $0.contains("done=answered") }
                try await driver.checkAccessibility("a school experience day, attended")
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.applicant))
                try await driver.open("\(base)/experience/requests")
                #expect(try await driver.text("#requests").contains("Attended"))
            }
        }
    }

    @Test("Barrier research: a survey invitation's link, answered in the browser, is counted in the results")
    func surveyResponse() async throws {
        try await withTestApp(seed: true) { app in
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let created = try await coordinator.submit(
                "/surveys", from: "/surveys",
                ["title": "What stood in your way?", "introduction": "Two questions.", "anonymous": "true"])
            let path = try #require(created.location)
            for fields in [
                [
                    "section": "Applying", "prompt": "What made applying harder?", "kind": "multiple",
                    "options": "Cost\nTime\nReferences",
                ],
                ["prompt": "I had the support I needed.", "kind": "likert", "required": "true"],
            ] {
                _ = try await coordinator.submit("\(path)/questions", from: path, fields)
            }
            _ = try await coordinator.submit("\(path)/open", from: path, [:])
            let provider = try await TraineeTests.provider(app)
            let cycle = try #require(try await ApplicationStore(app.db).cycles().first)
            _ = try await coordinator.submit(
                "\(path)/invitations", from: path, ["cycle": "\(cycle)", "providers": provider.rawValue.uuidString])
            let message = try #require(
                try await Outbox(app.db).recent(limit: 10_000).first { $0.subject == "What stood in your way?" })
            let range = try #require(message.body.range(of: "/survey/"))
            let token = String(message.body[range.upperBound...].prefix { !$0.isWhitespace })
            try await withBrowser(app) { driver, base in
                try await driver.open("\(base)/survey/\(token)")
                try await driver.checkAccessibility("a survey")
                _ = try await driver.follow("main form button[type=submit]") { $0.contains("/survey/") }
                #expect(try await driver.text(".app-error-summary").contains("Answer: I had the support I needed."))
                try await driver.checkAccessibility("a survey, with errors")
                try await driver.call("POST", "element/\(try await driver.find("#q1-1"))/click", [:])
                try await driver.call("POST", "element/\(try await driver.find("#q2-4"))/click", [:])
                _ = try await driver.follow("main form button[type=submit]") { $0.contains("/survey/") }
                #expect(try await driver.text("#survey-message").contains("Thank you"))
                try await driver.screenshot("survey-answered")
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.coordinator))
                _ = try await driver.follow("#surveys-coordinator") { $0.hasSuffix("/surveys") }
                try await driver.checkAccessibility("surveys")
                try await driver.open(base + path)
                #expect(try await driver.text("#response-count").hasPrefix("1 responses"))
                // One answer: counted, its share not shown.
                #expect(try await driver.text("#q1-options").contains("not shown: fewer than 10 (1)"))
                try await driver.checkAccessibility("a survey's results")
                // The demo's generated survey: results joined to the funnel.
                try await driver.open("\(base)/surveys")
                _ = try await driver.follow("#surveys tbody tr:last-child a") { $0.contains("/surveys/") }
                #expect(try await driver.text("h1").contains("Barriers to applying"))
                #expect(try await driver.text("#q2-left").contains("Withdrew or declined"))
                try await driver.checkAccessibility("the demo survey's results")
                try await driver.screenshot("survey-results")
            }
        }
    }

    @Test("Adviser support: a candidate asks from their dashboard; an adviser takes the case and records a check")
    func adviserSupport() async throws {
        try await withTestApp(seed: true) { app in
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.applicant))
                _ = try await driver.follow("#advice-applicant") { $0.hasSuffix("/advice") }
                try await driver.checkAccessibility("asking for an adviser")
                try await driver.type("#interest", "Secondary maths")
                try await driver.call(
                    "POST", "element/\(try await driver.find("#stage option[value='graduate']"))/click", [:])
                try await driver.type("#question", "Do I need an equivalency test?")
                _ = try await driver.follow("main form button[type=submit]") { $0.contains("done=asked") }
                #expect(try await driver.text("main").contains("Waiting to be assigned"))
            }
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.providerStaff))
                _ = try await driver.follow("a[id^='advice-']") { $0.hasSuffix("/advice/cases") }
                try await driver.checkAccessibility("the adviser caseload")
                _ = try await driver.follow("#cases a") { $0.contains("/advice/cases/") }
                _ = try await driver.follow("main form[action$='/take'] button") { $0.contains("done=taken") }
                try await driver.checkAccessibility("an adviser case")
                try await driver.type("#next_steps", "Book the maths equivalency test.")
                _ = try await driver.follow("main form[action$='/eligibility'] button") { $0.contains("done=checked") }
                #expect(try await driver.text("main").contains("Book the maths equivalency test."))
                try await driver.screenshot("adviser-case")
            }
        }
    }

    @Test("Returners: a coordinator adds someone who registered interest and a former teacher, records a step")
    func returners() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let today = Day.inUK(app.clock.now())
            try await withBrowser(app) { driver, base in
                try await driver.signIn(base, try app.demo(.coordinator))
                _ = try await driver.follow("#returners-coordinator") { $0.hasSuffix("/returners") }
                _ = try await driver.find("#by-subject")
                try await driver.checkAccessibility("returners")
                try await driver.type("#name", "Ruth Okafor")
                try await driver.type("#email", "ruth.okafor@example.org")
                try await driver.click("#subject option[value='physics']")
                try await driver.call(
                    "POST", "execute/sync",
                    ["script": "document.getElementById('on').value = arguments[0];", "args": ["\(today)"]])
                _ = try await driver.follow("#add-returner button[type=submit]") { $0.contains("saved=added") }
                #expect(try await driver.text("#returners").contains("Ruth Okafor"))
                // A former teacher from the register, with one button; then their next step.
                _ = try await driver.follow("#register-leavers button[type=submit]") { $0.contains("saved=added") }
                #expect(try await driver.text("main").contains("Former teacher in the register"))
                try await driver.checkAccessibility("a returner")
                try await driver.click("#stage option[value='refresher']")
                try await driver.call(
                    "POST", "execute/sync",
                    ["script": "document.getElementById('on').value = arguments[0];", "args": ["\(today)"]])
                try await driver.type("#note", "Enrolled on TSST physics")
                _ = try await driver.follow("#step button[type=submit]") { $0.contains("saved=step") }
                #expect(try await driver.text("#stage-now") == "Refresher or TSST")
                #expect(try await driver.text("#steps").contains("Enrolled on TSST physics"))
                // The area table for one subject, from its own form on the cold-spots page.
                try await driver.open("\(base)/coldspots")
                try await driver.click("#area_subject option[value='mathematics']")
                _ = try await driver.follow("#area-table ~ form button[type=submit]") {
                    $0.contains("area_subject=mathematics")
                }
                #expect(try await driver.text("#area-placements").contains("The partnership"))
                try await driver.checkAccessibility("area table, mathematics")
            }
        }
    }

    @Test("Public pages, anonymous: no accessibility violations")
    func publicPages() async throws {
        try await withTestApp(seed: true) { app in
            try await withBrowser(app) { driver, base in
                for path in ["/", "/partnership", "/schools?q=canterbury", "/coldspots", "/sign-in"] {
                    try await driver.open(base + path)
                    try await driver.checkAccessibility(path)
                }
            }
        }
    }
}

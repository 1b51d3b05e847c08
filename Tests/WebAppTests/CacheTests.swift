import Domain
import Foundation
import Persistence
import Testing
import Vapor

@testable import WebApp

@Suite("School detail cache")
struct CacheTests {
    @Test("Detail responses are cached, and an import elsewhere shows within the poll interval")
    func invalidation() async throws {
        try await withTestApp(seed: true) { app in
            // The watcher starts when the application boots and reads the data version at once.
            try await app.asyncBoot()
            for _ in 0..<500 where app.schoolResponseCache.version == nil {
                try await Task.sleep(for: .milliseconds(20))
            }
            let first = try await app.get("/api/v1/schools/141308")
            #expect(first.object["name"] as? String == "Adisham Church of England Primary School")
            #expect(app.schoolResponseCache.body(for: 141308) != nil)
            let version = try await DataVersions(app.db).current(DataVersions.schools)

            // An import (as `chalkface import schools` would do from another process) renames the school.
            let text =
                "urn,name,easting,northing,la_code,la_code_dfe,la_name\n141308,Adisham Primary Academy,622643,153875,E10000016,886,Kent\n"
            let file = try SchoolFile.read(Array(text.utf8), file: "rename.csv", geography: BundledData.geography())
            let summary = try await SchoolStore(app.db).importFile(file)
            #expect(summary.updated == 1)
            #expect(try await DataVersions(app.db).current(DataVersions.schools) == version + 1)

            var name: String?
            for _ in 0..<150 {
                name = try await app.get("/api/v1/schools/141308").object["name"] as? String
                if name == "Adisham Primary Academy" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(name == "Adisham Primary Academy")

            // An import that changes nothing leaves the version, and so the cache, alone.
            let again = try await SchoolStore(app.db).importFile(file)
            #expect(again.unchanged == 1)
            #expect(try await DataVersions(app.db).current(DataVersions.schools) == version + 1)
        }
    }

    @Test("A body read before a version change is not kept under the new version")
    func race() {
        let cache = SchoolResponseCache()
        cache.store(ByteBuffer(string: "x"), for: 1, readAt: nil)
        #expect(cache.body(for: 1) == nil)  // nothing is cached before the first version is known
        cache.observe(version: 3)
        cache.store(ByteBuffer(string: "old"), for: 1, readAt: 3)
        #expect(cache.body(for: 1) == ByteBuffer(string: "old"))
        cache.observe(version: 4)
        #expect(cache.body(for: 1) == nil)
        cache.store(ByteBuffer(string: "stale"), for: 1, readAt: 3)
        #expect(cache.body(for: 1) == nil)
    }
}

@Suite("Public page cache")
struct PublicPageCacheTests {
    @Test(
        "Anonymous public pages are served from memory until the data they show changes: at once through this server, within a second from elsewhere"
    )
    func invalidation() async throws {
        try await withTestApp(seed: true) { app in
            let clock = TestClock()
            clock.install(on: app)
            let first = try await app.get("/partnership")
            #expect(first.status == .ok)
            #expect(app.publicPageCache.count == 1)
            let again = try await app.get("/partnership")
            #expect(again.text == first.text)
            #expect(app.publicPageCache.count == 1)
            // A change made outside the web process (the store, as the command line does) shows within a second.
            let store = OrganisationStore(app.db)
            let partnership = try #require(try await store.mainPartnership())
            let trust = Organisation(name: "Weald Learning Trust (test)", kind: .multiAcademyTrust)
            try await store.create(trust)
            try await store.addMember(trust.id, to: partnership.id, joinedOn: nil)
            clock.advance(PublicPageCache.versionFreshFor)
            #expect(try await app.get("/partnership").text.contains("Weald Learning Trust (test)"))
            // Errors, and anything a signed-in person sees, are not kept.
            _ = try await app.get("/schools?page=0")
            let agent = Agent(app)
            try await agent.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let before = app.publicPageCache.count
            let signedIn = try await agent.get("/schools")
            #expect(signedIn.body.contains("Sign out"))
            #expect(app.publicPageCache.count == before)
            // A change made through this server shows at once, with the clock standing still.
            #expect(try await app.get("/partnership").text.contains("Weald Learning Trust (test)"))
            let renamed = try await agent.submit(
                "/organisations/\(trust.id)", from: "/organisations/\(trust.id)/edit",
                ["name": "Downs Learning Trust (test)", "kind": "multi-academy-trust", "member": "true"])
            #expect(renamed.status == .seeOther, "\(renamed.body.prefix(300))")
            let shown = try await app.get("/partnership").text
            #expect(shown.contains("Downs Learning Trust (test)") && !shown.contains("Weald Learning Trust (test)"))
            // A school import elsewhere changes the list within a second.
            _ = try await app.get("/schools/141308")
            let text =
                "urn,name,easting,northing,la_code,la_code_dfe,la_name\n141308,Adisham Primary Academy,622643,153875,E10000016,886,Kent\n"
            let file = try SchoolFile.read(Array(text.utf8), file: "rename.csv", geography: BundledData.geography())
            _ = try await SchoolStore(app.db).importFile(file)
            clock.advance(PublicPageCache.versionFreshFor)
            #expect(try await app.get("/schools/141308").text.contains("Adisham Primary Academy"))
        }
    }
}

@Suite("Making a missing public page once")
struct PageMakersTests {
    @Test("The first request for a missing page makes it; the others wait for it, then read it from the cache")
    func singleFlight() async throws {
        let makers = PageMakers()
        #expect(await makers.claim("1 /partnership"))
        // Another page is not held up.
        #expect(await makers.claim("1 /schools"))
        let waiter = Task { await makers.claim("1 /partnership") }
        try await Task.sleep(for: .milliseconds(50))
        await makers.release("1 /partnership")
        #expect(await waiter.value == false)
        // Once released, the next to ask makes it again (the page was not cacheable, say).
        #expect(await makers.claim("1 /partnership"))
    }

    @Test("Twenty anonymous requests at a cold cache all get the same page, and it is stored once")
    func concurrentMisses() async throws {
        try await withTestApp(seed: true) { app in
            let pages = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 { group.addTask { try await app.get("/partnership").text } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(pages.count == 20 && Set(pages).count == 1 && pages[0].contains("<h1"))
            #expect(app.publicPageCache.count == 1)
        }
    }
}

import NIOConcurrencyHelpers
import Persistence
import Vapor

/// Public pages as anonymous visitors see them, kept until the data they show changes.
///
/// The home page, the schools list and pages, the partnership page, cold spots and the public API lists are the
/// same for every anonymous visitor and change only when schools, organisations or indicators do. Every write to
/// those bumps a counter in `data_versions` in its own transaction (from the server or the command line); a page
/// stored under an older sum of the counters is never served. The sum is read again after any request that may
/// have written (any method but GET and HEAD), so a change made through this server shows at once, and otherwise at
/// most once a second (`versionFreshFor`), so a change made by another process (a command-line import, another
/// server) shows within a second, without a database query per cached page. Signed-in visitors see their own
/// header and are never served from here.
final class PublicPageCache: Sendable {
    struct Entry: Sendable {
        let version: Int
        let status: HTTPResponseStatus
        let contentType: String?
        let contentDisposition: String?
        let body: ByteBuffer
    }

    static let maximumEntries = 2_000
    static let maximumBodyBytes = 4 << 20
    /// Route patterns whose anonymous GETs are cached.
    static let routes: Set<String> = [
        "", "schools", "schools/:urn", "partnership", "coldspots", "coldspots.csv", "coldspots.geojson",
        "api/v1/schools", "api/v1/organisations",
    ]

    /// How long a read of the data versions is trusted when nothing has been written through this server.
    static let versionFreshFor: TimeInterval = 1

    private let entries = NIOLockedValueBox([String: Entry]())
    let makers = PageMakers()
    private struct KnownVersion {
        var version: Int
        var readAt: Date
    }
    /// The last sum read, a generation that every possible write moves on (so a read that began before a write is
    /// not trusted after it), and whether a request is reading it again now.
    private struct VersionState {
        var value: KnownVersion?
        var generation = 0
        var refreshing = false
    }
    private let known = NIOLockedValueBox(VersionState())

    /// The sum of the data versions: the last one read if it is fresh and nothing was written since, else `read()`.
    /// Once a second one request reads it again while the others carry on with the value it replaces (so 64
    /// connections do not all queue for the same query); after a write here, every request waits for the new value.
    func version(now: Date, read: () async throws -> Int) async throws -> Int {
        let (value, generation, refreshing, claimed) = known.withLockedValue {
            k -> (KnownVersion?, Int, Bool, Bool) in
            var claimed = false
            if let v = k.value, now >= v.readAt, now.timeIntervalSince(v.readAt) >= Self.versionFreshFor,
                !k.refreshing
            {
                k.refreshing = true
                claimed = true
            }
            return (k.value, k.generation, k.refreshing && !claimed, claimed)
        }
        if let value, now >= value.readAt {
            let age = now.timeIntervalSince(value.readAt)
            if age < Self.versionFreshFor || (refreshing && age < 5 * Self.versionFreshFor) { return value.version }
        }
        defer { if claimed { known.withLockedValue { $0.refreshing = false } } }
        let version = try await read()
        known.withLockedValue { k in
            if k.generation == generation { k.value = KnownVersion(version: version, readAt: now) }
        }
        return version
    }

    /// Called after every request that may have written: the next public request reads the versions again.
    func dataMayHaveChanged() {
        known.withLockedValue { k in
            k.value = nil
            k.generation &+= 1
        }
    }

    func entry(_ key: String, version: Int) -> Entry? {
        entries.withLockedValue { e in
            guard let hit = e[key], hit.version == version else { return nil }
            return hit
        }
    }

    func store(_ entry: Entry, for key: String) {
        entries.withLockedValue { e in
            if e.count >= Self.maximumEntries { e.removeAll(keepingCapacity: true) }
            e[key] = entry
        }
    }

    var count: Int { entries.withLockedValue { $0.count } }
}

struct PublicPageCacheMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.method != .GET && req.method != .HEAD {
            defer { req.application.publicPageCache.dataMayHaveChanged() }
            return try await next.respond(to: req)
        }
        guard req.method == .GET, req.identity == nil, let route = req.route,
            PublicPageCache.routes.contains(route.path.string), req.url.string.utf8.count <= 2_048
        else { return try await next.respond(to: req) }
        let cache = req.application.publicPageCache
        let key = req.url.string
        // Read before the page is made: a page made while the data changes is stored under the older version.
        let db = req.db
        let version = try await cache.version(now: req.application.clock.now()) { try await DataVersions(db).total() }
        if let hit = cache.entry(key, version: version) { return Self.response(hit) }
        // One request makes a missing page; the others asking for it meanwhile wait for it rather than all making
        // it at once (64 connections arriving at a cold cache would otherwise do 64 times the work).
        let flight = "\(version) \(key)"
        guard await cache.makers.claim(flight) else {
            if let hit = cache.entry(key, version: version) { return Self.response(hit) }
            return try await next.respond(to: req)
        }
        let response: Response
        do {
            response = try await next.respond(to: req)
        } catch {
            await cache.makers.release(flight)
            throw error
        }
        if response.status == .ok, response.headers[.setCookie].isEmpty, let body = response.body.buffer,
            body.readableBytes <= PublicPageCache.maximumBodyBytes
        {
            cache.store(
                .init(
                    version: version, status: response.status,
                    contentType: response.headers.first(name: .contentType),
                    contentDisposition: response.headers.first(name: .contentDisposition), body: body), for: key)
        }
        await cache.makers.release(flight)
        return response
    }

    static func response(_ hit: PublicPageCache.Entry) -> Response {
        var headers = HTTPHeaders()
        if let type = hit.contentType { headers.replaceOrAdd(name: .contentType, value: type) }
        if let disposition = hit.contentDisposition {
            headers.replaceOrAdd(name: .contentDisposition, value: disposition)
        }
        return Response(status: hit.status, headers: headers, body: .init(buffer: hit.body))
    }
}

/// Who is making which page: the first to ask makes it, the rest wait until it is done.
actor PageMakers {
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// True for the request that should make the page; false (after waiting) for the others.
    func claim(_ key: String) async -> Bool {
        guard waiting[key] != nil else {
            waiting[key] = []
            return true
        }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
        return false
    }

    func release(_ key: String) {
        for waiter in waiting.removeValue(forKey: key) ?? [] { waiter.resume() }
    }
}

extension Application {
    private struct PublicPageCacheKey: StorageKey { typealias Value = PublicPageCache }

    var publicPageCache: PublicPageCache {
        get {
            guard let cache = storage[PublicPageCacheKey.self] else {
                preconditionFailure("configure(_:_:) sets the public page cache before the application boots")
            }
            return cache
        }
        set { storage[PublicPageCacheKey.self] = newValue }
    }
}

import NIOConcurrencyHelpers
import Persistence
import Vapor

/// Encoded `GET /api/v1/schools/{urn}` bodies, kept while the schools' data version stays the same.
///
/// The detail route is the API's hottest and its data changes monthly at most (a GIAS import). Serving it from
/// memory removes a database round trip per request. A background task reads the data version once a second
/// (`DataVersions`, bumped by every school import in its own transaction, from any process), so a change shows
/// within a second; a body read before a change is never stored under the version after it.
final class SchoolResponseCache: Sendable {
    struct State {
        var version: Int?
        var bodies: [Int: ByteBuffer] = [:]
    }

    static let maximumEntries = 50_000
    private let state = NIOLockedValueBox(State())

    /// The version seen last, or nil before the first check (then nothing is cached).
    var version: Int? { state.withLockedValue { $0.version } }

    func body(for urn: Int) -> ByteBuffer? { state.withLockedValue { $0.bodies[urn] } }

    /// Keeps a body read while the data was at `version`, unless the version has moved on since.
    func store(_ body: ByteBuffer, for urn: Int, readAt version: Int?) {
        state.withLockedValue { s in
            guard let version, s.version == version else { return }
            if s.bodies.count >= Self.maximumEntries { s.bodies.removeAll(keepingCapacity: true) }
            s.bodies[urn] = body
        }
    }

    /// Records the current version, dropping every body if it changed.
    func observe(version: Int) {
        state.withLockedValue { s in
            if s.version != version {
                s.version = version
                s.bodies.removeAll()
            }
        }
    }
}

extension Application {
    struct SchoolResponseCacheKey: StorageKey {
        typealias Value = SchoolResponseCache
    }

    /// Set once in `configure`, before the application boots and serves, so that every reader shares one cache.
    var schoolResponseCache: SchoolResponseCache {
        get {
            guard let cache = storage[SchoolResponseCacheKey.self] else {
                preconditionFailure("configure(_:_:) sets the school response cache before the application boots")
            }
            return cache
        }
        set { storage[SchoolResponseCacheKey.self] = newValue }
    }
}

/// Reads the schools' data version once a second while the application runs.
struct DataVersionWatcher: LifecycleHandler {
    final class TaskBox: Sendable {
        let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
    }

    let box = TaskBox()
    let interval: Duration

    init(interval: Duration = .seconds(1)) { self.interval = interval }

    // The synchronous hook: Vapor's async boot reaches it too, and its test harness boots only this way.
    func didBoot(_ app: Application) throws {
        let cache = app.schoolResponseCache
        let interval = self.interval
        let task = Task { [weak app] in
            while !Task.isCancelled {
                guard let app else { return }
                if let v = try? await DataVersions(app.db).current(DataVersions.schools) { cache.observe(version: v) }
                try? await Task.sleep(for: interval)
            }
        }
        box.task.withLockedValue { $0 = task }
    }

    func shutdown(_ app: Application) {
        box.task.withLockedValue { $0?.cancel() }
    }

    func shutdownAsync(_ app: Application) async {
        let task = box.task.withLockedValue { t -> Task<Void, Never>? in
            defer { t = nil }
            return t
        }
        task?.cancel()
        await task?.value
    }
}

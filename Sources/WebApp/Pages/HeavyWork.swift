import Domain
import Pages
import Vapor

/// At most a few CPU-heavy computations (cold-spot analyses with permutations) run at once; a few more wait their
/// turn, and beyond that a request is told to come back (503 with Retry-After) instead of piling up until every
/// core is busy and every page slows down.
actor HeavyWorkLimiter {
    let running: Int
    let waiting: Int
    private var active = 0
    private var queue: [CheckedContinuation<Void, Never>] = []

    init(running: Int = max(1, System.coreCount - 1), waiting: Int = 8) {
        self.running = running
        self.waiting = waiting
    }

    static let retryAfterSeconds = 5

    /// Runs `work` off the request's executor once a slot is free; throws 503 when too many already wait.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        if active >= running {
            guard queue.count < waiting else {
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .retryAfter, value: String(Self.retryAfterSeconds))
                throw Abort(
                    .serviceUnavailable, headers: headers,
                    reason:
                        "Chalkface is busy with other analyses. Try again in \(Self.retryAfterSeconds) seconds; results for the same settings are then quick."
                )
            }
            await withCheckedContinuation { queue.append($0) }
        } else {
            active += 1
        }
        defer {
            if queue.isEmpty { active -= 1 } else { queue.removeFirst().resume() }
        }
        return try await Task.detached(priority: .utility) { try work() }.value
    }
}

/// Cold-spot results for recent settings and inputs, newest kept (least recently used dropped first).
actor ColdSpotCache {
    struct Key: Hashable, Sendable {
        let settings: ColdSpotsPage.Settings
        let robustness: Bool
        /// A hash of every school's URN, position and value that went in.
        let inputs: UInt64
    }

    let capacity: Int
    private var entries: [Key: ColdSpotsController.Computed] = [:]
    private var order: [Key] = []

    init(capacity: Int = 32) { self.capacity = capacity }

    /// How many results are held.
    var count: Int { entries.count }

    static func key(settings: ColdSpotsPage.Settings, robustness: Bool, schools: [School], values: [URN: Double])
        -> Key
    {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: UInt64) {
            hash ^= v
            hash = hash &* 0x0100_0000_01b3
        }
        for s in schools {
            mix(UInt64(bitPattern: Int64(s.urn.value)))
            mix(s.location?.easting.bitPattern ?? 1)
            mix(s.location?.northing.bitPattern ?? 2)
            mix(values[s.urn]?.bitPattern ?? 3)
        }
        var settings = settings
        settings.sort = .significance  // the order of the table does not change what is computed
        return Key(settings: settings, robustness: robustness, inputs: hash)
    }

    func value(for key: Key) -> ColdSpotsController.Computed? {
        guard let v = entries[key] else { return nil }
        order.removeAll { $0 == key }
        order.append(key)
        return v
    }

    func store(_ value: ColdSpotsController.Computed, for key: Key) {
        if entries[key] == nil { order.append(key) }
        entries[key] = value
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }
}

extension Application {
    private struct HeavyWorkKey: StorageKey { typealias Value = HeavyWorkLimiter }
    private struct ColdSpotCacheKey: StorageKey { typealias Value = ColdSpotCache }

    var heavyWork: HeavyWorkLimiter {
        get { storage[HeavyWorkKey.self] ?? HeavyWorkLimiter() }
        set { storage[HeavyWorkKey.self] = newValue }
    }

    var coldSpotCache: ColdSpotCache {
        get { storage[ColdSpotCacheKey.self] ?? ColdSpotCache() }
        set { storage[ColdSpotCacheKey.self] = newValue }
    }
}

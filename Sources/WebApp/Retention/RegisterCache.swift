import Domain
import Fluent
import Persistence
import Vapor

/// The teacher register as the retention pages read it (every teacher with their periods, and the facts of the
/// schools they name), kept in memory while the register's data version is unchanged. Every change to the
/// register bumps that version in its own transaction, from any process, so a page never shows a stale register:
/// each request reads the version (one small query) and reloads only when it has moved.
actor RegisterCache {
    struct Snapshot: Sendable {
        var version: Int
        var teachers: [TeacherRecord]
        var facts: [Int: Retention.SchoolFacts]
        /// "Primary" or "Secondary" by URN, where the school's phase says.
        var phases: [Int: String]
        var generated: Int
    }

    private var snapshot: Snapshot?
    private var loading: Task<Snapshot, any Error>?

    func current(_ db: any Database) async throws -> Snapshot {
        let version = try await DataVersions(db).current(DataVersions.teachers)
        if let s = snapshot, s.version == version { return s }
        if let loading { return try await loading.value }
        let task = Task { try await Self.load(db, version: version) }
        loading = task
        defer { loading = nil }
        let loaded = try await task.value
        snapshot = loaded
        return loaded
    }

    static func load(_ db: any Database, version: Int) async throws -> Snapshot {
        let store = TeacherStore(db)
        let teachers = try await store.all()
        let urns = Set(teachers.flatMap { $0.periods.map(\.urn) })
        let schools = try await SchoolStore(db).find(urns.map(URN.init))
        var facts: [Int: Retention.SchoolFacts] = [:]
        var phases: [Int: String] = [:]
        for (urn, s) in schools {
            facts[urn.value] = .init(
                name: s.name, phase: s.phase.label, localAuthority: s.localAuthority?.name ?? "Unknown")
            switch s.phase {
            case .nursery, .primary, .middleDeemedPrimary: phases[urn.value] = "Primary"
            case .secondary, .sixteenPlus, .middleDeemedSecondary: phases[urn.value] = "Secondary"
            default: break
            }
        }
        return Snapshot(
            version: version, teachers: teachers, facts: facts, phases: phases,
            generated: try await store.generatedCount())
    }
}

extension Application {
    struct RegisterCacheKey: StorageKey {
        typealias Value = RegisterCache
    }

    /// Set once in `configure`, before the application boots and serves.
    var registerCache: RegisterCache {
        get {
            guard let cache = storage[RegisterCacheKey.self] else {
                preconditionFailure("configure(_:_:) sets the register cache before the application boots")
            }
            return cache
        }
        set { storage[RegisterCacheKey.self] = newValue }
    }
}

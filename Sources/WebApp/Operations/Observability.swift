import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import Prometheus
import Vapor

/// Metrics in the Prometheus text format and structured logs.
///
/// swift-metrics is bootstrapped once per process with swift-prometheus as its backend, so Vapor's own request
/// counters and latency timers (by route pattern, method and status) land in the same registry as Chalkface's:
/// imports and their rows, allocation runs and cold-spot analyses with their durations, and waits for a slot of
/// heavy work.
public enum Observability {
    /// The one registry of this process.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = NIOLockedValueBox(false)

    /// Installs the Prometheus backend for swift-metrics, once per process (later calls do nothing).
    public static func bootstrapMetrics() {
        bootstrapped.withLockedValue { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.defaultDurationHistogramBuckets = [
                .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                .milliseconds(2_500), .seconds(5), .seconds(10), .seconds(30),
            ]
            MetricsSystem.bootstrap(factory)
            done = true
        }
    }

    /// The text Prometheus scrapes.
    static func exposition() -> String { registry.emitToString() }

    /// Counts a finished import and its rows (`kind`: trainees, schools, postcodes, indicator).
    static func recordImport(kind: String, rows: Int) {
        Counter(label: "chalkface_imports_total", dimensions: [("kind", kind)]).increment()
        Counter(label: "chalkface_import_rows_total", dimensions: [("kind", kind)]).increment(by: rows)
    }

    /// Times an analysis or allocation (`name`: coldspots, allocation).
    static func time<T>(_ name: String, _ body: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        defer {
            Metrics.Timer(label: "chalkface_analysis_duration_seconds", dimensions: [("analysis", name)])
                .recordNanoseconds(Int64((ContinuousClock.now - started) / .nanoseconds(1)))
        }
        return try await body()
    }

    /// Whether a request may read the metrics: from this machine directly (not through a proxy), or with the
    /// `METRICS_TOKEN` as a bearer token.
    static func mayReadMetrics(_ req: Request) -> Bool {
        if let token = req.application.configuration?.metricsToken, !token.isEmpty,
            let sent = req.headers.bearerAuthorization?.token
        {
            return Secret.equal(sent, token)
        }
        guard req.headers.first(name: "X-Forwarded-For") == nil, let peer = req.remoteAddress?.ipAddress else {
            return false
        }
        return peer == "127.0.0.1" || peer == "::1" || peer.hasPrefix("127.")
    }
}

/// One JSON object per line (`LOG_FORMAT=json`): time, level, label, message, source and the metadata, which for a
/// request includes Vapor's `request-id` (also sent to the client as X-Request-Id).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    private static let lock = NIOLock()
    nonisolated(unsafe) private static let formatter = ISO8601DateFormatter()

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(explicit ?? [:], uniquingKeysWith: { _, new in new }) {
            fields[key] = "\(value)"
        }
        Self.lock.withLock {
            // One formatter for every line, used under the lock (a new one per line was most of a line's cost).
            let object: [String: Any] = [
                "time": Self.formatter.string(from: Date()), "level": level.rawValue, "label": label,
                "message": message.description, "source": source, "metadata": fields,
            ]
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
                return
            }
            FileHandle.standardError.write(data + Data("\n".utf8))
        }
    }
}

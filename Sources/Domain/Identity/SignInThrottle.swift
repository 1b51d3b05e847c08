import Foundation

/// Slows and then locks sign-in after repeated failures, per account and per source address.
///
/// After `freeFailures` failures a person must wait before the next try (1 s, 2 s, 4 s... up to 60 s); after
/// `lockAfter` failures the key is locked for `lockDuration`. Failures are forgotten `window` after the last one,
/// and a successful sign-in clears the account's count.
public struct SignInThrottle: Sendable, Hashable {
    public var freeFailures: Int
    public var lockAfter: Int
    public var lockDuration: TimeInterval
    public var window: TimeInterval

    public init(freeFailures: Int, lockAfter: Int, lockDuration: TimeInterval, window: TimeInterval) {
        self.freeFailures = freeFailures
        self.lockAfter = lockAfter
        self.lockDuration = lockDuration
        self.window = window
    }

    /// For one account: three free tries, locked for 15 minutes after ten.
    public static let account = SignInThrottle(freeFailures: 3, lockAfter: 10, lockDuration: 15 * 60, window: 15 * 60)
    /// For one source address, which may serve many people (a school's network): more generous.
    public static let address = SignInThrottle(
        freeFailures: 10, lockAfter: 50, lockDuration: 15 * 60, window: 15 * 60)

    /// Password-reset requests for one email address (whether or not it has an account): three an hour, then
    /// none for an hour. Each sends an email, so the form must not become a way to flood someone's inbox.
    public static let resetRequests = SignInThrottle(
        freeFailures: 3, lockAfter: 3, lockDuration: 60 * 60, window: 60 * 60)
    /// Password-reset requests from one source address: twenty an hour.
    public static let resetRequestsFromAddress = SignInThrottle(
        freeFailures: 20, lockAfter: 20, lockDuration: 60 * 60, window: 60 * 60)

    public struct State: Hashable, Sendable {
        public var failures: Int
        public var lastFailure: Date
        public init(failures: Int, lastFailure: Date) {
            self.failures = failures
            self.lastFailure = lastFailure
        }
    }

    public enum Decision: Hashable, Sendable {
        case allowed
        /// Try again after this many seconds.
        case wait(seconds: Int)
        case lockedUntil(Date)
    }

    public func decide(_ state: State?, now: Date) -> Decision {
        guard let state = current(state, now: now) else { return .allowed }
        if state.failures >= lockAfter {
            let until = state.lastFailure.addingTimeInterval(lockDuration)
            return now < until ? .lockedUntil(until) : .allowed
        }
        if state.failures > freeFailures {
            let delay = min(60, 1 << min(state.failures - freeFailures - 1, 6))
            let ready = state.lastFailure.addingTimeInterval(TimeInterval(delay))
            if now < ready { return .wait(seconds: Int(ready.timeIntervalSince(now).rounded(.up))) }
        }
        return .allowed
    }

    /// The state after one more failure at `now`.
    public func failing(_ state: State?, now: Date) -> State {
        let failures = (current(state, now: now)?.failures ?? 0) + 1
        return State(failures: failures, lastFailure: now)
    }

    /// The state, or nil once it has been forgotten (a lock, or `window` since the last failure, has passed).
    func current(_ state: State?, now: Date) -> State? {
        guard let state else { return nil }
        let forgetAfter = state.failures >= lockAfter ? max(window, lockDuration) : window
        return now.timeIntervalSince(state.lastFailure) >= forgetAfter ? nil : state
    }
}

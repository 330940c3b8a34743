import Synchronization

/// A doorbell for one of the node's loops: `announce()` when something the loop waits for has happened,
/// and a ``PollingLoop`` that was given this ends its idle pause at once. The node rings them along its
/// pipeline: a head pushed by the endpoint (`eth_subscribe("newHeads")`) rings the watcher's and the
/// submitter's, new jobs found by the watcher ring the dispatcher's, and results the dispatcher signed
/// ring the submitter's — so a request moves from log to transaction without waiting out poll intervals.
///
/// It carries no data on purpose: a woken pass reads the store and the chain exactly as a pass after a
/// timed pause does (cursor, stored hashes for reorgs, confirmation depth, receipts, job states), so every
/// guarantee holds whether announcements are early, late, duplicated, lost or never made; the poll
/// interval stays the upper bound on how long a loop sleeps.
///
/// Announcements are counted, so one made while a pass runs is not lost: the loop notes the count
/// before its pass and, if it has moved by the time it would pause, does not pause.
package final class Wakeup: Sendable {
    private struct State {
        var announced: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// How many announcements were made so far.
    package var announced: UInt64 { state.withLock { $0.announced } }

    /// Counts an announcement and wakes every waiter.
    package func announce() {
        let woken = state.withLock { state in
            state.announced &+= 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once more than `seen` announcements were made (at once if that is already so), or when the
    /// task is cancelled.
    package func wait(past seen: UInt64) async {
        let id = state.withLock { state in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    if state.announced != seen || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Sleeps for `duration`, or less if an announcement beyond `seen` is made first. Throws only
    /// `CancellationError`, as `Task.sleep` does.
    package func sleep(for duration: Duration, unlessPast seen: UInt64) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Task.sleep(for: duration) }
            group.addTask { await self.wait(past: seen) }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}

import Logging
import ServiceLifecycle

/// Runs `body` until graceful shutdown: after a round that found work, again at once; after an idle
/// round, after `interval`; after an error, after a doubling pause (up to a minute), logged once per
/// change of message so a long outage does not flood the log. A round in progress always finishes.
/// With a `state`, a failing loop shows in readiness under its name with its error, so `/readyz` names
/// the actual cause (a full disk, not "the chain").
///
/// With a `wakeup`, an idle pause also ends when it is announced (or was announced while the round ran:
/// a new head, new jobs, new results — see ``Wakeup``), so the next round starts at once; the round
/// itself is unchanged, and the interval still bounds every idle pause. Pauses after an error are not
/// shortened: a new block does not mend an outage.
package struct PollingLoop: Sendable {
    let name: String
    let interval: Duration
    let logger: Logger
    let state: NodeState?
    let wakeup: Wakeup?

    package init(name: String, interval: Duration, logger: Logger, state: NodeState? = nil) {
        self.init(name: name, interval: interval, logger: logger, state: state, wakeup: nil)
    }

    package init(name: String, interval: Duration, logger: Logger, state: NodeState? = nil, wakeup: Wakeup?) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.state = state
        self.wakeup = wakeup
    }

    package func run(_ body: () async throws -> Bool) async {
        var failures = 0
        var lastError = ""
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let announcedBefore = wakeup?.announced
            let pause: Duration
            var wakeable = false
            do {
                let busy = try await body()
                if failures > 0 {
                    logger.info("\(name) recovered", metadata: ["after_failures": "\(failures)"])
                    await state?.recovered(name)
                }
                failures = 0
                lastError = ""
                pause = busy ? .zero : interval
                wakeable = true
            } catch {
                failures += 1
                let message = "\(error)"
                if message != lastError {
                    logger.warning("\(name) failed; retrying", metadata: ["error": "\(message)", "attempt": "\(failures)"])
                    await state?.failing(name, message)
                }
                lastError = message
                pause = min(interval * (1 << min(failures, 7)), .seconds(60))
            }
            if pause > .zero {
                if wakeable, let wakeup, let announcedBefore {
                    try? await cancelWhenGracefulShutdown { try await wakeup.sleep(for: pause, unlessPast: announcedBefore) }
                } else {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
                }
            }
        }
    }
}

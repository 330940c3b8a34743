import Logging
import ServiceLifecycle

/// Runs `body` until graceful shutdown: after a round that found work, again at once; after an idle
/// round, after `interval`; after an error, after a doubling pause (up to a minute), logged once per
/// change of message so a long outage does not flood the log. A round in progress always finishes.
/// With a `state`, a failing loop shows in readiness under its name with its error, so `/readyz` names
/// the actual cause (a full disk, not "the chain").
public struct PollingLoop: Sendable {
    let name: String
    let interval: Duration
    let logger: Logger
    let state: NodeState?

    public init(name: String, interval: Duration, logger: Logger, state: NodeState? = nil) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.state = state
    }

    public func run(_ body: () async throws -> Bool) async {
        var failures = 0
        var lastError = ""
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let pause: Duration
            do {
                let busy = try await body()
                if failures > 0 {
                    logger.info("\(name) recovered", metadata: ["after_failures": "\(failures)"])
                    await state?.recovered(name)
                }
                failures = 0
                lastError = ""
                pause = busy ? .zero : interval
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
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            }
        }
    }
}

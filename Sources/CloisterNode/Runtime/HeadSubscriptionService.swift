import ChainClient
import Logging
import Oracle
import ServiceLifecycle

/// `chain.ws`: keeps a `newHeads` subscription open and turns each notification into an announcement on
/// each of `wakeups` (the watcher's and the submitter's doorbells), which ends their idle pause early. Nothing read from the
/// subscription reaches the store or any decision; the loops read the chain over HTTP as always.
///
/// While the subscription is down the node simply polls at `chain.poll_interval_ms`; a loss is logged
/// once per change of cause (as ``PollingLoop`` logs errors), and so is the recovery.
struct HeadSubscriptionService: Service {
    let subscription: HeadSubscription
    let wakeups: [Wakeup]
    let url: String
    let pollInterval: Duration
    let logger: Logger

    func run() async throws {
        let log = SubscriptionLog(url: url, pollInterval: pollInterval, logger: logger)
        let wakeups = self.wakeups
        await cancelWhenGracefulShutdown {
            await subscription.run { event in
                if case .head = event { for wakeup in wakeups { wakeup.announce() } }
                await log.record(event)
            }
        }
    }
}

/// What the subscription's log says: each change of state once, not each retry.
private actor SubscriptionLog {
    let url: String
    let pollInterval: Duration
    let logger: Logger
    private var subscribedOnce = false
    private var lastLoss: String?
    private var heads: UInt64 = 0

    init(url: String, pollInterval: Duration, logger: Logger) {
        self.url = url
        self.pollInterval = pollInterval
        self.logger = logger
    }

    func record(_ event: HeadSubscription.Event) {
        switch event {
        case .subscribed:
            if !subscribedOnce {
                subscribedOnce = true
                logger.info("subscribed to new heads; polling continues as the fallback", metadata: ["ws": "\(url)"])
            }
        case .head:
            heads &+= 1
            if let loss = lastLoss {
                logger.info("head subscription recovered", metadata: ["ws": "\(url)", "after": "\(loss)"])
                lastLoss = nil
            }
        case .lost(let error, let retryIn):
            let message = "\(error)"
            if message != lastLoss {
                logger.warning(
                    "head subscription unavailable; polling only until it is back",
                    metadata: [
                        "ws": "\(url)", "error": "\(message)", "poll_interval": "\(pollInterval)",
                        "next_attempt_in": "\(retryIn)"
                    ])
                lastLoss = message
            }
        }
    }
}

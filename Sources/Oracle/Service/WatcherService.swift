import Logging
import ServiceLifecycle

/// Keeps the watcher stepping and its progress visible in metrics and status.
package struct WatcherService: Service {
    let watcher: ChainWatcher
    let store: any JobStore
    let state: NodeState
    let metrics: NodeMetrics
    let interval: Duration
    let logger: Logger
    /// Ends the idle pause early when the endpoint announces a new head (nil: polling only).
    let wakeup: Wakeup?
    /// Rung when a pass stored new jobs or sent jobs back to be executed again: the dispatcher's doorbell.
    let jobsFound: Wakeup?

    package init(
        watcher: ChainWatcher, store: any JobStore, state: NodeState, metrics: NodeMetrics, interval: Duration, logger: Logger,
        wakeup: Wakeup? = nil, jobsFound: Wakeup? = nil
    ) {
        self.wakeup = wakeup
        self.jobsFound = jobsFound
        self.watcher = watcher
        self.store = store
        self.state = state
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        await PollingLoop(name: "watcher", interval: interval, logger: logger, state: state, wakeup: wakeup).run {
            let step: WatchStep
            do { step = try await watcher.step() } catch {
                if await watcher.answeredHead { await state.chainAnswered() }
                throw error
            }
            let head = await watcher.lastHead
            let next = try await store.nextBlock()
            metrics.record(step, nextBlock: next, head: head)
            await state.watched(head: head, nextBlock: next)
            let counts = try await store.countsByState()
            metrics.record(jobCounts: counts)
            await state.counted(counts)
            switch step {
            case .scanned(let range, let newJobs, let skipped):
                if newJobs > 0 { jobsFound?.announce() }
                if newJobs > 0 || skipped > 0 {
                    logger.info(
                        "scanned blocks",
                        metadata: [
                            "from": "\(range.lowerBound)", "to": "\(range.upperBound)",
                            "new_jobs": "\(newJobs)", "skipped_logs": "\(skipped)"
                        ])
                }
                return true
            case .rewound(let ancestor, let outcome):
                if !outcome.recheck.isEmpty { jobsFound?.announce() }
                logger.warning(
                    "reorg: rewound to common ancestor",
                    metadata: [
                        "ancestor": "\(ancestor)", "dropped_jobs": "\(outcome.dropped.count)",
                        "jobs_to_recheck": "\(outcome.recheck.count)"
                    ])
                return true
            case .rangeShrunk(let range):
                logger.notice("provider refused the log range; asking for less", metadata: ["blocks": "\(range)"])
                return true
            case .raced:
                return true
            case .notYet(let reason):
                // Logged when the wait starts and then every hundredth poll, not on every poll.
                let streak = await watcher.notYetStreak
                if streak % 100 == 1 { logger.notice("endpoint lagging; waiting", metadata: ["reason": "\(reason)", "polls": "\(streak)"]) }
                return false
            case .caughtUp:
                return false
            }
        }
    }
}

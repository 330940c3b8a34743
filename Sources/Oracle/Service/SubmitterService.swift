import Logging
import ServiceLifecycle

/// Keeps results flowing to the chain. On shutdown the pass in progress completes, so every
/// transaction that was recorded is also broadcast.
package struct SubmitterService: Service {
    let submitter: Submitter
    let state: NodeState
    let metrics: NodeMetrics
    let interval: Duration
    let logger: Logger
    /// Ends the idle pause early when the dispatcher has signed results or the endpoint announces a new
    /// head (nil: polling only).
    let wakeup: Wakeup?

    package init(submitter: Submitter, state: NodeState, metrics: NodeMetrics, interval: Duration, logger: Logger, wakeup: Wakeup? = nil) {
        self.wakeup = wakeup
        self.submitter = submitter
        self.state = state
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        try await submitter.start()
        await PollingLoop(name: "submitter", interval: interval, logger: logger, state: state, wakeup: wakeup).run {
            let report = try await submitter.runPass()
            metrics.record(report)
            await state.submitted(report)
            if let problem = report.lastProblem { logger.warning("submission problem", metadata: ["problem": "\(problem)"]) }
            if report.sent + report.replaced + report.included + report.confirmed + report.reverted + report.orphaned > 0 {
                logger.info(
                    "submissions",
                    metadata: [
                        "sent": "\(report.sent)", "replaced": "\(report.replaced)", "included": "\(report.included)",
                        "confirmed": "\(report.confirmed)", "reverted": "\(report.reverted)",
                        "orphaned": "\(report.orphaned)"
                    ])
            }
            return report.sent > 0
        }
    }
}

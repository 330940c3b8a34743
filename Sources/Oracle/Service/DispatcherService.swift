import Logging
import ServiceLifecycle

/// Keeps the dispatcher executing jobs; resumes executions a crash interrupted.
package struct DispatcherService: Service {
    let dispatcher: Dispatcher
    let state: NodeState
    let metrics: NodeMetrics
    let interval: Duration
    let logger: Logger
    /// Ends the idle pause as soon as new jobs are stored (the watcher and the duty scanner ring it).
    let wakeup: Wakeup?
    /// Rung when a round stored signed results: the submitter's doorbell.
    let resultsSigned: Wakeup?

    package init(
        dispatcher: Dispatcher, state: NodeState, metrics: NodeMetrics, interval: Duration, logger: Logger,
        wakeup: Wakeup? = nil, resultsSigned: Wakeup? = nil
    ) {
        self.wakeup = wakeup
        self.resultsSigned = resultsSigned
        self.dispatcher = dispatcher
        self.state = state
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        let resumed = try await dispatcher.recoverInterrupted()
        if resumed > 0 { logger.notice("resuming executions interrupted by a restart", metadata: ["jobs": "\(resumed)"]) }
        await PollingLoop(name: "dispatcher", interval: interval, logger: logger, state: state, wakeup: wakeup).run {
            let round = try await dispatcher.runRound()
            if round.signed > 0 { resultsSigned?.announce() }
            metrics.record(round)
            let fault = await dispatcher.lastFault
            await state.dispatched(consecutiveFaults: await dispatcher.consecutiveFaults, lastFault: fault)
            if round.faults > 0, let fault {
                logger.error("execution failed on the node side; will retry", metadata: ["reason": "\(fault.reason)", "jobs": "\(round.faults)"])
            }
            if round.signed > 0 || round.failed > 0 {
                logger.info("executed jobs", metadata: ["signed": "\(round.signed)", "error_results": "\(round.errorResults)", "given_up": "\(round.failed)"])
            }
            return !round.isIdle
        }
    }
}

import Logging
import Oracle
import ServiceLifecycle

/// Runs the duty scanner until it is caught up, then a keeper pass, every `interval`; reports what they
/// did to the status, the metrics and the log.
struct DutyService: Service {
    let scanner: DutyScanner
    let keeper: DutyKeeper
    let state: NodeState
    let metrics: NodeMetrics
    let interval: Duration
    let logger: Logger
    /// Rung when a scan stored verifier, juror or challenger jobs: the dispatcher's doorbell.
    var jobsFound: Wakeup? = nil

    func run() async throws {
        await PollingLoop(name: "duties", interval: interval, logger: logger, state: state).run {
            if let report = try await scanner.scan() {
                if report.verificationsAssigned + report.juryDraws + report.challengesStarted > 0 { jobsFound?.announce() }
                await record(report, what: "duty scan")
                return true
            }
            await record(try await keeper.pass(), what: "keeper")
            return false
        }
    }

    private func record(_ report: DutyReport, what: String) async {
        metrics.record(report)
        await state.recordDuties(report)
        if let problem = report.lastProblem { logger.warning("\(what) problem", metadata: ["problem": "\(problem)"]) }
        guard !report.isEmpty else { return }
        var metadata: Logger.Metadata = [:]
        if report.verificationsAssigned > 0 { metadata["verifications_assigned"] = "\(report.verificationsAssigned)" }
        if report.juryDraws > 0 { metadata["jury_seats"] = "\(report.juryDraws)" }
        if report.challengesStarted > 0 { metadata["challenges"] = "\(report.challengesStarted)" }
        if report.disputesWon + report.disputesLost > 0 { metadata["disputes_won"] = "\(report.disputesWon)"; metadata["disputes_lost"] = "\(report.disputesLost)" }
        if report.slashedWei > .zero { metadata["slashed_wei"] = "\(report.slashedWei)" }
        for (reason, wei) in report.creditedWei { metadata["credited_\(reason)_wei"] = "\(wei)" }
        for (action, count) in report.actions { metadata["sent_\(action)"] = "\(count)" }
        logger.info("\(what)", metadata: metadata)
    }
}

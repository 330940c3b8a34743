import Ethereum
import Prometheus

/// The node's Prometheus metrics, on a registry of its own (no process-wide bootstrap, so several nodes
/// or tests can live in one process). `/metrics` prints ``registry``.
package final class NodeMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
    let headLag: Gauge
    let jobs: [JobState: Gauge]
    let executionDuration: DurationHistogram
    let inclusionDuration: DurationHistogram
    let resultsSigned: Counter
    let errorResults: Counter
    let nodeFaults: Counter
    let transactionsSent: Counter
    let replacements: Counter
    let reverts: Counter
    let orphanedTransactions: Counter
    let resultsHeld: Gauge
    let gasSpentGwei: Counter
    let skippedLogs: Counter
    let reorgs: Counter
    let dutiesAssigned: [String: Counter]
    let disputes: [Bool: Counter]
    let slashedGwei: Counter
    let failedDuties: Gauge
    let standingOK: Gauge

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        headLag = registry.makeGauge(
            descriptor: Self.descriptor("head_lag", unit: "blocks", help: "Blocks between the chain head and the next block the watcher will scan."))
        jobs = Dictionary(
            uniqueKeysWithValues: JobState.allCases.map { state in
                (state, registry.makeGauge(descriptor: Self.descriptor("jobs", unit: "", help: "Jobs in the store by state."), labels: [("state", state.rawValue)]))
            })
        let seconds: [Duration] = [
            .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60)
        ]
        executionDuration = registry.makeDurationHistogram(
            descriptor: Self.descriptor("execution_duration", unit: "seconds", help: "Time the enclave took to execute and sign a job."), buckets: seconds)
        inclusionDuration = registry.makeDurationHistogram(
            descriptor: Self.descriptor("inclusion_duration", unit: "seconds", help: "Time from broadcast to a transaction's inclusion."), buckets: seconds)
        resultsSigned = registry.makeCounter(descriptor: Self.descriptor("results_signed", unit: "total", help: "Results executed and signed, error results included."))
        errorResults = registry.makeCounter(
            descriptor: Self.descriptor("error_results", unit: "total", help: "Error results posted for requests the node could not serve."))
        nodeFaults = registry.makeCounter(descriptor: Self.descriptor("node_faults", unit: "total", help: "Executions that failed because of the node itself."))
        transactionsSent = registry.makeCounter(descriptor: Self.descriptor("transactions_sent", unit: "total", help: "Transactions broadcast."))
        replacements = registry.makeCounter(descriptor: Self.descriptor("transaction_replacements", unit: "total", help: "Transactions replaced with higher fees."))
        reverts = registry.makeCounter(descriptor: Self.descriptor("transaction_reverts", unit: "total", help: "Included transactions whose call reverted."))
        orphanedTransactions = registry.makeCounter(
            descriptor: Self.descriptor(
                "transactions_orphaned", unit: "total",
                help: "Included transactions a reorg orphaned; each was sent again under its nonce."))
        resultsHeld = registry.makeGauge(
            descriptor: Self.descriptor(
                "submitter_results_held", unit: "",
                help: "Signed results the last submitter pass left for a fuller batch before the next block."))
        gasSpentGwei = registry.makeCounter(descriptor: Self.descriptor("gas_spent_gwei", unit: "total", help: "Gas fees paid by the operator wallet, in gwei."))
        skippedLogs = registry.makeCounter(descriptor: Self.descriptor("skipped_logs", unit: "total", help: "Logs that never decoded and were skipped."))
        reorgs = registry.makeCounter(descriptor: Self.descriptor("reorgs", unit: "total", help: "Reorgs detected by the watcher."))
        dutiesAssigned = Dictionary(
            uniqueKeysWithValues: ["verification", "jury", "challenge"].map { duty in
                (
                    duty,
                    registry.makeCounter(
                        descriptor: Self.descriptor("duties_assigned", unit: "total", help: "Verifications, jury seats and challenges this node took on."),
                        labels: [("duty", duty)])
                )
            })
        disputes = Dictionary(
            uniqueKeysWithValues: [true, false].map { won in
                (
                    won,
                    registry.makeCounter(
                        descriptor: Self.descriptor("disputes_resolved", unit: "total", help: "Disputes this node took part in, by outcome for this node."),
                        labels: [("outcome", won ? "won" : "lost")])
                )
            })
        failedDuties = registry.makeGauge(
            descriptor: Self.descriptor("duties_failed", unit: "", help: "Verifications, votes and challenges that failed, most often because their window closed first.")
        )
        standingOK = registry.makeGauge(
            descriptor: Self.descriptor(
                "standing_ok", unit: "",
                help: "1 when the chain shows the node active, staked and attested under this enclave's key; 0 otherwise (see /readyz)."))
        slashedGwei = registry.makeCounter(descriptor: Self.descriptor("slashed_gwei", unit: "total", help: "Stake slashed from this node, in gwei."))
    }

    private static func descriptor(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "cloister", metricName: name, unitName: unit, helpText: help)
    }

    /// A counter of JSON-RPC errors for one endpoint.
    package func rpcErrors(endpoint: String) -> Counter {
        registry.makeCounter(descriptor: Self.descriptor("rpc_errors", unit: "total", help: "JSON-RPC calls that failed, by endpoint."), labels: [("endpoint", endpoint)])
    }

    func record(jobCounts: [JobState: Int]) {
        for (state, gauge) in jobs { gauge.set(Double(jobCounts[state] ?? 0)) }
    }

    func record(_ step: WatchStep, nextBlock: UInt64?, head: UInt64?) {
        if let head, let nextBlock { headLag.set(Double(head >= nextBlock ? head - nextBlock + 1 : 0)) }
        switch step {
        case .scanned(_, _, let skipped): skippedLogs.increment(by: Int64(skipped))
        case .rewound: reorgs.increment()
        case .caughtUp, .rangeShrunk, .raced, .notYet: break
        }
    }

    func record(_ round: DispatchRound) {
        resultsSigned.increment(by: Int64(round.signed))
        errorResults.increment(by: Int64(round.errorResults))
        nodeFaults.increment(by: Int64(round.faults))
        for duration in round.executionDurations { executionDuration.record(duration) }
    }

    /// Counts what a duty scan or keeper pass did; earnings go to a counter per credit reason and keeper
    /// transactions to one per action.
    package func record(_ report: DutyReport) {
        dutiesAssigned["verification"]?.increment(by: Int64(report.verificationsAssigned))
        dutiesAssigned["jury"]?.increment(by: Int64(report.juryDraws))
        dutiesAssigned["challenge"]?.increment(by: Int64(report.challengesStarted))
        disputes[true]?.increment(by: Int64(report.disputesWon))
        disputes[false]?.increment(by: Int64(report.disputesLost))
        if let failed = report.failedDuties { failedDuties.set(Double(failed)) }
        if let gwei = (report.slashedWei / UInt256(1_000_000_000)).uint64 { slashedGwei.increment(by: Int64(clamping: gwei)) }
        for (reason, wei) in report.creditedWei {
            guard let gwei = (wei / UInt256(1_000_000_000)).uint64 else { continue }
            registry.makeCounter(
                descriptor: Self.descriptor("credited_gwei", unit: "total", help: "Credits to the operator from the core, in gwei, by reason."),
                labels: [("reason", reason)]
            ).increment(by: Int64(clamping: gwei))
        }
        for (action, count) in report.actions {
            registry.makeCounter(
                descriptor: Self.descriptor("keeper_transactions", unit: "total", help: "Settlement and dispute transactions sent, by action."),
                labels: [("action", action)]
            ).increment(by: Int64(count))
        }
    }

    /// `cloister_build_info{version=…} 1`: which release is running, for dashboards and alerts.
    package func recordBuild(version: String) {
        registry.makeGauge(
            descriptor: Self.descriptor("build_info", unit: "", help: "The running release (value 1)."),
            labels: [("version", version)]
        ).set(1.0)
    }

    package func record(_ standing: NodeStanding) {
        standingOK.set(Double(standing.canWork ? 1 : 0))
    }

    func record(_ report: SubmitterReport) {
        transactionsSent.increment(by: Int64(report.sent))
        replacements.increment(by: Int64(report.replaced))
        reverts.increment(by: Int64(report.reverted))
        orphanedTransactions.increment(by: Int64(report.orphaned))
        resultsHeld.set(Int64(report.held))
        for duration in report.inclusionDurations { inclusionDuration.record(duration) }
        if let gwei = (report.gasSpentWei / UInt256(1_000_000_000)).uint64 { gasSpentGwei.increment(by: Int64(clamping: gwei)) }
    }
}

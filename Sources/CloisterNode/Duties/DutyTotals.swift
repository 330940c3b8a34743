import CloisterClient
import Ethereum
import Oracle

/// The money totals of `/v1/status` (stake slashed from this node, credits to its operator by reason)
/// restored at start up to the block the duty scanner has read, so a restart neither zeroes nor doubles
/// them: the scanner goes on from there. The store keeps a checkpoint of the totals through a block
/// buried deeper than `chain.final_depth`, so a start counts only the events since the last one, not
/// the deployment's whole history.
enum DutyTotals {
    static func restore(
        contracts: DeployedContracts, store: any DutyStore, nodeID: UInt256, operatorAddress: Address,
        through last: UInt64, head: UInt64, finalDepth: UInt64, maxRange: UInt64
    ) async throws -> DutyReport {
        var totals = DutyReport()
        var next = contracts.deploymentBlock
        // A checkpoint past `last` cannot come from this store's own scans (the cursor never moves back
        // beyond a final block): it is not trusted, and the totals are counted again.
        if let saved = try await store.dutyTotals(), saved.through <= last, saved.through >= next {
            totals = saved.totals
            next = saved.through + 1
        }
        let windows = LogWindows(chain: contracts.chain, span: LogSpan(maximum: maxRange))
        let final = min(last, head > finalDepth ? head - finalDepth : 0)
        if next <= final {
            totals.add(try await count(windows, contracts: contracts, nodeID: nodeID, operatorAddress: operatorAddress, blocks: next...final))
            try await store.saveDutyTotals(DutyTotalsCheckpoint(through: final, totals: totals))
            next = final + 1
        }
        if next <= last {
            totals.add(try await count(windows, contracts: contracts, nodeID: nodeID, operatorAddress: operatorAddress, blocks: next...last))
        }
        return totals
    }

    /// The node's `Slashed` and the operator's `Credited` events in `blocks`.
    private static func count(
        _ windows: LogWindows, contracts: DeployedContracts, nodeID: UInt256, operatorAddress: Address,
        blocks: ClosedRange<UInt64>
    ) async throws -> DutyReport {
        var report = DutyReport()
        let accountTopic = Bytes32(ABI.encode([.address(operatorAddress)]))!
        for log in try await windows.logs([contracts.core], topics: [[SlashedEvent.event.topic], [nodeID.bytes32]], in: blocks) {
            report.count(try SlashedEvent(log), nodeID: nodeID)
        }
        for log in try await windows.logs([contracts.core], topics: [[CreditedEvent.event.topic], [accountTopic]], in: blocks) {
            report.count(try CreditedEvent(log), operatorAddress: operatorAddress)
        }
        return report
    }
}

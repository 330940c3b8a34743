import ChainClient
import CloisterClient
import Ethereum
import Oracle

/// The money totals of `/v1/status` (stake slashed from this node, credits to its operator by reason)
/// restored at start up to the block the duty scanner has read, so a restart neither zeroes nor doubles
/// them: the scanner goes on from there. The store keeps a checkpoint of the totals through a block
/// buried deeper than `chain.final_depth`, so a start counts only the events since the last one, not
/// the deployment's whole history.
enum DutyTotals {
    static func restore(client: ChainClient, deployment: Deployment, store: any DutyStore, nodeID: UInt256, operatorAddress: Address,
                        through last: UInt64, head: UInt64, finalDepth: UInt64, maxRange: UInt64) async throws -> DutyReport {
        var totals = DutyReport()
        var next = deployment.deploymentBlock
        // A checkpoint past `last` cannot come from this store's own scans (the cursor never moves back
        // beyond a final block): it is not trusted, and the totals are counted again.
        if let saved = try await store.dutyTotals(), saved.through <= last, saved.through >= next {
            totals = saved.totals
            next = saved.through + 1
        }
        let final = min(last, head > finalDepth ? head - finalDepth : 0)
        if next <= final {
            totals.add(try await count(client: client, deployment: deployment, nodeID: nodeID, operatorAddress: operatorAddress,
                                       blocks: next...final, maxRange: maxRange))
            try await store.saveDutyTotals(DutyTotalsCheckpoint(through: final, totals: totals))
            next = final + 1
        }
        if next <= last {
            totals.add(try await count(client: client, deployment: deployment, nodeID: nodeID, operatorAddress: operatorAddress,
                                       blocks: next...last, maxRange: maxRange))
        }
        return totals
    }

    /// The node's `Slashed` and the operator's `Credited` events in `blocks`, `maxRange` blocks a query.
    private static func count(client: ChainClient, deployment: Deployment, nodeID: UInt256, operatorAddress: Address,
                              blocks: ClosedRange<UInt64>, maxRange: UInt64) async throws -> DutyReport {
        var report = DutyReport()
        let nodeTopic = nodeID.bytes32
        let accountTopic = Bytes32(ABI.encode([.address(operatorAddress)]))!
        var lower = blocks.lowerBound
        while lower <= blocks.upperBound {
            let upper = min(blocks.upperBound, lower + max(maxRange, 1) - 1)
            let range = LogFilter.Range.blocks(from: .number(lower), to: .number(upper))
            for log in try await client.getLogs(LogFilter(addresses: [deployment.core], topics: [[CloisterContract.slashed.topic], [nodeTopic]], range: range))
            where !log.removed {
                report.slashed(try CloisterContract.slashed.decodeLog(topics: log.topics, data: log.data)[1].asUInt())
            }
            for log in try await client.getLogs(LogFilter(addresses: [deployment.core], topics: [[CloisterContract.credited.topic], [accountTopic]], range: range))
            where !log.removed {
                let values = try CloisterContract.credited.decodeLog(topics: log.topics, data: log.data)
                if let reason = try values[2].asUInt().uint64 { report.credit(try values[1].asUInt(), reasonCode: reason) }
            }
            lower = upper + 1
        }
        return report
    }
}

import ChainClient
import CloisterClient
import Ethereum
import Oracle

/// The money totals of `/v1/status` (stake slashed from this node, credits to its operator by reason)
/// recomputed from the chain at start, up to the block the duty scanner has read, so a restart neither
/// zeroes nor doubles them: the scanner goes on from there.
enum DutyTotals {
    static func backfill(client: ChainClient, deployment: Deployment, nodeID: UInt256, operatorAddress: Address,
                         through last: UInt64, maxRange: UInt64) async throws -> DutyReport {
        var report = DutyReport()
        guard last >= deployment.deploymentBlock else { return report }
        let nodeTopic = nodeID.bytes32
        let accountTopic = Bytes32(ABI.encode([.address(operatorAddress)]))!
        var lower = deployment.deploymentBlock
        while lower <= last {
            let upper = min(last, lower + max(maxRange, 1) - 1)
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

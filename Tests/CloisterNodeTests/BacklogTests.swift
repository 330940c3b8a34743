import Ethereum
import Foundation
import Oracle
import Testing
@testable import Benchmarks
@testable import CloisterNode

/// A backlog recorded by scripts/record_backlog.py is replayed block by block, and only the requests
/// assigned to the recorded node count.
@Suite struct BacklogTests {
    static func rpcLog(_ log: ChainLog, block: UInt64) -> [String: Any] {
        [
            "blockNumber": "0x" + String(block, radix: 16), "topics": log.topics.map(\.hex), "data": Hex.encode(log.data),
            "logIndex": "0x" + String(log.logIndex, radix: 16), "transactionHash": Keccak256.hash(log.data).hex,
            "address": "0x" + String(repeating: "cc", count: 20), "removed": false
        ]
    }

    @Test func aRecordedBacklogIsRenumberedAndReplayedThroughTheNode() async throws {
        let mine = try ContractBindingTests.requestedLog(node: 1, input: Array("a request".utf8))
        let other = try ContractBindingTests.requestedLog(node: 2, input: Array("a request".utf8))
        let second = ChainLog(
            address: mine.address, topics: [mine.topics[0], Keccak256.hash([2]), mine.topics[2], mine.topics[3]],
            data: mine.data, block: mine.block, logIndex: 1, transactionHash: .zero)
        let file: [String: Any] = [
            "chainId": 31_337, "contract": "0x" + String(repeating: "cc", count: 20), "node": 1,
            "logs": [Self.rpcLog(mine, block: 40), Self.rpcLog(other, block: 40), Self.rpcLog(second, block: 43)]
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backlog-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/backlog.json"
        try JSONSerialization.data(withJSONObject: file).write(to: URL(fileURLWithPath: path))

        let backlog = try Backlog.recorded(path: path)
        #expect(backlog.requests == 2, "the log for node 2 is replayed but not counted")
        #expect(backlog.blocks.map(\.count) == [2, 1])
        #expect(backlog.blocks[1][0].block.number == 2)
        let report = try await NodeBenchmark.run(backlog, folder: folder)
        #expect(report.requests == 2 && report.transactions >= 1)
    }

    @Test func aFileWithoutTheNodesRequestsIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("backlog-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"chainId": 1, "contract": "0x0000000000000000000000000000000000000001", "node": 7, "logs": []}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(throws: BacklogError.self) { try Backlog.recorded(path: path) }
    }
}

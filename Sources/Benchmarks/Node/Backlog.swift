import CloisterNode
import CloisterClient
import Ethereum
import Foundation
import Inference
import Oracle

/// The requests `cloister bench node` works through: `Requested` logs in blocks, for one node of one
/// contract. Either recorded from a real chain (`scripts/record_backlog.py`) or synthetic in the
/// contract's exact layout.
package struct Backlog: Sendable {
    package let chainID: UInt64
    package let contract: Address
    package let nodeID: UInt256
    /// `blocks[i]` holds the logs of replayed block `i + 1`.
    let blocks: [[ChainLog]]
    /// The logs addressed to `nodeID`: the jobs the node must take to confirmation.
    package let requests: Int
    /// Where the logs came from, for the report.
    package let source: String

    /// `requests` plaintext classify requests for node 1, `logsPerBlock` to a block, encoded as the
    /// contract logs them (the layout `ContractBindingTests` checks against the compiled ABI).
    package static func synthetic(requests: Int, logsPerBlock: Int = 100) -> Backlog {
        let contract = Address(Array(repeating: 0xC0, count: 20))!
        let model = ModelIdentity.allMiniLML6V2.modelID(for: .classify)
        let requester = Address(Array(repeating: 0xAA, count: 20))!
        let texts = [
            "the central bank raised rates", "the striker scored twice", "heavy rain is expected tomorrow",
            "the new phone has a better camera", "shares fell after the earnings call"
        ]
        let blocks = stride(from: 0, to: requests, by: logsPerBlock).enumerated().map { blockIndex, first in
            (first..<min(first + logsPerBlock, requests)).map { index in
                let input = TaskInput.classify(text: texts[index % texts.count] + " (\(index))", labels: ["finance", "sport", "weather"]).abiEncoded
                let id = Keccak256.hash(ABI.encode([.uint(UInt256(UInt64(index)))]))
                let data = ABI.encode([
                    .address(requester), .address(.zero), .uint(0), .uint(UInt256(1_000_000_000_000_000)),
                    .uint(UInt256(4_000_000_000)), .array([]), .bytes([]), .bytes(input)
                ])
                let block = UInt64(blockIndex + 1)
                return ChainLog(
                    address: contract, topics: [PendingRequest.event.topic, id, UInt256(1).bytes32, model], data: data,
                    block: BlockRef(number: block, hash: ReplayChain.hash(block)), logIndex: UInt64(index - first),
                    transactionHash: id)
            }
        }
        return Backlog(chainID: 31_337, contract: contract, nodeID: 1, blocks: blocks, requests: requests, source: "synthetic")
    }

    /// The logs `scripts/record_backlog.py` wrote: `{chainId, contract, node, logs}` with `logs` as
    /// `eth_getLogs` returned them. Blocks are renumbered from 1 in their recorded order.
    package static func recorded(path: String) throws -> Backlog {
        struct File: Decodable {
            struct Log: Decodable {
                let blockNumber: String
                let topics: [Bytes32]
                let data: String
                let logIndex: String
                let transactionHash: Bytes32
            }
            let chainId: UInt64
            let contract: Address
            let node: UInt64
            let logs: [Log]
        }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        var blocks: [[ChainLog]] = []
        var lastNumber: String?
        for log in file.logs {
            if log.blockNumber != lastNumber { blocks.append([]) }
            lastNumber = log.blockNumber
            let replayed = UInt64(blocks.count)
            guard let logIndex = UInt64(log.logIndex.dropFirst(2), radix: 16) else { throw BacklogError.malformed(path, "logIndex \(log.logIndex)") }
            blocks[blocks.count - 1].append(
                ChainLog(
                    address: file.contract, topics: log.topics, data: try Hex.decode(log.data),
                    block: BlockRef(number: replayed, hash: ReplayChain.hash(replayed)),
                    logIndex: logIndex, transactionHash: log.transactionHash))
        }
        let node = UInt256(file.node)
        let requests = file.logs.count { $0.topics.count == 4 && UInt256($0.topics[2]) == node }
        guard requests > 0 else { throw BacklogError.malformed(path, "no Requested log for node \(file.node)") }
        return Backlog(
            chainID: file.chainId, contract: file.contract, nodeID: node, blocks: blocks, requests: requests,
            source: "recorded (\(path))")
    }
}

/// A backlog file that cannot be replayed.
package enum BacklogError: Error, CustomStringConvertible {
    case malformed(String, String)

    package var description: String {
        switch self {
        case let .malformed(path, why): "\(path) is not a backlog written by scripts/record_backlog.py: \(why)"
        }
    }
}

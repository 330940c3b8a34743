import Ethereum
import Foundation
import Oracle
import Testing
@testable import CloisterClient
@testable import CloisterNode

/// The node's view of the settlement contract, checked against the ABI the Vyper compiler emits
/// (fixtures/contracts/cloister_abi.json, written by scripts/gen_contract_abi.py).
@Suite struct ContractBindingTests {
    struct Entry: Decodable {
        struct Parameter: Decodable {
            let type: String
            let components: [Parameter]?
            var canonical: String {
                guard type.hasPrefix("tuple") else { return type }
                return "(" + (components ?? []).map(\.canonical).joined(separator: ",") + ")" + type.dropFirst("tuple".count)
            }
        }
        let type: String
        let name: String?
        let inputs: [Parameter]?
        let outputs: [Parameter]?
        var signature: String { "\(name ?? "")(\((inputs ?? []).map(\.canonical).joined(separator: ",")))" }
    }

    static func compiled(_ name: String, in file: String = "cloister_abi.json") throws -> Entry {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/contracts/\(file)")
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: url))
        return try #require(entries.first { $0.name == name })
    }

    @Test func signaturesMatchTheCompiledContract() throws {
        #expect(PendingRequest.event.canonicalSignature == (try Self.compiled("Requested")).signature)
        #expect(CloisterResultEncoder.fulfil.canonicalSignature == (try Self.compiled("fulfil")).signature)
        #expect(CloisterResultEncoder.fulfilBatch.canonicalSignature == (try Self.compiled("fulfilBatch")).signature)
        let events = [
            CloisterContract.requested, CloisterContract.fulfilled, CloisterContract.nodeRegistered, CloisterContract.nodeAttested,
            CloisterContract.settled, CloisterContract.slashed, CloisterContract.credited, CloisterContract.refunded,
            CloisterContract.stakeChanged, CloisterContract.nodeStatusChanged
        ]
        for event in events {
            let name = String(event.canonicalSignature.prefix { $0 != "(" })
            #expect(event.canonicalSignature == (try Self.compiled(name)).signature)
        }
        let functions = [
            CloisterContract.request, CloisterContract.register, CloisterContract.reattest, CloisterContract.exit,
            CloisterContract.withdrawStake, CloisterContract.withdraw, CloisterContract.models, CloisterContract.params,
            CloisterContract.nodeCount, CloisterContract.nodes, CloisterContract.credits, CloisterContract.requests,
            CloisterContract.settle, CloisterContract.settleBatch, CloisterContract.refund, CloisterContract.requestFee,
            CloisterContract.signerNode
        ]
        for function in functions {
            let name = String(function.canonicalSignature.prefix { $0 != "(" })
            #expect(function.canonicalSignature == (try Self.compiled(name)).signature)
        }
    }

    @Test func arbiterSignaturesMatchTheCompiledContract() throws {
        let events = [
            ArbiterContract.verified, ArbiterContract.disputeOpened, ArbiterContract.jurorsDrawn, ArbiterContract.voted,
            ArbiterContract.disputeResolved, ArbiterContract.correctedDelivered
        ]
        for event in events {
            let name = String(event.canonicalSignature.prefix { $0 != "(" })
            #expect(event.canonicalSignature == (try Self.compiled(name, in: "arbiter_abi.json")).signature)
        }
        let functions = [
            ArbiterContract.sampledVerifier, ArbiterContract.verify, ArbiterContract.challenge, ArbiterContract.drawJurors,
            ArbiterContract.vote, ArbiterContract.replaceAbsentJurors, ArbiterContract.resolve, ArbiterContract.deliverCorrected,
            ArbiterContract.reportSilence, ArbiterContract.disputes, ArbiterContract.proveWrap
        ]
        for function in functions {
            let name = String(function.canonicalSignature.prefix { $0 != "(" })
            #expect(function.canonicalSignature == (try Self.compiled(name, in: "arbiter_abi.json")).signature)
        }
        let disputes = try #require(try Self.compiled("disputes", in: "arbiter_abi.json").outputs)
        #expect(disputes.map(\.canonical) == ArbiterContract.disputes.outputs.map(\.description))
        #expect(try Self.compiled("requests").outputs?.map(\.canonical) == ["bytes32"])
        let params = try #require(try Self.compiled("params").outputs)
        #expect(
            params.map(\.canonical) == ["(" + Array(repeating: "uint256", count: ProtocolParameters.wordCount).joined(separator: ",") + ")"],
            "ProtocolParameters decodes twenty static words, gasPrice last")
    }

    @Test func modelVaultSignaturesMatchTheCompiledContract() throws {
        let events = [
            ModelVaultContract.keyRequested, ModelVaultContract.keyPublished, ModelVaultContract.keyRotated, ModelVaultContract.privateRequested
        ]
        for event in events {
            let name = String(event.canonicalSignature.prefix { $0 != "(" })
            #expect(event.canonicalSignature == (try Self.compiled(name, in: "model_vault_abi.json")).signature)
        }
        let functions = [
            ModelVaultContract.enroll, ModelVaultContract.publishKey, ModelVaultContract.requestPrivate, ModelVaultContract.wrappedKey,
            ModelVaultContract.remainingBudget, ModelVaultContract.privateRequests, ModelVaultContract.models
        ]
        for function in functions {
            let name = String(function.canonicalSignature.prefix { $0 != "(" })
            #expect(function.canonicalSignature == (try Self.compiled(name, in: "model_vault_abi.json")).signature)
        }
        // the records the node and the client decode: one tuple for models(id), two static words for privateRequests(id)
        let models = try #require(try Self.compiled("models", in: "model_vault_abi.json").outputs)
        #expect(models.map(\.canonical) == ["(" + VaultModel.abiTypes.map(\.description).joined(separator: ",") + ")"])
        let made = try #require(try Self.compiled("privateRequests", in: "model_vault_abi.json").outputs)
        #expect(made.map(\.canonical) == ["(address,uint256)"])
        #expect(try Self.compiled("wrappedKey", in: "model_vault_abi.json").outputs?.map(\.canonical) == ["bytes"])
        #expect(try Self.compiled("remainingBudget", in: "model_vault_abi.json").outputs?.map(\.canonical) == ["uint256"])
    }

    @Test func viewLayoutsMatchTheCompiledContract() throws {
        let nodes = try #require(try Self.compiled("nodes").outputs)
        #expect(nodes.map(\.canonical) == [RegisteredNode.layout.description])
        let models = try #require(try Self.compiled("models").outputs)
        #expect(models.map(\.canonical) == ["(uint256,bool,bool)"], "Requester.modelFee decodes three static words")
    }

    static func requestedLog(node: UInt64, input: [UInt8], recipients: [UInt256] = []) throws -> ChainLog {
        let id = Keccak256.hash(Array("request".utf8)), model = Keccak256.hash(Array("model".utf8))
        let data = ABI.encode([
            .address(Address(Array(repeating: 0xAA, count: 20))!), .address(.zero), .uint(0), .uint(1_000),
            .uint(1_900_000_000), .array(recipients.map(ABIValue.uint)), .bytes([]), .bytes(input)
        ])
        return ChainLog(
            address: Address(Array(repeating: 0xCC, count: 20))!,
            topics: [PendingRequest.event.topic, id, UInt256(node).bytes32, model], data: data,
            block: BlockRef(number: 5, hash: .zero), logIndex: 0, transactionHash: .zero)
    }

    @Test func onlyThisNodesRequestsBecomeJobs() throws {
        let interpreter = CloisterLogInterpreter(contract: Address(Array(repeating: 0xCC, count: 20))!, nodeID: 2)
        #expect(try interpreter.jobs(from: Self.requestedLog(node: 1, input: [1])).isEmpty)
        let jobs = try interpreter.jobs(from: Self.requestedLog(node: 2, input: Array("hello".utf8)))
        let job = try #require(jobs.first)
        #expect(job.deadline == 1_900_000_000)
        let request = try PendingRequest(stored: job.request)
        #expect(request.input == Array("hello".utf8))
        #expect(request.fee == 1_000)
        var truncated = try Self.requestedLog(node: 2, input: [1])
        truncated = ChainLog(
            address: truncated.address, topics: truncated.topics, data: Array(truncated.data.dropLast(40)),
            block: truncated.block, logIndex: 0, transactionHash: .zero)
        #expect(throws: (any Error).self) { try interpreter.jobs(from: truncated) }
    }

    @Test func fulfilmentCalldataCarriesTheRequestAndTheSignedResult() throws {
        let interpreter = CloisterLogInterpreter(contract: Address(Array(repeating: 0xCC, count: 20))!, nodeID: 2)
        var job = try #require(try interpreter.jobs(from: Self.requestedLog(node: 2, input: Array("hello".utf8))).first)
        job.result = JobResult(
            output: [7, 7], errorCode: 3, commitment: Keccak256.hash([7]), attestationDigest: Keccak256.hash([8]),
            attestationExpiry: 1_950_000_000)
        job.signature = [UInt8](repeating: 0x11, count: 32) + [UInt8](repeating: 0x22, count: 32) + [28]
        let encoder = CloisterResultEncoder(core: interpreter.contract, arbiter: .zero, nodeID: 2)
        let single = try CloisterResultEncoder.fulfil.decodeCall(try encoder.calldata(for: [job]))
        let request = try single[0].asElements(), result = try single[1].asElements()
        #expect(try request[3].asBytes32() == Keccak256.hash(Array("hello".utf8)), "the input hash the contract checks")
        #expect(try request[8].asUInt() == 2)
        #expect(try result[0].asUInt() == 3)
        #expect(try result[1].asBytes() == [7, 7])
        #expect(try result[5].asUInt() == 28)
        #expect(try result[6].asBytes32() == Bytes32([UInt8](repeating: 0x11, count: 32)))
        let batch = try CloisterResultEncoder.fulfilBatch.decodeCall(try encoder.calldata(for: [job, job]))
        #expect(try batch[0].asElements().count == 2)
        job.signature = nil
        #expect(throws: EncodingProblem.self) { try encoder.calldata(for: [job]) }
    }
}

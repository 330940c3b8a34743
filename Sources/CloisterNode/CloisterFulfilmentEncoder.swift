import Ethereum
import Oracle

/// Encodes signed results as calls to the settlement contract: `fulfil(Request, Result)` for one,
/// `fulfilBatch(Request[], BatchResult[])` for several (batched outputs are capped at 1,024 bytes).
struct CloisterFulfilmentEncoder: FulfilmentEncoder {
    static let requestType = "(bytes32,address,bytes32,bytes32,address,uint256,uint256,uint256,uint256,bytes32)"
    static let resultType = "(uint256,bytes,bytes32,bytes32,uint256,uint256,bytes32,bytes32)"
    static let fulfil = try! ABIFunction(signature: "fulfil(\(requestType),\(resultType))")
    static let fulfilBatch = try! ABIFunction(signature: "fulfilBatch(\(requestType)[],\(resultType)[])")
    static let maxBatchedOutput = 1_024

    let contract: Address
    var maxBatch: Int { 32 }

    func canBatch(_ job: Job) -> Bool {
        (job.result?.output.count ?? .max) <= Self.maxBatchedOutput
    }

    func calldata(for jobs: [Job]) throws -> [UInt8] {
        let pairs = try jobs.map { job in (try PendingRequest(stored: job.request).requestTuple, try Self.resultTuple(job)) }
        if pairs.count == 1 {
            return try Self.fulfil.encodeCall([pairs[0].0, pairs[0].1])
        }
        return try Self.fulfilBatch.encodeCall([.array(pairs.map(\.0)), .array(pairs.map(\.1))])
    }

    /// `(status, output, outputCommitment, attestationDigest, attestationExpiry, v, r, s)`.
    static func resultTuple(_ job: Job) throws -> ABIValue {
        guard let result = job.result, let signature = job.signature, signature.count == 65 else {
            throw EncodingProblem.unsignedJob(job.key.requestID)
        }
        return .tuple([.uint(UInt256(UInt64(result.errorCode))), .bytes(result.output), .bytes32(result.commitment),
                       .bytes32(result.attestationDigest), .uint(UInt256(result.attestationExpiry)),
                       .uint(UInt256(UInt64(signature[64]))), .fixedBytes(Array(signature[0..<32])), .fixedBytes(Array(signature[32..<64]))])
    }
}

/// A job handed to the encoder without what a fulfilment needs.
enum EncodingProblem: Error, Equatable {
    case unsignedJob(Bytes32)
}

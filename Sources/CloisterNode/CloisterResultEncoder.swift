import CloisterClient
import Ethereum
import Oracle

/// Encodes signed results as calls: to the core, `fulfil(Request, Result)` for one executor result and
/// `fulfilBatch(Request[], BatchResult[])` for several (batched outputs are capped at 1,024 bytes); to the
/// arbiter, `verify` for a sampled verification, `vote` for a juror and `challenge` (with the bond) for a
/// challenge whose re-execution disagreed with the posted result.
package struct CloisterResultEncoder: FulfilmentEncoder {
    static let requestType = "(bytes32,address,bytes32,bytes32,address,uint256,uint256,uint256,uint256,bytes32)"
    static let resultType = "(uint256,bytes,bytes32,bytes32,uint256,uint256,bytes32,bytes32)"
    static let fulfil = try! ABIFunction(signature: "fulfil(\(requestType),\(resultType))")
    static let fulfilBatch = try! ABIFunction(signature: "fulfilBatch(\(requestType)[],\(resultType)[])")
    static let maxBatchedOutput = 1_024

    let core: Address
    let arbiter: Address
    /// This node's id: the verifier or challenger the arbiter is told about.
    let nodeID: UInt256

    package init(core: Address, arbiter: Address, nodeID: UInt256) {
        self.core = core
        self.arbiter = arbiter
        self.nodeID = nodeID
    }

    package var maxBatch: Int { 32 }

    package func contract(for role: JobRole) -> Address {
        role == .executor ? core : arbiter
    }

    package func canBatch(_ job: Job) -> Bool {
        job.key.role == .executor && (job.result?.output.count ?? .max) <= Self.maxBatchedOutput
    }

    /// Executors, verifiers and jurors always post, also a "decryption failed" (status 3) result when
    /// their own wrap of an encrypted request does not open: for a verifier or juror the arbiter counts
    /// it as an abstention, never slashed, and staying silent would be. A challenge is voluntary: sent
    /// only when the re-execution disagrees, and never on the strength of an envelope this node could
    /// not open.
    package func needsTransaction(_ job: Job) -> Bool {
        guard job.key.role == .challenger else { return true }
        guard let context = try? DutyContext(decoding: job.context) else { return false }
        if job.result?.errorCode == UInt16(Fulfilment.decryptionFailed),
            let request = try? PendingRequest(stored: job.request), !request.recipients.isEmpty
        {
            return false
        }
        return job.result?.commitment != context.fulfilment.commitment
    }

    /// A challenge carries the bond of the parameter set its result was fulfilled under, which the duty
    /// scanner records in the job's context.
    package func value(for jobs: [Job]) -> UInt256 {
        guard let first = jobs.first, first.key.role == .challenger else { return .zero }
        return (try? DutyContext(decoding: first.context))?.bond ?? .zero
    }

    package func calldata(for jobs: [Job]) throws -> [UInt8] {
        guard let first = jobs.first else { return [] }
        guard first.key.role == .executor else {
            guard jobs.count == 1 else { throw EncodingProblem.dutiesAreSentAlone }
            return try dutyCall(first)
        }
        let pairs = try jobs.map { job in (try PendingRequest(stored: job.request).requestTuple, try Self.resultTuple(job)) }
        if pairs.count == 1 {
            return try Self.fulfil.encodeCall([pairs[0].0, pairs[0].1])
        }
        return try Self.fulfilBatch.encodeCall([.array(pairs.map(\.0)), .array(pairs.map(\.1))])
    }

    /// A fulfilment's gas limit with room to spare: per result 45,000 (a batched result uses about 24,000,
    /// a single fulfilment about 30,000 above the transaction's base, docs/gas.md) and 40 per output byte
    /// (calldata, the log, hashing and copies use about 25), per callback its gas cap plus the 1/63 the
    /// 63/64 rule keeps back, the contract's reserve and 35,000 for the call and its payload, and 40,000 for
    /// the transaction. Nil for duties, which keep the estimate. A bound that proves too low (a first write
    /// to a zeroed slot, an unusual callback) fails its one simulation, and the submitter estimates instead.
    package func gasBound(for jobs: [Job]) -> UInt64? {
        guard jobs.allSatisfy({ $0.key.role == .executor }) else { return nil }
        var bound: UInt64 = 40_000
        for job in jobs {
            guard let request = try? PendingRequest(stored: job.request), let output = job.result?.output else { return nil }
            bound += 45_000 + 40 * UInt64(output.count)
            if request.callback != .zero {
                guard let cap = request.callbackGas.uint64, cap < 1 << 40 else { return nil }
                bound += cap + cap / 63 + 1 + Self.callbackReserve + 35_000 + 40 * UInt64(output.count)
            }
        }
        return bound
    }

    /// `CALLBACK_RESERVE` of contracts/lib/results.vy: gas the contract keeps for itself after a callback.
    static let callbackReserve: UInt64 = 8_000

    private func dutyCall(_ job: Job) throws -> [UInt8] {
        let request = try PendingRequest(stored: job.request)
        let context = try DutyContext(decoding: job.context)
        let result = try Self.resultTuple(job)
        let recipients = ABIValue.array(request.recipients.map(ABIValue.uint))
        switch job.key.role {
        case .executor:
            throw EncodingProblem.dutiesAreSentAlone
        case .verifier:
            return try ArbiterContract.verify.encodeCall([request.requestTuple, context.fulfilment.tuple, recipients, .uint(nodeID), result])
        case .challenger:
            return try ArbiterContract.challenge.encodeCall([request.requestTuple, context.fulfilment.tuple, .uint(nodeID), result])
        case .juror:
            guard let seat = context.seat else { throw EncodingProblem.jurorWithoutSeat(job.key.requestID) }
            return try ArbiterContract.vote.encodeCall([.bytes32(request.id), .uint(UInt256(UInt64(seat))), result])
        }
    }

    /// `(status, output, outputCommitment, attestationDigest, attestationExpiry, v, r, s)`.
    static func resultTuple(_ job: Job) throws -> ABIValue {
        guard let result = job.result, let signature = job.signature, signature.count == 65 else {
            throw EncodingProblem.unsignedJob(job.key.requestID)
        }
        return .tuple([
            .uint(UInt256(UInt64(result.errorCode))), .bytes(result.output), .bytes32(result.commitment),
            .bytes32(result.attestationDigest), .uint(UInt256(result.attestationExpiry)),
            .uint(UInt256(UInt64(signature[64]))), .fixedBytes(Array(signature[0..<32])), .fixedBytes(Array(signature[32..<64]))
        ])
    }
}

/// A job handed to the encoder without what its call needs.
enum EncodingProblem: Error, Equatable {
    case unsignedJob(Bytes32)
    case jurorWithoutSeat(Bytes32)
    /// Verifications, votes and challenges go one per transaction.
    case dutiesAreSentAlone
}

import ChainClient
import Ethereum

/// The core's `params()`: the protocol parameters in force (docs/protocol.md lists them with the defaults).
public struct ProtocolParameters: Hashable, Sendable {
    public let minStake: UInt256
    /// Share of deterministic results re-executed by a sampled verifier, in basis points.
    public let verifyBps: UInt64
    /// Blocks after a fulfilment during which the sampled verifier may answer.
    public let verifyWindowBlocks: UInt64
    /// Seconds after a fulfilment during which it may be challenged (and is not settled).
    public let challengeWindow: UInt64
    public let challengeBond: UInt256
    public let jurorCount: UInt64
    /// Seconds a jury has to vote.
    public let jurorWindow: UInt64
    public let maxJurorRounds: UInt64
    public let slashBps: UInt64
    public let absentSlashBps: UInt64
    public let timeoutSlashBps: UInt64
    public let protocolFeeBps: UInt64
    public let verifierFeeBps: UInt64
    /// The longest a request may leave its node, in seconds (`deadline <= block.timestamp + maxDeadline`).
    public let maxDeadline: UInt64
    /// The largest request input, in bytes.
    public let maxInputBytes: UInt64
    /// The most callback gas a request may ask for.
    public let maxCallbackGas: UInt64
    /// The shortest a request may leave its node, in seconds (`deadline >= block.timestamp + minResponseTime`).
    public let minResponseTime: UInt64
    /// Wei per gas a requester pays for the callback gas it asks for, and verifiers are paid their gas at.
    public let gasPrice: UInt256

    /// The number of static words `params()` returns.
    static let wordCount = 20

    /// Decodes the return data of `params()` (twenty words; `unbondingPeriod` and
    /// `maxAttestationValidity` are not needed here).
    public init(returnData: [UInt8]) throws(ABIError) {
        let words = try ABI.decode(Array(repeating: ABIType.uint(bits: 256), count: Self.wordCount), from: returnData).map { value throws(ABIError) in
            try value.asUInt()
        }
        func small(_ index: Int) throws(ABIError) -> UInt64 {
            guard let value = words[index].uint64 else { throw ABIError.valueMismatch(expected: .uint(bits: 64)) }
            return value
        }
        minStake = words[0]
        verifyBps = try small(1)
        verifyWindowBlocks = try small(2)
        challengeWindow = try small(3)
        challengeBond = words[4]
        jurorCount = try small(5)
        jurorWindow = try small(6)
        maxJurorRounds = try small(7)
        slashBps = try small(8)
        absentSlashBps = try small(9)
        timeoutSlashBps = try small(10)
        protocolFeeBps = try small(11)
        verifierFeeBps = try small(12)
        maxDeadline = try small(13)
        maxInputBytes = try small(15)
        maxCallbackGas = try small(16)
        minResponseTime = try small(18)
        gasPrice = words[19]
    }
}

extension RPCClient {
    /// The protocol parameters in force at the core of `deployment`.
    public func parameters(in deployment: Deployment) async throws -> ProtocolParameters {
        try ProtocolParameters(returnData: try await call(CallRequest(to: deployment.core, data: try CloisterContract.params.encodeCall([]))))
    }
}

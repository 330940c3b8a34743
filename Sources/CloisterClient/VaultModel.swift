import ChainClient
import Ethereum
import Inference

/// A model as the vault records it (`models(id)`): who owns it, which plaintext it runs and which sealed
/// file holds it now, where that file is, the key epoch, the engine and task it is for, the workloads that
/// may hold its key, and its privacy policy (immutable) and budget.
public struct VaultModel: Sendable, Equatable {
    public let owner: Address
    public let plaintextHash: Bytes32
    /// The sealed file of the current key epoch.
    public let sealedHash: Bytes32
    /// An absolute path or an http(s) URL.
    public let location: String
    public let epoch: UInt256
    public let engine: String
    public let task: String
    /// The workload ids whose enclaves may hold the key (empty: every workload admission allows).
    public let workloads: [Bytes32]
    /// The differentially private release its outputs get, or nil for exact outputs.
    public let policy: PrivacyPolicy?
    /// ε × 10⁶ each requester may spend per period, and the period in seconds.
    public let budgetMicros: UInt256
    public let period: UInt256
    /// Whether only requesters the owner approved may spend.
    public let requestersListed: Bool

    /// Whether the vault has this model at all (an unknown id reads as all zero).
    public var exists: Bool { owner != Address.zero }

    static let abiTypes: [ABIType] = [
        .address, .fixedBytes(32), .fixedBytes(32), .string, .uint(bits: 256), .string, .string, .array(.fixedBytes(32)),
        .uint(bits: 8), .uint(bits: 8), .uint(bits: 64), .uint(bits: 64), .uint(bits: 64), .uint(bits: 64),
        .uint(bits: 256), .uint(bits: 256), .bool
    ]

    /// Decodes the return data of `models(id)`.
    public init(returnData: [UInt8]) throws {
        let values = try ABI.decode([.tuple(Self.abiTypes)], from: returnData)[0].asElements()
        owner = try values[0].asAddress()
        plaintextHash = try values[1].asBytes32()
        sealedHash = try values[2].asBytes32()
        location = try values[3].asString()
        epoch = try values[4].asUInt()
        engine = try values[5].asString()
        task = try values[6].asString()
        workloads = try values[7].asElements().map { value throws(ABIError) in try value.asBytes32() }
        // uint8 and uint64 fields: the decoder has already checked that they fit
        func small(_ value: ABIValue) throws -> UInt64 { try value.asUInt().uint64 ?? .max }
        let mechanism = try small(values[8])
        let deltaExponent = try small(values[9])
        let epsilonMicros = try small(values[10])
        func sensitivity(_ value: ABIValue) throws -> UInt64? {
            let units = try small(value)
            return units == 0 ? nil : units
        }
        let sensitivities = PrivacyPolicy.Sensitivities(
            embedding: try sensitivity(values[11]), similarity: try sensitivity(values[12]), classification: try sensitivity(values[13]))
        switch mechanism {
        case 0: policy = nil
        case 1: policy = PrivacyPolicy(mechanism: .laplace, epsilonMicros: epsilonMicros, sensitivities: sensitivities)
        default: policy = PrivacyPolicy(mechanism: .gaussian(deltaExponent: Int(deltaExponent)), epsilonMicros: epsilonMicros, sensitivities: sensitivities)
        }
        budgetMicros = try values[14].asUInt()
        period = try values[15].asUInt()
        requestersListed = try values[16].asBool()
    }
}

extension RPCClient {
    /// The vault's record of `model`.
    public func vaultModel(_ model: Bytes32, vault: Address) async throws -> VaultModel {
        try VaultModel(returnData: try await call(CallRequest(to: vault, data: try ModelVaultContract.models.encodeCall([.bytes32(model)]))))
    }

    /// What `requester` may still spend on `model` in the current period, in ε × 10⁶.
    public func remainingBudget(_ model: Bytes32, requester: Address, vault: Address) async throws -> UInt256 {
        let data = try ModelVaultContract.remainingBudget.encodeCall([.bytes32(model), .address(requester)])
        return try ABI.decode([.uint(bits: 256)], from: try await call(CallRequest(to: vault, data: data)))[0].asUInt()
    }
}

/// An amount of ε as the vault counts it, in millionths, written as a decimal (1500000 → "1.5").
public struct PrivacyAmount: Sendable, Equatable, CustomStringConvertible {
    public let micros: UInt256

    public init(_ micros: UInt256) {
        self.micros = micros
    }

    public var description: String {
        let digits = micros.description
        let padded = String(repeating: "0", count: max(0, 7 - digits.count)) + digits
        let whole = padded.dropLast(6)
        let fraction = padded.suffix(6).reversed().drop(while: { $0 == "0" }).reversed()
        return fraction.isEmpty ? String(whole) : "\(whole).\(String(fraction))"
    }
}

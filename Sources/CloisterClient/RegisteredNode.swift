import Ethereum
import Secp256k1

/// A node as the registry's `nodes(id)` view reports it.
public struct RegisteredNode: Sendable, Equatable {
    /// Registry status: 1 active, 2 exiting, 3 jailed.
    public enum Status: UInt64, Sendable {
        case active = 1, exiting = 2, jailed = 3
    }

    public let id: UInt256
    public let operatorAddress: Address
    /// The enclave signer (the address of `publicKey`).
    public let signer: Address
    /// The enclave key envelopes are encrypted to.
    public let publicKey: PublicKey
    public let stake: UInt256
    public let status: Status?
    /// When an exiting node's stake unlocks (Unix time; 0 while active).
    public let unbondAt: UInt64
    /// keccak256 of the quote the registration was admitted with.
    public let attestationDigest: Bytes32
    public let workloadID: Bytes32
    public let attestationExpiry: UInt64
    public let softwareVersion: Bytes32
    public let models: [Bytes32]

    static let layout: ABIType = .tuple([
        .address, .address, .bytes, .uint(bits: 256), .uint(bits: 256), .uint(bits: 256), .fixedBytes(32),
        .fixedBytes(32), .uint(bits: 256), .fixedBytes(32), .uint(bits: 256), .array(.fixedBytes(32))
    ])

    /// Decodes the view's return data; a node that was never registered has no key and yields nil.
    init?(id: UInt256, returnData: [UInt8]) throws(ABIError) {
        let fields = try ABI.decode([Self.layout], from: returnData)[0].asElements()
        let rawKey = try fields[2].asBytes()
        guard rawKey.count == 64, let key = try? PublicKey(bytes: [0x04] + rawKey) else { return nil }
        self.id = id
        operatorAddress = try fields[0].asAddress()
        signer = try fields[1].asAddress()
        publicKey = key
        stake = try fields[3].asUInt()
        status = (try fields[4].asUInt()).uint64.flatMap(Status.init(rawValue:))
        unbondAt = (try fields[5].asUInt()).uint64 ?? .max
        attestationDigest = try fields[6].asBytes32()
        workloadID = try fields[7].asBytes32()
        attestationExpiry = (try fields[8].asUInt()).uint64 ?? .max
        softwareVersion = try fields[9].asBytes32()
        var served: [Bytes32] = []
        for model in try fields[11].asElements() { served.append(try model.asBytes32()) }
        models = served
    }

    /// Whether the node can be named as a recipient for `model` at `time`.
    public func isEligible(for model: Bytes32, at time: UInt64) -> Bool {
        status == .active && models.contains(model) && attestationExpiry > time
    }
}

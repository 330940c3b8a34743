import Ethereum

/// What an enclave key's registration commits to besides the key: where and until when it is valid,
/// which operator account registers it, and which software runs. Its keccak-256 hash fills bytes
/// 20..<52 of REPORTDATA.
///
/// Encoded as `abi.encode(uint256 chainId, address registry, address operator, bytes32 softwareVersion, uint64 expiry)`:
/// five static 32-byte words, which the registry contract rebuilds (with `msg.sender` of `register` or
/// `reattest` as the operator) to check the binding. Binding the operator means a quote cannot be
/// replayed by another account to register the same enclave key as its own node.
public struct AttestationExtData: Hashable, Sendable {
    public var chainID: UInt64
    /// The registry contract that accepts the registration.
    public var registry: Address
    /// The node operator's account: the one that sends `register` / `reattest` (the registry's `nodes(id).operator`).
    public var operatorAddress: Address
    /// The node's software version (for example a hash of the release).
    public var softwareVersion: Bytes32
    /// Unix time after which the registration must be renewed.
    public var expiry: UInt64

    public init(chainID: UInt64, registry: Address, operatorAddress: Address, softwareVersion: Bytes32, expiry: UInt64) {
        self.chainID = chainID
        self.registry = registry
        self.operatorAddress = operatorAddress
        self.softwareVersion = softwareVersion
        self.expiry = expiry
    }

    /// The 160-byte ABI encoding.
    public var abiEncoded: [UInt8] {
        ABI.encode([.uint(UInt256(chainID)), .address(registry), .address(operatorAddress), .bytes32(softwareVersion), .uint(UInt256(expiry))])
    }

    /// keccak256 of the ABI encoding.
    public var hash: Bytes32 { Keccak256.hash(abiEncoded) }
}

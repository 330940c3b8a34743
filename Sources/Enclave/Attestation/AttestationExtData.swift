import Ethereum

/// What an enclave key's registration commits to besides the key: where and until when it is valid,
/// and which software runs. Its keccak-256 hash fills bytes 20..<52 of REPORTDATA.
///
/// Encoded as `abi.encode(uint256 chainId, address registry, bytes32 softwareVersion, uint64 expiry)`:
/// four static 32-byte words, which the registry contract rebuilds to check the binding.
/// (Assumed until the contracts' `docs/protocol.md` fixes the layout.)
public struct AttestationExtData: Hashable, Sendable {
    public var chainID: UInt64
    /// The registry contract that accepts the registration.
    public var registry: Address
    /// The node's software version (for example a hash of the release).
    public var softwareVersion: Bytes32
    /// Unix time after which the registration must be renewed.
    public var expiry: UInt64

    public init(chainID: UInt64, registry: Address, softwareVersion: Bytes32, expiry: UInt64) {
        self.chainID = chainID
        self.registry = registry
        self.softwareVersion = softwareVersion
        self.expiry = expiry
    }

    /// The 128-byte ABI encoding.
    public var abiEncoded: [UInt8] {
        ABI.encode([.uint(UInt256(chainID)), .address(registry), .bytes32(softwareVersion), .uint(UInt256(expiry))])
    }

    /// keccak256 of the ABI encoding.
    public var hash: Bytes32 { Keccak256.hash(abiEncoded) }
}

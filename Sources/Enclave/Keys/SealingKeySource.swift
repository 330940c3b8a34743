import Crypto

/// Where the key that seals enclave state to disk comes from.
///
/// On real hardware it must be a key only this TEE instance (and measurement) can obtain: SGX's
/// EGETKEY, or for TDX, which has no sealing instruction, a key broker that releases the key against a
/// verified quote. ``SimulatedSealingKeySource`` stands in on machines without a TEE.
public protocol SealingKeySource: Sendable {
    /// The 256-bit key that encrypts and authenticates sealed state.
    func sealingKey() throws(KeyringError) -> SymmetricKey
    /// True when the key gives no hardware protection (logged and shown in status).
    var isSimulated: Bool { get }
}

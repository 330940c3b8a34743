import Crypto

/// A simulation-grade sealing key: HKDF-SHA256 of a 32-byte secret in a local file (created with mode
/// 0600 on first use). Anyone who can read that file, root on the host included, can unseal the
/// enclave keys; it exists so the key life cycle runs unchanged on machines without a TEE.
public struct SimulatedSealingKeySource: SealingKeySource {
    /// The file holding the 32-byte secret.
    public let secretPath: String

    public init(secretPath: String) {
        self.secretPath = secretPath
    }

    public var isSimulated: Bool { true }

    public func sealingKey() throws(KeyringError) -> SymmetricKey {
        var secret: [UInt8]
        if let existing = try SecureFile.contents(of: secretPath) {
            secret = existing
        } else {
            secret = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
            try SecureFile.createExclusively(secretPath, contents: secret)
        }
        defer { secret.wipe() }
        guard secret.count == 32 else { throw .invalidSealingSecret(path: secretPath) }
        return HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: secret),
            info: DomainLabel.keyringSealing, outputByteCount: 32)
    }
}

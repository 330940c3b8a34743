import Ethereum
import Secp256k1

/// The enclave's secp256k1 keys, generated inside and sealed to disk after every change.
///
/// The current key signs new results and is the one registered (and bound in REPORTDATA). Rotation
/// makes a new current key and keeps the old one as *retiring*: it still opens envelopes and signs
/// results for requests already addressed to it, until ``retire(_:)`` drops it once that work is done.
/// No method returns a private key.
public actor EnclaveKeyring {
    /// How many retiring keys may be held at once.
    public static let maxRetiringKeys = SealedKeyring.maxKeys - 1

    private var state: KeyringState
    private let path: String
    private let sealing: any SealingKeySource

    /// Loads the sealed keyring at `path`, or, when there is none, generates a first key and seals it there.
    public init(path: String, sealing: any SealingKeySource) throws(KeyringError) {
        self.path = path
        self.sealing = sealing
        let sealingKey = try sealing.sealingKey()
        if let sealed = try SecureFile.contents(of: path) {
            state = try SealedKeyring.unseal(sealed, with: sealingKey, path: path)
        } else {
            state = KeyringState(current: PrivateKey(), retiring: [])
            try SecureFile.createExclusively(path, contents: SealedKeyring.seal(state, with: sealingKey))
        }
    }

    /// Whether the sealing key is simulation-grade.
    public nonisolated var isSimulated: Bool { sealing.isSimulated }

    /// The current key's public key (registered on chain for encryption).
    public var publicKey: PublicKey { state.current.publicKey }

    /// The current key's signer address.
    public var signer: Address { Address(publicKey: publicKey) }

    /// Addresses of keys kept only to finish in-flight work, oldest first.
    public var retiringSigners: [Address] { state.retiring.map { Address(publicKey: $0.publicKey) } }

    /// Makes a new current key; the previous one becomes retiring. Sealed to disk before it takes effect.
    @discardableResult
    public func rotate() throws(KeyringError) -> Address {
        guard state.retiring.count < Self.maxRetiringKeys else {
            throw .tooManyRetiringKeys(limit: Self.maxRetiringKeys)
        }
        let next = KeyringState(current: PrivateKey(), retiring: state.retiring + [state.current])
        try persist(next)
        state = next
        return signer
    }

    /// Forgets a retiring key for good. The current key cannot be retired.
    public func retire(_ address: Address) throws(KeyringError) {
        guard address != signer else { throw .cannotRetireCurrentKey }
        guard let index = state.retiring.firstIndex(where: { Address(publicKey: $0.publicKey) == address }) else {
            throw .unknownKey(address)
        }
        var next = state
        next.retiring.remove(at: index)
        try persist(next)
        state = next
    }

    /// The held key (current or retiring) with this signer address.
    func key(for address: Address) -> PrivateKey? {
        ([state.current] + state.retiring).first { Address(publicKey: $0.publicKey) == address }
    }

    /// Every held key, current first, then retiring ones oldest first.
    var heldKeys: [PrivateKey] { [state.current] + state.retiring }

    /// The key that signs new work.
    var currentKey: PrivateKey { state.current }

    private func persist(_ next: KeyringState) throws(KeyringError) {
        try SecureFile.replace(path, contents: SealedKeyring.seal(next, with: sealing.sealingKey()))
    }
}

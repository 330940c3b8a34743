import Ethereum
import Secp256k1

/// A ``ModelKey`` wrapped to one enclave key for one model and key epoch: what the model vault stores per
/// recipient (`publishKey`, `wrappedKey(model, epoch, signer)`). 112 bytes:
///
///     wrapped     = E (64: x ‖ y of a fresh ephemeral secp256k1 key) ‖ ciphertext (32) ‖ tag (16)
///     header      = model id (32) ‖ epoch (uint256, 32) ‖ recipient address (20) ‖ E (64)
///     key ‖ nonce = HKDF-SHA256(ikm: x of e·P, salt: header, info: "cloister/v1/model-key/wrap" ‖ P compressed (33), 44 bytes)
///     ciphertext ‖ tag = AES-256-GCM(key, nonce, the 32 model key bytes, additional data: header)
///
/// `P` is the recipient enclave's public key and the recipient address its signer address. The ECIES step is
/// ``MessageKey``, as for outputs. The header binds the wrap to its model, epoch and recipient: a wrap copied
/// to another model, epoch or recipient does not open (it fails as a changed one does).
public enum ModelKeyWrap {
    /// The size of a wrapped key.
    public static let byteCount = 112
    /// The size of the header the wrap authenticates.
    static let headerLength = 148

    /// Wraps `key` to the enclave key `recipientKey` for (`model`, `epoch`) with a fresh ephemeral key.
    ///
    /// Whoever holds the private key of `recipientKey` can open the result, so an enclave must only wrap to a
    /// key it has itself seen attested (the vault refuses to publish a wrap for an unenrolled key, but the
    /// wrap is readable off chain all the same).
    public static func wrap(_ key: ModelKey, to recipientKey: PublicKey, model: Bytes32, epoch: UInt256) throws(ModelKeyWrapError) -> [UInt8] {
        try wrap(key, to: recipientKey, model: model, epoch: epoch, ephemeralKey: PrivateKey())
    }

    /// Wraps with a caller-chosen ephemeral key. Only for reproducible test vectors.
    package static func wrap(
        _ key: ModelKey, to recipientKey: PublicKey, model: Bytes32, epoch: UInt256, ephemeralKey: PrivateKey
    ) throws(ModelKeyWrapError) -> [UInt8] {
        let ephemeral = KeyWrap.point(ephemeralKey.publicKey)
        let header = header(model: model, epoch: epoch, recipient: Address(publicKey: recipientKey), ephemeralKey: ephemeral)
        do {
            let messageKey = try MessageKey(
                agreementOf: ephemeralKey, with: recipientKey, salt: header, info: DomainLabel.modelKeyWrap + recipientKey.compressed)
            var plaintext = key.withUnsafeBytes { Array($0) }
            defer { plaintext.wipe() }
            let sealed = try messageKey.seal(plaintext, authenticating: header)
            return ephemeral + sealed.ciphertext + sealed.tag
        } catch {
            throw .sealingFailed
        }
    }

    /// Opens a wrap addressed to `key` for (`model`, `epoch`). Inside the enclave only: ``EnclaveKeyring``
    /// calls it with its held key (`unwrapModelKey`), and tests with theirs.
    package static func unwrap(_ wrapped: [UInt8], with key: PrivateKey, model: Bytes32, epoch: UInt256) throws(ModelKeyWrapError) -> ModelKey {
        guard wrapped.count == byteCount else { throw .wrongLength(wrapped.count) }
        let ephemeral = Array(wrapped[0..<64])
        guard let ephemeralKey = KeyWrap.point(ephemeral) else { throw .invalidEphemeralKey }
        let recipientKey = key.publicKey
        let header = header(model: model, epoch: epoch, recipient: Address(publicKey: recipientKey), ephemeralKey: ephemeral)
        var plaintext: [UInt8]
        do {
            let messageKey = try MessageKey(
                agreementOf: key, with: ephemeralKey, salt: header, info: DomainLabel.modelKeyWrap + recipientKey.compressed)
            plaintext = try messageKey.open(ciphertext: Array(wrapped[64..<96]), tag: Array(wrapped[96...]), authenticating: header)
        } catch {
            throw .doesNotOpen
        }
        defer { plaintext.wipe() }
        do { return try ModelKey(bytes: plaintext) } catch { throw .doesNotOpen }
    }

    /// An enclave public key in the vault's 64-byte `x ‖ y` form (`enroll`'s `public_key`, `KeyRequested`),
    /// checked to be on the curve.
    public static func recipientKey(_ point: some Collection<UInt8>) throws(ModelKeyWrapError) -> PublicKey {
        guard let key = KeyWrap.point(Array(point)) else { throw .invalidRecipientKey }
        return key
    }

    /// model id ‖ uint256 epoch ‖ recipient address ‖ E: what the wrap authenticates and salts its key with.
    static func header(model: Bytes32, epoch: UInt256, recipient: Address, ephemeralKey: [UInt8]) -> [UInt8] {
        model.bytes + epoch.bytes32.bytes + recipient.bytes + ephemeralKey
    }
}

extension DomainLabel {
    /// The wrap of a model key to one enclave (`ModelKeyWrap`): HKDF `info` = label ‖ recipient key compressed.
    static let modelKeyWrap = Array("cloister/v1/model-key/wrap".utf8)
}

/// What a holder enclave signs when it publishes a wrap for another enclave: the EIP-712 struct
/// `KeyWrap(bytes32 model,uint256 epoch,address recipient,bytes32 wrappedHash)` with `wrappedHash =
/// keccak256(wrapped)`, in the domain `{name: "Cloister ModelVault", version: "1", chainId, verifyingContract:
/// the vault}`. The vault's `publishKey` accepts a holder's wrap only with this signature.
public struct ModelKeyWrapClaim: EIP712Struct, Hashable {
    public static let eip712TypeName = "KeyWrap"
    public static let eip712Fields = [
        EIP712Field(name: "model", type: "bytes32"), EIP712Field(name: "epoch", type: "uint256"),
        EIP712Field(name: "recipient", type: "address"), EIP712Field(name: "wrappedHash", type: "bytes32")
    ]
    /// The domain's `name`.
    public static let domainName = "Cloister ModelVault"
    /// The domain's `version`.
    public static let domainVersion = "1"

    public var model: Bytes32
    public var epoch: UInt256
    /// The signer address of the enclave the key is wrapped to.
    public var recipient: Address
    /// keccak256 of the 112 wrapped bytes.
    public var wrappedHash: Bytes32

    public init(model: Bytes32, epoch: UInt256, recipient: Address, wrappedHash: Bytes32) {
        self.model = model
        self.epoch = epoch
        self.recipient = recipient
        self.wrappedHash = wrappedHash
    }

    /// The claim for publishing `wrapped` (hashed here, so the hash is always of the bytes that are published).
    public init(model: Bytes32, epoch: UInt256, recipient: Address, wrapped: [UInt8]) {
        self.init(model: model, epoch: epoch, recipient: recipient, wrappedHash: Keccak256.hash(wrapped))
    }

    public var eip712Values: [EIP712Value] {
        [.bytes32(model), .value(.uint(epoch)), .value(.address(recipient)), .bytes32(wrappedHash)]
    }

    /// The model vault's EIP-712 domain.
    public static func domain(chainID: UInt64, vault: Address) -> EIP712Domain {
        EIP712Domain(name: domainName, version: domainVersion, chainID: UInt256(chainID), verifyingContract: vault)
    }
}

/// A wrap made by a holder enclave for another enclave, with the holder's signature: the arguments of the
/// vault's `publishKey(model, epoch, recipient, wrapped, holder, v, r, s)`.
public struct SignedModelKeyWrap: Hashable, Sendable {
    public let model: Bytes32
    public let epoch: UInt256
    public let recipient: Address
    /// The 112 wrapped bytes.
    public let wrapped: [UInt8]
    /// The signer address of the holder's key that signed.
    public let holder: Address
    /// The EIP-712 digest of ``claim`` in the vault's domain.
    public let digest: Bytes32
    public let signature: MessageSignature

    /// What was signed.
    public var claim: ModelKeyWrapClaim { ModelKeyWrapClaim(model: model, epoch: epoch, recipient: recipient, wrapped: wrapped) }
}

/// Why a model key could not be wrapped, unwrapped or its wrap signed. Never carries key bytes.
public enum ModelKeyWrapError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(Int)
    case invalidEphemeralKey
    case invalidRecipientKey
    /// The keyring holds no key (current or retiring) with this signer address.
    case notHeld(Address)
    case doesNotOpen
    case sealingFailed
    case typedData(EIP712Error)
    case signingFailed

    public var description: String {
        switch self {
        case .wrongLength(let count): "a wrapped model key is \(ModelKeyWrap.byteCount) bytes, not \(count)"
        case .invalidEphemeralKey: "the wrapped model key's ephemeral key is not a point on secp256k1"
        case .invalidRecipientKey: "the recipient key is not an enclave public key (64 bytes x ‖ y of a point on secp256k1)"
        case .notHeld(let address): "this enclave holds no key for \(address.checksummed): the wrap is for another enclave"
        case .doesNotOpen: "the wrapped model key does not open: it is for another enclave key, model or epoch, or it was changed"
        case .sealingFailed: "the model key could not be wrapped"
        case .typedData(let error): "the KeyWrap typed data is invalid: \(error)"
        case .signingFailed: "the KeyWrap could not be signed"
        }
    }
}

extension EnclaveKeyring {
    /// Opens the model key wrapped to the held key `recipient` (the current key by default; a retiring key for a
    /// wrap published before a rotation) for (`model`, `epoch`). The private key never leaves the keyring.
    public func unwrapModelKey(
        _ wrapped: [UInt8], model: Bytes32, epoch: UInt256, recipient: Address? = nil
    ) throws(ModelKeyWrapError) -> ModelKey {
        let address = recipient ?? signer
        guard let key = key(for: address) else { throw .notHeld(address) }
        return try ModelKeyWrap.unwrap(wrapped, with: key, model: model, epoch: epoch)
    }

    /// Wraps `key` to another enclave's key for (`model`, `epoch`) and signs the `KeyWrap` with the held key
    /// `holder` (the current key by default), the key whose own wrap the vault records for this epoch.
    ///
    /// Only for a `recipientKey` this enclave has itself seen attested: its owner can read the wrap off chain.
    public func wrapModelKey(
        _ key: ModelKey, to recipientKey: PublicKey, model: Bytes32, epoch: UInt256, domain: EIP712Domain, as holder: Address? = nil
    ) throws(ModelKeyWrapError) -> SignedModelKeyWrap {
        let address = holder ?? signer
        guard self.key(for: address) != nil else { throw .notHeld(address) }
        let wrapped = try ModelKeyWrap.wrap(key, to: recipientKey, model: model, epoch: epoch)
        let claim = ModelKeyWrapClaim(model: model, epoch: epoch, recipient: Address(publicKey: recipientKey), wrapped: wrapped)
        let (digest, signature) = try sign(claim, domain: domain, as: address)
        return SignedModelKeyWrap(
            model: model, epoch: epoch, recipient: claim.recipient, wrapped: wrapped, holder: address, digest: digest, signature: signature)
    }

    /// Signs `claim` in `domain` with the held key `holder` (the current key by default); returns the EIP-712
    /// digest and `r ‖ s ‖ v` (v = 27 or 28) as `ecrecover` takes it.
    public func sign(
        _ claim: ModelKeyWrapClaim, domain: EIP712Domain, as holder: Address? = nil
    ) throws(ModelKeyWrapError) -> (digest: Bytes32, signature: MessageSignature) {
        let address = holder ?? signer
        guard let key = key(for: address) else { throw .notHeld(address) }
        let digest: Bytes32
        do { digest = try claim.eip712SigningHash(domain: domain) } catch { throw .typedData(error) }
        do { return (digest, try key.signMessageDigest(digest)) } catch { throw .signingFailed }
    }
}

import Enclave
import Ethereum
import Foundation
import Secp256k1
import Testing

/// The vectors `scripts/gen_model_key_wrap_vectors.py` wrote with the independent Python implementation
/// (`tests/model_sealing/model_key_wrap_reference.py`) and eth-account.
struct ModelKeyWrapVectors: Decodable {
    struct WrapCase: Decodable, CustomTestStringConvertible {
        let name: String
        let recipientSecret: String
        let recipientKey: String
        let recipient: String
        let ephemeralSecret: String
        let modelKey: String
        let model: String
        let epoch: UInt256
        let wrapped: String

        var testDescription: String { name }
    }

    struct SignatureCase: Decodable, CustomTestStringConvertible {
        let name: String
        let chainId: UInt64
        let vault: String
        let model: String
        let epoch: UInt256
        let recipient: String
        let wrapped: String
        let wrappedHash: String
        let holderSecret: String
        let holder: String
        let digest: String
        let signature: String

        var testDescription: String { name }
    }

    let wraps: [WrapCase]
    let signatures: [SignatureCase]

    static func load() throws -> ModelKeyWrapVectors {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/model_sealing/key_wrap_vectors.json")
        return try JSONDecoder().decode(ModelKeyWrapVectors.self, from: Data(contentsOf: url))
    }
}

/// Model key wraps (`docs/model-sealing.md`, "Releasing the key to enclaves"): the round trip through the
/// keyring, every way a wrap is refused, errors that never show the key, and Python's wraps and eth-account's
/// KeyWrap digests and signatures.
@Suite struct ModelKeyWrapTests {
    static let vectors = try? ModelKeyWrapVectors.load()
    static let keyBytes: [UInt8] = (0..<32).map { UInt8(($0 * 11 + 5) & 0xFF) }
    static let model = Keccak256.hash(Array("a sealed model".utf8))
    static let vault = Address(Array(repeating: 0xE7, count: 20))!

    static func bytes(of key: ModelKey) -> [UInt8] { key.withUnsafeBytes { Array($0) } }

    @Test func aWrappedKeyOpensInTheRecipientsKeyringOnly() async throws {
        let directory = try KeyringDirectory()
        let keyring = try directory.keyring()
        let wrapped = try ModelKeyWrap.wrap(ModelKey(bytes: Self.keyBytes), to: await keyring.publicKey, model: Self.model, epoch: 3)
        #expect(wrapped.count == ModelKeyWrap.byteCount)
        #expect(Self.bytes(of: try await keyring.unwrapModelKey(wrapped, model: Self.model, epoch: 3)) == Self.keyBytes)
        #expect(!SealedModelTests.contains(wrapped, Array(Self.keyBytes.prefix(8))))

        let other = try KeyringDirectory().keyring()
        await #expect(throws: ModelKeyWrapError.doesNotOpen) { try await other.unwrapModelKey(wrapped, model: Self.model, epoch: 3) }
        let stranger = Address(publicKey: PrivateKey().publicKey)
        await #expect(throws: ModelKeyWrapError.notHeld(stranger)) {
            try await keyring.unwrapModelKey(wrapped, model: Self.model, epoch: 3, recipient: stranger)
        }
        await #expect(throws: ModelKeyWrapError.doesNotOpen) {
            try await keyring.unwrapModelKey(wrapped, model: Keccak256.hash(Array("another model".utf8)), epoch: 3)
        }
        for epoch: UInt256 in [2, 4, 0] {
            await #expect(throws: ModelKeyWrapError.doesNotOpen) { try await keyring.unwrapModelKey(wrapped, model: Self.model, epoch: epoch) }
        }
    }

    /// A wrap published before a rotation still opens with the (now retiring) key it was made for.
    @Test func aRetiringKeyOpensTheWrapsMadeForIt() async throws {
        let directory = try KeyringDirectory()
        let keyring = try directory.keyring()
        let old = await keyring.signer
        let wrapped = try ModelKeyWrap.wrap(ModelKey(bytes: Self.keyBytes), to: await keyring.publicKey, model: Self.model, epoch: 1)
        try await keyring.rotate()
        await #expect(throws: ModelKeyWrapError.doesNotOpen) { try await keyring.unwrapModelKey(wrapped, model: Self.model, epoch: 1) }
        #expect(Self.bytes(of: try await keyring.unwrapModelKey(wrapped, model: Self.model, epoch: 1, recipient: old)) == Self.keyBytes)
    }

    /// One bit flipped anywhere — the ephemeral key, the ciphertext, the tag — and nothing opens.
    @Test func aChangedBitInAnyPartIsRefused() throws {
        let recipient = PrivateKey()
        let wrapped = try ModelKeyWrap.wrap(ModelKey(bytes: Self.keyBytes), to: recipient.publicKey, model: Self.model, epoch: 1)
        for (part, range) in [("E", 0..<64), ("ciphertext", 64..<96), ("tag", 96..<112)] {
            for index in [range.lowerBound, (range.lowerBound + range.upperBound) / 2, range.upperBound - 1] {
                var changed = wrapped
                changed[index] ^= 0x01
                do {
                    _ = try ModelKeyWrap.unwrap(changed, with: recipient, model: Self.model, epoch: 1)
                    Issue.record("a flipped bit \(index) in \(part) opened")
                } catch {
                    // A changed E is usually no longer on the curve; when it is, the tag fails.
                    #expect(error == .doesNotOpen || (part == "E" && error == .invalidEphemeralKey), "\(part) byte \(index)")
                }
            }
        }
        for count in [0, 111, 113] {
            #expect(throws: ModelKeyWrapError.wrongLength(count)) {
                try ModelKeyWrap.unwrap(Array((wrapped + [0]).prefix(count)), with: recipient, model: Self.model, epoch: 1)
            }
        }
        #expect(throws: ModelKeyWrapError.invalidEphemeralKey) {
            try ModelKeyWrap.unwrap([UInt8](repeating: 0, count: 64) + wrapped[64...], with: recipient, model: Self.model, epoch: 1)
        }
    }

    @Test func everyWrapHasAFreshEphemeralKey() throws {
        let recipient = PrivateKey()
        let key = try ModelKey(bytes: Self.keyBytes)
        let first = try ModelKeyWrap.wrap(key, to: recipient.publicKey, model: Self.model, epoch: 1)
        let second = try ModelKeyWrap.wrap(key, to: recipient.publicKey, model: Self.model, epoch: 1)
        #expect(first.prefix(64) != second.prefix(64) && first.suffix(48) != second.suffix(48))
    }

    @Test func noErrorShowsTheKey() throws {
        let hex = Hex.encode(Self.keyBytes, prefix: false)
        let errors: [ModelKeyWrapError] = [
            .wrongLength(3), .invalidEphemeralKey, .invalidRecipientKey, .notHeld(Self.vault), .doesNotOpen, .sealingFailed,
            .typedData(.unknownType("KeyWrap")), .signingFailed
        ]
        for error in errors {
            #expect(!error.description.isEmpty)
            #expect(!error.description.lowercased().contains(hex) && !"\(error)".lowercased().contains(hex))
            #expect(!error.description.contains("\(Self.keyBytes)"))
        }
        #expect("\(try ModelKey(bytes: Self.keyBytes))" == "ModelKey(redacted)")
        #expect(throws: ModelKeyWrapError.invalidRecipientKey) { try ModelKeyWrap.recipientKey([UInt8](repeating: 1, count: 64)) }
        #expect(throws: ModelKeyWrapError.invalidRecipientKey) { try ModelKeyWrap.recipientKey(PrivateKey().publicKey.uncompressed) }
    }

    @Test func vectorsAreLoaded() throws {
        let vectors = try #require(Self.vectors)
        #expect(vectors.wraps.count == 3 && vectors.signatures.count == 3)
    }

    /// Python's wraps open here, and wrapping with Python's ephemeral key gives Python's bytes.
    @Test(arguments: Self.vectors?.wraps ?? [])
    func pythonsWrapsOpenAndSwiftWrapsTheSame(_ vector: ModelKeyWrapVectors.WrapCase) throws {
        let recipient = try PrivateKey(bytes: Hex.decode(vector.recipientSecret))
        let recipientKey = try ModelKeyWrap.recipientKey(Hex.decode(vector.recipientKey))
        #expect(recipientKey == recipient.publicKey)
        #expect(Address(publicKey: recipientKey) == (try Address(hex: vector.recipient)))
        let model = try Bytes32(hex: vector.model)
        let wrapped = try Hex.decode(vector.wrapped)
        let opened = try ModelKeyWrap.unwrap(wrapped, with: recipient, model: model, epoch: vector.epoch)
        #expect(Hex.encode(Self.bytes(of: opened)) == vector.modelKey)
        let again = try ModelKeyWrap.wrap(
            ModelKey(bytes: Hex.decode(vector.modelKey)), to: recipientKey, model: model, epoch: vector.epoch,
            ephemeralKey: PrivateKey(bytes: Hex.decode(vector.ephemeralSecret)))
        #expect(Hex.encode(again) == vector.wrapped)
        #expect(throws: ModelKeyWrapError.doesNotOpen) { try ModelKeyWrap.unwrap(wrapped, with: PrivateKey(), model: model, epoch: vector.epoch) }
    }

    @Test func theTypeHashIsTheVaultsKeyWrapType() throws {
        let encoded = "KeyWrap(bytes32 model,uint256 epoch,address recipient,bytes32 wrappedHash)"
        #expect(try ModelKeyWrapClaim.eip712TypeHash() == Keccak256.hash(Array(encoded.utf8)))
        let domain = ModelKeyWrapClaim.domain(chainID: 5, vault: Self.vault)
        #expect(domain.name == "Cloister ModelVault" && domain.version == "1" && domain.chainID == 5 && domain.verifyingContract == Self.vault)
    }

    /// eth-account's `encode_typed_data` digests and signatures (RFC 6979, so byte for byte).
    @Test(arguments: Self.vectors?.signatures ?? [])
    func digestAndSignatureMatchEthAccount(_ vector: ModelKeyWrapVectors.SignatureCase) throws {
        let wrapped = try Hex.decode(vector.wrapped)
        let claim = ModelKeyWrapClaim(model: try Bytes32(hex: vector.model), epoch: vector.epoch, recipient: try Address(hex: vector.recipient), wrapped: wrapped)
        #expect(claim.wrappedHash == (try Bytes32(hex: vector.wrappedHash)))
        let digest = try claim.eip712SigningHash(domain: ModelKeyWrapClaim.domain(chainID: vector.chainId, vault: try Address(hex: vector.vault)))
        #expect(digest == (try Bytes32(hex: vector.digest)))
        let signature = try PrivateKey(bytes: Hex.decode(vector.holderSecret)).signMessageDigest(digest)
        #expect(Hex.encode(signature.bytes) == vector.signature)
        #expect(try signature.signer(of: digest) == (try Address(hex: vector.holder)))
    }

    /// A holder re-wraps its key for a newly enrolled enclave: the recipient opens it, the signature recovers to
    /// the holder over the digest of exactly the published bytes, and a retiring holder key signs when asked.
    @Test func aHolderWrapsAndSignsForAnotherEnclave() async throws {
        let (holderDirectory, recipientDirectory) = (try KeyringDirectory(), try KeyringDirectory())
        let holder = try holderDirectory.keyring()
        let recipient = try recipientDirectory.keyring()
        let domain = ModelKeyWrapClaim.domain(chainID: 31337, vault: Self.vault)
        let key = try ModelKey(bytes: Self.keyBytes)
        let signed = try await holder.wrapModelKey(key, to: await recipient.publicKey, model: Self.model, epoch: 2, domain: domain)
        let (recipientSigner, holderSigner) = (await recipient.signer, await holder.signer)
        #expect(signed.recipient == recipientSigner && signed.holder == holderSigner)
        #expect(signed.model == Self.model && signed.epoch == 2 && signed.wrapped.count == ModelKeyWrap.byteCount)
        #expect(signed.claim.wrappedHash == Keccak256.hash(signed.wrapped))
        #expect(signed.digest == (try signed.claim.eip712SigningHash(domain: domain)))
        #expect(try signed.signature.signer(of: signed.digest) == signed.holder)
        #expect(Self.bytes(of: try await recipient.unwrapModelKey(signed.wrapped, model: Self.model, epoch: 2)) == Self.keyBytes)
        await #expect(throws: ModelKeyWrapError.doesNotOpen) { try await holder.unwrapModelKey(signed.wrapped, model: Self.model, epoch: 2) }

        let old = await holder.signer
        try await holder.rotate()
        let byOld = try await holder.wrapModelKey(key, to: await recipient.publicKey, model: Self.model, epoch: 2, domain: domain, as: old)
        #expect(try byOld.signature.signer(of: byOld.digest) == old)
        let stranger = Address(publicKey: PrivateKey().publicKey)
        await #expect(throws: ModelKeyWrapError.notHeld(stranger)) {
            try await holder.wrapModelKey(key, to: await recipient.publicKey, model: Self.model, epoch: 2, domain: domain, as: stranger)
        }
        let (digest, signature) = try await holder.sign(signed.claim, domain: domain)
        let current = await holder.signer
        #expect(digest == signed.digest)
        #expect(try signature.signer(of: digest) == current)
    }
}

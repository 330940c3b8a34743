import Ethereum
import Secp256k1

extension EncryptedOutput {
    /// Encrypts `output` to `requesterKey` with a fresh ephemeral key.
    public static func seal(
        _ output: [UInt8], to requesterKey: PublicKey, context: OutputContext,
        maxOutputBytes: Int = defaultMaxOutputBytes
    ) throws(OutputError) -> EncryptedOutput {
        try seal(output, to: requesterKey, context: context, ephemeralKey: PrivateKey(), maxOutputBytes: maxOutputBytes)
    }

    /// Encrypts with a caller-chosen ephemeral key. Only for reproducible test vectors.
    package static func seal(
        _ output: [UInt8], to requesterKey: PublicKey, context: OutputContext,
        ephemeralKey: PrivateKey, maxOutputBytes: Int = defaultMaxOutputBytes
    ) throws(OutputError) -> EncryptedOutput {
        guard output.count <= maxOutputBytes else { throw .outputTooLarge(size: output.count, limit: maxOutputBytes) }
        let unsealed = EncryptedOutput(context: context, ephemeralKey: ephemeralKey.publicKey, ciphertext: [], tag: [])
        let header = unsealed.header
        do {
            let key = try MessageKey(
                agreementOf: ephemeralKey, with: requesterKey, salt: header,
                info: DomainLabel.output + requesterKey.compressed)
            let sealed = try key.seal(output, authenticating: header)
            return EncryptedOutput(
                context: context, ephemeralKey: unsealed.ephemeralKey,
                ciphertext: sealed.ciphertext, tag: sealed.tag)
        } catch {
            throw .sealingFailed
        }
    }

    /// Decrypts with the requester's key after checking the output answers `expected`.
    public func open(with requesterKey: PrivateKey, expecting expected: OutputContext) throws(OutputError) -> [UInt8] {
        guard context == expected else { throw .contextMismatch }
        do {
            let key = try MessageKey(
                agreementOf: requesterKey, with: ephemeralKey, salt: header,
                info: DomainLabel.output + requesterKey.publicKey.compressed)
            return try key.open(ciphertext: ciphertext, tag: tag, authenticating: header)
        } catch {
            throw .authenticationFailed
        }
    }
}

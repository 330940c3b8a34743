import Secp256k1

/// EIP-191 version `0x45` (`personal_sign`): `keccak256("\x19Ethereum Signed Message:\n" ‖ len ‖ message)`
/// with the length in decimal ASCII.
public enum PersonalMessage {
    /// The digest a wallet signs for `message`.
    public static func hash(_ message: some Collection<UInt8>) -> Bytes32 {
        var hasher = Keccak256()
        hasher.update(Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8))
        hasher.update(message)
        return hasher.finalize()
    }

    /// The digest for the UTF-8 bytes of `text`.
    public static func hash(text: String) -> Bytes32 {
        hash(Array(text.utf8))
    }

    /// Signs `message` as `personal_sign` does.
    public static func sign(_ message: some Collection<UInt8>, with key: PrivateKey) throws(MessageSignatureError) -> MessageSignature {
        try key.signMessageDigest(hash(message))
    }

    /// The address that signed `message`.
    public static func signer(of message: some Collection<UInt8>, signature: MessageSignature) throws(MessageSignatureError) -> Address {
        try signature.signer(of: hash(message))
    }
}

import Ethereum
import Secp256k1

extension Envelope {
    /// What `Arbiter.proveWrap` decides for entry `index` and a revealed ephemeral secret `e`: whether
    /// `E == e·G` and `keccak256("cloister/v2/envelope/key" ‖ (W XOR KEK)) == C`, KEK computed from
    /// `address(e·P)`. True means the wrap was good, so a recipient that answered "decryption failed"
    /// for it lied. Lets a requester check before paying for the transaction.
    public func wrapOpens(at index: Int, ephemeralSecret: [UInt8]) -> Bool {
        guard recipients.indices.contains(index), let secret = try? PrivateKey(bytes: ephemeralSecret) else { return false }
        let entry = recipients[index]
        guard secret.publicKey == entry.ephemeralKey, var shared = try? secret.sharedPoint(with: entry.recipientKey) else { return false }
        var kek = KeyWrap.kek(keyHeader: keyHeader, sharedPoint: shared, ephemeralKey: entry.ephemeralKey, recipientKey: entry.recipientKey)
        var bytes = KeyWrap.xor(entry.wrappedKey, kek)
        defer {
            shared.wipe()
            kek.wipe()
            bytes.wipe()
        }
        return DataKey(bytes: bytes)?.keyCommitment() == keyCommitment
    }
}

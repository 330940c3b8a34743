import Ethereum

/// One recipient's entry: its enclave signer address and the data key encrypted to it.
public struct WrappedDataKey: Hashable, Sendable {
    /// Encoded size: address (20) ‖ encrypted key (32) ‖ GCM tag (16).
    public static let encodedSize = 68

    /// The recipient's enclave signer address.
    public let recipient: Address
    /// The data key under the recipient's wrap key (32 bytes).
    let ciphertext: [UInt8]
    /// The GCM tag of the wrap (16 bytes).
    let tag: [UInt8]

    init(recipient: Address, ciphertext: [UInt8], tag: [UInt8]) {
        self.recipient = recipient
        self.ciphertext = ciphertext
        self.tag = tag
    }
}

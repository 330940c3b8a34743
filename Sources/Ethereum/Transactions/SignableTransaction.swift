import Secp256k1

/// An unsigned transaction type: what it signs and how it is broadcast once signed.
public protocol SignableTransaction: Hashable, Sendable {
    /// The 32-byte digest the sender signs.
    var signingHash: Bytes32 { get }

    /// The broadcast encoding of this transaction carrying `signature`.
    func rawBytes(signature: TransactionSignature) -> [UInt8]
}

extension SignableTransaction {
    /// Signs with `key` (RFC 6979, low-s).
    public func signed(with key: PrivateKey) throws(TransactionError) -> Signed<Self> {
        Signed(transaction: self, signature: try key.signTransaction(hash: signingHash))
    }
}

/// A transaction with its signature, ready to broadcast.
public struct Signed<Transaction: SignableTransaction>: Hashable, Sendable {
    public let transaction: Transaction
    public let signature: TransactionSignature

    public init(transaction: Transaction, signature: TransactionSignature) {
        self.transaction = transaction
        self.signature = signature
    }

    /// The bytes broadcast with `eth_sendRawTransaction`.
    public var rawBytes: [UInt8] {
        transaction.rawBytes(signature: signature)
    }

    /// The transaction hash: keccak256 of ``rawBytes``.
    public var hash: Bytes32 {
        Keccak256.hash(rawBytes)
    }

    /// The address that signed the transaction.
    public func recoverSender() throws(TransactionError) -> Address {
        try signature.recoverSigner(digest: transaction.signingHash)
    }
}

public typealias SignedLegacyTransaction = Signed<LegacyTransaction>
public typealias SignedEIP1559Transaction = Signed<EIP1559Transaction>

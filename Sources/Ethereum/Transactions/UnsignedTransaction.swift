import Secp256k1

/// Either kind of unsigned transaction, for code that builds whichever type a chain supports.
public enum UnsignedTransaction: Hashable, Sendable {
    case legacy(LegacyTransaction)
    case eip1559(EIP1559Transaction)

    /// The 32-byte digest the sender signs.
    public var signingHash: Bytes32 {
        switch self {
        case .legacy(let transaction): transaction.signingHash
        case .eip1559(let transaction): transaction.signingHash
        }
    }

    /// Signs with `key` (RFC 6979, low-s).
    public func signed(with key: PrivateKey) throws(TransactionError) -> SignedTransaction {
        switch self {
        case .legacy(let transaction): .legacy(try transaction.signed(with: key))
        case .eip1559(let transaction): .eip1559(try transaction.signed(with: key))
        }
    }
}

extension SignedTransaction {
    /// The transaction without its signature.
    public var unsigned: UnsignedTransaction {
        switch self {
        case .legacy(let signed): .legacy(signed.transaction)
        case .eip1559(let signed): .eip1559(signed.transaction)
        }
    }

    /// The signature.
    public var signature: TransactionSignature {
        switch self {
        case .legacy(let signed): signed.signature
        case .eip1559(let signed): signed.signature
        }
    }
}

/// Any signed transaction this library reads: what ``init(rawBytes:)`` returns for bytes from the
/// network or `eth_getRawTransaction…`.
public enum SignedTransaction: Hashable, Sendable {
    case legacy(SignedLegacyTransaction)
    case eip1559(SignedEIP1559Transaction)

    /// The bytes broadcast with `eth_sendRawTransaction`.
    public var rawBytes: [UInt8] {
        switch self {
        case .legacy(let signed): signed.rawBytes
        case .eip1559(let signed): signed.rawBytes
        }
    }

    /// The transaction hash: keccak256 of ``rawBytes``.
    public var hash: Bytes32 {
        Keccak256.hash(rawBytes)
    }

    /// The address that signed the transaction.
    public func recoverSender() throws(TransactionError) -> Address {
        switch self {
        case .legacy(let signed): try signed.recoverSender()
        case .eip1559(let signed): try signed.recoverSender()
        }
    }

    /// The chain the signature is bound to; `nil` only for pre-EIP-155 legacy transactions.
    public var chainId: UInt64? {
        switch self {
        case .legacy(let signed): signed.transaction.chainId
        case .eip1559(let signed): signed.transaction.chainId
        }
    }
}

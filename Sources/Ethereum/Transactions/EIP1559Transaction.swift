/// A type-2 transaction (EIP-1559): a fee cap and a priority fee instead of a gas price, and an
/// optional access list (EIP-2930).
public struct EIP1559Transaction: SignableTransaction {
    /// The EIP-2718 type byte.
    public static let typeByte: UInt8 = 0x02

    public var chainId: UInt64
    public var nonce: UInt64
    /// Wei per gas paid to the block producer on top of the base fee.
    public var maxPriorityFeePerGas: UInt256
    /// The most wei per gas the sender pays in total (base fee plus priority fee).
    public var maxFeePerGas: UInt256
    public var gasLimit: UInt64
    /// The recipient; `nil` creates a contract whose init code is `data`.
    public var to: Address?
    /// Wei transferred.
    public var value: UInt256
    public var data: [UInt8]
    /// Accounts and storage slots the transaction declares it will touch.
    public var accessList: [AccessListEntry]

    public init(
        chainId: UInt64, nonce: UInt64, maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256,
        gasLimit: UInt64, to: Address?, value: UInt256, data: [UInt8], accessList: [AccessListEntry]
    ) {
        self.chainId = chainId
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }

    /// The nine unsigned fields in encoding order.
    var fields: [RLPItem] {
        [
            RLPItem(chainId), RLPItem(nonce), RLPItem(maxPriorityFeePerGas), RLPItem(maxFeePerGas),
            RLPItem(gasLimit), .recipient(to), RLPItem(value), .bytes(data), .list(accessList.map(\.rlpItem))
        ]
    }

    /// The bytes whose hash is signed: `0x02 ‖ rlp([chainId, nonce, …, data, accessList])`.
    public var signingPayload: [UInt8] {
        var payload = [Self.typeByte]
        RLPItem.list(fields).append(to: &payload)
        return payload
    }

    /// keccak256 of ``signingPayload``.
    public var signingHash: Bytes32 {
        Keccak256.hash(signingPayload)
    }

    /// `0x02 ‖ rlp([chainId, nonce, …, accessList, yParity, r, s])`.
    public func rawBytes(signature: TransactionSignature) -> [UInt8] {
        var raw = [Self.typeByte]
        let signatureFields = [RLPItem(UInt64(signature.yParity)), RLPItem(signature.r), RLPItem(signature.s)]
        RLPItem.list(fields + signatureFields).append(to: &raw)
        return raw
    }
}

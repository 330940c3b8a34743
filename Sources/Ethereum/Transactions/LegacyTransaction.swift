/// A type-0 ("legacy") transaction, signed with EIP-155 replay protection.
public struct LegacyTransaction: SignableTransaction {
    public var nonce: UInt64
    /// Wei paid per unit of gas.
    public var gasPrice: UInt256
    public var gasLimit: UInt64
    /// The recipient; `nil` creates a contract whose init code is `data`.
    public var to: Address?
    /// Wei transferred.
    public var value: UInt256
    public var data: [UInt8]
    /// The chain the signature is bound to (EIP-155). `nil` means a pre-EIP-155 signature that any chain
    /// accepts; such transactions appear when reading old blocks or keyless deployments (v = 27/28).
    public var chainId: UInt64?

    public init(
        nonce: UInt64, gasPrice: UInt256, gasLimit: UInt64, to: Address?, value: UInt256,
        data: [UInt8], chainId: UInt64?
    ) {
        self.nonce = nonce
        self.gasPrice = gasPrice
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.chainId = chainId
    }

    /// The six fields every legacy encoding starts with.
    var baseFields: [RLPItem] {
        [RLPItem(nonce), RLPItem(gasPrice), RLPItem(gasLimit), .recipient(to), RLPItem(value), .bytes(data)]
    }

    /// The bytes whose hash is signed: `rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0])`,
    /// or the first six fields alone without a chain id.
    public var signingPayload: [UInt8] {
        guard let chainId else { return RLPItem.list(baseFields).encoded }
        return RLPItem.list(baseFields + [RLPItem(chainId), .bytes([]), .bytes([])]).encoded
    }

    /// keccak256 of ``signingPayload``.
    public var signingHash: Bytes32 {
        Keccak256.hash(signingPayload)
    }

    /// `chainId * 2 + 35 + yParity` (EIP-155), or `27 + yParity` without a chain id.
    public func v(yParity: UInt8) -> UInt256 {
        guard let chainId else { return UInt256(27 + UInt64(yParity)) }
        return UInt256(chainId).shiftedLeft(by: 1) + UInt256(35 + UInt64(yParity))
    }

    /// `rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])`.
    public func rawBytes(signature: TransactionSignature) -> [UInt8] {
        let signatureFields = [RLPItem(v(yParity: signature.yParity)), RLPItem(signature.r), RLPItem(signature.s)]
        return RLPItem.list(baseFields + signatureFields).encoded
    }
}

extension Signed<LegacyTransaction> {
    /// The legacy `v`: `chainId * 2 + 35 + yParity`, or `27 + yParity` before EIP-155.
    public var v: UInt256 {
        transaction.v(yParity: signature.yParity)
    }
}

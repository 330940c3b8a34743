extension SignedTransaction {
    /// Decodes raw transaction bytes strictly: canonical RLP, integers without leading zeros, exactly the
    /// fields the type defines, a valid `v`/`yParity`, and `r`, `s` in range with low `s`.
    /// Decoding then re-encoding gives back the same bytes.
    public init(rawBytes: some Collection<UInt8>) throws(TransactionError) {
        let raw = Array(rawBytes)
        guard let first = raw.first else { throw .empty }
        switch first {
        case 0xC0...0xFF:
            self = .legacy(try SignedLegacyTransaction(rlp: Self.decodeRLP(raw)))
        case EIP1559Transaction.typeByte:
            self = .eip1559(try SignedEIP1559Transaction(rlp: Self.decodeRLP(raw.dropFirst())))
        default:
            throw .unsupportedType(first)
        }
    }

    private static func decodeRLP(_ bytes: some Collection<UInt8>) throws(TransactionError) -> RLPItem {
        do { return try RLP.decode(bytes) } catch { throw .malformed(error) }
    }
}

extension SignedLegacyTransaction {
    /// Reads `[nonce, gasPrice, gasLimit, to, value, data, v, r, s]`.
    init(rlp: RLPItem) throws(TransactionError) {
        let fields: [RLPItem]
        let v: UInt256
        let r: UInt256
        let s: UInt256
        var transaction: LegacyTransaction
        do {
            fields = try rlp.listValue(count: 9)
            transaction = LegacyTransaction(
                nonce: try fields[0].uint64Value(), gasPrice: try fields[1].uint256Value(),
                gasLimit: try fields[2].uint64Value(), to: try fields[3].recipientValue(),
                value: try fields[4].uint256Value(), data: try fields[5].bytesValue(), chainId: nil)
            v = try fields[6].uint256Value()
            r = try fields[7].uint256Value()
            s = try fields[8].uint256Value()
        } catch {
            throw .malformed(error)
        }
        let yParity: UInt8
        (transaction.chainId, yParity) = try Self.chainIdAndParity(v: v)
        self.init(transaction: transaction, signature: try TransactionSignature(yParity: yParity, r: r, s: s))
    }

    /// Splits `v` into the EIP-155 chain id (`nil` for 27/28) and the y parity.
    static func chainIdAndParity(v: UInt256) throws(TransactionError) -> (UInt64?, UInt8) {
        if v == 27 || v == 28 { return (nil, v == 28 ? 1 : 0) }
        guard v >= 35 else { throw .invalidV }
        let offset = v - 35
        guard let chainId = offset.shiftedRight(by: 1).uint64 else { throw .chainIdTooLarge }
        return (chainId, offset.bit(0) ? 1 : 0)
    }
}

extension SignedEIP1559Transaction {
    /// Reads `[chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data,
    /// accessList, yParity, r, s]`.
    init(rlp: RLPItem) throws(TransactionError) {
        let transaction: EIP1559Transaction
        let yParity: UInt64
        let r: UInt256
        let s: UInt256
        do {
            let fields = try rlp.listValue(count: 12)
            var accessList: [AccessListEntry] = []
            for entry in try fields[8].listValue() { accessList.append(try AccessListEntry(rlpItem: entry)) }
            transaction = EIP1559Transaction(
                chainId: try fields[0].uint64Value(), nonce: try fields[1].uint64Value(),
                maxPriorityFeePerGas: try fields[2].uint256Value(), maxFeePerGas: try fields[3].uint256Value(),
                gasLimit: try fields[4].uint64Value(), to: try fields[5].recipientValue(),
                value: try fields[6].uint256Value(), data: try fields[7].bytesValue(), accessList: accessList)
            yParity = try fields[9].uint64Value()
            r = try fields[10].uint256Value()
            s = try fields[11].uint256Value()
        } catch {
            throw .malformed(error)
        }
        guard yParity <= 1 else { throw .invalidYParity }
        self.init(transaction: transaction, signature: try TransactionSignature(yParity: UInt8(yParity), r: r, s: s))
    }
}

import Testing
import Ethereum
import Secp256k1

@Suite struct TransactionTests {
    static let eip155Key = Result { try PrivateKey(bytes: [UInt8](repeating: 0x46, count: 32)) }

    static var eip155Example: LegacyTransaction {
        LegacyTransaction(
            nonce: 9, gasPrice: 20_000_000_000, gasLimit: 21000,
            to: Address([UInt8](repeating: 0x35, count: 20)), value: 1_000_000_000_000_000_000,
            data: [], chainId: 1)
    }

    /// The worked example in EIP-155's text.
    @Test func eip155PublishedExample() throws {
        let transaction = Self.eip155Example
        #expect(
            Hex.encode(transaction.signingPayload)
                == "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080")
        #expect(transaction.signingHash.hex == "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
        let signed = try transaction.signed(with: Self.eip155Key.get())
        #expect(signed.v == 37)
        #expect(signed.signature.r.decimalString == "18515461264373351373200002665853028612451056578545711640558177340181847433846")
        #expect(signed.signature.s.decimalString == "46948507304638947509940763649030358759909902576025900602547168820602576006531")
        #expect(
            Hex.encode(signed.rawBytes)
                == "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"
        )
        #expect(try signed.recoverSender() == Address(publicKey: Self.eip155Key.get().publicKey))
    }

    @Test func preEIP155DecodesWithoutChainId() throws {
        var transaction = Self.eip155Example
        transaction.chainId = nil
        let signed = try transaction.signed(with: Self.eip155Key.get())
        #expect(signed.v == 27 || signed.v == 28)
        let decoded = try SignedTransaction(rawBytes: signed.rawBytes)
        #expect(decoded.chainId == nil)
        #expect(try decoded.recoverSender() == Address(publicKey: Self.eip155Key.get().publicKey))
    }

    /// The EIP-155 example's raw fields, to re-encode with one field changed.
    static func exampleFields() throws -> [RLPItem] {
        let signed = try eip155Example.signed(with: eip155Key.get())
        return try RLP.decode(signed.rawBytes).listValue()
    }

    static func decode(_ fields: [RLPItem]) throws(TransactionError) -> SignedTransaction {
        try SignedTransaction(rawBytes: RLPItem.list(fields).encoded)
    }

    @Test func rejectsBadV() throws {
        var fields = try Self.exampleFields()
        for v: UInt64 in [0, 1, 26, 29, 34] {
            fields[6] = RLPItem(v)
            #expect(throws: TransactionError.invalidV) { try Self.decode(fields) }
        }
        fields[6] = RLPItem(UInt256.max)
        #expect(throws: TransactionError.chainIdTooLarge) { try Self.decode(fields) }
    }

    @Test func rejectsHighSAndOutOfRangeSignatures() throws {
        var fields = try Self.exampleFields()
        let s = try fields[8].uint256Value()
        let curveOrder = try UInt256(parsing: "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        fields[8] = RLPItem(curveOrder - s)
        #expect(throws: TransactionError.highS) { try Self.decode(fields) }
        fields[8] = RLPItem(UInt256.zero)
        #expect(throws: TransactionError.signatureOutOfRange) { try Self.decode(fields) }
        fields[8] = RLPItem(s)
        fields[7] = RLPItem(curveOrder)
        #expect(throws: TransactionError.signatureOutOfRange) { try Self.decode(fields) }
    }

    @Test func rejectsNonCanonicalFields() throws {
        let fields = try Self.exampleFields()
        var padded = fields
        padded[0] = .bytes([0x00, 0x09])
        #expect(throws: TransactionError.malformed(.leadingZeroInInteger)) { try Self.decode(padded) }
        var shortTo = fields
        shortTo[3] = .bytes([UInt8](repeating: 0x35, count: 19))
        #expect(throws: TransactionError.malformed(.wrongLength(expected: 20, actual: 19))) { try Self.decode(shortTo) }
        #expect(throws: TransactionError.malformed(.wrongItemCount(expected: 9, actual: 8))) { try Self.decode(Array(fields.dropLast())) }
        var wideNonce = fields
        wideNonce[0] = .bytes([UInt8](repeating: 0x01, count: 9))
        #expect(throws: TransactionError.malformed(.integerTooLarge(maximumBytes: 8))) { try Self.decode(wideNonce) }
    }

    @Test func rejectsUnknownTypesAndEmptyInput() {
        #expect(throws: TransactionError.empty) { try SignedTransaction(rawBytes: []) }
        #expect(throws: TransactionError.unsupportedType(0x01)) { try SignedTransaction(rawBytes: [0x01, 0xC0]) }
        #expect(throws: TransactionError.unsupportedType(0x03)) { try SignedTransaction(rawBytes: [0x03, 0xC0]) }
        #expect(throws: TransactionError.unsupportedType(0x80)) { try SignedTransaction(rawBytes: [0x80]) }
        #expect(throws: TransactionError.malformed(.empty)) { try SignedTransaction(rawBytes: [0x02]) }
    }

    @Test func type2RoundTripWithAccessListAndCreation() throws {
        let key = PrivateKey()
        let slot = try Bytes32(hex: "0x" + String(repeating: "ab", count: 32))
        let transaction = EIP1559Transaction(
            chainId: 31337, nonce: 0, maxPriorityFeePerGas: 1_000_000_000, maxFeePerGas: 30_000_000_000,
            gasLimit: 500_000, to: nil, value: 0, data: [0x60, 0x80, 0x60, 0x40],
            accessList: [AccessListEntry(address: Address.zero, storageKeys: [slot, .zero])])
        let signed = try transaction.signed(with: key)
        #expect(signed.rawBytes.first == 0x02)
        let decoded = try SignedTransaction(rawBytes: signed.rawBytes)
        #expect(decoded == .eip1559(signed))
        #expect(try decoded.recoverSender() == Address(publicKey: key.publicKey))

        var fields = try RLP.decode(signed.rawBytes.dropFirst()).listValue()
        fields[9] = RLPItem(UInt64(2))
        var raw: [UInt8] = [0x02]
        RLPItem.list(fields).append(to: &raw)
        #expect(throws: TransactionError.invalidYParity) { try SignedTransaction(rawBytes: raw) }
    }
}

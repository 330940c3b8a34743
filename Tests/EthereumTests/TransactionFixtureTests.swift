import Testing
import Ethereum
import Secp256k1

/// 600 transactions signed by eth-account (scripts/ethvectors/transactions.py): we build each from its
/// fields, sign it with the same key and get the same bytes (RFC 6979 on both sides), and we decode
/// the raw bytes back to the same fields, hash and sender.
@Suite struct TransactionFixtureTests {
    struct Vectors: Decodable {
        struct AccessEntry: Decodable { let address: String; let storageKeys: [String] }
        struct Fields: Decodable {
            let nonce: String, gasLimit: String, to: String?, value: String, data: String, chainId: String?
            let gasPrice: String?, maxPriorityFeePerGas: String?, maxFeePerGas: String?, accessList: [AccessEntry]?
        }
        struct Case: Decodable {
            let type: Int, privateKey: String, fields: Fields, v: String, r: String, s: String
            let signingHash: String, raw: String, hash: String, sender: String
        }
        let cases: [Case]
    }

    static let vectors = Result { try Fixtures.load(Vectors.self, "ethereum/transactions.json") }

    static func uint64(_ text: String) throws -> UInt64 {
        guard let value = try UInt256(parsing: text).uint64 else { throw UInt256ParseError.tooLarge }
        return value
    }

    static func transaction(_ vector: Vectors.Case) throws -> UnsignedTransaction {
        let fields = vector.fields
        let to = try fields.to.map { try Address(hex: $0) }
        if vector.type == 0 {
            return .legacy(
                LegacyTransaction(
                    nonce: try uint64(fields.nonce), gasPrice: try UInt256(parsing: fields.gasPrice ?? ""),
                    gasLimit: try uint64(fields.gasLimit), to: to, value: try UInt256(parsing: fields.value),
                    data: try Hex.decode(fields.data), chainId: try fields.chainId.map(uint64)))
        }
        let accessList = try (fields.accessList ?? []).map {
            AccessListEntry(address: try Address(hex: $0.address), storageKeys: try $0.storageKeys.map { try Bytes32(hex: $0) })
        }
        return .eip1559(
            EIP1559Transaction(
                chainId: try uint64(fields.chainId ?? ""), nonce: try uint64(fields.nonce),
                maxPriorityFeePerGas: try UInt256(parsing: fields.maxPriorityFeePerGas ?? ""),
                maxFeePerGas: try UInt256(parsing: fields.maxFeePerGas ?? ""), gasLimit: try uint64(fields.gasLimit),
                to: to, value: try UInt256(parsing: fields.value), data: try Hex.decode(fields.data), accessList: accessList))
    }

    @Test func fixturesCoverBothTypesAndTheEdges() throws {
        let cases = try Self.vectors.get().cases
        #expect(cases.count >= 500)
        #expect(cases.contains { $0.type == 0 && $0.fields.chainId == nil })
        #expect(cases.contains { $0.type == 0 && $0.fields.to == nil })
        #expect(cases.contains { $0.type == 2 && $0.fields.to == nil })
        #expect(cases.contains { ($0.fields.accessList ?? []).contains { $0.storageKeys.count > 1 } })
        #expect(cases.contains { $0.fields.data.count > 2000 })
    }

    @Test func signingFromFieldsReproducesEthAccount() throws {
        for vector in try Self.vectors.get().cases {
            let key = try PrivateKey(bytes: Hex.decode(vector.privateKey))
            let unsigned = try Self.transaction(vector)
            #expect(unsigned.signingHash.hex == vector.signingHash)
            let signed = try unsigned.signed(with: key)
            #expect(Hex.encode(signed.rawBytes) == vector.raw, "raw of \(vector.hash)")
            #expect(signed.hash.hex == vector.hash)
            #expect(signed.signature.r == (try UInt256(parsing: vector.r)))
            #expect(signed.signature.s == (try UInt256(parsing: vector.s)))
        }
    }

    @Test func decodingRawReproducesFieldsHashAndSender() throws {
        for vector in try Self.vectors.get().cases {
            let decoded = try SignedTransaction(rawBytes: Hex.decode(vector.raw))
            let expected = try Self.transaction(vector)
            #expect(decoded.unsigned == expected, "fields of \(vector.hash)")
            #expect(decoded.hash.hex == vector.hash)
            #expect(Hex.encode(decoded.rawBytes) == vector.raw)
            #expect(try decoded.recoverSender() == Address(hex: vector.sender))
            switch decoded {
            case .legacy(let signed): #expect(signed.v == (try UInt256(parsing: vector.v)))
            case .eip1559(let signed): #expect(UInt256(UInt64(signed.signature.yParity)) == (try UInt256(parsing: vector.v)))
            }
        }
    }
}

import Foundation
import Testing
import Ethereum
import Secp256k1

/// EIP-712 against the EIP's own "Mail" example and eth-account (scripts/gen_abi_vectors.py).
@Suite struct EIP712FixtureTests {
    /// A fixture file parsed by the project's own JSON reader.
    static func load(_ path: String) throws -> ExactJSON {
        try ExactJSON(parsing: Data(contentsOf: Fixtures.root.appendingPathComponent(path)))
    }

    static func string(_ json: ExactJSON?) throws -> String {
        guard case .string(let text)? = json else { throw EIP712Error.invalidDocument(member: "fixture") }
        return text
    }

    /// Hashes, signs and recovers one vector, checking each against the expected values.
    static func check(_ vector: ExactJSON) throws {
        let document = try #require(vector["document"])
        let typedData = try TypedData(document: document)
        #expect(typedData.domainSeparator.hex == (try string(vector["domainSeparator"])))
        #expect(typedData.structHash.hex == (try string(vector["structHash"])))
        #expect(typedData.signingHash.hex == (try string(vector["digest"])))
        let key = try PrivateKey(bytes: Hex.decode(try string(vector["privateKey"])))
        let signature = try key.signMessageDigest(typedData.signingHash)
        #expect(signature.description == (try string(vector["signature"])))
        #expect(try signature.signer(of: typedData.signingHash).checksummed == (try string(vector["signer"])))
    }

    @Test func mailExampleFromTheEIP() throws {
        let vector = try Self.load("ethereum/eip712/mail.json")
        let typedData = try TypedData(document: try #require(vector["document"]))
        // The values printed in EIP-712's example.
        #expect(try typedData.types.encodeType("Mail") == "Mail(Person from,Person to,string contents)Person(string name,address wallet)")
        #expect(typedData.domainSeparator.hex == "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f")
        #expect(typedData.structHash.hex == "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e")
        #expect(typedData.signingHash.hex == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
        let cow = try PrivateKey(bytes: Keccak256.hash(Array("cow".utf8)).bytes)
        let signature = try cow.signMessageDigest(typedData.signingHash)
        #expect(signature.v == 28)
        #expect(signature.r.hex == "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d")
        #expect(signature.s.hex == "0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562")
        try Self.check(vector)
    }

    @Test func randomDocumentsMatchEthAccount() throws {
        guard case .array(let cases)? = try Self.load("ethereum/eip712/random.json")["cases"] else {
            Issue.record("no cases")
            return
        }
        #expect(cases.count >= 100)
        for vector in cases { try Self.check(vector) }
    }

    @Test func fulfilmentDocumentMatchesEthAccount() throws {
        try Self.check(try Self.load("ethereum/eip712/fulfilment.json"))
    }

    /// The Mail document as a wallet might send it: a hex chain id, a lower-case address, an escape.
    @Test func parsesWalletStyleText() throws {
        let typedData = try TypedData(json: Self.mailText)
        #expect(typedData.signingHash.hex == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
    }

    static let mailText: [UInt8] = Array(
        #"""
        {"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
          {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
          "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
          "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}]},
         "primaryType": "Mail",
         "domain": {"name": "Ether Mail", "version": "1", "chainId": "0x1", "verifyingContract": "0xcccccccccccccccccccccccccccccccccccccccc"},
         "message": {"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                     "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}, "contents": "Hello, \u0042ob!"}}
        """#.utf8)
}

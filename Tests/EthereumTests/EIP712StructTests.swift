import Testing
import Ethereum
import Secp256k1

/// Typed data declared as Swift types, checked against the same EIP example and eth-account vectors.
@Suite struct EIP712StructTests {
    struct Person: EIP712Struct {
        static let eip712TypeName = "Person"
        static let eip712Fields = [EIP712Field(name: "name", type: "string"), EIP712Field(name: "wallet", type: "address")]
        var name: String
        var wallet: Address
        var eip712Values: [EIP712Value] { [.value(.string(name)), .value(.address(wallet))] }
    }

    struct Mail: EIP712Struct {
        static let eip712TypeName = "Mail"
        static let eip712Fields = [
            EIP712Field(name: "from", type: "Person"), EIP712Field(name: "to", type: "Person"),
            EIP712Field(name: "contents", type: "string")
        ]
        static let eip712ReferencedTypes: [any EIP712Struct.Type] = [Person.self]
        var from: Person
        var to: Person
        var contents: String
        var eip712Values: [EIP712Value] { [.structure(from), .structure(to), .value(.string(contents))] }
    }

    struct Fulfilment: EIP712Struct {
        static let eip712TypeName = "Fulfilment"
        static let eip712Fields = ["requestId", "model", "inputHash", "outputCommitment", "attestationDigest"]
            .map { EIP712Field(name: $0, type: "bytes32") }
        var words: [Bytes32]
        var eip712Values: [EIP712Value] { words.map(EIP712Value.bytes32) }
    }

    @Test func mailFromSwiftTypes() throws {
        let mail = Mail(
            from: Person(name: "Cow", wallet: try Address(hex: "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")),
            to: Person(name: "Bob", wallet: try Address(hex: "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB")),
            contents: "Hello, Bob!")
        let domain = EIP712Domain(
            name: "Ether Mail", version: "1", chainID: 1,
            verifyingContract: try Address(hex: "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"))
        #expect(domain.separator.hex == "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f")
        #expect(try mail.eip712StructHash().hex == "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e")
        #expect(try mail.eip712SigningHash(domain: domain).hex == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
        #expect(try Mail.eip712TypeHash() == Keccak256.hash(Array("Mail(Person from,Person to,string contents)Person(string name,address wallet)".utf8)))
    }

    @Test func fulfilmentFromSwiftTypesMatchesEthAccount() throws {
        let vector = try EIP712FixtureTests.load("ethereum/eip712/fulfilment.json")
        let document = try #require(vector["document"])
        let message = try #require(document["message"])
        let domainJSON = try #require(document["domain"])
        let fulfilment = Fulfilment(words: try Fulfilment.eip712Fields.map { try Bytes32(hex: EIP712FixtureTests.string(message[$0.name])) })
        guard case .number(let chainID)? = domainJSON["chainId"] else { throw EIP712Error.invalidDocument(member: "chainId") }
        let domain = EIP712Domain(
            name: try EIP712FixtureTests.string(domainJSON["name"]),
            version: try EIP712FixtureTests.string(domainJSON["version"]),
            chainID: try UInt256(parsing: chainID),
            verifyingContract: try Address(hex: EIP712FixtureTests.string(domainJSON["verifyingContract"])))
        #expect(domain.separator.hex == (try EIP712FixtureTests.string(vector["domainSeparator"])))
        #expect(try fulfilment.eip712StructHash().hex == (try EIP712FixtureTests.string(vector["structHash"])))
        let digest = try fulfilment.eip712SigningHash(domain: domain)
        #expect(digest.hex == (try EIP712FixtureTests.string(vector["digest"])))
        let key = try PrivateKey(bytes: Hex.decode(try EIP712FixtureTests.string(vector["privateKey"])))
        #expect(try key.signMessageDigest(digest).description == (try EIP712FixtureTests.string(vector["signature"])))
    }

    @Test func malformedDeclarationsAndValuesAreTypedErrors() throws {
        #expect(throws: EIP712Error.unknownType("Persn")) { try EIP712Types(["Mail": [EIP712Field(name: "from", type: "Persn")]]) }
        #expect(throws: EIP712Error.unknownType("uint256[0]")) { try EIP712Types(["A": [EIP712Field(name: "x", type: "uint256[0]")]]) }
        #expect(throws: EIP712Error.unknownType("(uint256)")) { try EIP712Types(["A": [EIP712Field(name: "x", type: "(uint256)")]]) }
        #expect(throws: EIP712Error.duplicateName("x")) {
            try EIP712Types(["A": [EIP712Field(name: "x", type: "bool"), EIP712Field(name: "x", type: "bool")]])
        }
        #expect(throws: EIP712Error.invalidName("1x")) { try EIP712Types(["A": [EIP712Field(name: "1x", type: "bool")]]) }
        let deepArray = "bool" + String(repeating: "[]", count: 100_000)
        #expect(throws: EIP712Error.unknownType(deepArray)) { try EIP712Types(["A": [EIP712Field(name: "x", type: deepArray)]]) }
        let many = Dictionary(uniqueKeysWithValues: (0...EIP712Types.maximumStructCount).map { ("T\($0)", [EIP712Field(name: "x", type: "bool")]) })
        #expect(throws: EIP712Error.tooManyTypes(EIP712Types.maximumStructCount + 1)) { try EIP712Types(many) }
        let types = try EIP712Types(["A": [EIP712Field(name: "n", type: "uint8"), EIP712Field(name: "list", type: "bool[2]")]])
        #expect(throws: EIP712Error.invalidValue(path: "A.n", type: "uint8")) {
            try types.hashStruct("A", [.value(.uint(256)), .array([.value(.bool(true)), .value(.bool(false))])])
        }
        #expect(throws: EIP712Error.arrayLengthMismatch(path: "A.list", expected: 2, actual: 1)) {
            try types.hashStruct("A", [.value(.uint(1)), .array([.value(.bool(true))])])
        }
    }

    @Test func documentErrorsNameThePath() throws {
        let mail = try EIP712FixtureTests.load("ethereum/eip712/mail.json")
        var document = try #require(mail["document"])
        guard case .object(var members) = document, case .object(var message)? = members["message"],
            case .object(var from)? = message["from"]
        else { throw EIP712Error.invalidDocument(member: "fixture") }
        from["wallet"] = .string("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827")
        message["from"] = .object(from)
        members["message"] = .object(message)
        document = .object(members)
        #expect(throws: EIP712Error.invalidValue(path: "message.from.wallet", type: "address")) { try TypedData(document: document) }
        members["primaryType"] = .string("Nobody")
        #expect(throws: EIP712Error.unknownType("Nobody")) { try TypedData(document: .object(members)) }
        #expect { try TypedData(json: Array("{\"types\": ".utf8)) } throws: { error in
            guard case .invalidJSON(let parseError)? = error as? EIP712Error else { return false }
            return parseError.reason == .unexpectedEnd
        }
    }
}

import Testing
import Ethereum
import Secp256k1

@Suite struct AddressTests {
    /// The examples published in EIP-55.
    static let eip55 = [
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
    ]

    @Test(arguments: eip55[4...])
    func checksumMatchesEIP55(_ text: String) throws {
        #expect(try Address(hex: text).checksummed == text)
        #expect(try Address(hex: text.lowercased()).checksummed == text)
    }

    /// All-caps and all-lower-case forms carry no checksum and are accepted as they are.
    @Test(arguments: eip55[..<4])
    func singleCaseFormsAreAccepted(_ text: String) throws {
        #expect(try Address(hex: text).bytes.count == 20)
    }

    @Test func wrongChecksumIsRejected() {
        // EIP-55's first mixed-case example with one letter's case flipped.
        #expect(throws: AddressError.badChecksum) { try Address(hex: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") }
    }

    @Test func malformedAddressesAreRejected() {
        #expect(throws: AddressError.wrongLength(19)) { try Address(hex: "0x" + String(repeating: "ab", count: 19)) }
        #expect(throws: AddressError.self) { try Address(hex: String(repeating: "ab", count: 20)) }
        #expect(throws: AddressError.self) { try Address(hex: "0x" + String(repeating: "zz", count: 20)) }
    }

    /// The account of private key 1 is a well-known address.
    @Test func derivesFromPublicKey() throws {
        let key = try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        #expect(Address(publicKey: key.publicKey).checksummed == "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")
    }
}

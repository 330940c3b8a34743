import Testing
import Ethereum
import Secp256k1

/// EIP-191 personal messages against eth-account's `encode_defunct` and `sign_message`.
@Suite struct EIP191Tests {
    struct Vectors: Decodable {
        struct Case: Decodable { let message, digest, privateKey, signer, signature: String }
        let cases: [Case]
    }

    @Test func matchesEthAccount() throws {
        let vectors = try Fixtures.load(Vectors.self, "ethereum/eip191.json")
        #expect(vectors.cases.count >= 50)
        for vector in vectors.cases {
            let message = try Hex.decode(vector.message)
            #expect(PersonalMessage.hash(message).hex == vector.digest)
            let key = try PrivateKey(bytes: Hex.decode(vector.privateKey))
            let signature = try PersonalMessage.sign(message, with: key)
            #expect(signature.description == vector.signature)
            let parsed = try MessageSignature(bytes: Hex.decode(vector.signature))
            #expect(try PersonalMessage.signer(of: message, signature: parsed).checksummed == vector.signer)
        }
    }

    @Test func textAndBytesHashAlike() {
        #expect(PersonalMessage.hash(text: "hello €") == PersonalMessage.hash(Array("hello €".utf8)))
        #expect(PersonalMessage.hash(text: "hello") != PersonalMessage.hash(text: "hello "))
    }

    @Test func signatureBytesAreValidated() throws {
        let valid = [UInt8](repeating: 1, count: 64)
        #expect(throws: MessageSignatureError.wrongLength(64)) { try MessageSignature(bytes: valid) }
        #expect(throws: MessageSignatureError.invalidV(29)) { try MessageSignature(bytes: valid + [29]) }
        #expect(try MessageSignature(bytes: valid + [0]).v == 27)
        #expect(try MessageSignature(bytes: valid + [28]).v == 28)
        // r = s = 0 recovers no key.
        let zero = try MessageSignature(bytes: [UInt8](repeating: 0, count: 64) + [27])
        #expect(throws: MessageSignatureError.recoveryFailed) { try zero.signer(of: .zero) }
    }

    @Test func aTamperedMessageRecoversAnotherSigner() throws {
        let key = PrivateKey()
        let signature = try PersonalMessage.sign(Array("pay 1 ETH".utf8), with: key)
        let owner = Address(publicKey: key.publicKey)
        #expect(try PersonalMessage.signer(of: Array("pay 1 ETH".utf8), signature: signature) == owner)
        #expect(try PersonalMessage.signer(of: Array("pay 9 ETH".utf8), signature: signature) != owner)
    }
}

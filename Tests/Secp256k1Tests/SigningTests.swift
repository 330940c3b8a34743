import Testing
@testable import Secp256k1

/// Signing, recovery and verification, checked against libsecp256k1's own verifier and known keys.
@Suite struct SigningTests {
    /// The generator point G is the public key of scalar 1 (SEC 2, section 2.4.1).
    @Test func scalarOneGivesTheGenerator() throws {
        let key = try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        let expected = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
        #expect(hex(key.publicKey.compressed) == expected)
    }

    @Test func rejectsOutOfRangeScalars() {
        let groupOrder = bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        #expect(throws: Secp256k1Error.invalidPrivateKey) { try PrivateKey(bytes: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: Secp256k1Error.invalidPrivateKey) { try PrivateKey(bytes: groupOrder) }
        #expect(throws: Secp256k1Error.invalidPrivateKey) { try PrivateKey(bytes: [UInt8](repeating: 1, count: 31)) }
    }

    @Test func signaturesRecoverTheSignerAndAreLowS() throws {
        let halfOrder = bytes("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")
        for round in 0..<50 {
            let key = PrivateKey()
            let digest = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ round) }
            let signature = try key.signRecoverable(digest: digest)
            #expect(try signature.recover(digest: digest) == key.publicKey)
            #expect(key.publicKey.isValidSignature(signature.compact, digest: digest))
            #expect(signature.s.lexicographicallyPrecedes(halfOrder) || signature.s == halfOrder)
            var tampered = digest
            tampered[0] ^= 1
            #expect(!key.publicKey.isValidSignature(signature.compact, digest: tampered))
        }
    }

    @Test func signingIsDeterministic() throws {
        let key = try PrivateKey(bytes: bytes("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"))
        let digest = [UInt8](repeating: 0xAB, count: 32)
        #expect(try key.signRecoverable(digest: digest) == key.signRecoverable(digest: digest))
    }

    @Test func rejectsMalformedInputs() throws {
        let key = PrivateKey()
        #expect(throws: Secp256k1Error.invalidDigestLength(31)) { try key.signRecoverable(digest: [UInt8](repeating: 0, count: 31)) }
        #expect(throws: Secp256k1Error.invalidSignature) {
            try RecoverableSignature(r: [UInt8](repeating: 0, count: 32), s: [UInt8](repeating: 0, count: 32), recoveryID: 2)
        }
        #expect(throws: Secp256k1Error.invalidPublicKey) { try PublicKey(bytes: [0x04] + [UInt8](repeating: 0, count: 64)) }
        let zeroSignature = try RecoverableSignature(r: [UInt8](repeating: 0, count: 32), s: [UInt8](repeating: 0, count: 32), recoveryID: 0)
        #expect(throws: Secp256k1Error.self) { try zeroSignature.recover(digest: [UInt8](repeating: 1, count: 32)) }
    }

    @Test func publicKeyEncodingsRoundTrip() throws {
        let key = PrivateKey().publicKey
        #expect(try PublicKey(bytes: key.compressed) == key)
        #expect(try PublicKey(bytes: key.uncompressed) == key)
    }

    @Test func descriptionNeverShowsTheSecret() throws {
        let key = try PrivateKey(bytes: bytes("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"))
        #expect(!"\(key)".contains("4c0883"))
        #expect(!String(reflecting: key).contains("4c0883"))
    }
}

func bytes(_ hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        result.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return result
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}

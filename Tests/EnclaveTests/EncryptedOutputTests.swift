import Enclave
import Ethereum
import Secp256k1
import Testing

@Suite struct EncryptedOutputTests {
    let requester: PrivateKey
    let context: OutputContext

    init() throws {
        requester = PrivateKey()
        context = OutputContext(
            chainID: 31337, contract: try Address(hex: "0x5fbdb2315678afecb367f032d93f642f64180aa3"),
            requestID: Keccak256.hash(Array("request 7".utf8)))
    }

    @Test func requesterOpensItsOutput() throws {
        for output in [[], Array("negative".utf8), [UInt8](repeating: 7, count: EncryptedOutput.defaultMaxOutputBytes)] {
            let sealed = try EncryptedOutput.seal(output, to: requester.publicKey, context: context)
            #expect(sealed.bytes.count == 98 + output.count + 16)
            let parsed = try EncryptedOutput(bytes: sealed.bytes)
            #expect(parsed == sealed)
            #expect(try parsed.open(with: requester, expecting: context) == output)
        }
    }

    @Test func anotherKeyCannotOpen() throws {
        let sealed = try EncryptedOutput.seal(Array("yes".utf8), to: requester.publicKey, context: context)
        #expect(throws: OutputError.authenticationFailed) { try sealed.open(with: PrivateKey(), expecting: context) }
    }

    @Test func anotherRequestIsRejected() throws {
        let sealed = try EncryptedOutput.seal(Array("yes".utf8), to: requester.publicKey, context: context)
        var other = context
        other.requestID = Keccak256.hash(Array("request 8".utf8))
        #expect(throws: OutputError.contextMismatch) { try sealed.open(with: requester, expecting: other) }
        // Rewriting the header to the other request breaks the authentication.
        var bytes = sealed.bytes
        bytes.replaceSubrange(33..<65, with: other.requestID.bytes)
        #expect(throws: OutputError.authenticationFailed) { try EncryptedOutput(bytes: bytes).open(with: requester, expecting: other) }
    }

    @Test func everyFlipAndTruncationIsRejected() throws {
        let bytes = try EncryptedOutput.seal(Array("label: spam".utf8), to: requester.publicKey, context: context).bytes
        for index in bytes.indices {
            var copy = bytes
            copy[index] ^= 0x80
            #expect(throws: OutputError.self, "byte \(index)") { try EncryptedOutput(bytes: copy).open(with: requester, expecting: context) }
        }
        for length in 0..<bytes.count {
            #expect(throws: OutputError.self, "length \(length)") {
                try EncryptedOutput(bytes: Array(bytes.prefix(length))).open(with: requester, expecting: context)
            }
        }
    }

    @Test func sizeCapIsEnforced() throws {
        #expect(throws: OutputError.outputTooLarge(size: 11, limit: 10)) {
            try EncryptedOutput.seal([UInt8](repeating: 0, count: 11), to: requester.publicKey, context: context, maxOutputBytes: 10)
        }
        let bytes = try EncryptedOutput.seal([UInt8](repeating: 0, count: 11), to: requester.publicKey, context: context).bytes
        #expect(throws: OutputError.outputTooLarge(size: 11, limit: 10)) { try EncryptedOutput(bytes: bytes, maxOutputBytes: 10) }
    }

    @Test func hostileBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5_000 {
            var bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 2 == 0, bytes.count >= 5 { bytes.replaceSubrange(0..<5, with: EncryptedOutput.magic + [1]) }
            #expect(throws: OutputError.self) { try EncryptedOutput(bytes: bytes).open(with: requester, expecting: context) }
        }
    }
}

import Testing
@testable import Ethereum

/// The Swift ROMix that covers the scrypt parameters OpenSSL refuses, checked against OpenSSL where
/// both apply and against RFC 7914's published vectors.
@Suite struct ScryptTests {
    @Test func rfc7914Vectors() throws {
        let first = try ScryptROMix.derive(password: [], salt: [], n: 16, r: 1, p: 1, length: 64)
        #expect(
            Hex.encode(first, prefix: false)
                == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")
        let second = try ScryptROMix.derive(password: Array("password".utf8), salt: Array("NaCl".utf8), n: 1024, r: 8, p: 16, length: 64)
        #expect(
            Hex.encode(second, prefix: false)
                == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    @Test(arguments: [(2, 1, 1), (16, 2, 3), (256, 1, 1), (1024, 4, 2), (64, 16, 1)])
    func swiftROMixMatchesOpenSSL(n: Int, r: Int, p: Int) throws {
        #expect(ScryptROMix.openSSLAccepts(n: n, r: r))
        let password = Array("correct horse".utf8)
        let salt: [UInt8] = Array(0..<32)
        let ours = try ScryptROMix.derive(password: password, salt: salt, n: n, r: r, p: p, length: 32)
        let openSSL = try OpenSSLCrypto.scrypt(password: password, salt: salt, n: n, r: r, p: p, maximumMemory: 1 << 26, length: 32)
        #expect(ours == openSSL)
    }

    @Test func openSSLBoundIsRFC7914s() {
        #expect(ScryptROMix.openSSLAccepts(n: 1 << 15, r: 1))
        #expect(!ScryptROMix.openSSLAccepts(n: 1 << 16, r: 1))
        #expect(!ScryptROMix.openSSLAccepts(n: 1 << 18, r: 1))
        #expect(ScryptROMix.openSSLAccepts(n: 1 << 18, r: 2))
        #expect(ScryptROMix.openSSLAccepts(n: 1 << 40, r: 8))
    }
}

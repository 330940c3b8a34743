import Attestation
import Crypto
import Testing

@Suite struct QuoteParsingTests {
    @Test func fixtureFilesAreTheDocumentedOnes() throws {
        #expect(
            Array(SHA256.hash(data: try DCAPFixtures.bytes("tdx_quote"))).hex
                == "c42f9164325024bca2757bc8819b11879a0a369132ea4e2b7c85df4805ea72db")
        #expect(
            Array(SHA256.hash(data: try DCAPFixtures.bytes("sgx_quote"))).hex
                == "f8b81014b6e443609746822194910f5dc1c92c322fa0584298d1e33e505ca3b5")
    }

    @Test func tdxQuoteFields() throws {
        let quote = try Quote(bytes: DCAPFixtures.bytes("tdx_quote"))
        #expect(quote.header.version == 4)
        #expect(quote.header.teeType == .tdx)
        #expect(quote.header.attestationKeyType == 2)
        #expect(quote.header.qeVendorID == QuoteHeader.intelQEVendorID)
        guard case .td(let body) = quote.body else { Issue.record("not a TD report"); return }
        #expect(body.mrTD.hex == "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7")
        #expect(body.rtmrs[0].hex == "44c0197b39157fdd7a4dcc44767f9d6b0bb3977c7a8e347b8492f827fe9d9e5c48aca29b220b80b6a540cf994b9bc9c0")
        #expect(body.rtmrs[3] == [UInt8](repeating: 0, count: 48))
        #expect(body.tdAttributes.hex == "0000001000000000")
        #expect(body.xfam.hex == "e702060000000000")
        #expect(body.reportData.hex == "9a9d48e7f6799642d3d1b34e1e5e1742d4bb02dd6ddd551862c1211d35c304f9eca3efdbb481601c163cf52493d6e44aed55d51ec39b7e518fadb92c2b523f20")
        #expect(Array(quote.rawBytes[568..<632]) == body.reportData, "REPORTDATA sits at offset 568 of a v4 quote")
        #expect(quote.signedBytes.count == 48 + 584)
        #expect(!body.isDebug)
        let pem = String(decoding: quote.signatureData.pckCertificateChainPEM, as: UTF8.self)
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(quote.signatureData.qeAuthData.count == 32)
    }

    @Test func sgxQuoteFields() throws {
        let quote = try Quote(bytes: DCAPFixtures.bytes("sgx_quote"))
        #expect(quote.header.version == 3)
        #expect(quote.header.teeType == .sgx)
        guard case .sgx(let body) = quote.body else { Issue.record("not an SGX report"); return }
        #expect(body.mrEnclave.hex == "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb")
        #expect(body.mrSigner.hex == "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6")
        let hello = Array("Hello, world!".utf8)
        #expect(Array(body.reportData.prefix(hello.count)) == hello)
        #expect(body.reportData.dropFirst(hello.count).allSatisfy { $0 == 0 })
        #expect(quote.signedBytes.count == 48 + 384)
        #expect(quote.trailingByteCount == 0)
    }

    @Test(arguments: ["tdx_quote", "sgx_quote"])
    func everyTruncationIsATypedError(name: String) throws {
        let bytes = try DCAPFixtures.bytes(name)
        let complete = try Quote(bytes: bytes)
        let minimum = bytes.count - complete.trailingByteCount
        for length in 0..<minimum {
            #expect(throws: QuoteParseError.self) { try Quote(bytes: Array(bytes.prefix(length))) }
        }
    }

    @Test func hostileLengthFieldsAreRejected() throws {
        var bytes = try DCAPFixtures.bytes("tdx_quote")
        bytes.replaceSubrange(632..<636, with: [0xff, 0xff, 0xff, 0xff])
        #expect(throws: QuoteParseError.declaredLengthTooLarge(field: .signatureData, declared: 0xffff_ffff, available: 4370)) {
            try Quote(bytes: bytes)
        }
        var version = try DCAPFixtures.bytes("sgx_quote")
        version[0] = 9
        #expect(throws: QuoteParseError.unsupportedVersion(9)) { try Quote(bytes: version) }
    }

    /// A v5 quote is a v4 quote with a body descriptor (type, size) before the body.
    @Test func version5BodyDescriptorsAreRead() throws {
        let v4 = try DCAPFixtures.bytes("tdx_quote")
        func v5(type: UInt8, size: UInt32, body: [UInt8]) -> [UInt8] {
            var header = Array(v4[0..<48])
            header[0] = 5
            let descriptor: [UInt8] = [type, 0] + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
            return header + descriptor + body + Array(v4[632...])
        }
        let td10 = try Quote(bytes: v5(type: 2, size: 584, body: Array(v4[48..<632])))
        #expect(td10.body == (try Quote(bytes: v4)).body)
        #expect(td10.signedBytes.count == 48 + 6 + 584)

        let td15 = try Quote(bytes: v5(type: 3, size: 648, body: Array(v4[48..<632]) + [UInt8](repeating: 9, count: 64)))
        guard case .td(let body) = td15.body else { Issue.record("not a TD report"); return }
        #expect(body.teeTCBSVN2 == [UInt8](repeating: 9, count: 16))
        #expect(body.mrServiceTD == [UInt8](repeating: 9, count: 48))

        #expect(throws: QuoteParseError.bodySizeMismatch(bodyType: 2, declared: 600, expected: 584)) {
            try Quote(bytes: v5(type: 2, size: 600, body: Array(v4[48..<632])))
        }
        #expect(throws: QuoteParseError.teeTypeMismatchesBody(teeType: 0x81, bodyType: 1)) {
            try Quote(bytes: v5(type: 1, size: 384, body: Array(v4[48..<432])))
        }
    }
}

import Enclave
import Ethereum
import Secp256k1
import Testing

@Suite struct ReportDataTests {
    let extData = AttestationExtData(
        chainID: 31337, registry: Address(Array(repeating: 0x11, count: 20))!,
        operatorAddress: Address(Array(repeating: 0x22, count: 20))!,
        softwareVersion: Keccak256.hash(Array("cloister 0.1.0".utf8)), expiry: 1_800_000_000)

    @Test func layoutIsAddressThenExtDataHashThenZeros() throws {
        let signer = Address(publicKey: PrivateKey().publicKey)
        let reportData = ReportData(signer: signer, extData: extData)
        let bytes = reportData.bytes
        #expect(bytes.count == 64)
        #expect(Array(bytes[0..<20]) == signer.bytes)
        #expect(Array(bytes[20..<52]) == Keccak256.hash(extData.abiEncoded).bytes)
        #expect(bytes[52...].allSatisfy { $0 == 0 })
        let parsed = try ReportData(bytes: bytes)
        #expect(parsed == reportData)
        #expect(parsed.binds(signer: signer, extData: extData))
        var later = extData
        later.expiry += 1
        #expect(!parsed.binds(signer: signer, extData: later))
        var otherOperator = extData
        otherOperator.operatorAddress = Address(Array(repeating: 0x33, count: 20))!
        #expect(!parsed.binds(signer: signer, extData: otherOperator), "the operator is part of the binding")
    }

    @Test func extDataIsFiveStaticAbiWords() {
        let encoded = extData.abiEncoded
        #expect(encoded.count == 160)
        #expect(Array(encoded[0..<32]) == UInt256(31337).bytes32.bytes)
        #expect(Array(encoded[32..<44]) == [UInt8](repeating: 0, count: 12))
        #expect(Array(encoded[44..<64]) == extData.registry.bytes)
        #expect(Array(encoded[64..<76]) == [UInt8](repeating: 0, count: 12))
        #expect(Array(encoded[76..<96]) == extData.operatorAddress.bytes)
        #expect(Array(encoded[96..<128]) == extData.softwareVersion.bytes)
        #expect(Array(encoded[128..<160]) == UInt256(1_800_000_000).bytes32.bytes)
    }

    @Test func matchesEthAbiVectors() throws {
        let cases = try EnvelopeVectors.load().reportData
        #expect(cases.count == 2)
        for vector in cases {
            let extData = AttestationExtData(
                chainID: vector.chainId, registry: try Address(hex: vector.registry),
                operatorAddress: try Address(hex: vector.operator),
                softwareVersion: try Bytes32(hex: vector.softwareVersion), expiry: vector.expiry)
            #expect(Hex.encode(extData.abiEncoded) == vector.extData)
            let reportData = ReportData(signer: try Address(hex: vector.signer), extData: extData)
            #expect(Hex.encode(reportData.bytes) == vector.reportData)
        }
    }

    @Test func malformedReportDataIsRejected() throws {
        #expect(throws: ReportDataError.wrongLength(63)) { try ReportData(bytes: [UInt8](repeating: 0, count: 63)) }
        var bytes = [UInt8](repeating: 0, count: 64)
        bytes[63] = 1
        #expect(throws: ReportDataError.nonZeroPadding) { try ReportData(bytes: bytes) }
    }
}

import Ethereum
import Secp256k1

/// Encoding and decoding of a typical fulfilment transaction: a signed EIP-1559 call carrying one
/// result (about 450 bytes of calldata: the request fields, a 32-byte output, the signature).
enum TransactionBenchmark {
    static func run() throws -> BenchmarkResult {
        let key = try PrivateKey(bytes: (0..<32).map { UInt8($0 + 7) })
        let calldata = [0x4b, 0x1e, 0x77, 0x02] + (0..<448).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let transaction = EIP1559Transaction(
            chainId: 31337, nonce: 42, maxPriorityFeePerGas: 1_000_000_000, maxFeePerGas: 30_000_000_000,
            gasLimit: 120_000, to: Address(Array(repeating: 0xCC, count: 20)), value: .zero,
            data: calldata, accessList: [])
        let signed = try transaction.signed(with: key)
        var sink = 0
        let encodeDecode = Stopwatch.rate {
            let raw = signed.rawBytes
            sink &+= (try? SignedTransaction(rawBytes: raw))?.rawBytes.count ?? 0
        }
        let encodeOnly = Stopwatch.rate { sink &+= signed.rawBytes.count }
        blackHole(sink)
        return BenchmarkResult(
            name: "fulfilment tx encode+decode", unit: "ops/s", ours: encodeDecode,
            referenceName: "encode alone (decode costs the difference)", reference: encodeOnly)
    }
}

internal import COpenSSL
import Ethereum

/// Keccak-256 against OpenSSL's SHA3-256: the same Keccak-f[1600] permutation and rate, so the bytes
/// per second compare like for like. OpenSSL reuses one EVP context, as a careful caller would.
enum KeccakBenchmark {
    static func run(size: Int, label: String) -> BenchmarkResult {
        let data = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131) }
        var sink: UInt8 = 0
        let ours = Stopwatch.rate { sink ^= Keccak256.hash(data).bytes[0] }

        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let reference = Stopwatch.rate {
            EVP_DigestInit_ex(context, EVP_sha3_256(), nil)
            data.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
            EVP_DigestFinal_ex(context, &digest, &length)
            sink ^= digest[0]
        }
        blackHole(sink)
        let megabytes = Double(size) / 1_000_000
        return BenchmarkResult(
            name: "keccak256 \(label)", unit: "MB/s", ours: ours * megabytes,
            referenceName: "OpenSSL SHA3-256 (EVP)", reference: reference * megabytes)
    }
}

/// Keeps a value alive so the optimiser cannot drop the work that produced it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

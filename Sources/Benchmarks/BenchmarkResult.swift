/// One benchmark row: our throughput next to the reference measured in the same run.
package struct BenchmarkResult: Sendable, Codable {
    /// What was measured, e.g. `keccak256 1 MiB`.
    package let name: String
    /// The unit of both rates, e.g. `MB/s` or `ops/s`.
    package let unit: String
    /// Our implementation's rate.
    package let ours: Double
    /// What the rate is compared against, e.g. `OpenSSL SHA3-256 (EVP)`.
    package let referenceName: String
    /// The reference's rate.
    package let reference: Double

    /// ours / reference: above 1 means ours is faster.
    package var ratio: Double { reference > 0 ? ours / reference : 0 }
}

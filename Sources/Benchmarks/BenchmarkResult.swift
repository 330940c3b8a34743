/// One benchmark row: our throughput next to the reference measured in the same run.
public struct BenchmarkResult: Sendable, Codable {
    /// What was measured, e.g. `keccak256 1 MiB`.
    public let name: String
    /// The unit of both rates, e.g. `MB/s` or `ops/s`.
    public let unit: String
    /// Our implementation's rate.
    public let ours: Double
    /// What the rate is compared against, e.g. `OpenSSL SHA3-256 (EVP)`.
    public let referenceName: String
    /// The reference's rate.
    public let reference: Double

    /// ours / reference: above 1 means ours is faster.
    public var ratio: Double { reference > 0 ? ours / reference : 0 }
}

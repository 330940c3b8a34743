import Attestation
import Crypto
import Foundation

/// Times quote parsing and full DCAP verification, next to one P-256 ECDSA verification measured in the
/// same run (a full verification checks about fifteen ECDSA signatures: chains, CRLs, collateral, QE
/// report and quote). Each row is the best of `rounds` rounds, so other load on the machine matters less.
public enum DCAPBenchmark {
    /// One measured operation: the best time per operation over the rounds.
    public struct Row: Sendable, Encodable {
        public let name: String
        public let microsecondsPerOperation: Double
        public var operationsPerSecond: Double { 1_000_000 / microsecondsPerOperation }
    }

    /// A quote with the collateral and time it verifies at.
    public struct Case: Sendable {
        public let name: String
        public let quote: [UInt8]
        public let collateral: QuoteCollateral
        public let time: Date
        public let verifier: DCAPVerifier

        public init(name: String, quote: [UInt8], collateral: QuoteCollateral, time: Date, verifier: DCAPVerifier = DCAPVerifier()) {
            self.name = name
            self.quote = quote
            self.collateral = collateral
            self.time = time
            self.verifier = verifier
        }
    }

    public static func run(_ cases: [Case], rounds: Int = 5, iterations: Int = 50) async throws -> [Row] {
        var rows: [Row] = []
        for item in cases {
            _ = try await item.verifier.verify(quote: item.quote, collateral: item.collateral, at: item.time)
            rows.append(Row(name: "parse \(item.name)", microsecondsPerOperation: try await best(rounds, iterations * 20) {
                _ = try Quote(bytes: item.quote)
            }))
            rows.append(Row(name: "verify \(item.name)", microsecondsPerOperation: try await best(rounds, iterations) {
                _ = try await item.verifier.verify(quote: item.quote, collateral: item.collateral, at: item.time)
            }))
        }
        let key = P256.Signing.PrivateKey()
        let message = Array(repeating: UInt8(7), count: 632)
        let signature = try key.signature(for: message)
        rows.append(Row(name: "reference: one P-256 ECDSA verify", microsecondsPerOperation: try await best(rounds, iterations * 20) {
            guard key.publicKey.isValidSignature(signature, for: message) else { throw CancellationError() }
        }))
        return rows
    }

    private static func best(_ rounds: Int, _ iterations: Int, _ body: () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = clock.now
            for _ in 0..<iterations { try await body() }
            let elapsed = clock.now - start
            let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
            best = min(best, micros / Double(iterations))
        }
        return best
    }
}

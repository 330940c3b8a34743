import Attestation
import Crypto
import Foundation

/// Times quote parsing and full DCAP verification, next to one P-256 ECDSA verification measured in the
/// same run (a full verification checks about fifteen ECDSA signatures: chains, CRLs, collateral, QE
/// report and quote). Each row is the best of `rounds` rounds, so other load on the machine matters less.
package enum DCAPBenchmark {
    /// One measured operation: the best time per operation over the rounds.
    package struct Row: Sendable, Encodable {
        package let name: String
        package let microsecondsPerOperation: Double
        package var operationsPerSecond: Double { 1_000_000 / microsecondsPerOperation }
    }

    /// A quote with the collateral and time it verifies at.
    package struct Case: Sendable {
        package let name: String
        package let quote: [UInt8]
        package let collateral: QuoteCollateral
        package let time: Date
        package let verifier: DCAPVerifier

        package init(name: String, quote: [UInt8], collateral: QuoteCollateral, time: Date, verifier: DCAPVerifier = DCAPVerifier()) {
            self.name = name
            self.quote = quote
            self.collateral = collateral
            self.time = time
            self.verifier = verifier
        }
    }

    package static func run(_ cases: [Case], rounds: Int = 5, iterations: Int = 50) async throws -> [Row] {
        var rows: [Row] = []
        for item in cases {
            _ = try await item.verifier.verify(quote: item.quote, collateral: item.collateral, at: item.time)
            rows.append(
                Row(
                    name: "parse \(item.name)",
                    microsecondsPerOperation: try await best(rounds, iterations * 20) {
                        _ = try Quote(bytes: item.quote)
                    }))
            rows.append(
                Row(
                    name: "verify \(item.name)",
                    microsecondsPerOperation: try await best(rounds, iterations) {
                        _ = try await item.verifier.verify(quote: item.quote, collateral: item.collateral, at: item.time)
                    }))
        }
        let key = P256.Signing.PrivateKey()
        let message = Array(repeating: UInt8(7), count: 632)
        let signature = try key.signature(for: message)
        rows.append(
            Row(
                name: "reference: one P-256 ECDSA verify",
                microsecondsPerOperation: try await best(rounds, iterations * 20) {
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

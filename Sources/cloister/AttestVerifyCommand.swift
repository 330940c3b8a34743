import ArgumentParser
import Attestation
import Foundation

/// `cloister attest verify --quote FILE --collateral FILE [--at TIME] [--json]`: full DCAP verification
/// against the pinned Intel SGX Root CA; exits non-zero when the quote fails or its TCB is revoked.
struct AttestVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a quote against its collateral (QuoteCollateralV3 JSON) and print the verdict."
    )

    @Option(help: "The raw quote file.")
    var quote: String

    @Option(help: "The collateral, in dcap-qvl's QuoteCollateralV3 JSON form.")
    var collateral: String

    @Option(help: "Verification time: RFC 3339 (2025-06-25T00:00:00Z) or Unix seconds. Default: now.")
    var at: String?

    @Option(help: "A non-Intel root certificate (PEM) to trust instead: tests and simulation only.")
    var trustAnchor: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let time = try at.map(AttestFiles.time) ?? Date()
        let anchor = try trustAnchor.map(AttestFiles.nonProductionAnchor) ?? .intelSGXRootCA
        let collateral: QuoteCollateral
        do { collateral = try QuoteCollateral(json: try AttestFiles.read(self.collateral)) } catch let error as DCAPVerificationError {
            throw CommandError(error.description)
        }
        let verdict: VerifiedQuote
        do {
            verdict = try await DCAPVerifier(trustAnchor: anchor).verify(
                quote: try AttestFiles.read(quote), collateral: collateral, at: time)
        } catch let error as DCAPVerificationError {
            throw CommandError("quote rejected: \(error)")
        }
        let summary = VerificationSummary(verdict)
        print(json ? try AttestFiles.json(summary) : summary.text)
        if verdict.status == .revoked { throw ExitCode.failure }
    }
}

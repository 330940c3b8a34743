import Ethereum
import Foundation

/// What `cloister attest verify` prints: the verdict and the measurements it vouches for.
public struct VerificationSummary: Encodable, Sendable {
    public let status: String
    public let advisoryIDs: [String]
    public let fmspc: String
    public let teeType: String
    public let measurements: [String: String]
    public let reportData: String
    public let workloadID: String
    public let verifiedAt: String
    public let collateralValidUntil: String
    public let trustAnchor: String

    public init(_ verdict: VerifiedQuote) {
        status = verdict.status.rawValue
        advisoryIDs = verdict.advisoryIDs
        fmspc = Hex.encode(verdict.fmspc, prefix: false).uppercased()
        teeType = verdict.quote.header.teeType == .tdx ? "TDX" : "SGX"
        let wanted: Set = ["MRTD", "RTMR0", "RTMR1", "RTMR2", "RTMR3", "MRENCLAVE", "MRSIGNER"]
        measurements = Dictionary(
            verdict.body.displayFields.filter { wanted.contains($0.name) }.map { ($0.name, $0.hex) },
            uniquingKeysWith: { first, _ in first })
        reportData = Hex.encode(verdict.body.reportData)
        workloadID = verdict.body.workloadID.hex
        verifiedAt = verdict.verifiedAt.ISO8601Format()
        collateralValidUntil = verdict.collateralValidUntil.ISO8601Format()
        trustAnchor = verdict.trustAnchorIsIntel ? "Intel SGX Root CA" : "NON-PRODUCTION (test or simulation root)"
    }

    /// One `name: value` line per field.
    public var text: String {
        var lines = [
            "status: \(status)",
            "advisories: \(advisoryIDs.isEmpty ? "none" : advisoryIDs.joined(separator: ", "))",
            "tee: \(teeType)", "fmspc: \(fmspc)"
        ]
        lines += measurements.keys.sorted().map { "\($0): \(measurements[$0] ?? "")" }
        lines += [
            "reportdata: \(reportData)", "workload id: \(workloadID)", "verified at: \(verifiedAt)",
            "collateral valid until: \(collateralValidUntil)", "trust anchor: \(trustAnchor)"
        ]
        return lines.joined(separator: "\n")
    }
}

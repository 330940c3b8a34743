import Foundation

/// The verdict on a quote that passed every DCAP check: the platform's TCB status with its advisories,
/// and the now trustworthy report body.
public struct VerifiedQuote: Sendable, Equatable {
    public let quote: Quote
    /// The platform TCB status, converged with the TDX module's and the QE's (as Intel's QVL reports it).
    public let status: TCBStatus
    public let advisoryIDs: [String]
    /// The FMSPC of the platform (from the PCK certificate, equal to the TCB info's).
    public let fmspc: [UInt8]
    public let pckExtension: SGXPCKExtension
    public let qeAssessment: TCBAssessment
    /// Nil for SGX quotes.
    public let tdxModuleAssessment: TCBAssessment?
    /// The time the verification was made for.
    public let verifiedAt: Date
    /// The earliest `nextUpdate` of the collateral used: re-verify with fresh collateral before then.
    public let collateralValidUntil: Date
    /// False when a non-Intel trust anchor (tests, simulation) was used: such a verdict proves nothing.
    public let trustAnchorIsIntel: Bool

    /// The attested body: an SGX enclave report or a TD report.
    public var body: QuoteBody { quote.body }
}

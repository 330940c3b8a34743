import Attestation
import CloisterClient
import Enclave
import Ethereum
import Foundation
import Secp256k1

/// One member of the attestation committee: verifies a node's quote fully (DCAP against its trust
/// anchor with the collateral the node sends, TCB status, REPORTDATA binding to this chain, registry
/// and the operator account that will register it) and signs an ``AcceptanceClaim`` that `CommitteeVerifier.vy` counts towards its m-of-n.
struct CommitteeMember: Sendable {
    /// TCB levels the committee vouches for; anything out of date or revoked is refused.
    static let acceptedStatuses: Set<TCBStatus> = [.upToDate, .swHardeningNeeded, .configurationNeeded, .configurationAndSWHardeningNeeded]

    let key: PrivateKey
    let verifier: DCAPVerifier
    let deployment: Deployment
    /// The longest validity the committee grants (the registry enforces its own maximum as well).
    let maxValidity: TimeInterval

    var address: Address { Address(publicKey: key.publicKey) }

    /// Verifies `request` at `now` and signs the acceptance, or says precisely why not.
    func accept(_ request: AcceptanceRequest, now: Date) async throws(AcceptanceError) -> AcceptanceResponse {
        let quote: [UInt8]
        let collateral: QuoteCollateral
        let version: Bytes32
        let operatorAddress: Address
        do {
            quote = try Hex.decode(request.quote)
            version = try Bytes32(hex: request.softwareVersion)
            operatorAddress = try Address(hex: request.operator)
        } catch {
            throw .malformedRequest("quote, operator and softwareVersion must be 0x-hex (\(error))")
        }
        do { collateral = try QuoteCollateral(json: Array(request.collateral.utf8)) } catch {
            throw .malformedRequest("collateral: \(error)")
        }
        let verified: VerifiedQuote
        do { verified = try await verifier.verify(quote: quote, collateral: collateral, at: now) } catch {
            throw .quoteRejected("\(error)")
        }
        guard Self.acceptedStatuses.contains(verified.status) else {
            throw .quoteRejected("TCB status \(verified.status.rawValue) is not accepted (advisories: \(verified.advisoryIDs.joined(separator: ", ")))")
        }
        let extData = AttestationExtData(
            chainID: deployment.chainID, registry: deployment.core, operatorAddress: operatorAddress,
            softwareVersion: version, expiry: request.expiry)
        let reportData: ReportData
        do { reportData = try ReportData(bytes: verified.body.reportData) } catch {
            throw .bindingMismatch("REPORTDATA is not signer ‖ keccak256(extData) ‖ zeros: \(error)")
        }
        guard reportData.extDataHash == extData.hash else {
            throw .bindingMismatch(
                "REPORTDATA does not commit to chain \(deployment.chainID), registry \(deployment.core), operator \(operatorAddress), this software version and expiry")
        }
        let nowSeconds = UInt64(now.timeIntervalSince1970)
        guard request.expiry > nowSeconds, TimeInterval(request.expiry - nowSeconds) <= maxValidity else {
            throw .expiryOutOfRange("expiry must be in the future and at most \(Int(maxValidity)) s away")
        }
        guard Double(request.expiry) <= verified.collateralValidUntil.timeIntervalSince1970 else {
            throw .expiryOutOfRange("expiry is after the collateral's validity (\(verified.collateralValidUntil)); renew sooner")
        }
        let claim = AcceptanceClaim(
            quoteDigest: Keccak256.hash(quote), workloadID: verified.body.workloadID,
            reportDataHash: Keccak256.hash(verified.body.reportData), validUntil: request.expiry)
        do {
            let digest = try claim.eip712SigningHash(domain: AcceptanceClaim.domain(chainID: deployment.chainID, committee: deployment.committee))
            let signature = try key.signMessageDigest(digest)
            return AcceptanceResponse(member: address.description, validUntil: request.expiry, signature: Hex.encode(signature.bytes))
        } catch {
            throw .signingFailed
        }
    }
}

/// Why a committee member refused to vouch for a quote.
enum AcceptanceError: Error, Equatable, CustomStringConvertible {
    case malformedRequest(String)
    case quoteRejected(String)
    case bindingMismatch(String)
    case expiryOutOfRange(String)
    case signingFailed

    var description: String {
        switch self {
        case .malformedRequest(let why): "malformed request: \(why)"
        case .quoteRejected(let why): "quote rejected: \(why)"
        case .bindingMismatch(let why): "binding mismatch: \(why)"
        case .expiryOutOfRange(let why): "expiry out of range: \(why)"
        case .signingFailed: "the member could not sign"
        }
    }
}

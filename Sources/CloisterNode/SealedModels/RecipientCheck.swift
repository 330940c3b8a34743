import Attestation
import CloisterClient
import Enclave
import Ethereum
import Foundation

/// What a key holder's enclave checks itself before it wraps a model key to another enclave. The host
/// delivers the chain's data, so a host that wanted the key could show its enclave a `KeyRequested` for a
/// key of its own; the vault's checks on chain do not help against a forged log. So the holder reads the
/// `enroll` transaction the log came from and wraps only to a key that a genuine TEE attested there: the
/// quote verifies with DCAP against the enclave's trust anchor (not debug, an accepted TCB status), its
/// REPORTDATA binds that very key to this chain, core, the operator and expiry the call names, and its
/// workload is this enclave's own or one the model lists.
struct RecipientCheck: Sendable {
    let chain: any DutyChain
    let chainID: UInt64
    let core: Address
    let verifier: DCAPVerifier
    let collateral: @Sendable () throws -> QuoteCollateral
    /// The workload id of this enclave's own quote.
    let ownWorkload: Bytes32

    /// Checks `request` at `time`; `listed` is the model's workload list in the vault (empty: none named).
    func verify(_ request: KeyRequest, listed: [Bytes32], at time: Date) async throws(RecipientRefusal) {
        let input: [UInt8]
        do {
            guard let found = try await chain.transactionInput(request.transactionHash) else { throw RecipientRefusal.noEnrollment }
            input = found
        } catch let refusal as RecipientRefusal {
            throw refusal
        } catch {
            throw .chain("\(error)")
        }
        guard input.starts(with: ModelVaultContract.enroll.selector), let arguments = try? ModelVaultContract.enroll.decodeCall(input),
            let model = try? arguments[0].asBytes32(), let publicKey = try? arguments[1].asBytes(), let quote = try? arguments[2].asBytes(),
            let operatorAddress = try? arguments[3].asAddress(), let softwareVersion = try? arguments[4].asBytes32(),
            let expiry = try? arguments[5].asUInt(), let expirySeconds = expiry.uint64
        else {
            throw .noEnrollment
        }
        guard model == request.model, publicKey == request.publicKey, expiry == request.expiry,
            let key = try? ModelKeyWrap.recipientKey(publicKey), Address(publicKey: key) == request.signer
        else {
            throw .notTheLoggedKey
        }
        let evidence: QuoteCollateral
        do { evidence = try collateral() } catch { throw .quote("no collateral: \(error)") }
        let verified: VerifiedQuote
        do { verified = try await verifier.verify(quote: quote, collateral: evidence, at: time) } catch {
            throw .quote("\(error)")
        }
        guard AttestationCheck.acceptedStatuses.contains(verified.status) else { throw .quote("TCB status \(verified.status.rawValue)") }
        let extData = AttestationExtData(
            chainID: chainID, registry: core, operatorAddress: operatorAddress, softwareVersion: softwareVersion, expiry: expirySeconds)
        guard let reportData = try? ReportData(bytes: verified.body.reportData), reportData.binds(signer: request.signer, extData: extData) else {
            throw .binding
        }
        let workload = verified.body.workloadID
        guard workload == ownWorkload || listed.contains(workload) else { throw .workload(workload) }
    }
}

/// Why a holder did not wrap a key to an enclave. Never carries key bytes.
enum RecipientRefusal: Error, Equatable, CustomStringConvertible {
    case noEnrollment
    case notTheLoggedKey
    case quote(String)
    case binding
    case workload(Bytes32)
    case chain(String)

    var description: String {
        switch self {
        case .noEnrollment: "no enroll call of the vault behind the logged key request"
        case .notTheLoggedKey: "the enroll call names another model, key or expiry than the logged key request"
        case .quote(let why): "its quote does not verify: \(why)"
        case .binding: "its quote's REPORTDATA does not bind the key to this chain, core, operator and expiry"
        case .workload(let id): "its workload \(id) is neither this enclave's nor one the model lists"
        case .chain(let why): "reading the chain failed: \(why)"
        }
    }
}

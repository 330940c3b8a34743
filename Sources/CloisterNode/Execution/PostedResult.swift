import CloisterClient
import Enclave
import Ethereum
import Secp256k1

/// The bytes a result puts on chain and the commitment the enclave signs (docs/protocol.md, "Output
/// commitment"):
/// - plaintext request: `output` in clear, commitment `keccak256(requestId ‖ uint8 status ‖ output)`,
///   which the contract rechecks;
/// - confidential request whose envelope opened: `output` encrypted to the requester's output key,
///   commitment `keccak256(salt ‖ uint8 status ‖ plaintext)` with the salt from the envelope's data key;
/// - confidential request whose envelope did not open: no salt exists, so the error message goes in
///   clear under the plaintext rule.
struct PostedResult: Sendable {
    /// The contract's cap on a result's output (`types.MAX_OUTPUT`).
    static let maxOutputBytes = 4_096

    let output: [UInt8]
    let commitment: Bytes32
    /// Nil for a served request.
    let errorCode: ErrorResultCode?
    /// The error message, for the node's log (never input text).
    let message: String?

    static func success(
        _ plaintext: [UInt8], request: PendingRequest, salt: CommitmentSalt?, outputKey: PublicKey?,
        context: OutputContext
    ) throws(RequestRejection) -> PostedResult {
        guard let salt, let outputKey else {
            guard plaintext.count <= maxOutputBytes else {
                throw RequestRejection(code: .modelError, message: "output of \(plaintext.count) bytes exceeds the contract's \(maxOutputBytes)-byte limit")
            }
            return PostedResult(output: plaintext, commitment: publicCommitment(request.id, status: 0, plaintext), errorCode: nil, message: nil)
        }
        let sealed: EncryptedOutput
        do { sealed = try EncryptedOutput.seal(plaintext, to: outputKey, context: context) } catch {
            throw RequestRejection(code: .modelError, message: "the output cannot be encrypted: \(error)")
        }
        return PostedResult(output: sealed.bytes, commitment: salt.commitment(to: [0] + plaintext), errorCode: nil, message: nil)
    }

    static func failure(
        _ error: RequestRejection, request: PendingRequest, salt: CommitmentSalt?, outputKey: PublicKey?,
        context: OutputContext
    ) -> PostedResult {
        let message = Array(error.message.utf8.prefix(512))
        let status = error.code.rawValue
        if let salt, let outputKey, let sealed = try? EncryptedOutput.seal(message, to: outputKey, context: context) {
            return PostedResult(output: sealed.bytes, commitment: salt.commitment(to: [status] + message), errorCode: error.code, message: error.message)
        }
        return PostedResult(output: message, commitment: publicCommitment(request.id, status: status, message), errorCode: error.code, message: error.message)
    }

    /// `keccak256(requestId ‖ uint8 status ‖ output)`.
    static func publicCommitment(_ requestID: Bytes32, status: UInt8, _ output: [UInt8]) -> Bytes32 {
        Keccak256.hash(requestID.bytes + [status] + output)
    }
}

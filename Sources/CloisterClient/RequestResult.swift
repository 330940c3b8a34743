import Enclave
import Ethereum

/// A fulfilled request as the requester sees it: status, plaintext output, and whether the output
/// matches the commitment the enclave signed.
public struct RequestResult: Sendable {
    /// 0 for an output; otherwise the error code of docs/protocol.md (the output is then the message).
    public let status: UInt8
    /// The output in clear (decrypted for a confidential request).
    public let output: [UInt8]
    /// Whether the output matched the signed commitment (for a confidential request only the requester
    /// can check this: the contract cannot).
    public let commitmentMatches: Bool
    /// Whether the requester's callback succeeded (true when there was none).
    public let callbackOk: Bool

    init(status: UInt8, posted: [UInt8], commitment: Bytes32, callbackOk: Bool, request: SubmittedRequest, deployment: Deployment) throws {
        self.status = status
        self.callbackOk = callbackOk
        let publicCommitment = Keccak256.hash(request.id.bytes + [status] + posted)
        guard let secrets = request.secrets,
            let sealed = try? EncryptedOutput(bytes: posted)
        else {
            // Plaintext request, or an error the enclave could post only in clear (the envelope did not open).
            output = posted
            commitmentMatches = commitment == publicCommitment
            return
        }
        let context = OutputContext(chainID: deployment.chainID, contract: deployment.core, requestID: request.id)
        let plaintext = try sealed.open(with: secrets.outputKey, expecting: context)
        output = plaintext
        commitmentMatches = commitment == secrets.commitmentSalt.commitment(to: [status] + plaintext)
    }
}

import Ethereum

/// The events and functions of the Arbiter (verification, disputes, juries) that the node uses: one
/// definition each, checked against the ABI the Vyper compiler emits (`ContractBindingTests`).
public enum ArbiterContract {
    static let request = "(bytes32,address,bytes32,bytes32,address,uint256,uint256,uint256,uint256,bytes32)"
    /// `Fulfilment`: `(outputCommitment, fulfilledBlock, fulfilledAt, state, verifier, status, paramsVersion)`.
    static let fulfilment = "(bytes32,uint256,uint256,uint256,uint256,uint256,uint256)"
    static let result = "(uint256,bytes,bytes32,bytes32,uint256,uint256,bytes32,bytes32)"

    public static let verified = try! ABIEvent(signature: "Verified(bytes32 indexed id,uint256 indexed verifier)")
    public static let disputeOpened = try! ABIEvent(
        signature:
            "DisputeOpened(bytes32 indexed id,uint256 indexed executor,uint256 indexed challenger,bytes32 executorCommitment,bytes32 challengerCommitment,uint256 bond)")
    public static let jurorsDrawn = try! ABIEvent(signature: "JurorsDrawn(bytes32 indexed id,uint256[] jurors,uint256 deadline,uint256 round)")
    public static let voted = try! ABIEvent(signature: "Voted(bytes32 indexed id,uint256 indexed juror,bytes32 commitment)")
    public static let disputeResolved = try! ABIEvent(
        signature: "DisputeResolved(bytes32 indexed id,bytes32 winner,bool executorLost,uint256 slashedPool,uint256[] winners)")
    public static let correctedDelivered = try! ABIEvent(
        signature: "CorrectedDelivered(bytes32 indexed id,uint256 indexed node,uint256 status,bool callbackOk,bytes output)")

    public static let sampledVerifier = try! ABIFunction(signature: "sampledVerifier(\(request),\(fulfilment),uint256[])", returns: "(uint256)")
    public static let verify = try! ABIFunction(signature: "verify(\(request),\(fulfilment),uint256[],uint256,\(result))")
    public static let challenge = try! ABIFunction(signature: "challenge(\(request),\(fulfilment),uint256,\(result))")
    public static let drawJurors = try! ABIFunction(signature: "drawJurors(bytes32,uint256[])")
    public static let vote = try! ABIFunction(signature: "vote(bytes32,uint256,\(result))")
    public static let replaceAbsentJurors = try! ABIFunction(signature: "replaceAbsentJurors(bytes32,uint256[])")
    public static let resolve = try! ABIFunction(signature: "resolve(\(request),\(fulfilment))")
    public static let deliverCorrected = try! ABIFunction(signature: "deliverCorrected(\(request),\(fulfilment),uint256,\(result))")
    /// `reportSilence(req, ful, recipients)`: after the verification window of a sampled result nobody verified (and
    /// within 256 blocks of its fulfilment), slashes the silent sampled verifier; anyone may call it, once per result.
    public static let reportSilence = try! ABIFunction(signature: "reportSilence(\(request),\(fulfilment),uint256[])")
    /// `proveWrap(req, ful, node, input, index, ephemeralSecret)`: the requester proves that `node`'s wrap
    /// (envelope entry `index`) opens, after `node` answered "decryption failed"; slashes it if so.
    public static let proveWrap = try! ABIFunction(signature: "proveWrap(\(request),\(fulfilment),uint256,bytes,uint256,uint256)")
    /// `disputes(id)`: `(model, inputHash, recipientsHash, executor, executorCommitment, challenger, challengerCommitment,
    /// bond, openedBlock, deadline, rounds, jurors, votes, winner, resolved, paramsVersion)`.
    public static let disputes = try! ABIFunction(
        signature: "disputes(bytes32)",
        returns: "((bytes32,bytes32,bytes32,uint256,bytes32,uint256,bytes32,uint256,uint256,uint256,uint256,uint256[],bytes32[],bytes32,bool,uint256))")
}

import Ethereum

/// What an enclave signs for every result it posts (protocol v2): the EIP-712 struct
/// `Result(bytes32 requestId,uint256 node,uint8 role,bytes32 model,bytes32 inputHash,uint8 status,bytes32 outputHash,bytes32 outputCommitment,bytes32 attestationDigest)`
/// of `contracts/lib/typed_sig.vy`, in the domain `{name: "Cloister", version: "2", chainId, verifyingContract: the core}`.
///
/// The signature covers what the posted Result tuple carries (its status, and its output through
/// `outputHash`), the node that posts it and the role it is posted in: a relayer cannot change a
/// result, and a signature cannot be lent to another node or reused in another role.
public struct ResultClaim: EIP712Struct, Hashable {
    public static let eip712TypeName = "Result"
    public static let eip712Fields = [
        EIP712Field(name: "requestId", type: "bytes32"), EIP712Field(name: "node", type: "uint256"), EIP712Field(name: "role", type: "uint8"),
        EIP712Field(name: "model", type: "bytes32"), EIP712Field(name: "inputHash", type: "bytes32"), EIP712Field(name: "status", type: "uint8"),
        EIP712Field(name: "outputHash", type: "bytes32"), EIP712Field(name: "outputCommitment", type: "bytes32"),
        EIP712Field(name: "attestationDigest", type: "bytes32")
    ]
    /// The domain's `version`.
    public static let protocolVersion = "2"

    public var requestID: Bytes32
    /// The registered node that posts the result.
    public var node: UInt256
    public var role: ResultRole
    public var model: Bytes32
    /// keccak256 of the request input as submitted (the envelope bytes for an encrypted request).
    public var inputHash: Bytes32
    /// The posted status: 0 for a served request, else the error code.
    public var status: UInt8
    /// keccak256 of exactly the posted `output` bytes (ciphertext for an encrypted request).
    public var outputHash: Bytes32
    /// keccak256(salt ‖ status ‖ output) or the public commitment, see ``CommitmentSalt``.
    public var outputCommitment: Bytes32
    /// keccak256 of the quote registered for the signing key.
    public var attestationDigest: Bytes32

    public init(
        requestID: Bytes32, node: UInt256, role: ResultRole, model: Bytes32, inputHash: Bytes32, status: UInt8,
        outputHash: Bytes32, outputCommitment: Bytes32, attestationDigest: Bytes32
    ) {
        self.requestID = requestID
        self.node = node
        self.role = role
        self.model = model
        self.inputHash = inputHash
        self.status = status
        self.outputHash = outputHash
        self.outputCommitment = outputCommitment
        self.attestationDigest = attestationDigest
    }

    /// The claim for posting `output` (hashed here, so the hash is always of the bytes that are posted).
    public init(
        requestID: Bytes32, node: UInt256, role: ResultRole, model: Bytes32, inputHash: Bytes32, status: UInt8,
        output: [UInt8], outputCommitment: Bytes32, attestationDigest: Bytes32
    ) {
        self.init(
            requestID: requestID, node: node, role: role, model: model, inputHash: inputHash, status: status,
            outputHash: Keccak256.hash(output), outputCommitment: outputCommitment, attestationDigest: attestationDigest)
    }

    public var eip712Values: [EIP712Value] {
        [
            .bytes32(requestID), .value(.uint(node)), .value(.uint(UInt256(UInt64(role.rawValue)))), .bytes32(model), .bytes32(inputHash),
            .value(.uint(UInt256(UInt64(status)))), .bytes32(outputHash), .bytes32(outputCommitment), .bytes32(attestationDigest)
        ]
    }

    /// The core's EIP-712 domain.
    public static func domain(chainID: UInt64, contract: Address) -> EIP712Domain {
        EIP712Domain(name: "Cloister", version: protocolVersion, chainID: UInt256(chainID), verifyingContract: contract)
    }
}

/// The call a signed result may be posted in (`ROLE_*` of `contracts/lib/typed_sig.vy`). `deliverCorrected`
/// takes the result exactly as it was signed for the role its node played in the dispute.
public enum ResultRole: UInt8, Hashable, Sendable, CaseIterable {
    /// `fulfil` / `fulfilBatch` by the assigned executor.
    case execute = 1
    /// `Arbiter.verify` by the sampled verifier.
    case verify = 2
    /// `Arbiter.challenge`.
    case challenge = 3
    /// `Arbiter.vote` by a juror.
    case vote = 4
}

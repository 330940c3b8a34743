import Ethereum

/// What an enclave signs for every result it executes, verifies or judges: the EIP-712 struct
/// `Result(bytes32 requestId,bytes32 model,bytes32 inputHash,bytes32 outputCommitment,bytes32 attestationDigest)`
/// of `contracts/lib/typed_sig.vy`, in the domain `{name: "Cloister", version: "1", chainId, verifyingContract}`.
public struct ResultClaim: EIP712Struct, Hashable {
    public static let eip712TypeName = "Result"
    public static let eip712Fields = ["requestId", "model", "inputHash", "outputCommitment", "attestationDigest"]
        .map { EIP712Field(name: $0, type: "bytes32") }

    public var requestID: Bytes32
    public var model: Bytes32
    /// keccak256 of the request input as submitted (the envelope bytes for an encrypted request).
    public var inputHash: Bytes32
    /// keccak256(salt ‖ output), see ``CommitmentSalt``.
    public var outputCommitment: Bytes32
    /// keccak256 of the quote registered for the signing key.
    public var attestationDigest: Bytes32

    public init(requestID: Bytes32, model: Bytes32, inputHash: Bytes32, outputCommitment: Bytes32, attestationDigest: Bytes32) {
        self.requestID = requestID
        self.model = model
        self.inputHash = inputHash
        self.outputCommitment = outputCommitment
        self.attestationDigest = attestationDigest
    }

    public var eip712Values: [EIP712Value] {
        [.bytes32(requestID), .bytes32(model), .bytes32(inputHash), .bytes32(outputCommitment), .bytes32(attestationDigest)]
    }

    /// The oracle contract's EIP-712 domain.
    public static func domain(chainID: UInt64, contract: Address) -> EIP712Domain {
        EIP712Domain(name: "Cloister", version: "1", chainID: UInt256(chainID), verifyingContract: contract)
    }
}

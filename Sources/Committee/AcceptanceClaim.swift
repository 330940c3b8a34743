import Ethereum

/// What an attestation committee member signs when it accepts a quote: the EIP-712 struct
/// `Acceptance(bytes32 quoteDigest,bytes32 workloadId,bytes32 reportDataHash,uint64 validUntil)` of
/// `contracts/CommitteeVerifier.vy`, in the domain `{name: "CloisterAttestationCommittee", version: "1",
/// chainId, verifyingContract: the committee contract}`.
package struct AcceptanceClaim: EIP712Struct, Hashable {
    package static let eip712TypeName = "Acceptance"
    package static let eip712Fields = [
        EIP712Field(name: "quoteDigest", type: "bytes32"), EIP712Field(name: "workloadId", type: "bytes32"),
        EIP712Field(name: "reportDataHash", type: "bytes32"), EIP712Field(name: "validUntil", type: "uint64")
    ]

    /// keccak256 of the raw quote.
    package var quoteDigest: Bytes32
    /// The measured workload (MRTD and RTMRs of a TD, MRENCLAVE of an SGX enclave).
    package var workloadID: Bytes32
    /// keccak256 of the quote's 64-byte REPORTDATA.
    package var reportDataHash: Bytes32
    /// Unix time until which the acceptance holds.
    package var validUntil: UInt64

    package var eip712Values: [EIP712Value] {
        [.bytes32(quoteDigest), .bytes32(workloadID), .bytes32(reportDataHash), .value(.uint(UInt256(validUntil)))]
    }

    package static func domain(chainID: UInt64, committee: Address) -> EIP712Domain {
        EIP712Domain(name: "CloisterAttestationCommittee", version: "1", chainID: UInt256(chainID), verifyingContract: committee)
    }

    /// The proof `CommitteeVerifier.verifyQuote` takes: `abi.encode(uint64 validUntil, bytes signatures)`
    /// with the members' 65-byte signatures concatenated in ascending order of member address.
    package static func proof(validUntil: UInt64, signatures: [(member: Address, signature: MessageSignature)]) -> [UInt8] {
        let ordered = signatures.sorted { $0.member.bytes.lexicographicallyPrecedes($1.member.bytes) }
        return ABI.encode([.uint(UInt256(validUntil)), .bytes(ordered.flatMap(\.signature.bytes))])
    }
}

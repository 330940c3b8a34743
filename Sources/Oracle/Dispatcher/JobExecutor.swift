/// A result that the enclave produced and signed for a job.
package struct SignedResult: Hashable, Sendable {
    package let result: JobResult
    /// The enclave key's 65-byte signature over the result's EIP-712 digest.
    package let signature: [UInt8]

    package init(result: JobResult, signature: [UInt8]) {
        self.result = result
        self.signature = signature
    }
}

/// A failure of the node itself (engine down, enclave unavailable): retried, never posted on chain.
package struct NodeFault: Error, Equatable, Sendable, CustomStringConvertible {
    package let reason: String

    package init(reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}

/// Runs a job inside the enclave.
package protocol JobExecutor: Sendable {
    /// The signed result. A request the node cannot serve because of the requester (malformed input,
    /// unknown model, undecryptable envelope, oversized input) yields a signed *error result*, so the
    /// requester learns why on chain; only faults of the node itself are thrown.
    func execute(_ job: Job) async throws(NodeFault) -> SignedResult
}

import Ethereum

/// Why this node holds a job for a request.
package enum JobRole: String, Sendable, Codable, CaseIterable {
    /// Assigned to execute the request and fulfil it.
    case executor
    /// Sampled to re-execute a result and submit its own commitment.
    case verifier
    /// Drawn as a juror in a dispute.
    case juror
    /// Chosen by this node's challenge policy to re-execute another node's result and dispute it if it differs.
    case challenger
}

/// A job's identity: one request, in one role.
package struct JobKey: Hashable, Sendable {
    package let requestID: Bytes32
    package let role: JobRole

    package init(requestID: Bytes32, role: JobRole) {
        self.requestID = requestID
        self.role = role
    }
}

/// A block by number and hash.
package struct BlockRef: Hashable, Sendable {
    package let number: UInt64
    package let hash: Bytes32

    package init(number: UInt64, hash: Bytes32) {
        self.number = number
        self.hash = hash
    }
}

/// What the enclave produced for a job: the output bytes (or an error result) and the commitment signed.
package struct JobResult: Hashable, Sendable {
    /// Output bytes as posted on chain (encrypted to the requester when the request asked for it).
    package let output: [UInt8]
    /// Non-zero for an error result (malformed input, unknown model, undecryptable envelope, …).
    package let errorCode: UInt16
    /// The salted commitment the enclave signs.
    package let commitment: Bytes32
    /// The attestation in force when the result was signed (the signature covers its digest).
    package let attestationDigest: Bytes32
    /// Unix time until which that attestation is accepted.
    package let attestationExpiry: UInt64

    package init(output: [UInt8], errorCode: UInt16, commitment: Bytes32, attestationDigest: Bytes32, attestationExpiry: UInt64) {
        self.output = output
        self.errorCode = errorCode
        self.commitment = commitment
        self.attestationDigest = attestationDigest
        self.attestationExpiry = attestationExpiry
    }
}

/// One unit of work for the node: a request event it must act on, and how far it got.
package struct Job: Hashable, Sendable {
    package let key: JobKey
    package let model: Bytes32
    /// The request event's data: everything needed to execute without reading the chain again.
    package let request: [UInt8]
    /// What a duty needs besides the request (the result under verification, a juror's seat), in the
    /// implementation's encoding; empty for an executor job.
    package var context: [UInt8] = []
    /// Where the request event was seen.
    package let observedIn: BlockRef
    package let logIndex: UInt64
    /// Unix time after which the result is no longer accepted.
    package let deadline: UInt64
    package var state: JobState
    package var failureReason: String?
    package var result: JobResult?
    /// The enclave's 65-byte signature over the result.
    package var signature: [UInt8]?
    /// The nonce of the transaction that carries the result.
    package var transactionNonce: UInt64?
    /// How many times execution was attempted (node-side failures are retried).
    package var attempts: Int

    package init(
        key: JobKey, model: Bytes32, request: [UInt8], observedIn: BlockRef, logIndex: UInt64,
        deadline: UInt64, state: JobState = .observed
    ) {
        self.key = key
        self.model = model
        self.request = request
        self.observedIn = observedIn
        self.logIndex = logIndex
        self.deadline = deadline
        self.state = state
        self.attempts = 0
    }
}

import Ethereum

/// Why this node holds a job for a request.
public enum JobRole: String, Sendable, Codable, CaseIterable {
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
public struct JobKey: Hashable, Sendable {
    public let requestID: Bytes32
    public let role: JobRole

    public init(requestID: Bytes32, role: JobRole) {
        self.requestID = requestID
        self.role = role
    }
}

/// A block by number and hash.
public struct BlockRef: Hashable, Sendable {
    public let number: UInt64
    public let hash: Bytes32

    public init(number: UInt64, hash: Bytes32) {
        self.number = number
        self.hash = hash
    }
}

/// What the enclave produced for a job: the output bytes (or an error result) and the commitment signed.
public struct JobResult: Hashable, Sendable {
    /// Output bytes as posted on chain (encrypted to the requester when the request asked for it).
    public let output: [UInt8]
    /// Non-zero for an error result (malformed input, unknown model, undecryptable envelope, …).
    public let errorCode: UInt16
    /// The salted commitment the enclave signs.
    public let commitment: Bytes32
    /// The attestation in force when the result was signed (the signature covers its digest).
    public let attestationDigest: Bytes32
    /// Unix time until which that attestation is accepted.
    public let attestationExpiry: UInt64

    public init(output: [UInt8], errorCode: UInt16, commitment: Bytes32, attestationDigest: Bytes32, attestationExpiry: UInt64) {
        self.output = output
        self.errorCode = errorCode
        self.commitment = commitment
        self.attestationDigest = attestationDigest
        self.attestationExpiry = attestationExpiry
    }
}

/// One unit of work for the node: a request event it must act on, and how far it got.
public struct Job: Hashable, Sendable {
    public let key: JobKey
    public let model: Bytes32
    /// The request event's data: everything needed to execute without reading the chain again.
    public let request: [UInt8]
    /// What a duty needs besides the request (the result under verification, a juror's seat), in the
    /// implementation's encoding; empty for an executor job.
    public var context: [UInt8] = []
    /// Where the request event was seen.
    public let observedIn: BlockRef
    public let logIndex: UInt64
    /// Unix time after which the result is no longer accepted.
    public let deadline: UInt64
    public var state: JobState
    public var failureReason: String?
    public var result: JobResult?
    /// The enclave's 65-byte signature over the result.
    public var signature: [UInt8]?
    /// The nonce of the transaction that carries the result.
    public var transactionNonce: UInt64?
    /// How many times execution was attempted (node-side failures are retried).
    public var attempts: Int

    public init(key: JobKey, model: Bytes32, request: [UInt8], observedIn: BlockRef, logIndex: UInt64,
                deadline: UInt64, state: JobState = .observed) {
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

import Ethereum

/// Why an answer from an endpoint was refused. Field paths name the offending member
/// (`result.logs[2].topics[0]`); values are never copied into the error.
public enum InvalidResponse: Error, Equatable, Sendable {
    /// The body is not JSON at all (truncated, garbage, too deeply nested).
    case malformedJSON
    /// The body is larger than the configured limit.
    case bodyTooLarge(limit: Int)
    /// The envelope breaks JSON-RPC 2.0: no `"jsonrpc": "2.0"`, neither or both of result and error,
    /// a malformed error object, or a batch answered with a single object.
    case malformedEnvelope(String)
    /// The answer carries another request's id.
    case idMismatch(expected: Int64)
    /// A batch answer whose ids do not match the request ids one to one.
    case batchIDMismatch(missing: [Int64], duplicated: [Int64], unexpected: Int)
    case missingField(String)
    case wrongType(field: String, expected: String, actual: String)
    case invalidHex(field: String, HexError)
    case wrongLength(field: String, expected: Int, actual: Int)
    /// A number too large for the type it stands for (a nonce above 2⁶⁴, a ratio above 1).
    case outOfRange(field: String)
    /// Well-formed, but not the answer to the question asked (another block, another transaction).
    case inconsistent(field: String, reason: String)
}

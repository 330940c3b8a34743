import Ethereum

/// What a JSON-RPC error means for the caller, independent of the client that produced it.
public enum RPCErrorKind: Equatable, Sendable {
    /// The nonce has been used already (possibly by this very transaction, now mined).
    case nonceTooLow
    /// The nonce leaves a gap after the account's next nonce.
    case nonceTooHigh
    /// The node already holds this exact transaction: sending it again succeeded in effect.
    case alreadyKnown
    /// The fee is below what the node accepts (minimum price, or below the base fee).
    case underpriced
    /// A transaction with the same nonce is pending and this one does not outbid it enough.
    case replacementUnderpriced
    /// The sender cannot pay gas × fee + value.
    case insufficientFunds
    /// The EVM reverted; `data` is the revert data (empty when the node sent none).
    case executionReverted(data: [UInt8])
    /// The endpoint refuses because of request volume; retrying later (or elsewhere) may succeed.
    case rateLimited
    case other
}

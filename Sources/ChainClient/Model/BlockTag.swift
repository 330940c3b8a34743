import Ethereum

/// Names a block the way JSON-RPC block parameters do.
public enum BlockTag: Hashable, Sendable {
    case latest
    /// The block being built from the pool (not supported by ``RPCClient/getBlock(_:)``).
    case pending
    case safe
    case finalized
    case earliest
    case number(UInt64)

    /// The parameter as sent: a tag name or a quantity.
    public var parameter: String {
        switch self {
        case .latest: "latest"
        case .pending: "pending"
        case .safe: "safe"
        case .finalized: "finalized"
        case .earliest: "earliest"
        case .number(let number): Hex.quantity(number)
        }
    }

    var jsonValue: ExactJSON { .string(parameter) }
}

import Ethereum

extension RPCErrorKind {
    /// Classifies by code first (EIP-1474 and geth's revert code 3), then by the message fragments in
    /// ``messageFragments``, which cover geth, erigon, nethermind, besu, anvil and py-evm/devchain.
    public static func classify(_ error: RPCError) -> RPCErrorKind {
        let detail = error.data.flatMap(Self.dataText).map { String($0.lowercased().prefix(512)) } ?? ""
        let text = error.message.lowercased() + " " + detail
        if error.code == 3 || Self.matches(text, .executionReverted) {
            return .executionReverted(data: Self.revertData(error.data))
        }
        if error.code == -32005 || error.code == 429 || Self.matches(text, .rateLimited) { return .rateLimited }
        if Self.matches(text, .alreadyKnown) { return .alreadyKnown }
        if Self.matches(text, .replacementUnderpriced) { return .replacementUnderpriced }
        if Self.matches(text, .nonceTooLow) { return .nonceTooLow }
        if Self.matches(text, .nonceTooHigh) { return .nonceTooHigh }
        if let pyEVMNonce = Self.pyEVMNonceKind(text) { return pyEVMNonce }
        if Self.matches(text, .insufficientFunds) { return .insufficientFunds }
        if Self.matches(text, .underpriced) { return .underpriced }
        return .other
    }

    /// Lower-case fragments by meaning. A fragment is matched anywhere in the lower-cased message
    /// (and in a string `data` member, where nethermind and conflux put their detail).
    static let messageFragments: [Category: [String]] = [
        .executionReverted: ["execution reverted", "vm execution error", "reverted"],
        .rateLimited: ["rate limit", "too many requests", "request limit", "exceeded the rate", "compute units per second"],
        .alreadyKnown: [
            "already known", "known transaction", "alreadyknown", "already imported",
            "existing tx with same hash", "already in the pool"
        ],
        .replacementUnderpriced: [
            "replacement transaction underpriced", "replacement underpriced",
            "replacementunderpriced", "feetoolowtocompete", "not bumped enough"
        ],
        .nonceTooLow: [
            "nonce too low", "oldnonce", "nonce is too low", "nonce has already been used",
            "too stale nonce"
        ],
        .nonceTooHigh: ["nonce too high", "noncegap", "nonce is too high"],
        .insufficientFunds: [
            "insufficient funds", "insufficientfunds", "upfront cost exceeds",
            "not have enough balance", "out of balance"
        ],
        .underpriced: [
            "transaction underpriced", "underpriced", "feetoolow", "fee too low",
            "less than block base fee", "below configured minimum", "gas price too low",
            "max fee per gas less than", "fee cap less than"
        ]
    ]

    enum Category: Hashable {
        case executionReverted, rateLimited, alreadyKnown, replacementUnderpriced
        case nonceTooLow, nonceTooHigh, insufficientFunds, underpriced
    }

    private static func matches(_ text: String, _ category: Category) -> Bool {
        messageFragments[category, default: []].contains { text.contains($0) }
    }

    /// py-evm says "Invalid transaction nonce: Expected 4, but got 0": low or high by the numbers.
    private static func pyEVMNonceKind(_ text: String) -> RPCErrorKind? {
        guard let marker = text.range(of: "invalid transaction nonce: expected ") else { return nil }
        let rest = text[marker.upperBound...]
        let expected = UInt64(rest.prefix(while: \.isNumber))
        guard let gotMarker = rest.range(of: "but got ") else { return nil }
        let got = UInt64(rest[gotMarker.upperBound...].prefix(while: \.isNumber))
        guard let expected, let got else { return nil }
        return got < expected ? .nonceTooLow : .nonceTooHigh
    }

    private static func dataText(_ data: ExactJSON) -> String? {
        switch data {
        case .string(let text): text
        case .object(let members): members["message"].flatMap(dataText) ?? members["data"].flatMap(dataText)
        default: nil
        }
    }

    /// Revert data from `data` as geth, erigon and anvil send it (`"0x…"`), as besu and some
    /// providers nest it (`{"data": "0x…"}`), or as nethermind words it (`"Reverted 0x…"`).
    static func revertData(_ data: ExactJSON?) -> [UInt8] {
        switch data {
        case .string(let text):
            let hex = text.hasPrefix("0x") ? Substring(text) : text.split(separator: " ").last { $0.hasPrefix("0x") } ?? ""
            return (try? Hex.decode(hex, requirePrefix: true)) ?? []
        case .object(let members):
            return revertData(members["data"])
        default:
            return []
        }
    }
}

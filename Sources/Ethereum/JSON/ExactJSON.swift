/// A JSON document as parsed by ``init(parsing:)``: numbers keep their literal text, so integers of
/// any size (uint256 amounts in typed data) survive exactly.
public enum ExactJSON: Hashable, Sendable {
    case null
    case bool(Bool)
    /// The number exactly as written, e.g. `"115792089237316195423570985008687907853269984665640564039457584007913129639935"`.
    case number(String)
    case string(String)
    case array([ExactJSON])
    case object([String: ExactJSON])

    /// The member `key` of an object, or `nil`.
    public subscript(key: String) -> ExactJSON? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }
}

/// One RLP value: a byte string or a list of items.
///
/// Build items from fields with the integer, address and byte helpers, turn them into bytes with
/// ``encoded``, and read bytes back with ``RLP/decode(_:)``.
public enum RLPItem: Hashable, Sendable {
    case bytes([UInt8])
    case list([RLPItem])
}

extension RLPItem {
    /// The payload of a byte string, or ``RLPError/expectedBytes`` for a list.
    public func bytesValue() throws(RLPError) -> [UInt8] {
        guard case .bytes(let bytes) = self else { throw .expectedBytes }
        return bytes
    }

    /// The items of a list, or ``RLPError/expectedList`` for a byte string.
    public func listValue() throws(RLPError) -> [RLPItem] {
        guard case .list(let items) = self else { throw .expectedList }
        return items
    }

    /// The items of a list that must hold exactly `count` items.
    public func listValue(count: Int) throws(RLPError) -> [RLPItem] {
        let items = try listValue()
        guard items.count == count else { throw .wrongItemCount(expected: count, actual: items.count) }
        return items
    }
}

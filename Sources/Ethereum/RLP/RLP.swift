/// Recursive Length Prefix, the serialisation Ethereum uses for transactions and blocks.
public enum RLP {
    /// Lists nested deeper than this are rejected when decoding, so hostile input cannot exhaust the
    /// stack. Ethereum's own structures nest at most four levels (an access list inside a transaction).
    public static let maximumDepth = 64

    /// Decodes exactly one canonical item that spans all of `bytes`.
    ///
    /// Everything that has a second encoding is an error: a single byte below `0x80` in a string
    /// header, long-form headers for short payloads, length fields with leading zeros, and trailing
    /// bytes. So `decode(item.encoded) == item` and `decode(b).encoded == b` whenever decoding succeeds.
    public static func decode(_ bytes: some Collection<UInt8>) throws(RLPError) -> RLPItem {
        let input = Array(bytes)
        guard !input.isEmpty else { throw .empty }
        var reader = RLPReader(input: input)
        let item = try reader.readItem(depth: 0, limit: input.count)
        guard reader.position == input.count else { throw .trailingBytes(count: input.count - reader.position) }
        return item
    }

    /// The canonical encoding of `item`.
    public static func encode(_ item: RLPItem) -> [UInt8] {
        item.encoded
    }
}

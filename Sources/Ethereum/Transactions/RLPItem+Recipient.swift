extension RLPItem {
    /// A transaction's `to` field: the 20 address bytes, or the empty string for contract creation.
    static func recipient(_ address: Address?) -> RLPItem {
        .bytes(address?.bytes ?? [])
    }

    /// Reads a `to` field: empty means contract creation, otherwise exactly 20 bytes.
    func recipientValue() throws(RLPError) -> Address? {
        let bytes = try bytesValue()
        if bytes.isEmpty { return nil }
        guard let address = Address(bytes) else { throw .wrongLength(expected: 20, actual: bytes.count) }
        return address
    }
}

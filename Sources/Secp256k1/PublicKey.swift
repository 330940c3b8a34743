internal import CSecp256k1

/// A point on secp256k1, stored in its 65-byte uncompressed encoding.
public struct PublicKey: Hashable, Sendable {
    /// `0x04 ‖ x ‖ y`.
    public let uncompressed: [UInt8]

    /// Parses a 33-byte compressed or 65-byte uncompressed encoding, checking the point is on the curve.
    public init(bytes: some Collection<UInt8>) throws(Secp256k1Error) {
        let input = Array(bytes)
        guard input.count == 33 || input.count == 65 else { throw .invalidPublicKey }
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Context.shared.pointer, &point, input, input.count) == 1 else {
            throw .invalidPublicKey
        }
        self.init(point: point)
    }

    init(point: secp256k1_pubkey) {
        uncompressed = Self.serialize(point, flags: UInt32(SECP256K1_EC_UNCOMPRESSED), length: 65)
    }

    /// `0x02` or `0x03` (the parity of y) followed by x.
    public var compressed: [UInt8] {
        Self.serialize(point, flags: UInt32(SECP256K1_EC_COMPRESSED), length: 33)
    }

    var point: secp256k1_pubkey {
        var point = secp256k1_pubkey()
        // Cannot fail: `uncompressed` was produced by libsecp256k1 from a valid point.
        _ = secp256k1_ec_pubkey_parse(Context.shared.pointer, &point, uncompressed, 65)
        return point
    }

    /// Whether `signature` (64-byte compact r ‖ s, low-s) signs `digest` under this key.
    public func isValidSignature(_ signature: some Collection<UInt8>, digest: some Collection<UInt8>) -> Bool {
        let compact = Array(signature)
        let message = Array(digest)
        guard compact.count == 64, message.count == 32 else { return false }
        var parsed = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_compact(Context.shared.pointer, &parsed, compact) == 1 else { return false }
        var key = point
        // secp256k1_ecdsa_verify rejects high-s signatures, as Ethereum does since Homestead.
        return secp256k1_ecdsa_verify(Context.shared.pointer, &parsed, message, &key) == 1
    }

    private static func serialize(_ point: secp256k1_pubkey, flags: UInt32, length: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        var outputLength = length
        var key = point
        _ = secp256k1_ec_pubkey_serialize(Context.shared.pointer, &output, &outputLength, &key, flags)
        return output
    }
}

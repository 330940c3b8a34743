internal import CSecp256k1

extension PrivateKey {
    /// The x coordinate (32 bytes) of `self · peer`: the raw ECDH shared secret, to be fed to a KDF.
    public func sharedSecret(with peer: PublicKey) throws(Secp256k1Error) -> [UInt8] {
        try multiply(peer, copying: copyXCoordinate, count: 32)
    }

    /// `x ‖ y` (64 bytes) of `self · peer`: the whole shared point, for a KDF that needs more than x
    /// (the envelope's wrap hashes the point's Ethereum address). The caller wipes it.
    public func sharedPoint(with peer: PublicKey) throws(Secp256k1Error) -> [UInt8] {
        try multiply(peer, copying: copyCoordinates, count: 64)
    }

    private func multiply(_ peer: PublicKey, copying hash: secp256k1_ecdh_hash_function, count: Int) throws(Secp256k1Error) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        var point = peer.point
        let status = secp256k1_ecdh(Context.shared.pointer, &output, &point, scalar, hash, nil)
        guard status == 1 else { throw .invalidPrivateKey }
        return output
    }
}

/// A libsecp256k1 ECDH "hash" function that keeps the x coordinate unhashed, so the KDF is explicit.
private let copyXCoordinate: secp256k1_ecdh_hash_function = { output, x, _, _ in
    guard let output, let x else { return 0 }
    output.update(from: x, count: 32)
    return 1
}

/// A libsecp256k1 ECDH "hash" function that keeps both coordinates, x then y.
private let copyCoordinates: secp256k1_ecdh_hash_function = { output, x, y, _ in
    guard let output, let x, let y else { return 0 }
    output.update(from: x, count: 32)
    (output + 32).update(from: y, count: 32)
    return 1
}

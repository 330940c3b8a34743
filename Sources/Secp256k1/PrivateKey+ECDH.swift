internal import CSecp256k1

extension PrivateKey {
    /// The x coordinate (32 bytes) of `self · peer`: the raw ECDH shared secret, to be fed to a KDF.
    public func sharedSecret(with peer: PublicKey) throws(Secp256k1Error) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var point = peer.point
        let status = secp256k1_ecdh(Context.shared.pointer, &output, &point, scalar, copyXCoordinate, nil)
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

import Secp256k1

/// The secp256k1 signature of a transaction: `r`, `s` and the parity of R's y coordinate.
///
/// Construction enforces what Ethereum accepts: `1 ≤ r < n`, `1 ≤ s ≤ n/2` (low-s) and a parity of 0 or 1.
public struct TransactionSignature: Hashable, Sendable {
    public let yParity: UInt8
    public let r: UInt256
    public let s: UInt256

    public init(yParity: UInt8, r: UInt256, s: UInt256) throws(TransactionError) {
        guard yParity <= 1 else { throw .invalidYParity }
        guard !r.isZero, r < Self.curveOrder, !s.isZero, s < Self.curveOrder else { throw .signatureOutOfRange }
        guard s <= Self.halfCurveOrder else { throw .highS }
        self.yParity = yParity
        self.r = r
        self.s = s
    }

    init(_ signature: RecoverableSignature) throws(TransactionError) {
        // r and s are exactly 32 bytes each, as RecoverableSignature guarantees.
        try self.init(
            yParity: signature.recoveryID, r: UInt256(bigEndian: signature.r) ?? .zero,
            s: UInt256(bigEndian: signature.s) ?? .zero)
    }

    /// The address whose key produced this signature over `digest`.
    func recoverSigner(digest: Bytes32) throws(TransactionError) -> Address {
        do {
            let recoverable = try RecoverableSignature(r: r.bytes32.bytes, s: s.bytes32.bytes, recoveryID: yParity)
            return Address(publicKey: try recoverable.recover(digest: digest.bytes))
        } catch {
            throw .recoveryFailed
        }
    }

    /// n, the order of the secp256k1 group.
    static let curveOrder = UInt256(bigEndian: [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
        0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41
    ])!

    /// ⌊n / 2⌋, the largest low-s value.
    static let halfCurveOrder = curveOrder.shiftedRight(by: 1)
}

extension PrivateKey {
    /// Signs a transaction's 32-byte signing hash.
    func signTransaction(hash: Bytes32) throws(TransactionError) -> TransactionSignature {
        let signature: RecoverableSignature
        do { signature = try signRecoverable(digest: hash.bytes) } catch { throw .signingFailed(error) }
        return try TransactionSignature(signature)
    }
}

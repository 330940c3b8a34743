import Secp256k1

/// A 65-byte Ethereum message signature `r ‖ s ‖ v` with `v` = 27 or 28, as `personal_sign` and
/// `eth_signTypedData_v4` return it and `ecrecover` takes it.
public struct MessageSignature: Hashable, Sendable {
    public let r: Bytes32
    public let s: Bytes32
    /// 27 or 28.
    public let v: UInt8

    /// Reads 65 bytes; `v` may be 27/28 or the raw recovery id 0/1.
    public init(bytes: some Collection<UInt8>) throws(MessageSignatureError) {
        let input = Array(bytes)
        guard input.count == 65, let r = Bytes32(input[0..<32]), let s = Bytes32(input[32..<64]) else {
            throw .wrongLength(input.count)
        }
        switch input[64] {
        case 0, 1: v = input[64] + 27
        case 27, 28: v = input[64]
        default: throw .invalidV(input[64])
        }
        self.r = r
        self.s = s
    }

    init(_ signature: RecoverableSignature) {
        r = Bytes32(signature.r) ?? .zero
        s = Bytes32(signature.s) ?? .zero
        v = signature.recoveryID + 27
    }

    /// `r ‖ s ‖ v`.
    public var bytes: [UInt8] { r.bytes + s.bytes + [v] }

    /// The address whose key made this signature over `digest`.
    public func signer(of digest: Bytes32) throws(MessageSignatureError) -> Address {
        do {
            let signature = try RecoverableSignature(r: r.bytes, s: s.bytes, recoveryID: v - 27)
            return Address(publicKey: try signature.recover(digest: digest.bytes))
        } catch {
            throw .recoveryFailed
        }
    }
}

extension MessageSignature: CustomStringConvertible {
    /// `0x` and the 65 bytes in hex.
    public var description: String { Hex.encode(bytes) }
}

/// Why a message signature was rejected.
public enum MessageSignatureError: Error, Equatable, Sendable {
    /// Not 65 bytes.
    case wrongLength(Int)
    /// The last byte is not 0, 1, 27 or 28.
    case invalidV(UInt8)
    /// r or s is out of range, or no key recovers from the signature.
    case recoveryFailed
    /// The private key could not sign (it cannot happen for a valid key).
    case signingFailed
}

extension PrivateKey {
    /// Signs a 32-byte digest (an EIP-712 or EIP-191 hash) with a deterministic RFC 6979 nonce.
    public func signMessageDigest(_ digest: Bytes32) throws(MessageSignatureError) -> MessageSignature {
        do { return MessageSignature(try signRecoverable(digest: digest.bytes)) } catch { throw .signingFailed }
    }
}

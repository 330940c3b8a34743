/// Why a keystore file could not be read, decrypted or written. No case carries a password, key or
/// any text taken from the file.
public enum KeystoreError: Error, Equatable, Sendable {
    /// Not a JSON object.
    case malformedJSON
    /// A required field is absent.
    case missingField(String)
    /// A field has the wrong JSON type, bad hex, or the wrong length.
    case invalidField(String)
    /// Only version 3 files are supported.
    case unsupportedVersion
    /// Only `aes-128-ctr` is supported.
    case unsupportedCipher
    /// Only `scrypt` and `pbkdf2` are supported.
    case unsupportedKDF
    /// pbkdf2's PRF must be `hmac-sha256`.
    case unsupportedPRF
    /// A KDF parameter that no valid file has (scrypt n not a power of two, zero iterations, dklen ≠ 32).
    case invalidKDFParameter(String)
    /// The KDF would take more memory or work than ``KeystoreLimits`` allow.
    case kdfCostExceedsLimits
    /// The MAC does not match: the password is wrong (or the file was altered).
    case wrongPassword
    /// The file's `address` is not the address of the key it holds.
    case addressMismatch
    /// The decrypted bytes are not a valid secp256k1 private key.
    case invalidPrivateKey
    /// An OpenSSL primitive reported failure.
    case cryptoFailure
    /// The system did not provide random bytes.
    case randomnessUnavailable
}

extension KeystoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformedJSON: "keystore is not a JSON object"
        case .missingField(let name): "keystore field '\(name)' is missing"
        case .invalidField(let name): "keystore field '\(name)' is invalid"
        case .unsupportedVersion: "only version 3 keystores are supported"
        case .unsupportedCipher: "only the aes-128-ctr cipher is supported"
        case .unsupportedKDF: "only the scrypt and pbkdf2 key derivations are supported"
        case .unsupportedPRF: "pbkdf2 must use hmac-sha256"
        case .invalidKDFParameter(let name): "key derivation parameter '\(name)' is invalid"
        case .kdfCostExceedsLimits: "key derivation cost exceeds the configured memory or work limit"
        case .wrongPassword: "wrong password (MAC mismatch)"
        case .addressMismatch: "keystore address does not match the key it contains"
        case .invalidPrivateKey: "keystore holds an invalid private key"
        case .cryptoFailure: "a cryptographic primitive failed"
        case .randomnessUnavailable: "no random bytes available"
        }
    }
}

import Ethereum

/// Why the enclave keyring could not be loaded, saved or changed. No case carries key material.
public enum KeyringError: Error, Equatable, Sendable {
    /// A file could not be read or written; `errno` from the system call.
    case fileSystem(path: String, errno: Int32)
    /// The sealing secret file does not hold exactly 32 bytes.
    case invalidSealingSecret(path: String)
    /// The sealed keyring is not in the expected format.
    case malformedKeyring(path: String)
    /// The sealed keyring did not authenticate: another sealing key, or altered bytes.
    case unsealFailed(path: String)
    /// The system could not generate a key or encrypt.
    case cryptoFailure
    /// No key with this signer address is held.
    case unknownKey(Address)
    /// The current key signs new work; rotate before retiring it.
    case cannotRetireCurrentKey
    /// The keyring holds as many retiring keys as it may; retire one first.
    case tooManyRetiringKeys(limit: Int)
}

extension KeyringError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .fileSystem(path, errno): "\(path): system error \(errno)"
        case .invalidSealingSecret(let path): "\(path) does not hold a 32-byte sealing secret"
        case .malformedKeyring(let path): "\(path) is not a sealed Cloister keyring"
        case .unsealFailed(let path): "\(path) did not unseal: another sealing key, or altered bytes"
        case .cryptoFailure: "encryption failed while sealing the keyring"
        case .unknownKey(let address): "no enclave key \(address) is held"
        case .cannotRetireCurrentKey: "the current key cannot be retired; rotate first"
        case .tooManyRetiringKeys(let limit): "already \(limit) retiring keys; retire one first"
        }
    }
}

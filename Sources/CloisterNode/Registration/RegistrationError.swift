import Ethereum

/// Why `cloister node register` could not register the enclave.
enum RegistrationError: Error, CustomStringConvertible {
    case committeeUnreachable(url: String, reason: String)
    case committeeRefused(url: String, reason: String)
    case badAcceptance(url: String, reason: String)
    case attestation(String)
    case transactionFailed(String)
    case notRegistered(Address)

    var description: String {
        switch self {
        case let .committeeUnreachable(url, reason): "committee member \(url) did not answer: \(reason)"
        case let .committeeRefused(url, reason): "committee member \(url) refused the quote: \(reason)"
        case let .badAcceptance(url, reason): "committee member \(url) answered an unusable acceptance: \(reason)"
        case .attestation(let why): "the enclave could not attest: \(why)"
        case .transactionFailed(let why): "the registration transaction failed: \(why)"
        case .notRegistered(let signer):
            "enclave signer \(signer) is not registered on this deployment; run `cloister node register --config …` first"
        }
    }
}

import Ethereum

/// Why `cloister node register` could not register the enclave.
enum RegistrationError: Error, CustomStringConvertible {
    case committeeUnreachable(url: String, reason: String)
    case committeeRefused(url: String, reason: String)
    case badAcceptance(url: String, reason: String)
    case attestation(String)
    case transactionFailed(String)
    case notRegistered(Address)
    /// At start: the endpoint shows no registration for the signer at `block` of the deployment `core`.
    case notRegisteredAtStart(signer: Address, core: Address, block: UInt64?)
    /// The keystore is not the wallet that operates the node.
    case notTheOperator(node: UInt256, operator: Address, keystore: Address)

    var description: String {
        switch self {
        case let .committeeUnreachable(url, reason): "committee member \(url) did not answer: \(reason)"
        case let .committeeRefused(url, reason): "committee member \(url) refused the quote: \(reason)"
        case let .badAcceptance(url, reason): "committee member \(url) answered an unusable acceptance: \(reason)"
        case .attestation(let why): "the enclave could not attest: \(why)"
        case .transactionFailed(let why): "the registration transaction failed: \(why)"
        case .notRegistered(let signer):
            "enclave signer \(signer) is not registered on this deployment; run `cloister node register --config …` first"
        case let .notTheOperator(node, operatorAddress, keystore):
            "node \(node) is operated by \(operatorAddress), but operator.keystore holds \(keystore): the node pays gas and "
                + "settles from its operator wallet; point operator.keystore at that wallet"
        case let .notRegisteredAtStart(signer, core, block):
            "enclave signer \(signer) is not registered with the core at \(core) as the chain.rpc endpoint "
                + "shows it\(block.map { " at block \($0)" } ?? ""). If you have not registered this enclave, run "
                + "`cloister node register --config …`; if you have, the endpoint is behind or answering for another chain "
                + "state: check chain.rpc (the node does not start on a registration it cannot see)"
        }
    }
}

import ChainClient
import Ethereum
import Secp256k1

/// Sends one operator transaction outside the node's submitter (registration, stake changes) and waits
/// for its receipt; returns the receipt's logs. The call is estimated first, so a call that would revert fails with the contract's
/// reason before anything is signed.
struct OneShotTransaction: Sendable {
    let client: ChainClient
    let chainID: UInt64
    let key: PrivateKey

    func send(to contract: Address, data: [UInt8], value: UInt256, timeout: Duration = .seconds(120)) async throws -> [Log] {
        let from = Address(publicKey: key.publicKey)
        let estimate = try await client.estimateGas(CallRequest(from: from, to: contract, value: value, data: data))
        let quote = try await RPCChain(client: client).feeQuote()
        let nonce = try await client.getTransactionCount(from, .pending)
        let transaction = EIP1559Transaction(chainId: chainID, nonce: nonce, maxPriorityFeePerGas: quote.priorityFee,
                                             maxFeePerGas: quote.baseFee * UInt256(2) + quote.priorityFee, gasLimit: estimate + estimate / 5,
                                             to: contract, value: value, data: data, accessList: [])
        let signed = try transaction.signed(with: key)
        let hash = try await client.sendRawTransaction(signed.rawBytes)
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < timeout {
            if let receipt = try await client.getTransactionReceipt(hash) {
                guard receipt.succeeded else { throw RegistrationError.transactionFailed("transaction \(hash) reverted") }
                return receipt.logs
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw RegistrationError.transactionFailed("transaction \(hash) was not included within \(timeout)")
    }
}

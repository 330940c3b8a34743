import ChainClient
import Ethereum
import Secp256k1

/// Sends one transaction outside the node's submitter (a request, a registration, a stake change) and
/// waits for its receipt. The call is estimated first, so a call that would revert fails with the
/// contract's reason before anything is signed.
public struct OneShotTransaction: Sendable {
    let client: RPCClient
    let chainID: UInt64
    let key: PrivateKey

    public init(client: RPCClient, chainID: UInt64, key: PrivateKey) {
        self.client = client
        self.chainID = chainID
        self.key = key
    }

    /// Signs, sends and waits; returns the receipt's logs.
    public func send(to contract: Address, data: [UInt8], value: UInt256, timeout: Duration = .seconds(120)) async throws -> [Log] {
        let from = Address(publicKey: key.publicKey)
        let estimate = try await client.estimateGas(CallRequest(from: from, to: contract, value: value, data: data))
        let history = try await client.feeHistory(blockCount: 10, newest: .latest, percentiles: [50])
        let baseFee = history.nextBaseFee
        let tip = history.medianTip()
        let nonce = try await client.getTransactionCount(from, .pending)
        let transaction = EIP1559Transaction(
            chainId: chainID, nonce: nonce, maxPriorityFeePerGas: tip,
            maxFeePerGas: baseFee * UInt256(2) + tip, gasLimit: estimate + estimate / 5,
            to: contract, value: value, data: data, accessList: [])
        let hash = try await client.sendRawTransaction(try transaction.signed(with: key).rawBytes)
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < timeout {
            if let receipt = try await client.getTransactionReceipt(hash) {
                guard receipt.succeeded else { throw TransactionFailure(message: "transaction \(hash) reverted") }
                return receipt.logs
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TransactionFailure(message: "transaction \(hash) was not included within \(timeout)")
    }
}

/// A transaction that reverted or was not included in time.
public struct TransactionFailure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

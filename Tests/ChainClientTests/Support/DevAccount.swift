import ChainClient
import Ethereum
import Secp256k1

/// A devchain account: key i is keccak256("cloister-dev-<i>") (public test keys, see devchain/accounts.py).
struct DevAccount {
    let key: PrivateKey
    let address: Address

    init(_ index: Int) throws {
        key = try PrivateKey(bytes: Keccak256.hash(Array("cloister-dev-\(index)".utf8)).bytes)
        address = Address(publicKey: key.publicKey)
    }

    /// Signs an EIP-1559 transaction at the chain's current fees and the account's pending nonce.
    func signTransfer(
        client: RPCClient, to: Address?, value: UInt256, data: [UInt8] = [],
        gasLimit: UInt64 = 21_000, nonce: UInt64? = nil
    ) async throws -> SignedEIP1559Transaction {
        let baseFee = try await client.getBlock(.latest)?.baseFeePerGas ?? UInt256(1_000_000_000)
        let tip = try await client.maxPriorityFeePerGas()
        let pendingNonce = try await client.getTransactionCount(address, .pending)
        let transaction = EIP1559Transaction(
            chainId: Devchain.chainID,
            nonce: nonce ?? pendingNonce,
            maxPriorityFeePerGas: tip, maxFeePerGas: try baseFee.multiplied(by: 2).adding(tip),
            gasLimit: gasLimit, to: to, value: value, data: data, accessList: [])
        return try transaction.signed(with: key)
    }
}

import Ethereum
import Testing
@testable import ChainClient

/// Transactions signed in Swift (Secp256k1 + the Ethereum module) and sent to a real devchain.
struct DevchainTransactionTests {
    @Test func transferIsMinedAndDescribed() async throws {
        let client = try await Devchain.client()
        let sender = try DevAccount(1)
        let recipient = try DevAccount(6).address
        let recipientBefore = try await client.getBalance(recipient)
        let nonceBefore = try await client.getTransactionCount(sender.address)
        let signed = try await sender.signTransfer(client: client, to: recipient, value: 12_345)

        let hash = try await client.sendRawTransaction(.eip1559(signed))
        #expect(hash == signed.hash)
        let receipt = try #require(try await client.getTransactionReceipt(hash))
        #expect(receipt.succeeded && receipt.gasUsed == 21_000 && receipt.from == sender.address && receipt.to == recipient)
        let block = try #require(try await client.getBlock(.number(receipt.blockNumber)))
        #expect(block.hash == receipt.blockHash && block.transactionHashes.contains(hash))
        #expect(receipt.effectiveGasPrice <= signed.transaction.maxFeePerGas)
        let details = try #require(try await client.getTransactionByHash(hash))
        #expect(details.nonce == nonceBefore && details.value == 12_345 && details.inclusion?.blockHash == receipt.blockHash)
        #expect(try await client.getBalance(recipient) == recipientBefore.adding(12_345))
        #expect(try await client.getTransactionCount(sender.address) == nonceBefore + 1)

        // Sending the same bytes again is harmless: the mined copy is recognised.
        #expect(try await client.sendRawTransaction(signed.rawBytes) == hash)
        #expect(try await client.getTransactionCount(sender.address) == nonceBefore + 1)
    }

    @Test func refusalsAreClassified() async throws {
        let client = try await Devchain.client()
        let sender = try DevAccount(3)
        let first = try await sender.signTransfer(client: client, to: try DevAccount(8).address, value: 1)
        _ = try await client.sendRawTransaction(first.rawBytes)
        let reused = try await sender.signTransfer(
            client: client, to: try DevAccount(8).address, value: 2,
            nonce: first.transaction.nonce)
        try await expectRefusal(client, reused.rawBytes, kind: .nonceTooLow)

        let tooExpensive = try await sender.signTransfer(
            client: client, to: try DevAccount(8).address,
            value: UInt256(parsing: "1000000000000000000000000"))
        try await expectRefusal(client, tooExpensive.rawBytes, kind: .insufficientFunds)

        var cheap = first.transaction
        cheap.nonce += 1
        cheap.maxFeePerGas = 1
        cheap.maxPriorityFeePerGas = 1
        try await expectRefusal(client, try cheap.signed(with: sender.key).rawBytes, kind: .underpriced)
    }

    private func expectRefusal(_ client: RPCClient, _ raw: [UInt8], kind: RPCErrorKind) async throws {
        do throws(ChainClientError) {
            _ = try await client.sendRawTransaction(raw)
            Issue.record("expected a \(kind) refusal")
        } catch .rpc(let error) {
            #expect(error.kind == kind, "\(error.message)")
        }
    }
}

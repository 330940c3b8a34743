import Ethereum
import Testing
@testable import ChainClient

/// Reads against a real devchain (py-evm behind JSON-RPC over HTTP).
struct DevchainReadTests {
    @Test func chainIdentityAndHead() async throws {
        let client = try await Devchain.client()
        #expect(try await client.chainId() == Devchain.chainID)
        let head = try await client.blockNumber()
        let latest = try #require(try await client.getBlock(.latest))
        #expect(latest.number >= head)
        let byNumber = try #require(try await client.getBlock(.number(latest.number)))
        let byHash = try #require(try await client.getBlock(hash: latest.hash))
        #expect(byNumber == latest && byHash == latest)
        let genesis = try #require(try await client.getBlock(.earliest))
        #expect(genesis.number == 0 && genesis.parentHash == .zero)
        #expect(try await client.getBlock(.number(1_000_000_000)) == nil)
        #expect(try await client.getBlock(hash: Bytes32(Array(repeating: 0xEE, count: 32))!) == nil)
    }

    @Test func devAccountsAreFunded() async throws {
        let client = try await Devchain.client()
        let tenThousandEther = try UInt256(10_000).multiplied(by: UInt256(parsing: "1000000000000000000"))
        // Accounts no other test of this target sends from or to (they share one chain and run in parallel).
        for index in [5, 7] {
            let account = try DevAccount(index)
            #expect(try await client.getBalance(account.address) == tenThousandEther)
            #expect(try await client.getCode(account.address).isEmpty)
        }
    }

    @Test func batchOfBalancesAndBlocks() async throws {
        let client = try await Devchain.client()
        let accounts = try (0..<10).map { try DevAccount($0).address }
        // At one block: other tests of this target send transactions to the same chain meanwhile.
        let block = BlockTag.number(try await client.blockNumber())
        let balances = try await client.batch(accounts.map { RPCMethod.getBalance($0, block) })
        #expect(balances.count == 10)
        for (index, outcome) in balances.enumerated() {
            let single = try await client.getBalance(accounts[index], block)
            #expect(try outcome.get() == single)
        }
        let unknown = try await client.batch([RPCMethod.getBlock(.number(0)), .getBlock(.number(1_000_000_000))])
        #expect(try unknown[0].get()?.number == 0)
        #expect(try unknown[1].get() == nil)
    }

    @Test func feesAndEstimates() async throws {
        let client = try await Devchain.client()
        #expect(try await client.gasPrice() > .zero)
        #expect(try await client.maxPriorityFeePerGas() == UInt256(1_000_000_000))
        let head = try await client.blockNumber()
        let history = try await client.feeHistory(blockCount: 4, newest: .number(head), percentiles: [25, 75])
        #expect(history.gasUsedRatio.count == min(4, Int(head) + 1))
        #expect(history.baseFeePerGas.count == history.gasUsedRatio.count + 1)
        #expect(history.reward.allSatisfy { $0.count == 2 })
        let from = try DevAccount(7).address
        let gas = try await client.estimateGas(CallRequest(from: from, to: try DevAccount(8).address, value: 1))
        #expect((21_000...42_000).contains(gas))
    }

    @Test func refusesArgumentsNoNodeAccepts() async throws {
        let client = try await Devchain.client()
        await #expect(throws: ChainClientError.self) { try await client.getBlock(.pending) }
        await #expect(throws: ChainClientError.self) { try await client.feeHistory(blockCount: 1, percentiles: [50, 10]) }
        let tooManyTopics = LogFilter(topics: Array(repeating: nil, count: 5), range: .blocks(from: .earliest, to: .latest))
        await #expect(throws: ChainClientError.self) { try await client.getLogs(tooManyTopics) }
    }

    @Test func revertDataFromACall() async throws {
        // Init code that reverts with the four bytes 0xdeadbeef: PUSH4 deadbeef PUSH1 0 MSTORE PUSH1 4 PUSH1 28 REVERT.
        let initCode: [UInt8] = [0x63, 0xDE, 0xAD, 0xBE, 0xEF, 0x60, 0x00, 0x52, 0x60, 0x04, 0x60, 0x1C, 0xFD]
        let client = try await Devchain.client()
        let request = CallRequest(from: try DevAccount(7).address, to: nil, data: initCode)
        do throws(ChainClientError) {
            _ = try await client.call(request)
            Issue.record("the call must revert")
        } catch .rpc(let error) {
            #expect(error.kind == .executionReverted(data: [0xDE, 0xAD, 0xBE, 0xEF]))
        }
    }
}

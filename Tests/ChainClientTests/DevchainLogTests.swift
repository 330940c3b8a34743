import Ethereum
import Testing
@testable import ChainClient

/// `eth_getLogs` filters on a real devchain: addresses, topic wildcards and OR lists, ranges, block hash.
struct DevchainLogTests {
    static let eventTopic = Keccak256.hash(Array("ChainClientTest(uint256)".utf8))

    /// Init code that emits LOG2(data = 32-byte word 0x2a, topics = [eventTopic, tag]) and deploys nothing.
    static func emittingInitCode(tag: UInt8) -> [UInt8] {
        [0x60, 0x2A, 0x60, 0x00, 0x52, 0x60, tag, 0x7F] + eventTopic.bytes + [0x60, 0x20, 0x60, 0x00, 0xA2, 0x00]
    }

    @Test func filtersByAddressTopicsAndRange() async throws {
        let client = try await Devchain.client()
        let sender = try DevAccount(2)
        var receipts: [TransactionReceipt] = []
        for tag: UInt8 in [7, 8, 9] {
            let signed = try await sender.signTransfer(
                client: client, to: nil, value: 0,
                data: Self.emittingInitCode(tag: tag), gasLimit: 200_000)
            let hash = try await client.sendRawTransaction(signed.rawBytes)
            receipts.append(try #require(try await client.getTransactionReceipt(hash)))
        }
        #expect(receipts.allSatisfy { $0.succeeded && $0.logs.count == 1 })
        let emitters = receipts.compactMap(\.contractAddress)
        #expect(emitters.count == 3)
        let first = receipts[0].blockNumber
        let last = receipts[2].blockNumber
        func tag(_ value: UInt8) -> Bytes32 { UInt256(UInt64(value)).bytes32 }
        let range = LogFilter.Range.blocks(from: .number(first), to: .number(last))

        let all = try await client.getLogs(LogFilter(addresses: emitters, range: range))
        #expect(all.map(\.topics) == [7, 8, 9].map { [Self.eventTopic, tag($0)] })
        #expect(all.allSatisfy { $0.data == UInt256(0x2A).bytes32.bytes })
        #expect(all.map(\.transactionHash) == receipts.map(\.transactionHash))

        let orList = try await client.getLogs(LogFilter(addresses: emitters, topics: [nil, [tag(7), tag(9)]], range: range))
        #expect(orList.map(\.address) == [emitters[0], emitters[2]])

        let byTopic = try await client.getLogs(LogFilter(topics: [[Self.eventTopic], [tag(8)]], range: range))
        #expect(byTopic.map(\.address) == [emitters[1]])

        let oneAddress = try await client.getLogs(LogFilter(addresses: [emitters[2]], range: .blocks(from: .earliest, to: .latest)))
        #expect(oneAddress.count == 1 && oneAddress[0].blockNumber == last)

        let byHash = try await client.getLogs(LogFilter(topics: [[Self.eventTopic]], range: .blockHash(receipts[1].blockHash)))
        #expect(byHash.map(\.address) == [emitters[1]])

        let narrowRange = try await client.getLogs(LogFilter(addresses: emitters, range: .blocks(from: .number(first), to: .number(first))))
        #expect(narrowRange.count == 1)

        let noMatch = try await client.getLogs(LogFilter(addresses: emitters, topics: [[tag(7)]], range: range))
        #expect(noMatch.isEmpty)
    }
}

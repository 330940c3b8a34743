import Testing
import Ethereum

@Suite struct ABIEventTests {
    static let transfer = try! ABIEvent(signature: "Transfer(address indexed from, address indexed to, uint256 value)")
    static let alice = try! Address(hex: "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")
    static let bob = try! Address(hex: "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB")

    static func topic(_ address: Address) -> Bytes32 {
        Bytes32([UInt8](repeating: 0, count: 12) + address.bytes)!
    }

    @Test func erc20TransferTopicAndLog() throws {
        #expect(Self.transfer.canonicalSignature == "Transfer(address,address,uint256)")
        #expect(Self.transfer.topic.hex == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        let values = try Self.transfer.decodeLog(
            topics: [Self.transfer.topic, Self.topic(Self.alice), Self.topic(Self.bob)],
            data: UInt256(1000).bytes32.bytes)
        #expect(values == [.address(Self.alice), .address(Self.bob), .uint(1000)])
    }

    @Test func mismatchedLogsAreRejected() {
        let data = UInt256(1).bytes32.bytes
        #expect(throws: ABIError.topicCountMismatch(expected: 3, actual: 2)) {
            try Self.transfer.decodeLog(topics: [Self.transfer.topic, Self.topic(Self.alice)], data: data)
        }
        #expect(throws: ABIError.topicMismatch) {
            try Self.transfer.decodeLog(topics: [.zero, Self.topic(Self.alice), Self.topic(Self.bob)], data: data)
        }
        // A topic that is not a clean address word.
        #expect(throws: ABIError.nonCanonicalPadding(at: 0)) {
            try Self.transfer.decodeLog(topics: [Self.transfer.topic, Bytes32(hex: String(repeating: "ff", count: 32)), .zero], data: data)
        }
        #expect(throws: ABIError.truncated(offset: 0)) {
            try Self.transfer.decodeLog(topics: [Self.transfer.topic, .zero, .zero], data: [])
        }
    }

    @Test func indexedDynamicValuesAreHashes() throws {
        let event = try ABIEvent(signature: "Posted(string indexed tag, uint256[2] indexed pair, string body, bool flag)")
        let tagHash = Keccak256.hash(Array("news".utf8))
        let pairHash = Keccak256.hash(ABI.encode([.uint(1), .uint(2)]))
        let data = ABI.encode([.string("hello"), .bool(true)])
        let values = try event.decodeLog(topics: [event.topic, tagHash, pairHash], data: data)
        #expect(values == [.bytes32(tagHash), .bytes32(pairHash), .string("hello"), .bool(true)])
    }

    @Test func anonymousEventsHaveNoSignatureTopic() throws {
        let event = try ABIEvent(signature: "Ping(uint64 indexed id, bytes payload)", anonymous: true)
        let values = try event.decodeLog(topics: [UInt256(9).bytes32], data: ABI.encode([.bytes([1, 2, 3])]))
        #expect(values == [.uint(9), .bytes([1, 2, 3])])
    }
}

import Ethereum
@testable import Oracle

/// A chain held in memory for the watcher's logic tests: blocks on a branch whose hashes change when
/// the branch is replaced, and one log per block that carries a request. The real chain is exercised
/// by the node's integration tests; this one makes reorgs and refusals exact and repeatable.
actor InMemoryChain: ChainReader {
    struct TooLarge: LogRangeTooLarge {}

    static let contract = Address(Array(repeating: 0xCC, count: 20))!
    static let topic = Keccak256.hash(Array("Requested".utf8))

    private(set) var height: UInt64
    private var branchFrom: UInt64 = .max
    private var branch = 0
    private var maxRange: UInt64 = .max
    private var requestBlocks: Set<UInt64>
    private var corrupted: Set<UInt64> = []

    init(height: UInt64, requestBlocks: Set<UInt64>) {
        self.height = height
        self.requestBlocks = requestBlocks
    }

    func hash(_ number: UInt64) -> Bytes32 {
        let branchTag = number >= branchFrom ? branch : 0
        return Keccak256.hash(Array("block \(number) branch \(branchTag)".utf8))
    }

    /// Replaces every block from `first` with a new branch that reaches `height`, with requests in `requests`.
    func reorganise(from first: UInt64, newHeight: UInt64, requests: Set<UInt64>) {
        branch += 1
        branchFrom = first
        height = newHeight
        requestBlocks = requestBlocks.filter { $0 < first }.union(requests)
    }

    func mine(to newHeight: UInt64, requests: Set<UInt64> = []) {
        height = newHeight
        requestBlocks.formUnion(requests)
    }

    func refuseRangesOver(_ blocks: UInt64) { maxRange = blocks }
    func corruptLog(in block: UInt64) { corrupted.insert(block) }

    func headNumber() async throws -> UInt64 { height }

    func block(_ number: UInt64) async throws -> ScannedBlock? {
        guard number <= height else { return nil }
        return ScannedBlock(number: number, hash: hash(number), parentHash: number == 0 ? .zero : hash(number - 1))
    }

    func logs(addresses: [Address], eventTopics: [Bytes32], in range: ClosedRange<UInt64>) async throws -> [ChainLog] {
        guard UInt64(range.count) <= maxRange else { throw TooLarge() }
        return range.filter { requestBlocks.contains($0) && $0 <= height }.map { number in
            ChainLog(address: Self.contract, topics: [Self.topic], data: corrupted.contains(number) ? [] : Array("request at \(number) on \(hash(number).hex)".utf8),
                     block: BlockRef(number: number, hash: hash(number)), logIndex: 0, transactionHash: hash(number))
        }
    }
}

/// Makes one executor job per log whose data is non-empty; empty data is "malformed".
struct RequestPerLog: LogInterpreter {
    struct Malformed: Error {}
    var addresses: [Address] { [InMemoryChain.contract] }
    var eventTopics: [Bytes32] { [InMemoryChain.topic] }

    func jobs(from log: ChainLog) throws -> [Job] {
        guard !log.data.isEmpty else { throw Malformed() }
        return [Job(key: JobKey(requestID: Keccak256.hash(log.data), role: .executor), model: .zero, request: log.data,
                    observedIn: log.block, logIndex: log.logIndex, deadline: 2_000_000_000)]
    }
}

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
    /// A lagging backend behind a load balancer: logs above this block are answered `[]` and their
    /// receipts are not served.
    private var logsOnlyThrough: UInt64 = .max
    /// Blocks above this are answered `null`.
    private var blocksOnlyThrough: UInt64 = .max
    /// The head reported, if not the real one.
    private var reportedHead: UInt64?
    /// Blocks whose bloom matches the request event although they hold none (a false positive).
    private var falsePositives: Set<UInt64> = []

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

    func lag(logsThrough: UInt64 = .max, blocksThrough: UInt64 = .max, head: UInt64? = nil) {
        logsOnlyThrough = logsThrough
        blocksOnlyThrough = blocksThrough
        reportedHead = head
    }
    func addFalsePositive(_ block: UInt64) { falsePositives.insert(block) }

    func headNumber() async throws -> UInt64 { reportedHead ?? height }

    func block(_ number: UInt64) async throws -> ScannedBlock? {
        guard number <= height, number <= blocksOnlyThrough else { return nil }
        var bloom = LogsBloom()
        if requestBlocks.contains(number) || falsePositives.contains(number) {
            bloom.add(Self.contract.bytes)
            bloom.add(Self.topic.bytes)
        }
        return ScannedBlock(number: number, hash: hash(number), parentHash: number == 0 ? .zero : hash(number - 1), logsBloom: bloom)
    }

    func logs(addresses: [Address], eventTopics: [Bytes32], in range: ClosedRange<UInt64>) async throws -> [ChainLog] {
        guard UInt64(range.count) <= maxRange else { throw TooLarge() }
        return range.filter { $0 <= logsOnlyThrough }.flatMap(log(in:))
    }

    func receiptLogs(of block: BlockRef, addresses: [Address], eventTopics: [Bytes32]) async throws -> [ChainLog]? {
        guard block.number <= logsOnlyThrough, block.number <= height, hash(block.number) == block.hash else { return nil }
        return log(in: block.number)
    }

    private func log(in number: UInt64) -> [ChainLog] {
        guard requestBlocks.contains(number), number <= height else { return [] }
        return [
            ChainLog(
                address: Self.contract, topics: [Self.topic], data: corrupted.contains(number) ? [] : Array("request at \(number) on \(hash(number).hex)".utf8),
                block: BlockRef(number: number, hash: hash(number)), logIndex: 0, transactionHash: hash(number))
        ]
    }
}

/// Makes one executor job per log whose data is non-empty; empty data is "malformed".
struct RequestPerLog: LogInterpreter {
    struct Malformed: Error {}
    var addresses: [Address] { [InMemoryChain.contract] }
    var eventTopics: [Bytes32] { [InMemoryChain.topic] }

    func jobs(from log: ChainLog) throws -> [Job] {
        guard !log.data.isEmpty else { throw Malformed() }
        return [
            Job(
                key: JobKey(requestID: Keccak256.hash(log.data), role: .executor), model: .zero, request: log.data,
                observedIn: log.block, logIndex: log.logIndex, deadline: 2_000_000_000)
        ]
    }
}

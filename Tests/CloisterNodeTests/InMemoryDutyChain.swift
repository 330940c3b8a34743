import CloisterClient
import Ethereum
import Oracle
@testable import CloisterNode

/// A chain held in memory for the duties' tests, the duty counterpart of the watcher's and submitter's
/// in-memory chains (Tests/OracleTests): the core's and the arbiter's logs by block, on a branch whose
/// hashes change when it is replaced; headers with their logs bloom; the contracts' reads answered from
/// plain state through their real calldata and return encodings; a provider that may refuse wide log
/// ranges; and the submitter's side (estimates, broadcasts) so that the keeper sends through the real
/// `Submitter`. Nothing is mined: a broadcast stays pending, which is all the keeper tests need.
actor InMemoryDutyChain: DutyChain, ChainWriter {
    struct TooLarge: LogRangeTooLarge {}
    struct UnknownCall: Error { let selector: [UInt8] }

    static let core = Address(Array(repeating: 0xC0, count: 20))!
    static let arbiter = Address(Array(repeating: 0xA4, count: 20))!
    static let vault = Address(Array(repeating: 0x5E, count: 20))!
    static let deploymentBlock: UInt64 = 1

    /// A dispute as `disputes(id)` shows it (the fields the keeper reads; the others are zero).
    struct Dispute {
        var challenger: UInt256 = .zero
        var bond: UInt256 = .zero
        var openedBlock: UInt64 = 0
        var deadline: UInt64 = 0
        var rounds: UInt64 = 0
        var jurors: [UInt256] = []
        var votes: [Bytes32] = []
        var resolved = false
    }

    private struct Entry {
        let address: Address
        let topics: [Bytes32]
        let data: [UInt8]
        let block: UInt64
        let logIndex: UInt64
    }

    private(set) var height: UInt64
    private var entries: [Entry] = []
    /// Blocks from `from` on carry the hashes of branch `branch` (the newest replacement wins).
    private var branches: [(from: UInt64, branch: Int)] = []
    private var maxRange: UInt64 = .max
    /// Log queries refused as too wide, and the ranges of those answered.
    private(set) var refusals = 0
    private(set) var answered: [ClosedRange<UInt64>] = []

    /// `params()` and every `paramsAt(version)`: the contract's defaults with these words changed.
    var parameterChanges: [Int: UInt64] = [:]
    var deterministicModels: Set<Bytes32> = []
    /// `requests(id)`: the hash of a pending request or result.
    var records: [Bytes32: Bytes32] = [:]
    var disputes: [Bytes32: Dispute] = [:]
    /// `sampledVerifier(…)` by request id.
    var sampledVerifiers: [Bytes32: UInt256] = [:]
    var credits: [Address: UInt256] = [:]
    /// The vault's `models(id)` return data, keys wrapped by "model:epoch:signer", and private requests.
    var vaultModels: [Bytes32: [UInt8]] = [:]
    var wrappedKeys: [String: [UInt8]] = [:]
    var privateRequests: [Bytes32: (requester: Address, epoch: UInt256)] = [:]
    /// Transactions' calldata by hash (`transactionInput`).
    var transactionInputs: [Bytes32: [UInt8]] = [:]
    /// Calls whose estimate says they revert, by selector.
    var reverting: Set<[UInt8]> = []
    /// Every distinct transaction broadcast, in order, and how many broadcasts there were in all.
    private(set) var transactions: [EIP1559Transaction] = []
    private var hashes: Set<Bytes32> = []
    private(set) var broadcasts = 0

    init(height: UInt64) {
        self.height = height
    }

    func timestamp(_ number: UInt64) -> UInt64 { 1_800_000_000 + 12 * number }

    func hash(_ number: UInt64) -> Bytes32 {
        let branch = branches.last { $0.from <= number }?.branch ?? 0
        return Keccak256.hash(Array("block \(number) branch \(branch)".utf8))
    }

    // MARK: Arranging the chain

    func mine(to newHeight: UInt64) { height = max(height, newHeight) }

    /// Logs `event` with `values` (in declaration order) from `contract` in block `block`.
    func emit(_ event: ABIEvent, _ values: [ABIValue], from contract: Address, in block: UInt64) throws {
        var topics = [event.topic]
        var data: [ABIValue] = [], types: [ABIType] = []
        for (parameter, value) in zip(event.parameters, values) {
            if parameter.indexed {
                topics.append(Bytes32(ABI.encode([value]))!)
            } else {
                data.append(value)
                types.append(parameter.type)
            }
        }
        let index = UInt64(entries.count { $0.block == block })
        entries.append(Entry(address: contract, topics: topics, data: try ABI.encode(data, as: types), block: block, logIndex: index))
        height = max(height, block)
    }

    /// Replaces every block from `first` on with a new branch reaching `newHeight`, with no logs yet.
    func reorganise(from first: UInt64, newHeight: UInt64) {
        branches.append((first, (branches.last?.branch ?? 0) + 1))
        entries.removeAll { $0.block >= first }
        height = newHeight
    }

    func refuseRangesOver(_ blocks: UInt64) { maxRange = blocks }
    func set(dispute: Dispute, for id: Bytes32) { disputes[id] = dispute }
    func set(record: Bytes32, for id: Bytes32) { records[id] = record }
    func set(sampledVerifier: UInt256, for id: Bytes32) { sampledVerifiers[id] = sampledVerifier }
    func set(parameter index: Int, to value: UInt64) { parameterChanges[index] = value }
    func serve(deterministic model: Bytes32) { deterministicModels.insert(model) }
    func set(credits amount: UInt256, of account: Address) { credits[account] = amount }
    func set(vaultModel returnData: [UInt8], for model: Bytes32) { vaultModels[model] = returnData }
    func set(wrappedKey wrapped: [UInt8], model: Bytes32, epoch: UInt256, signer: Address) { wrappedKeys["\(model):\(epoch):\(signer)"] = wrapped }
    func set(transactionInput input: [UInt8], for hash: Bytes32) { transactionInputs[hash] = input }
    /// The hash the log at `logIndex` of `block` names as its transaction.
    func transactionHash(block: UInt64, logIndex: UInt64) -> Bytes32 {
        Keccak256.hash(hash(block).bytes + [UInt8(truncatingIfNeeded: logIndex)])
    }
    func set(privateRequest id: Bytes32, requester: Address, epoch: UInt256) { privateRequests[id] = (requester, epoch) }

    /// The distinct transactions broadcast that call `function`.
    func calls(to function: ABIFunction) -> [EIP1559Transaction] {
        transactions.filter { $0.data.starts(with: function.selector) }
    }

    // MARK: ChainReader, DutyChain

    func headNumber() async throws -> UInt64 { height }

    func latestBlock() async throws -> HeadBlock? { HeadBlock(number: height, timestamp: timestamp(height)) }

    func block(_ number: UInt64) async throws -> ScannedBlock? {
        guard number <= height else { return nil }
        var bloom = LogsBloom()
        for entry in entries where entry.block == number {
            bloom.add(entry.address.bytes)
            for topic in entry.topics { bloom.add(topic.bytes) }
        }
        return ScannedBlock(number: number, hash: hash(number), parentHash: number == 0 ? .zero : hash(number - 1), logsBloom: bloom)
    }

    func logs(addresses: [Address], topics: [[Bytes32]], in range: ClosedRange<UInt64>) async throws -> [ChainLog] {
        guard UInt64(range.count) <= maxRange else {
            refusals += 1
            throw TooLarge()
        }
        answered.append(range)
        return entries.filter { entry in
            range.contains(entry.block) && entry.block <= height && addresses.contains(entry.address)
                && topics.indices.allSatisfy { $0 < entry.topics.count && topics[$0].contains(entry.topics[$0]) }
        }.map(log)
    }

    func receiptLogs(of block: BlockRef, addresses: [Address], eventTopics: [Bytes32]) async throws -> [ChainLog]? {
        guard block.number <= height, hash(block.number) == block.hash else { return nil }
        return entries.filter { $0.block == block.number && addresses.contains($0.address) && eventTopics.contains($0.topics[0]) }.map(log)
    }

    private func log(_ entry: Entry) -> ChainLog {
        ChainLog(
            address: entry.address, topics: entry.topics, data: entry.data, block: BlockRef(number: entry.block, hash: hash(entry.block)),
            logIndex: entry.logIndex, transactionHash: transactionHash(block: entry.block, logIndex: entry.logIndex))
    }

    func transactionInput(_ hash: Bytes32) async throws -> [UInt8]? { transactionInputs[hash] }

    /// The contracts' views, decoded from their calldata and answered in their return encoding.
    func call(to contract: Address, data: [UInt8]) async throws -> [UInt8] {
        let selector = Array(data.prefix(4))
        switch (contract, selector) {
        case (Self.core, CloisterContract.params.selector), (Self.core, CloisterContract.paramsAt.selector):
            return ProtocolParametersTests.returnData(parameterChanges)
        case (Self.core, CloisterContract.models.selector):
            let model = try CloisterContract.models.decodeCall(data)[0].asBytes32()
            return ABI.encode([.uint(0), .bool(deterministicModels.contains(model)), .bool(true)])
        case (Self.core, CloisterContract.requests.selector):
            return (records[try CloisterContract.requests.decodeCall(data)[0].asBytes32()] ?? .zero).bytes
        case (Self.core, CloisterContract.credits.selector):
            return ABI.encode([.uint(credits[try CloisterContract.credits.decodeCall(data)[0].asAddress()] ?? .zero)])
        case (Self.arbiter, ArbiterContract.sampledVerifier.selector):
            let id = try ArbiterContract.sampledVerifier.decodeCall(data)[0].asElements()[0].asBytes32()
            return ABI.encode([.uint(sampledVerifiers[id] ?? .zero)])
        case (Self.arbiter, ArbiterContract.disputes.selector):
            let dispute = disputes[try ArbiterContract.disputes.decodeCall(data)[0].asBytes32()] ?? Dispute()
            let zero = ABIValue.bytes32(.zero)
            return ABI.encode([
                .tuple([
                    zero, zero, zero, .uint(0), zero, .uint(dispute.challenger), zero, .uint(dispute.bond),
                    .uint(UInt256(dispute.openedBlock)), .uint(UInt256(dispute.deadline)), .uint(UInt256(dispute.rounds)),
                    .array(dispute.jurors.map(ABIValue.uint)), .array(dispute.votes.map(ABIValue.bytes32)), zero, .bool(dispute.resolved), .uint(1)
                ])
            ])
        case (Self.vault, ModelVaultContract.models.selector):
            // an unknown id reads as the all-zero record, as from the contract
            let zero = ABIValue.uint(0), zeroWord = ABIValue.bytes32(.zero)
            return vaultModels[try ModelVaultContract.models.decodeCall(data)[0].asBytes32()]
                ?? ABI.encode([
                    .tuple([
                        .address(.zero), zeroWord, zeroWord, .string(""), zero, .string(""), .string(""), .array([]), zero, zero, zero, zero, zero,
                        zero, zero, zero, .bool(false)
                    ])
                ])
        case (Self.vault, ModelVaultContract.wrappedKey.selector):
            let arguments = try ModelVaultContract.wrappedKey.decodeCall(data)
            let name = "\(try arguments[0].asBytes32()):\(try arguments[1].asUInt()):\(try arguments[2].asAddress())"
            return ABI.encode([.bytes(wrappedKeys[name] ?? [])])
        case (Self.vault, ModelVaultContract.privateRequests.selector):
            let made = privateRequests[try ModelVaultContract.privateRequests.decodeCall(data)[0].asBytes32()]
            return ABI.encode([.address(made?.requester ?? .zero), .uint(made?.epoch ?? .zero)])
        default:
            throw UnknownCall(selector: selector)
        }
    }

    // MARK: ChainWriter

    func minedNonce(of address: Address) async throws -> UInt64 { 0 }
    func feeQuote() async throws -> FeeQuote { FeeQuote(baseFee: 1_000_000_000, priorityFee: 1_000_000_000) }

    func estimateGas(from: Address, to: Address, value: UInt256, data: [UInt8]) async throws -> UInt64 {
        if reverting.contains(Array(data.prefix(4))) { throw CallReverts(reason: "execution reverted") }
        return 100_000
    }

    func succeeds(from: Address, to: Address, value: UInt256, data: [UInt8], gas: UInt64) async throws -> Bool {
        !reverting.contains(Array(data.prefix(4))) && gas >= 100_000
    }

    func broadcast(_ raw: [UInt8]) async throws -> BroadcastOutcome {
        broadcasts += 1
        guard case .eip1559(let signed) = try SignedTransaction(rawBytes: raw) else { return .rejected("only type 2") }
        guard hashes.insert(signed.hash).inserted else { return .alreadyKnown }
        transactions.append(signed.transaction)
        return .accepted
    }

    func receipt(of hash: Bytes32) async throws -> Oracle.TransactionReceipt? { nil }
    func blockHash(_ number: UInt64) async throws -> Bytes32? { number <= height ? hash(number) : nil }
    func balance(of address: Address) async throws -> UInt256 { UInt256(1_000_000_000_000_000_000) }
}

import Ethereum
import Synchronization
import Testing
@testable import Oracle

/// An executor whose behaviour each test scripts: it signs with a fixed signature, returns an error
/// result for inputs starting with "bad", fails with a node fault while `faultsLeft` > 0, and records
/// how many executions overlap.
final class ScriptedExecutor: JobExecutor {
    private struct State { var running = 0; var maxRunning = 0; var faultsLeft = 0; var executed: [Bytes32] = [] }
    private let state = Mutex(State())

    init(faults: Int = 0) { state.withLock { $0.faultsLeft = faults } }

    var maxRunning: Int { state.withLock { $0.maxRunning } }
    var executedModels: [Bytes32] { state.withLock { $0.executed } }

    func execute(_ job: Job) async throws(NodeFault) -> SignedResult {
        let fault = state.withLock { state -> Bool in
            if state.faultsLeft > 0 { state.faultsLeft -= 1; return true }
            state.running += 1
            state.maxRunning = max(state.maxRunning, state.running)
            state.executed.append(job.model)
            return false
        }
        if fault { throw NodeFault(reason: "engine unavailable") }
        try? await Task.sleep(for: .milliseconds(5))
        state.withLock { $0.running -= 1 }
        let isBad = job.request.starts(with: Array("bad".utf8))
        let output = isBad ? Array("malformed input".utf8) : job.request.reversed()
        return SignedResult(
            result: JobResult(output: output, errorCode: isBad ? 1 : 0, commitment: Keccak256.hash(output), attestationDigest: .zero, attestationExpiry: 0),
            signature: [UInt8](repeating: 1, count: 65))
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let seconds = Mutex<UInt64>(1_000)
    func advance(by delta: UInt64) { seconds.withLock { $0 += delta } }
    var now: @Sendable () -> UInt64 { { self.seconds.withLock { $0 } } }
}

@Suite struct DispatcherTests {
    static func job(_ index: Int, model: String = "m", input: String? = nil, deadline: UInt64 = 5_000) -> Job {
        Job(
            key: JobKey(requestID: Keccak256.hash(Array("r\(index)".utf8)), role: .executor), model: Keccak256.hash(Array(model.utf8)),
            request: Array((input ?? "input \(index)").utf8), observedIn: BlockRef(number: UInt64(index), hash: .zero),
            logIndex: 0, deadline: deadline)
    }

    static func store(with jobs: [Job]) async throws -> SQLiteJobStore {
        let store = try SQLiteJobStore()
        try await store.commit(ScanBatch(blocks: [], jobs: jobs, nextBlock: 1))
        return store
    }

    @Test func signsResultsAndErrorResultsWithinTheConcurrencyBound() async throws {
        let jobs = (0..<9).map { Self.job($0, input: $0 == 4 ? "bad bytes" : nil) }
        let store = try await Self.store(with: jobs)
        let executor = ScriptedExecutor()
        let dispatcher = Dispatcher(store: store, executor: executor, settings: DispatchSettings(concurrency: 3, maxAttempts: 3), now: ManualClock().now)
        var total = DispatchRound()
        while true {
            let round = try await dispatcher.runRound()
            if round.isIdle { break }
            total.signed += round.signed
            total.errorResults += round.errorResults
        }
        #expect(total.signed == 9)
        #expect(total.errorResults == 1)
        #expect(executor.maxRunning <= 3)
        let signed = try await store.jobs(in: [.signed], limit: 20)
        #expect(signed.count == 9)
        #expect(signed.first { $0.key == jobs[4].key }?.result?.errorCode == 1)
        #expect(signed.allSatisfy { $0.signature?.count == 65 })
    }

    @Test func oneBusyModelDoesNotStarveAnother() async throws {
        let jobs = (0..<10).map { Self.job($0, model: "busy") } + [Self.job(10, model: "quiet")]
        let executor = ScriptedExecutor()
        let dispatcher = Dispatcher(
            store: try await Self.store(with: jobs), executor: executor,
            settings: DispatchSettings(concurrency: 2, maxAttempts: 3), now: ManualClock().now)
        _ = try await dispatcher.runRound()
        #expect(executor.executedModels.contains(Keccak256.hash(Array("quiet".utf8))))
    }

    @Test func nodeFaultsAreRetriedAfterADelayThenGivenUp() async throws {
        let job = Self.job(1)
        let store = try await Self.store(with: [job])
        let clock = ManualClock()
        let dispatcher = Dispatcher(
            store: store, executor: ScriptedExecutor(faults: 5),
            settings: DispatchSettings(concurrency: 1, maxAttempts: 3, retryDelaySeconds: 10), now: clock.now)
        #expect(try await dispatcher.runRound().faults == 1)
        #expect(try await store.job(job.key)?.state == .observed)
        #expect(try await dispatcher.runRound().isIdle, "the job waits out its retry delay")
        clock.advance(by: 10)
        #expect(try await dispatcher.runRound().faults == 1)
        clock.advance(by: 20)
        #expect(try await dispatcher.runRound().failed == 1)
        let failed = try #require(try await store.job(job.key))
        #expect(failed.state == .failed)
        #expect(failed.failureReason?.contains("engine unavailable") == true)
        #expect(await dispatcher.consecutiveFaults == 3)
    }

    @Test func expiredJobsFailWithoutExecuting() async throws {
        let job = Self.job(1, deadline: 900)
        let store = try await Self.store(with: [job])
        let executor = ScriptedExecutor()
        let dispatcher = Dispatcher(store: store, executor: executor, settings: DispatchSettings(concurrency: 1, maxAttempts: 3), now: ManualClock().now)
        #expect(try await dispatcher.runRound().failed == 1)
        #expect(executor.executedModels.isEmpty)
        #expect(try await store.job(job.key)?.failureReason == "deadline passed before execution")
    }

    @Test func interruptedExecutionsResumeAfterACrash() async throws {
        let job = Self.job(1)
        let store = try await Self.store(with: [job])
        try await store.transition(job.key, to: .executing, JobChanges(incrementAttempts: true))
        let dispatcher = Dispatcher(store: store, executor: ScriptedExecutor(), settings: DispatchSettings(concurrency: 1, maxAttempts: 3), now: ManualClock().now)
        #expect(try await dispatcher.recoverInterrupted() == 1)
        #expect(try await dispatcher.runRound().signed == 1)
    }
}

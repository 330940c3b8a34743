import Logging
import Secp256k1
import ServiceLifecycle
import Synchronization
import Testing
@testable import Oracle

/// The loops' doorbells with a fake head source: an announced head ends an idle pause at once,
/// a head announced during a round is not lost, errors keep their back-off, and without announcements
/// the loop polls at its interval exactly as without a wakeup.
struct WakeupTests {
    /// Times of the rounds a loop ran, readable from the test.
    final class Rounds: Sendable {
        private let times = Mutex<[ContinuousClock.Instant]>([])
        func record() { times.withLock { $0.append(.now) } }
        var count: Int { times.withLock { $0.count } }
        var all: [ContinuousClock.Instant] { times.withLock { $0 } }

        func wait(for count: Int, timeout: Duration = .seconds(10)) async throws {
            let deadline = ContinuousClock.now + timeout
            while self.count < count {
                guard ContinuousClock.now < deadline else {
                    Issue.record("only \(self.count) rounds of \(count) within \(timeout)")
                    throw CancellationError()
                }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    static let logger = Logger(label: "test")

    /// Runs `loop` with an idle round (`body` returns false) while `test` runs, then cancels it.
    static func running(
        _ loop: PollingLoop, rounds: Rounds, body: @escaping @Sendable () async throws -> Bool = { false },
        _ test: () async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await loop.run {
                    rounds.record(); return try await body()
                }
            }
            defer { group.cancelAll() }
            try await test()
        }
    }

    @Test func anAnnouncedHeadEndsTheIdlePause() async throws {
        let wakeup = Wakeup()
        let rounds = Rounds()
        let loop = PollingLoop(name: "watcher", interval: .seconds(60), logger: Self.logger, wakeup: wakeup)
        try await Self.running(loop, rounds: rounds) {
            try await rounds.wait(for: 1)
            try await Task.sleep(for: .milliseconds(50))  // now inside its 60 s pause
            for expected in 2...4 {
                let announced = ContinuousClock.now
                wakeup.announce()
                try await rounds.wait(for: expected)
                #expect(rounds.all[expected - 1] - announced < .seconds(2))
                try await Task.sleep(for: .milliseconds(30))
            }
        }
        #expect(rounds.count == 4)  // one round per head, none from the interval
    }

    @Test func aHeadAnnouncedDuringARoundIsNotLost() async throws {
        let wakeup = Wakeup()
        let rounds = Rounds()
        let loop = PollingLoop(name: "submitter", interval: .seconds(60), logger: Self.logger, wakeup: wakeup)
        // The first round announces a head while it runs (as a block landing mid-pass would).
        try await Self.running(
            loop, rounds: rounds,
            body: {
                if rounds.count == 1 { wakeup.announce() }; return false
            }
        ) {
            try await rounds.wait(for: 2, timeout: .seconds(5))
        }
    }

    @Test func withoutHeadsTheLoopPollsAtItsInterval() async throws {
        let rounds = Rounds()
        let loop = PollingLoop(name: "watcher", interval: .milliseconds(100), logger: Self.logger, wakeup: Wakeup())
        try await Self.running(loop, rounds: rounds) {
            try await rounds.wait(for: 4, timeout: .seconds(5))
        }
        let gaps = zip(rounds.all, rounds.all.dropFirst()).map { $1 - $0 }
        #expect(gaps.allSatisfy { $0 >= .milliseconds(95) })
    }

    /// A new head does not cut the back-off after an error: the failing endpoint is not hammered per block.
    @Test func headsDoNotShortenTheBackOffAfterAnError() async throws {
        struct Outage: Error {}
        let wakeup = Wakeup()
        let rounds = Rounds()
        let loop = PollingLoop(name: "watcher", interval: .seconds(30), logger: Self.logger, wakeup: wakeup)
        try await Self.running(loop, rounds: rounds, body: { throw Outage() }) {
            try await rounds.wait(for: 1)
            for _ in 0..<5 { wakeup.announce(); try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(rounds.count == 1)
    }

    @Test func waitingEndsOnCancellationAndAtOnceWhenAlreadyPast() async throws {
        let wakeup = Wakeup()
        wakeup.announce()
        await wakeup.wait(past: 0)  // already past: returns at once
        #expect(wakeup.announced == 1)
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await wakeup.wait(past: 1) }
            try? await Task.sleep(for: .milliseconds(50))
            group.cancelAll()
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        await #expect(throws: CancellationError.self) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await wakeup.sleep(for: .seconds(60), unlessPast: 1) }
                try await Task.sleep(for: .milliseconds(20))
                group.cancelAll()
                try await group.next()
            }
        }
    }

    /// The node's doorbells along its pipeline, as `NodeRunner` wires them: every loop pauses 60 s after an
    /// idle round, and one announced head carries a request from its log to a broadcast transaction — the
    /// watcher's new job rings the dispatcher, the dispatcher's signed result rings the submitter. Without
    /// the doorbells between the stages the result would wait out a 60 s pause.
    @Test(arguments: [true, false]) func oneHeadCarriesARequestFromLogToTransaction(_ stagesRing: Bool) async throws {
        let chain = InMemoryChain(height: 1, requestBlocks: [2])
        let store = try SQLiteJobStore()
        let mempool = InMemoryMempool()
        let watcher = ChainWatcher(
            reader: chain, interpreter: RequestPerLog(), store: store,
            settings: WatcherSettings(confirmations: 0, maxLogRange: 10, startBlock: 1, finalDepth: 16))
        let dispatcher = Dispatcher(
            store: store, executor: ScriptedExecutor(), settings: DispatchSettings(concurrency: 2, maxAttempts: 3),
            now: { 1_000 })
        let submitter = SubmitterTests.submitter(store, mempool, key: PrivateKey())
        let state = NodeState(
            status: NodeStatus(
                version: "test", chainID: 31337, operatorAddress: submitter.address,
                enclaveSigner: submitter.address, tee: "simulated", warning: nil, head: nil, nextBlock: nil,
                jobs: [:], consecutiveNodeFaults: 0, lastNodeFault: nil, lastSubmissionProblem: nil,
                feesAboveCap: false, insufficientFunds: false, attestationExpiry: 0), maxHeadLag: 5)
        let metrics = NodeMetrics()
        let watcherDoor = Wakeup(), dispatcherDoor = Wakeup(), submitterDoor = Wakeup()
        let pause = Duration.seconds(60)
        let services: [any Service] = [
            WatcherService(
                watcher: watcher, store: store, state: state, metrics: metrics, interval: pause, logger: Self.logger,
                wakeup: watcherDoor, jobsFound: stagesRing ? dispatcherDoor : nil),
            DispatcherService(
                dispatcher: dispatcher, state: state, metrics: metrics, interval: pause, logger: Self.logger,
                wakeup: dispatcherDoor, resultsSigned: stagesRing ? submitterDoor : nil),
            SubmitterService(submitter: submitter, state: state, metrics: metrics, interval: pause, logger: Self.logger, wakeup: submitterDoor)
        ]
        let submitted = try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services { group.addTask { try await service.run() } }
            defer { group.cancelAll() }
            try await Task.sleep(for: .milliseconds(300))  // every loop has run its first, idle round and is pausing
            #expect(try await store.jobs(in: [.observed, .signed, .submitted], limit: 10).isEmpty)
            await chain.mine(to: 2, requests: [2])
            watcherDoor.announce()  // as a pushed head does
            let deadline = ContinuousClock.now + .seconds(3)
            while ContinuousClock.now < deadline {
                if try await !store.jobs(in: [.submitted], limit: 10).isEmpty { return true }
                try await Task.sleep(for: .milliseconds(10))
            }
            return false
        }
        #expect(submitted == stagesRing)
        #expect(try await store.jobs(in: [.observed, .executing, .executed, .signed, .submitted], limit: 10).count == 1)
    }
}

import Ethereum
import Testing
@testable import Oracle

@Suite struct ChainWatcherTests {
    static func watcher(_ chain: InMemoryChain, _ store: SQLiteJobStore, confirmations: UInt64 = 0, range: UInt64 = 10) -> ChainWatcher {
        ChainWatcher(reader: chain, interpreter: RequestPerLog(), store: store,
                     settings: WatcherSettings(confirmations: confirmations, maxLogRange: range, startBlock: 1, reorgWindow: 16))
    }

    /// Steps until caught up; returns every step taken.
    @discardableResult
    static func catchUp(_ watcher: ChainWatcher) async throws -> [WatchStep] {
        var steps: [WatchStep] = []
        for _ in 0..<100 {
            let step = try await watcher.step()
            steps.append(step)
            if case .caughtUp = step { return steps }
        }
        Issue.record("watcher did not catch up")
        return steps
    }

    @Test func backfillsInBoundedRangesAndRespectsConfirmations() async throws {
        let chain = InMemoryChain(height: 35, requestBlocks: [3, 12, 20, 33, 35])
        let store = try SQLiteJobStore()
        let steps = try await Self.catchUp(Self.watcher(chain, store, confirmations: 2))
        let ranges = steps.compactMap { step -> ClosedRange<UInt64>? in if case .scanned(let range, _, _) = step { range } else { nil } }
        #expect(ranges == [1...10, 11...20, 21...30, 31...33])
        #expect(try await store.jobs(in: [.observed], limit: 100).map(\.observedIn.number) == [3, 12, 20, 33])
        #expect(try await store.nextBlock() == 34)
        await chain.mine(to: 37)
        try await Self.catchUp(Self.watcher(chain, store, confirmations: 2))
        #expect(try await store.jobs(in: [.observed], limit: 100).map(\.observedIn.number) == [3, 12, 20, 33, 35])
    }

    @Test func reorgDropsUnsentWorkAndFindsTheNewBranch() async throws {
        let chain = InMemoryChain(height: 20, requestBlocks: [5, 15, 18])
        let store = try SQLiteJobStore()
        let watcher = Self.watcher(chain, store)
        try await Self.catchUp(watcher)
        let orphanedJobs = try await store.jobs(in: [.observed], limit: 10).filter { $0.observedIn.number >= 15 }
        #expect(orphanedJobs.count == 2)
        await chain.reorganise(from: 14, newHeight: 22, requests: [16, 21])
        let steps = try await Self.catchUp(watcher)
        guard case .rewound(let ancestor, let outcome) = steps.first else {
            Issue.record("expected a rewind first, got \(steps)")
            return
        }
        #expect(ancestor == 13)
        #expect(Set(outcome.dropped) == Set(orphanedJobs.map(\.key)))
        #expect(try await store.jobs(in: [.observed], limit: 10).map(\.observedIn.number) == [5, 16, 21])
    }

    @Test func shrinksTheRangeWhenTheProviderRefuses() async throws {
        let chain = InMemoryChain(height: 40, requestBlocks: [39])
        await chain.refuseRangesOver(4)
        let store = try SQLiteJobStore()
        let steps = try await Self.catchUp(Self.watcher(chain, store, range: 16))
        #expect(steps.prefix(2) == [.rangeShrunk(newRange: 8), .rangeShrunk(newRange: 4)])
        #expect(try await store.jobs(in: [.observed], limit: 10).count == 1)
    }

    /// An undecodable log is retried (the endpoint may have lied), then skipped so the node never stalls.
    @Test func malformedLogIsRetriedThenSkipped() async throws {
        let chain = InMemoryChain(height: 5, requestBlocks: [2, 4])
        await chain.corruptLog(in: 2)
        let store = try SQLiteJobStore()
        let watcher = Self.watcher(chain, store)
        for _ in 0..<3 {
            await #expect(throws: WatcherError.self) { try await watcher.step() }
            #expect(try await store.nextBlock() == nil, "nothing is committed while the log is retried")
        }
        #expect(try await watcher.step() == .scanned(range: 1...5, newJobs: 1, skippedLogs: 1))
    }
}

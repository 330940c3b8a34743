import Ethereum
import Testing
@testable import Oracle

@Suite struct ChainWatcherTests {
    static func watcher(_ chain: InMemoryChain, _ store: any TestStore, confirmations: UInt64 = 0, range: UInt64 = 10) -> ChainWatcher {
        ChainWatcher(
            reader: chain, interpreter: RequestPerLog(), store: store,
            settings: WatcherSettings(confirmations: confirmations, maxLogRange: range, startBlock: 1, finalDepth: 16))
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

    @Test(arguments: StoreKind.allCases) func backfillsInBoundedRangesAndRespectsConfirmations(_ kind: StoreKind) async throws {
        let chain = InMemoryChain(height: 35, requestBlocks: [3, 12, 20, 33, 35])
        let store = try await makeStore(kind)
        let steps = try await Self.catchUp(Self.watcher(chain, store, confirmations: 2))
        let ranges = steps.compactMap { step -> ClosedRange<UInt64>? in if case .scanned(let range, _, _) = step { range } else { nil } }
        #expect(ranges == [1...10, 11...20, 21...30, 31...33])
        #expect(try await store.jobs(in: [.observed], limit: 100).map(\.observedIn.number) == [3, 12, 20, 33])
        #expect(try await store.nextBlock() == 34)
        await chain.mine(to: 37)
        try await Self.catchUp(Self.watcher(chain, store, confirmations: 2))
        #expect(try await store.jobs(in: [.observed], limit: 100).map(\.observedIn.number) == [3, 12, 20, 33, 35])
    }

    @Test(arguments: StoreKind.allCases) func reorgDropsUnsentWorkAndFindsTheNewBranch(_ kind: StoreKind) async throws {
        let chain = InMemoryChain(height: 20, requestBlocks: [5, 15, 18])
        let store = try await makeStore(kind)
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

    /// A load-balanced provider whose backend is behind answers `eth_getLogs` with `[]` for the newest
    /// blocks. Their blooms show a request, their receipts are not served either: the watcher waits
    /// instead of moving its cursor past them (before, block 18's request was never picked up).
    @Test(arguments: StoreKind.allCases) func anEmptyAnswerForBlocksWhoseBloomShowsEventsIsNotTrusted(_ kind: StoreKind) async throws {
        let chain = InMemoryChain(height: 20, requestBlocks: [5, 18])
        await chain.lag(logsThrough: 15)
        let store = try await makeStore(kind)
        let watcher = Self.watcher(chain, store, range: 100)
        let step = try await watcher.step()
        guard case .notYet = step else {
            Issue.record("expected to wait, got \(step)")
            return
        }
        #expect(try await store.nextBlock() == nil, "nothing stored, the cursor did not move")
        await chain.lag()
        try await Self.catchUp(watcher)
        #expect(try await store.jobs(in: [.observed], limit: 10).map(\.observedIn.number) == [5, 18])
    }

    /// A bloom matches by chance: the block's receipts say there is nothing, and the scan goes on.
    @Test(arguments: StoreKind.allCases) func aBloomFalsePositiveCostsOneBlocksReceiptsNotAStall(_ kind: StoreKind) async throws {
        let chain = InMemoryChain(height: 10, requestBlocks: [3])
        await chain.addFalsePositive(8)
        let store = try await makeStore(kind)
        try await Self.catchUp(Self.watcher(chain, store, range: 100))
        #expect(try await store.jobs(in: [.observed], limit: 10).map(\.observedIn.number) == [3])
        #expect(try await store.nextBlock() == 11)
    }

    /// `null` for a block, or a head below what was scanned, is a lagging backend: the watcher waits and
    /// rewinds nothing (before, each `null` was taken for a reorg and rewound).
    @Test(arguments: StoreKind.allCases) func aNullBlockOrAStaleHeadIsNotAReorg(_ kind: StoreKind) async throws {
        let chain = InMemoryChain(height: 20, requestBlocks: [5, 15])
        let store = try await makeStore(kind)
        let watcher = Self.watcher(chain, store)
        try await Self.catchUp(watcher)
        var steps: [WatchStep] = []
        await chain.lag(blocksThrough: 17)
        steps.append(try await watcher.step())
        await chain.lag(head: 12)
        steps.append(try await watcher.step())
        #expect(steps.allSatisfy { if case .notYet = $0 { true } else { false } }, "\(steps)")
        #expect(await watcher.notYetStreak == 2)
        await chain.lag()
        await chain.mine(to: 22, requests: [21])
        steps = try await Self.catchUp(watcher)
        #expect(!steps.contains { if case .rewound = $0 { true } else { false } })
        #expect(try await store.jobs(in: [.observed], limit: 10).map(\.observedIn.number) == [5, 15, 21])
    }

    @Test(arguments: StoreKind.allCases) func shrinksTheRangeWhenTheProviderRefuses(_ kind: StoreKind) async throws {
        let chain = InMemoryChain(height: 40, requestBlocks: [39])
        await chain.refuseRangesOver(4)
        let store = try await makeStore(kind)
        let steps = try await Self.catchUp(Self.watcher(chain, store, range: 16))
        #expect(steps.prefix(2) == [.rangeShrunk(newRange: 8), .rangeShrunk(newRange: 4)])
        #expect(try await store.jobs(in: [.observed], limit: 10).count == 1)
    }

    /// An undecodable log is retried (the endpoint may have lied), then skipped so the node never stalls.
    @Test(arguments: StoreKind.allCases) func malformedLogIsRetriedThenSkipped(_ kind: StoreKind) async throws {
        let chain = InMemoryChain(height: 5, requestBlocks: [2, 4])
        await chain.corruptLog(in: 2)
        let store = try await makeStore(kind)
        let watcher = Self.watcher(chain, store)
        for _ in 0..<3 {
            await #expect(throws: WatcherError.self) { try await watcher.step() }
            #expect(try await store.nextBlock() == nil, "nothing is committed while the log is retried")
        }
        #expect(try await watcher.step() == .scanned(range: 1...5, newJobs: 1, skippedLogs: 1))
    }
}

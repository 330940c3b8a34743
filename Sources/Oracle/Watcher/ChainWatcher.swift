import Ethereum

/// Follows the chain and turns the settlement contract's logs into jobs.
///
/// Each ``step()`` reads at most one bounded range of confirmed blocks and commits the jobs found with
/// the new cursor in one store transaction, so a crash never skips or repeats work. Before reading, it
/// compares the stored block hashes with the chain's and rewinds to the common ancestor on a reorg.
/// Ranges are read through ``CanonicalLogReader``: an endpoint that lags (an empty log answer for blocks
/// whose bloom shows events, a `null` block, a head below what was scanned) makes the step wait, never
/// skip or rewind.
package actor ChainWatcher {
    private let reader: any ChainReader
    private let logs: CanonicalLogReader
    private let interpreter: any LogInterpreter
    private let store: any JobStore
    private let settings: WatcherSettings
    private var logRange: UInt64
    private var malformedStrikes: (range: ClosedRange<UInt64>, count: Int)?

    /// The newest head seen, for the head-lag metric.
    package private(set) var lastHead: UInt64?
    /// Whether the last step got the head from the endpoint (it may have failed after, e.g. writing the store).
    package private(set) var answeredHead = false
    /// Consecutive steps that ended in ``WatchStep/notYet(_:)``.
    package private(set) var notYetStreak = 0

    package init(reader: any ChainReader, interpreter: any LogInterpreter, store: any JobStore, settings: WatcherSettings) {
        self.reader = reader
        self.logs = CanonicalLogReader(
            reader: reader, addresses: interpreter.addresses, eventTopics: interpreter.eventTopics,
            finalDepth: settings.finalDepth)
        self.interpreter = interpreter
        self.store = store
        self.settings = settings
        self.logRange = settings.maxLogRange
    }

    /// Reads one range (or handles one reorg) and reports what it did.
    package func step() async throws -> WatchStep {
        let step = try await advance()
        if case .notYet = step { notYetStreak += 1 } else { notYetStreak = 0 }
        return step
    }

    private func advance() async throws -> WatchStep {
        answeredHead = false
        let head = try await reader.headNumber()
        answeredHead = true
        lastHead = head
        switch try await logs.ancestry(
            of: try await store.recentBlocks(limit: Int(clamping: settings.finalDepth)), head: head,
            floor: settings.startBlock)
        {
        case .unchanged: break
        case .notYet(let reason): return .notYet(reason)
        case .reorganised(let ancestor): return .rewound(ancestor: ancestor, outcome: try await store.rewind(toAncestor: ancestor))
        }
        guard head >= settings.confirmations else { return .caughtUp(head: head) }
        let safeHead = head - settings.confirmations
        let next = try await store.nextBlock() ?? settings.startBlock
        guard next <= safeHead else { return .caughtUp(head: head) }
        let range = next...min(safeHead, next + logRange - 1)

        switch try await logs.read(range, head: head) {
        case .tooLarge:
            logRange = max(1, logRange / 2)
            return .rangeShrunk(newRange: logRange)
        case .notYet(let reason):
            return .notYet(reason)
        case .raced:
            return .raced
        case .logs(let found, let blocks):
            let (jobs, skipped) = try interpret(found, range: range)
            let inserted = try await store.commit(ScanBatch(blocks: blocks, jobs: jobs, nextBlock: range.upperBound + 1))
            logRange = min(settings.maxLogRange, logRange * 2)
            return .scanned(range: range, newJobs: inserted.count, skippedLogs: skipped)
        }
    }

    private func interpret(_ logs: [ChainLog], range: ClosedRange<UInt64>) throws -> (jobs: [Job], skipped: Int) {
        var jobs: [Job] = []
        var skipped = 0
        for log in logs {
            do {
                jobs += try interpreter.jobs(from: log)
            } catch {
                let strikes = malformedStrikes?.range == range ? (malformedStrikes?.count ?? 0) + 1 : 1
                malformedStrikes = (range, strikes)
                guard strikes > settings.malformedLogRetries else {
                    throw WatcherError.malformedLog(block: log.block.number, logIndex: log.logIndex, reason: "\(error)")
                }
                skipped += 1
            }
        }
        return (jobs, skipped)
    }
}

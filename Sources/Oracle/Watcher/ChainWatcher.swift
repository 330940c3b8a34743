import Ethereum

/// Follows the chain and turns the settlement contract's logs into jobs.
///
/// Each ``step()`` reads at most one bounded range of confirmed blocks and commits the jobs found with
/// the new cursor in one store transaction, so a crash never skips or repeats work. Before reading, it
/// compares the newest stored block hash with the chain's and rewinds to the common ancestor on a reorg.
public actor ChainWatcher {
    private let reader: any ChainReader
    private let interpreter: any LogInterpreter
    private let store: any JobStore
    private let settings: WatcherSettings
    private var logRange: UInt64
    private var malformedStrikes: (range: ClosedRange<UInt64>, count: Int)?

    /// The newest head seen, for the head-lag metric.
    public private(set) var lastHead: UInt64?

    public init(reader: any ChainReader, interpreter: any LogInterpreter, store: any JobStore, settings: WatcherSettings) {
        self.reader = reader
        self.interpreter = interpreter
        self.store = store
        self.settings = settings
        self.logRange = settings.maxLogRange
    }

    /// Reads one range (or handles one reorg) and reports what it did.
    public func step() async throws -> WatchStep {
        let head = try await reader.headNumber()
        lastHead = head
        if let rewind = try await rewindIfReorganised() { return rewind }
        guard head >= settings.confirmations else { return .caughtUp(head: head) }
        let safeHead = head - settings.confirmations
        let next = try await store.nextBlock() ?? settings.startBlock
        guard next <= safeHead else { return .caughtUp(head: head) }
        let range = next...min(safeHead, next + logRange - 1)

        let logs: [ChainLog]
        do {
            logs = try await reader.logs(addresses: interpreter.addresses, eventTopics: interpreter.eventTopics, in: range)
        } catch is any LogRangeTooLarge {
            logRange = max(1, logRange / 2)
            return .rangeShrunk(newRange: logRange)
        }
        let blocks = try await headers(for: range, head: head)
        let hashes = Dictionary(blocks.map { ($0.number, $0.hash) }, uniquingKeysWith: { first, _ in first })
        if logs.contains(where: { log in hashes[log.block.number].map { $0 != log.block.hash } ?? false }) {
            return .raced
        }
        let (jobs, skipped) = try interpret(logs, range: range)
        let inserted = try await store.commit(ScanBatch(blocks: blocks, jobs: jobs, nextBlock: range.upperBound + 1))
        logRange = min(settings.maxLogRange, logRange * 2)
        return .scanned(range: range, newJobs: inserted.count, skippedLogs: skipped)
    }

    /// Headers kept for reorg detection: every block of the range within the reorg window of the
    /// head, and always the range's last block.
    private func headers(for range: ClosedRange<UInt64>, head: UInt64) async throws -> [ScannedBlock] {
        let windowStart = head >= UInt64(settings.reorgWindow) ? head - UInt64(settings.reorgWindow) + 1 : 0
        let first = max(range.lowerBound, min(windowStart, range.upperBound))
        var blocks: [ScannedBlock] = []
        for number in first...range.upperBound {
            guard let block = try await reader.block(number) else { throw WatcherError.missingBlock(number) }
            blocks.append(block)
        }
        return blocks
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

    /// Compares stored block hashes, newest first, with the chain's; rewinds to the first that matches.
    private func rewindIfReorganised() async throws -> WatchStep? {
        let recent = try await store.recentBlocks(limit: settings.reorgWindow)
        guard let newest = recent.first else { return nil }
        if try await reader.block(newest.number)?.hash == newest.hash { return nil }
        for stored in recent.dropFirst() where try await reader.block(stored.number)?.hash == stored.hash {
            return .rewound(ancestor: stored.number, outcome: try await store.rewind(toAncestor: stored.number))
        }
        // Deeper than every kept hash: go back to before the oldest one and scan again from there.
        let oldest = recent[recent.count - 1].number
        let floor = max(oldest > 0 ? oldest - 1 : 0, settings.startBlock)
        return .rewound(ancestor: floor, outcome: try await store.rewind(toAncestor: floor))
    }
}

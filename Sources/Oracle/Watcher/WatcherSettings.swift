/// How the watcher reads the chain.
package struct WatcherSettings: Sendable, Equatable {
    /// Blocks a log must be below the head before jobs are created from it (0 acts on the head).
    package var confirmations: UInt64
    /// The widest `eth_getLogs` range; halved when a provider refuses, grown back as queries succeed.
    package var maxLogRange: UInt64
    /// Where a new store starts scanning (the contracts' deployment block).
    package var startBlock: UInt64
    /// The deepest reorg the watcher survives: the hashes of the scanned blocks this close to the head
    /// are kept and compared with the chain's.
    package var finalDepth: UInt64
    /// Scans of one range that may find an undecodable log before that log is skipped: the first
    /// failures are retried in case an endpoint lied; a log that never decodes must not stall the node.
    package var malformedLogRetries: Int

    package init(confirmations: UInt64, maxLogRange: UInt64, startBlock: UInt64, finalDepth: UInt64 = 64, malformedLogRetries: Int = 3) {
        self.confirmations = confirmations
        self.maxLogRange = maxLogRange
        self.startBlock = startBlock
        self.finalDepth = finalDepth
        self.malformedLogRetries = malformedLogRetries
    }
}

/// What one watcher step did.
package enum WatchStep: Equatable, Sendable {
    /// Nothing new below the confirmation depth.
    case caughtUp(head: UInt64)
    /// Scanned `range` and stored `newJobs` new jobs; `skippedLogs` logs never decoded and were skipped.
    case scanned(range: ClosedRange<UInt64>, newJobs: Int, skippedLogs: Int)
    /// Found a reorg and rewound to `ancestor`.
    case rewound(ancestor: UInt64, outcome: RewindOutcome)
    /// The provider refused the range as too large; the next step asks for `newRange` blocks.
    case rangeShrunk(newRange: UInt64)
    /// The chain moved while the range was being read (a log's block hash differs from its header);
    /// nothing was stored and the next step starts again.
    case raced
    /// The endpoint could not show what the step needs yet (a lagging backend: a `null` block, a head
    /// below the scanned blocks, an empty log answer for blocks whose bloom shows events); nothing was
    /// stored or rewound, and the next step asks again.
    case notYet(String)
}

/// Errors that stop a watcher step; the service retries after a pause.
package enum WatcherError: Error, Equatable, Sendable {
    /// A log did not decode; retried in case the endpoint lied, then skipped.
    case malformedLog(block: UInt64, logIndex: UInt64, reason: String)
}

import Ethereum

/// Reads a contract's logs so that neither a reorg nor a lagging endpoint makes a scanner skip one.
/// The watcher and the duty scanner both read through it, each with its own cursor and stored hashes.
///
/// - A log range is trusted only with the headers of its blocks that are within ``finalDepth`` of the
///   head (and always its last block): each header's logs bloom is compared with the answer, and a block
///   whose bloom may hold one of the events but for which the answer had none is read again from its
///   transactions' receipts. A load-balanced provider whose backend is behind answers `eth_getLogs` with
///   `[]` for blocks it does not have; the receipts of those blocks are then missing too, and the range
///   is read again later instead of being passed over. (A bloom's false positive costs one block's
///   receipts; it never stalls the scan.)
/// - A block the endpoint does not serve, or a head below blocks already scanned, means "not yet",
///   never a reorg: a real reorg shows another hash at a height the chain has reached.
/// - A reorg is found by comparing the stored hashes of the scanned blocks, newest first, with the
///   chain's; the scan goes back to the newest one that still matches.
package struct CanonicalLogReader: Sendable {
    let reader: any ChainReader
    let addresses: [Address]
    let eventTopics: [Bytes32]
    let finalDepth: UInt64

    package init(reader: any ChainReader, addresses: [Address], eventTopics: [Bytes32], finalDepth: UInt64) {
        self.reader = reader
        self.addresses = addresses
        self.eventTopics = eventTopics
        self.finalDepth = finalDepth
    }

    /// What reading a range gave.
    package enum RangeRead: Sendable {
        /// The range's logs in chain order, and the headers to store for reorg detection.
        case logs([ChainLog], blocks: [ScannedBlock])
        /// The provider refused the range as too large.
        case tooLarge
        /// The endpoint did not serve something the range needs yet; nothing may be stored.
        case notYet(String)
        /// The chain moved while the range was read (the logs and headers disagree).
        case raced
    }

    /// What comparing the stored hashes with the chain showed.
    package enum Ancestry: Equatable, Sendable {
        case unchanged
        /// The endpoint cannot show the stored blocks yet (lagging); ask again later.
        case notYet(String)
        /// Reorganised: go back to just after block `ancestor`.
        case reorganised(ancestor: UInt64)
    }

    /// Reads `range` (its last block at most `head`).
    package func read(_ range: ClosedRange<UInt64>, head: UInt64) async throws -> RangeRead {
        var logs: [ChainLog]
        do {
            logs = try await reader.logs(addresses: addresses, eventTopics: eventTopics, in: range)
        } catch is any LogRangeTooLarge {
            return .tooLarge
        }
        let windowStart = head >= finalDepth ? head - finalDepth + 1 : 0
        let first = max(range.lowerBound, min(windowStart, range.upperBound))
        var blocks: [ScannedBlock] = []
        for number in first...range.upperBound {
            guard let block = try await reader.block(number) else { return .notYet("the endpoint does not serve block \(number) yet") }
            if let previous = blocks.last, block.parentHash != previous.hash { return .raced }
            blocks.append(block)
        }
        let hashes = Dictionary(blocks.map { ($0.number, $0.hash) }, uniquingKeysWith: { first, _ in first })
        if logs.contains(where: { log in hashes[log.block.number].map { $0 != log.block.hash } ?? false }) { return .raced }
        let answered = Set(logs.map(\.block.number))
        for block in blocks where !answered.contains(block.number) && mayHoldEvents(block) {
            guard
                let fromReceipts = try await reader.receiptLogs(
                    of: BlockRef(number: block.number, hash: block.hash),
                    addresses: addresses, eventTopics: eventTopics)
            else {
                return .notYet("block \(block.number)'s bloom shows events the log query did not return, and its receipts are not served yet")
            }
            logs += fromReceipts
        }
        logs.sort { ($0.block.number, $0.logIndex) < ($1.block.number, $1.logIndex) }
        return .logs(logs, blocks: blocks)
    }

    /// Compares `recent` (stored hashes, newest first) with the chain as the endpoint at `head` shows it.
    /// A reorg deeper than every kept hash goes back to before the oldest one (not below `floor`).
    package func ancestry(of recent: [ScannedBlock], head: UInt64, floor: UInt64) async throws -> Ancestry {
        guard let newest = recent.first else { return .unchanged }
        guard newest.number <= head else {
            return .notYet("the endpoint's head \(head) is below block \(newest.number), which was already scanned")
        }
        for stored in recent {
            guard let current = try await reader.block(stored.number) else {
                return .notYet("the endpoint does not serve block \(stored.number)")
            }
            if current.hash == stored.hash {
                return stored.number == newest.number ? .unchanged : .reorganised(ancestor: stored.number)
            }
        }
        let oldest = recent[recent.count - 1].number
        return .reorganised(ancestor: max(oldest > 0 ? oldest - 1 : 0, floor))
    }

    /// Whether the block's bloom admits one of the addresses together with one of the event topics
    /// (false when the endpoint gave no bloom: nothing to check against).
    func mayHoldEvents(_ block: ScannedBlock) -> Bool {
        guard let bloom = block.logsBloom else { return false }
        return addresses.contains { bloom.mightContain($0.bytes) } && eventTopics.contains { bloom.mightContain($0.bytes) }
    }
}

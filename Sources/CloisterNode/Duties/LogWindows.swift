import Ethereum
import Oracle
import Synchronization

/// Log queries over block ranges that a provider may refuse as too large (``LogRangeTooLarge``): a
/// refused range is halved and asked again, down to one block, and the width that was accepted is kept
/// in ``span`` for the next query. The look-ups of a request's earlier events, the resampling after a
/// stake change and the money totals read through it (the scan itself reads through `CanonicalLogReader`
/// with the same span), so none of them stalls on a provider whose limit is below `chain.max_log_range`.
struct LogWindows: Sendable {
    let chain: any DutyChain
    let span: LogSpan

    /// Every log of `addresses` matching `topics` in `blocks`, in the order of the ranges read.
    func logs(_ addresses: [Address], topics: [[Bytes32]], in blocks: ClosedRange<UInt64>) async throws -> [ChainLog] {
        var found: [ChainLog] = []
        var lower = blocks.lowerBound
        while true {
            let (range, logs) = try await query(addresses, topics: topics) { width in lower...min(blocks.upperBound, lower + (width - 1)) }
            found += logs
            guard range.upperBound < blocks.upperBound else { return found }
            lower = range.upperBound + 1
        }
    }

    /// The last log of `addresses` matching `topics` at or before block `upper`, not below `floor`,
    /// reading back from `upper` one range at a time.
    func latest(_ addresses: [Address], topics: [[Bytes32]], through upper: UInt64, floor: UInt64) async throws -> ChainLog? {
        var upper = upper
        while upper >= floor {
            let (range, logs) = try await query(addresses, topics: topics) { width in
                max(floor, upper >= width ? upper - width + 1 : 0)...upper
            }
            if let found = logs.last { return found }
            guard range.lowerBound > floor else { return nil }
            upper = range.lowerBound - 1
        }
        return nil
    }

    /// One query of the range `range(width)` gives for the current width, halving the width while the
    /// provider refuses; a refused single block is thrown.
    private func query(
        _ addresses: [Address], topics: [[Bytes32]],
        range: (UInt64) -> ClosedRange<UInt64>
    ) async throws -> (ClosedRange<UInt64>, [ChainLog]) {
        while true {
            let blocks = range(span.width)
            do {
                return (blocks, try await chain.logs(addresses: addresses, topics: topics, in: blocks))
            } catch let refusal as any LogRangeTooLarge {
                guard blocks.count > 1 else { throw refusal }
                span.refused(UInt64(blocks.count))
            }
        }
    }
}

/// The widest log range the provider accepted lately, between 1 and `chain.max_log_range`: halved when
/// a range is refused, doubled again after each range the duty scanner reads (as the watcher's is).
final class LogSpan: Sendable {
    let maximum: UInt64
    private let current: Mutex<UInt64>

    init(maximum: UInt64) {
        self.maximum = max(maximum, 1)
        current = Mutex(max(maximum, 1))
    }

    var width: UInt64 { current.withLock { $0 } }

    /// A range of `blocks` blocks was refused: the next ones are at most half as wide.
    func refused(_ blocks: UInt64) {
        current.withLock { $0 = max(1, min($0, blocks / 2)) }
    }

    /// A range was read: the next may be twice as wide, up to the maximum.
    func widen() {
        current.withLock { $0 = $0 > maximum / 2 ? maximum : $0 * 2 }
    }
}

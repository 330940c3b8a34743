import Dispatch

/// Runs independent work items on a fixed number of threads. Items are split into contiguous
/// ranges, one per thread; no item's result depends on which thread runs it or when, so the
/// thread count changes speed only, never output bits.
struct ParallelRunner: Sendable {
    let threads: Int

    init(threads: Int) {
        self.threads = max(1, threads)
    }

    /// Calls `body` with disjoint ranges covering `0..<count`, concurrently when `threads > 1`.
    func forEachRange(_ count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let parts = min(threads, count)
        guard parts > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            body((count * part / parts)..<(count * (part + 1) / parts))
        }
    }
}

import Dispatch

/// Runs independent work items on a fixed number of threads: the caller and a `WorkerTeam`, or
/// Dispatch's threads while another caller holds the team. Items are split into contiguous
/// ranges, one per part; no item's result depends on which thread runs it or when, so the
/// thread count changes speed only, never output bits.
struct ParallelRunner: Sendable {
    let threads: Int
    /// `threads − 1` workers that stay awake between steps; nil for one thread.
    private let team: WorkerTeam?

    /// One part of a parallel step: the part's index among `count` parts and its items.
    struct Part {
        let index: Int
        let count: Int
        let items: Range<Int>

        /// This part's share of `total` other items (e.g. rows), split as the items are.
        func share(of total: Int) -> Range<Int> {
            (total * index / count)..<(total * (index + 1) / count)
        }
    }

    init(threads: Int) {
        self.threads = max(1, threads)
        team = self.threads > 1 ? WorkerTeam(workers: self.threads - 1) : nil
    }

    /// Calls `body` with disjoint ranges covering `0..<count`, concurrently when `threads > 1`.
    func forEachRange(_ count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        forEachPart(count) { body($0.items) }
    }

    /// Calls `body` with `min(threads, count)` parts whose items cover `0..<count`, concurrently
    /// when there are several; returns when every part has finished.
    func forEachPart(_ count: Int, _ body: @Sendable (Part) -> Void) {
        let parts = min(threads, count)
        guard parts > 1 else {
            if count > 0 { body(Part(index: 0, count: 1, items: 0..<count)) }
            return
        }
        let part = { @Sendable (index: Int) in
            Part(index: index, count: parts, items: (count * index / parts)..<(count * (index + 1) / parts))
        }
        if let team, team.run(parts: parts, { body(part($0)) }) { return }
        DispatchQueue.concurrentPerform(iterations: parts) { body(part($0)) }
    }
}

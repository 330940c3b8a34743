/// Whether the submitter sends the results that are ready now, or holds them a little so that they leave
/// together shortly before the next block.
///
/// The dispatcher signs a burst of requests a few results at a time and rings the submitter after each
/// round. Sent at once, every round would be a transaction of its own, each paying the base cost of a
/// transaction and taking a nonce, although they all land in the same next block. On a chain that builds
/// blocks on a clock (2 s on OP-stack chains, 12 s on Ethereum) the pacer learns the rhythm from the heads
/// the submitter sees, and lets a partial batch wait while more results are still being computed — but
/// never past `lead` before the next block is due. So the batch is whatever is ready when the block is
/// about to be built, not a fixed wait.
///
/// Results go at once when there is a full batch, when nothing more is being computed (a lone request is
/// never held), and whenever the rhythm is unknown or irregular (automine, a stalled sequencer, a reorg,
/// a head missed): holding needs the next block's time, and a wrong guess must cost a batch's gas, never a
/// block of latency.
package struct BlockPacer: Sendable, Equatable {
    /// How many recent head arrivals the rhythm is read from.
    static let window = 8
    /// The most the gaps between heads may differ from their median, in percent, for the rhythm to count.
    static let jitterPercent: Int64 = 25

    /// The least time before the expected block at which held results are sent.
    package var minimumLead: Duration
    /// Arrival times of consecutive heads, oldest first.
    private var arrivals: [ContinuousClock.Instant] = []
    private var lastHead: UInt64?

    package init(minimumLead: Duration = .milliseconds(500)) {
        self.minimumLead = minimumLead
    }

    /// Notes the head a pass saw at `instant`. Only a head one above the last continues the rhythm; any
    /// other change (a skipped head, a reorg to a lower one) starts learning it again.
    package mutating func observe(head: UInt64, at instant: ContinuousClock.Instant) {
        guard head != lastHead else { return }
        if let last = lastHead, head == last + 1 {
            arrivals.append(instant)
            if arrivals.count > Self.window { arrivals.removeFirst(arrivals.count - Self.window) }
        } else {
            arrivals = [instant]
        }
        lastHead = head
    }

    /// The time between blocks, when the last heads came at a steady rhythm (at least four of them).
    package var blockInterval: Duration? {
        guard arrivals.count >= 4 else { return nil }
        let gaps = zip(arrivals, arrivals.dropFirst()).map { $1 - $0 }.sorted()
        let median = gaps[gaps.count / 2]
        guard median > .zero, let first = gaps.first, let last = gaps.last else { return nil }
        let allowed = median * Int(Self.jitterPercent) / 100
        return median - first <= allowed && last - median <= allowed ? median : nil
    }

    /// When held results must go: `lead` before the block expected after the last head, where the lead is
    /// a quarter of the block interval or `minimumLead`, whichever is longer. Nil when the rhythm is unknown.
    package var sendPoint: ContinuousClock.Instant? {
        guard let interval = blockInterval, let last = arrivals.last else { return nil }
        return last + interval - max(interval / 4, minimumLead)
    }

    /// Whether a partial batch may wait at `now`: only while more results are being computed and the
    /// send point of the coming block is still ahead.
    package func mayHold(moreComing: Bool, now: ContinuousClock.Instant) -> Bool {
        guard moreComing, let sendPoint else { return false }
        return now < sendPoint
    }
}

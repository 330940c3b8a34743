extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64.min` and `Int64.max` (what NIO's
    /// `TimeAmount`, `Task.sleep` and rate arithmetic take). The one conversion the package's modules share.
    package var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, sumOverflow) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !sumOverflow else { return attoseconds < 0 ? .min : .max }
        return total
    }
}

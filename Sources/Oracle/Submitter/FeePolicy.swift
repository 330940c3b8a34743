import Ethereum

/// EIP-1559 fees within the configured caps.
struct FeePolicy {
    let settings: SubmitterSettings

    /// Fees for a new transaction: the quoted tip (capped) and room for the base fee to double.
    func fees(for quote: FeeQuote) -> (maxFee: UInt256, priority: UInt256)? {
        let priority = min(quote.priorityFee, settings.maxPriorityFeePerGas)
        guard quote.baseFee + priority <= settings.maxFeePerGas else { return nil }
        let wanted = (try? quote.baseFee.multiplied(by: 2).adding(priority)) ?? .max
        return (min(wanted, settings.maxFeePerGas), priority)
    }

    /// Fees for a replacement: both raised by the bump (nodes refuse less than 10%), at least the
    /// fees a new transaction would get now, and never above the caps. Nil when the caps leave no room.
    func replacementFees(previousMaxFee: UInt256, previousPriority: UInt256, quote: FeeQuote) -> (maxFee: UInt256, priority: UInt256)? {
        let bumpedFee = bump(previousMaxFee), bumpedPriority = bump(previousPriority)
        let fresh = fees(for: quote)
        let priority = max(bumpedPriority, fresh?.priority ?? 0)
        let maxFee = max(bumpedFee, fresh?.maxFee ?? 0, priority)
        guard maxFee <= settings.maxFeePerGas, priority <= settings.maxPriorityFeePerGas else { return nil }
        return (maxFee, priority)
    }

    /// The gas limit for an estimate, with the configured margin.
    func gasLimit(estimate: UInt64) -> UInt64 {
        let (product, overflow) = estimate.multipliedReportingOverflow(by: 100 + settings.gasMarginPercent)
        return overflow ? .max : product / 100
    }

    private func bump(_ value: UInt256) -> UInt256 {
        let bumped = (try? value.multiplied(by: UInt256(100 + settings.feeBumpPercent))).map { $0 / 100 } ?? .max
        // A zero or tiny fee must still rise by at least one wei.
        return max(bumped, (try? value.adding(1)) ?? .max)
    }
}

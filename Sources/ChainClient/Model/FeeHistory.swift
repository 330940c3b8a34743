import Ethereum

/// `eth_feeHistory`: base fees, fullness and priority-fee percentiles of recent blocks.
public struct FeeHistory: Hashable, Sendable {
    public let oldestBlock: UInt64
    /// One per block, plus the base fee of the block after the newest.
    public let baseFeePerGas: [UInt256]
    /// Gas used over gas limit, one per block, each in 0…1.
    public let gasUsedRatio: [Double]
    /// Per block, the priority fee at each requested percentile (empty when none were requested).
    public let reward: [[UInt256]]
}

extension FeeHistory {
    /// The next block's base fee (the last entry of `baseFeePerGas`).
    public var nextBaseFee: UInt256 { baseFeePerGas.last ?? .zero }

    /// The median of the first requested percentile over the blocks, at least `minimum` (so a quiet chain
    /// still includes transactions quickly): the one tip heuristic of the node and the client.
    public func medianTip(atLeast minimum: UInt256 = UInt256(1_000_000_000)) -> UInt256 {
        let tips = reward.compactMap(\.first).sorted()
        return max(tips.isEmpty ? .zero : tips[tips.count / 2], minimum)
    }

    init(reader: JSONFieldReader, blockCount: UInt64, percentileCount: Int) throws(InvalidResponse) {
        oldestBlock = try reader.member("oldestBlock").uint64()
        var ratios: [Double] = []
        for element in try reader.member("gasUsedRatio").elements() {
            let ratio = try element.number()
            guard (0...1).contains(ratio) else { throw .outOfRange(field: element.path) }
            ratios.append(ratio)
        }
        gasUsedRatio = ratios
        guard ratios.count <= blockCount else {
            throw .inconsistent(field: reader.path + ".gasUsedRatio", reason: "more blocks than asked for")
        }
        var fees: [UInt256] = []
        for element in try reader.member("baseFeePerGas").elements() {
            fees.append(try element.quantity())
        }
        guard fees.count == ratios.count + 1 || (ratios.isEmpty && fees.isEmpty) else {
            throw .inconsistent(field: reader.path + ".baseFeePerGas", reason: "not one more base fee than blocks")
        }
        baseFeePerGas = fees
        reward = try Self.rewards(reader: reader, blocks: ratios.count, percentileCount: percentileCount)
    }

    private static func rewards(
        reader: JSONFieldReader, blocks: Int,
        percentileCount: Int
    ) throws(InvalidResponse) -> [[UInt256]] {
        guard percentileCount > 0, blocks > 0 else { return [] }
        let rows = try reader.member("reward").elements()
        guard rows.count == blocks else {
            throw .inconsistent(field: reader.path + ".reward", reason: "not one row per block")
        }
        var result: [[UInt256]] = []
        for row in rows {
            let cells = try row.elements()
            guard cells.count == percentileCount else {
                throw .inconsistent(field: row.path, reason: "not one reward per percentile")
            }
            var values: [UInt256] = []
            for cell in cells { values.append(try cell.quantity()) }
            result.append(values)
        }
        return result
    }
}

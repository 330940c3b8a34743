import Ethereum
import Testing
@testable import ChainClient

/// The one tip heuristic the node and the client share: the median reward, never below the floor.
@Suite struct FeeHistoryTipTests {
    static func history(rewards: [[UInt64]], baseFees: [UInt64]) -> FeeHistory {
        FeeHistory(
            oldestBlock: 1, baseFeePerGas: baseFees.map { UInt256($0) }, gasUsedRatio: rewards.map { _ in 0.5 },
            reward: rewards.map { $0.map { UInt256($0) } })
    }

    @Test func theMedianRewardAboveTheFloorAndTheNextBaseFee() {
        let gwei: UInt64 = 1_000_000_000
        let busy = Self.history(rewards: [[5 * gwei], [2 * gwei], [9 * gwei], [3 * gwei]], baseFees: [7, 8, 9, 10, 11])
        #expect(busy.medianTip() == UInt256(5 * gwei), "the upper median of four")
        #expect(busy.nextBaseFee == UInt256(11))
        let quiet = Self.history(rewards: [[1], [0], [2]], baseFees: [1, 1, 1, 1])
        #expect(quiet.medianTip() == UInt256(gwei), "a quiet chain still pays the floor")
        #expect(Self.history(rewards: [], baseFees: []).medianTip(atLeast: UInt256(3)) == UInt256(3))
        #expect(Self.history(rewards: [], baseFees: []).nextBaseFee == .zero)
    }
}

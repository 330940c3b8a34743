import Ethereum
import Testing
@testable import CloisterClient

/// The core's `params()` as the node and the client decode it, and the deadline a request is sent with.
@Suite struct ProtocolParametersTests {
    /// `params()` return data: the contract's defaults (contracts/lib/config.vy) unless changed.
    static func returnData(count: Int = 20, _ changes: [Int: UInt64] = [:]) -> [UInt8] {
        let defaults: [UInt256] = [
            UInt256(1_000_000_000_000_000_000), 100, 150, 3_600, UInt256(100_000_000_000_000_000), 3, 3_600, 2, 5_000, 1_000,
            100, 500, 1_000, 86_400, 259_200, 4_096, 500_000, 2_592_000, 120, 1_000_000_000
        ]
        var words = Array(defaults.prefix(count))
        for (index, value) in changes { words[index] = UInt256(value) }
        return ABI.encode(words.map(ABIValue.uint))
    }

    static func parameters(_ changes: [Int: UInt64] = [:]) throws -> ProtocolParameters {
        try ProtocolParameters(returnData: returnData(changes))
    }

    @Test func decodesTwentyWordsWithTheGasPriceLast() throws {
        let parameters = try Self.parameters()
        #expect(parameters.minStake == UInt256(1_000_000_000_000_000_000))
        #expect(parameters.absentSlashBps == 1_000)
        #expect(parameters.verifierFeeBps == 1_000)
        #expect(parameters.maxDeadline == 86_400)
        #expect(parameters.minResponseTime == 120)
        #expect(parameters.maxInputBytes == 4_096)
        #expect(parameters.maxCallbackGas == 500_000)
        #expect(try Self.parameters([15: 8_192]).maxInputBytes == 8_192)
        #expect(try Self.parameters([18: 45]).minResponseTime == 45)
        #expect(parameters.gasPrice == UInt256(1_000_000_000))
        #expect(try Self.parameters([19: 7]).gasPrice == UInt256(7))
        // The nineteen words of a core before gasPrice do not decode as parameters.
        #expect(throws: ABIError.self) { try ProtocolParameters(returnData: Self.returnData(count: 19)) }
    }

    @Test func theDefaultDeadlineIsTenMinutesUnlessTheMinimumIsLonger() throws {
        let now: UInt64 = 1_900_000_000
        #expect(try Requester.deadline(requestedSeconds: nil, now: now, parameters: Self.parameters()) == now + 600)
        #expect(try Requester.deadline(requestedSeconds: nil, now: now, parameters: Self.parameters([18: 900])) == now + 960)
        #expect(
            try Requester.deadline(requestedSeconds: nil, now: now, parameters: Self.parameters([13: 300, 18: 120])) == now + 300,
            "never beyond maxDeadline")
    }

    @Test func aDeadlineBelowTheMinimumIsRefusedAndOneAtItIsPaddedForInclusion() throws {
        let now: UInt64 = 1_900_000_000
        let parameters = try Self.parameters()
        #expect(throws: RequestError.deadlineTooShort(requested: 119, minimum: 120)) {
            try Requester.deadline(requestedSeconds: 119, now: now, parameters: parameters)
        }
        #expect(try Requester.deadline(requestedSeconds: 120, now: now, parameters: parameters) == now + 120 + Requester.inclusionMargin)
        #expect(try Requester.deadline(requestedSeconds: 150, now: now, parameters: parameters) == now + 180)
        #expect(try Requester.deadline(requestedSeconds: 181, now: now, parameters: parameters) == now + 181, "longer deadlines are kept as asked")
        #expect(try Requester.deadline(requestedSeconds: 86_400, now: now, parameters: parameters) == now + 86_400)
        #expect(throws: RequestError.deadlineTooLong(requested: 86_401, maximum: 86_400)) {
            try Requester.deadline(requestedSeconds: 86_401, now: now, parameters: parameters)
        }
        #expect(RequestError.deadlineTooShort(requested: 60, minimum: 120).description.contains("minimum response time of 120 s"))
    }
}

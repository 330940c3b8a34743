import ChainClient
import CloisterClient
import Ethereum

/// The arbiter's `disputes(id)` as the keeper needs it.
struct DisputeView: Sendable {
    let openedBlock: UInt64
    /// Unix time until which the jury may vote; 0 before the jury is drawn.
    let deadline: UInt64
    let rounds: UInt64
    let jurors: [UInt256]
    let votes: [Bytes32]
    let resolved: Bool

    /// Seats whose juror has not voted (replaced jurors leave 0 in their seat until redrawn).
    var absentSeats: [Int] {
        jurors.indices.filter { jurors[$0] != .zero && votes[$0] == .zero }
    }

    init(returnData: [UInt8]) throws(ABIError) {
        let fields = try ArbiterContract.disputes.decodeResult(returnData)[0].asElements()
        openedBlock = try fields[8].asUInt().uint64 ?? .max
        deadline = try fields[9].asUInt().uint64 ?? .max
        rounds = try fields[10].asUInt().uint64 ?? .max
        jurors = try fields[11].asElements().map { value throws(ABIError) in try value.asUInt() }
        votes = try fields[12].asElements().map { value throws(ABIError) in try value.asBytes32() }
        resolved = try fields[14].asBool()
    }

    static func read(_ id: Bytes32, client: ChainClient, arbiter: Address) async throws -> DisputeView {
        try DisputeView(returnData: try await client.call(CallRequest(to: arbiter, data: try ArbiterContract.disputes.encodeCall([.bytes32(id)]))))
    }
}

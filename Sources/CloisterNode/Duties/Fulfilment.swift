import Foundation
import Ethereum

/// The `Fulfilment` struct the core hashes with a request once it is answered:
/// `(outputCommitment, fulfilledBlock, fulfilledAt, state, verifier)`.
struct Fulfilment: Hashable, Sendable, Codable {
    /// `Fulfilment.state` values in the contract.
    enum State: Int, Sendable, Codable {
        case fulfilled = 1, verified, disputed, upheld, overturned
    }

    var commitment: Bytes32
    var block: UInt64
    var fulfilledAt: UInt64
    var state: State
    /// The node that confirmed the result, or 0.
    var verifier: UInt256

    var tuple: ABIValue {
        .tuple([.bytes32(commitment), .uint(UInt256(block)), .uint(UInt256(fulfilledAt)), .uint(UInt256(UInt64(state.rawValue))), .uint(verifier)])
    }
}

/// What a duty job carries besides its request, as JSON in `Job.context`.
struct DutyContext: Hashable, Sendable, Codable {
    /// The result being verified or challenged (for a juror, the result as it was disputed).
    var fulfilment: Fulfilment
    /// A juror's seat in the dispute.
    var seat: Int?

    func encoded() -> [UInt8] {
        Array((try? JSONEncoder.sorted.encode(self)) ?? Data())
    }

    init(fulfilment: Fulfilment, seat: Int? = nil) {
        self.fulfilment = fulfilment
        self.seat = seat
    }

    init(decoding bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(DutyContext.self, from: Data(bytes))
    }
}

extension JSONEncoder {
    /// Keys in a fixed order, so equal values encode to equal bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}

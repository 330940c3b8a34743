import CloisterClient
import Ethereum
import Foundation

/// The `Fulfilment` struct the core hashes with a request once it is answered:
/// `(outputCommitment, fulfilledBlock, fulfilledAt, state, verifier, status, paramsVersion)`.
struct Fulfilment: Hashable, Sendable, Codable {
    /// The status of a result whose executor could not open its wrap of the envelope ("decryption
    /// failed"). For an encrypted request such a result is never sampled nor challenged by nodes: only
    /// the requester can dispute it, with `proveWrap`.
    static let decryptionFailed: UInt64 = 3

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
    /// The status the executor posted (0 for an output, an error code otherwise).
    var status: UInt64
    /// The protocol parameter set in force when the result was fulfilled (the core's `paramsAt`): its
    /// windows, fee split, jury and slashes, whatever the owner changed since.
    var paramsVersion: UInt64

    init(commitment: Bytes32, block: UInt64, fulfilledAt: UInt64, state: State, verifier: UInt256, status: UInt64, paramsVersion: UInt64) {
        self.commitment = commitment
        self.block = block
        self.fulfilledAt = fulfilledAt
        self.state = state
        self.verifier = verifier
        self.status = status
        self.paramsVersion = paramsVersion
    }

    var tuple: ABIValue {
        .tuple([
            .bytes32(commitment), .uint(UInt256(block)), .uint(UInt256(fulfilledAt)), .uint(UInt256(UInt64(state.rawValue))), .uint(verifier),
            .uint(UInt256(status)), .uint(UInt256(paramsVersion))
        ])
    }

    /// Whether this is a "decryption failed" answer to an encrypted request (`recipients` non-empty):
    /// never verified nor challenged by nodes.
    func isDecryptionFailure(of request: PendingRequest) -> Bool {
        status == Self.decryptionFailed && !request.recipients.isEmpty
    }

    private enum CodingKeys: String, CodingKey {
        case commitment, block, fulfilledAt, state, verifier, status, paramsVersion
    }

    /// Job contexts stored before the status field decode with status 0, before the parameter version
    /// with the deployment's set (1).
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        commitment = try container.decode(Bytes32.self, forKey: .commitment)
        block = try container.decode(UInt64.self, forKey: .block)
        fulfilledAt = try container.decode(UInt64.self, forKey: .fulfilledAt)
        state = try container.decode(State.self, forKey: .state)
        verifier = try container.decode(UInt256.self, forKey: .verifier)
        status = try container.decodeIfPresent(UInt64.self, forKey: .status) ?? 0
        paramsVersion = try container.decodeIfPresent(UInt64.self, forKey: .paramsVersion) ?? 1
    }
}

/// What a duty job carries besides its request, as JSON in `Job.context`.
struct DutyContext: Hashable, Sendable, Codable {
    /// The result being verified or challenged (for a juror, the result as it was disputed).
    var fulfilment: Fulfilment
    /// A juror's seat in the dispute.
    var seat: Int?
    /// A challenge's bond: the `challengeBond` of the parameter set the result was fulfilled under.
    var bond: UInt256?

    func encoded() -> [UInt8] {
        Array((try? JSONEncoder.sorted.encode(self)) ?? Data())
    }

    init(fulfilment: Fulfilment, seat: Int? = nil, bond: UInt256? = nil) {
        self.fulfilment = fulfilment
        self.seat = seat
        self.bond = bond
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

import CloisterClient
import Ethereum
import Oracle

/// The arbiter's `disputes(id)` as the keeper needs it.
struct DisputeView: ABIDecodable, Sendable {
    static var abiTypes: [ABIType] { ArbiterContract.disputes.outputs }

    /// The node that opened the dispute: a challenger with a bond, or the sampled verifier that disagreed.
    let challenger: UInt256
    /// The challenger's bond; 0 when a sampled verifier opened the dispute.
    let bond: UInt256
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
        self = try ArbiterContract.disputes.decodeResult(returnData, as: DisputeView.self)
    }

    /// `(model, inputHash, recipientsHash, executor, executorCommitment, challenger, challengerCommitment, bond,
    /// openedBlock, deadline, rounds, jurors, votes, winner, resolved, paramsVersion)`, one tuple.
    init(abiValues: [ABIValue]) throws(ABIError) {
        guard let record = abiValues.first else { throw .unexpectedKind(expected: "the disputes tuple") }
        let fields = try record.asElements()
        challenger = try fields[5].asUInt()
        bond = try fields[7].asUInt()
        openedBlock = try fields[8].asUInt().uint64 ?? .max
        deadline = try fields[9].asUInt().uint64 ?? .max
        rounds = try fields[10].asUInt().uint64 ?? .max
        jurors = try fields[11].asElements().map { value throws(ABIError) in try value.asUInt() }
        votes = try fields[12].asElements().map { value throws(ABIError) in try value.asBytes32() }
        resolved = try fields[14].asBool()
    }

    /// The job whose signed result node `nodeID` delivers with `deliverCorrected`: the arbiter checks its
    /// signature for the role the node played in the dispute (challenge with a bond, verification without
    /// one, otherwise a vote), so a node holding results in several roles must send that one.
    func deliveringRole(of nodeID: UInt256) -> JobRole {
        guard challenger == nodeID else { return .juror }
        return bond > .zero ? .challenger : .verifier
    }
}

import CloisterClient
import Ethereum
import Oracle

/// An event of the core or the arbiter, decoded by its declaration (``ContractEvent/event``) into a
/// value with named fields.
protocol ContractEvent: ABIDecodable {
    static var event: ABIEvent { get }
}

extension ContractEvent {
    static var abiTypes: [ABIType] { event.parameters.map(\.type) }

    init(_ log: ChainLog) throws(ABIError) {
        try self.init(abiValues: Self.event.decodeLog(topics: log.topics, data: log.data))
    }
}

/// The events the duty scanner follows, decoded.
enum DutyEvent: Sendable {
    case fulfilled(FulfilledEvent)
    case verified(VerifiedEvent)
    case disputeOpened(DisputeOpenedEvent)
    case jurorsDrawn(JurorsDrawnEvent)
    case disputeResolved(DisputeResolvedEvent)
    /// `Settled` or `CorrectedDelivered`: nothing is left to do for the result `id`.
    case ended(id: Bytes32)
    case slashed(SlashedEvent)
    case credited(CreditedEvent)
    /// A stake, status or registration changed: the weights verifiers are drawn by.
    case stakesChanged

    static let coreEvents = [
        CloisterContract.fulfilled, CloisterContract.settled, CloisterContract.slashed, CloisterContract.credited,
        CloisterContract.stakeChanged, CloisterContract.nodeStatusChanged, CloisterContract.nodeRegistered
    ]
    static let arbiterEvents = [
        ArbiterContract.verified, ArbiterContract.disputeOpened, ArbiterContract.jurorsDrawn,
        ArbiterContract.disputeResolved, ArbiterContract.correctedDelivered
    ]
    /// The events that change the stake weights the arbiter draws verifiers by.
    static let stakeTopics: Set<Bytes32> = [
        CloisterContract.stakeChanged.topic, CloisterContract.nodeStatusChanged.topic,
        CloisterContract.nodeRegistered.topic
    ]

    /// The event `log` holds, or nil for a log of another event.
    init?(_ log: ChainLog) throws(ABIError) {
        guard let topic = log.topics.first else { return nil }
        switch topic {
        case FulfilledEvent.event.topic: self = .fulfilled(try FulfilledEvent(log))
        case VerifiedEvent.event.topic: self = .verified(try VerifiedEvent(log))
        case DisputeOpenedEvent.event.topic: self = .disputeOpened(try DisputeOpenedEvent(log))
        case JurorsDrawnEvent.event.topic: self = .jurorsDrawn(try JurorsDrawnEvent(log))
        case DisputeResolvedEvent.event.topic: self = .disputeResolved(try DisputeResolvedEvent(log))
        case ResultEnded.settled.topic, ResultEnded.correctedDelivered.topic: self = .ended(id: try ResultEnded(log).id)
        case SlashedEvent.event.topic: self = .slashed(try SlashedEvent(log))
        case CreditedEvent.event.topic: self = .credited(try CreditedEvent(log))
        case _ where Self.stakeTopics.contains(topic): self = .stakesChanged
        default: return nil
        }
    }
}

/// `Fulfilled`: a result posted, with the fulfilment the core hashed at that moment.
struct FulfilledEvent: ContractEvent {
    static var event: ABIEvent { CloisterContract.fulfilled }
    let id: Bytes32
    let executor: UInt256
    let status: UInt256
    let commitment: Bytes32
    let fulfilledAt: UInt256
    let paramsVersion: UInt256

    init(abiValues: [ABIValue]) throws(ABIError) {
        id = try abiValues[0].asBytes32()
        executor = try abiValues[1].asUInt()
        status = try abiValues[2].asUInt()
        commitment = try abiValues[3].asBytes32()
        fulfilledAt = try abiValues[4].asUInt()
        paramsVersion = try abiValues[7].asUInt()
    }

    /// The fulfilment as the core hashed it in block `block`: state FULFILLED, no verifier, the posted
    /// status, the parameter set in force.
    func fulfilment(block: UInt64) -> Fulfilment {
        Fulfilment(
            commitment: commitment, block: block, fulfilledAt: fulfilledAt.uint64 ?? 0, state: .fulfilled, verifier: .zero,
            status: status.uint64 ?? .max, paramsVersion: paramsVersion.uint64 ?? .max)
    }
}

/// `Verified`: the sampled verifier agreed.
struct VerifiedEvent: ContractEvent {
    static var event: ABIEvent { ArbiterContract.verified }
    let id: Bytes32
    let verifier: UInt256

    init(abiValues: [ABIValue]) throws(ABIError) {
        id = try abiValues[0].asBytes32()
        verifier = try abiValues[1].asUInt()
    }
}

/// `DisputeOpened`: a challenger (or a disagreeing verifier) disputes the result with its own commitment.
struct DisputeOpenedEvent: ContractEvent {
    static var event: ABIEvent { ArbiterContract.disputeOpened }
    let id: Bytes32
    let challenger: UInt256
    let challengerCommitment: Bytes32

    init(abiValues: [ABIValue]) throws(ABIError) {
        id = try abiValues[0].asBytes32()
        challenger = try abiValues[2].asUInt()
        challengerCommitment = try abiValues[4].asBytes32()
    }
}

/// `JurorsDrawn`: a dispute's jury (0 in the seats not drawn again) and its voting deadline.
struct JurorsDrawnEvent: ContractEvent {
    static var event: ABIEvent { ArbiterContract.jurorsDrawn }
    let id: Bytes32
    let jurors: [UInt256]
    let deadline: UInt256

    init(abiValues: [ABIValue]) throws(ABIError) {
        id = try abiValues[0].asBytes32()
        jurors = try abiValues[1].asElements().map { value throws(ABIError) in try value.asUInt() }
        deadline = try abiValues[2].asUInt()
    }
}

/// `DisputeResolved`: the winning commitment and whether the executor lost.
struct DisputeResolvedEvent: ContractEvent {
    static var event: ABIEvent { ArbiterContract.disputeResolved }
    let id: Bytes32
    let winner: Bytes32
    let executorLost: Bool

    init(abiValues: [ABIValue]) throws(ABIError) {
        id = try abiValues[0].asBytes32()
        winner = try abiValues[1].asBytes32()
        executorLost = try abiValues[2].asBool()
    }
}

/// `Settled` (core) or `CorrectedDelivered` (arbiter): both name the request first.
struct ResultEnded: ContractEvent {
    static let settled = CloisterContract.settled
    static let correctedDelivered = ArbiterContract.correctedDelivered
    static var event: ABIEvent { settled }
    let id: Bytes32

    init(abiValues: [ABIValue]) throws(ABIError) {
        id = try abiValues[0].asBytes32()
    }

    init(_ log: ChainLog) throws(ABIError) {
        let event = log.topics.first == Self.correctedDelivered.topic ? Self.correctedDelivered : Self.settled
        try self.init(abiValues: event.decodeLog(topics: log.topics, data: log.data))
    }
}

/// `Slashed`: stake taken from a node.
struct SlashedEvent: ContractEvent {
    static var event: ABIEvent { CloisterContract.slashed }
    let node: UInt256
    let amount: UInt256

    init(abiValues: [ABIValue]) throws(ABIError) {
        node = try abiValues[0].asUInt()
        amount = try abiValues[1].asUInt()
    }
}

/// `Credited`: wei the core now owes an account, and why.
struct CreditedEvent: ContractEvent {
    static var event: ABIEvent { CloisterContract.credited }
    let account: Address
    let amount: UInt256
    let reason: UInt256

    init(abiValues: [ABIValue]) throws(ABIError) {
        account = try abiValues[0].asAddress()
        amount = try abiValues[1].asUInt()
        reason = try abiValues[2].asUInt()
    }
}

extension DutyReport {
    /// Counts `event` when it concerns this node (`nodeID`) or its operator.
    mutating func count(_ event: SlashedEvent, nodeID: UInt256) {
        if event.node == nodeID { slashed(event.amount) }
    }

    mutating func count(_ event: CreditedEvent, operatorAddress: Address) {
        if event.account == operatorAddress, let reason = event.reason.uint64 { credit(event.amount, reasonCode: reason) }
    }
}

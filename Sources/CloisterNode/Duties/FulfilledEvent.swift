import ChainClient
import CloisterClient
import Ethereum
import Oracle

/// A `Fulfilled` log as the duty scanner reads it: the request, its executor, and the fulfilment the
/// core hashed at that moment (state FULFILLED, no verifier, the posted status, the parameter set in force).
struct FulfilledEvent: Sendable {
    let id: Bytes32
    let executor: UInt256
    let fulfilment: Fulfilment

    init(_ log: ChainLog) throws(ABIError) {
        let values = try CloisterContract.fulfilled.decodeLog(topics: log.topics, data: log.data)
        id = try values[0].asBytes32()
        executor = try values[1].asUInt()
        fulfilment = Fulfilment(commitment: try values[3].asBytes32(), block: log.block.number,
                                fulfilledAt: try values[4].asUInt().uint64 ?? 0, state: .fulfilled, verifier: .zero,
                                status: try values[2].asUInt().uint64 ?? .max, paramsVersion: try values[7].asUInt().uint64 ?? .max)
    }
}

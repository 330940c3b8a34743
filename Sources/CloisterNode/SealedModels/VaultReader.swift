import CloisterClient
import Ethereum
import Oracle

/// The model vault as the node reads it, through the duties' chain port (`DutyChain`, implemented by
/// `RPCChain`): a sealed model's record, the key wrapped to an enclave, the epoch a private request was
/// made under, and enclaves' key requests.
struct VaultReader: Sendable {
    let chain: any DutyChain
    let vault: Address

    func model(_ model: Bytes32) async throws -> VaultModel {
        try VaultModel(returnData: try await chain.call(to: vault, data: try ModelVaultContract.models.encodeCall([.bytes32(model)])))
    }

    /// The model key of `epoch` wrapped to `signer`'s enclave, or nil when nobody has published it yet.
    func wrappedKey(_ model: Bytes32, epoch: UInt256, signer: Address) async throws -> [UInt8]? {
        let data = try ModelVaultContract.wrappedKey.encodeCall([.bytes32(model), .uint(epoch), .address(signer)])
        let wrapped = try ABI.decode([.bytes], from: try await chain.call(to: vault, data: data))[0].asBytes()
        return wrapped.isEmpty ? nil : wrapped
    }

    /// Who made private request `id` through the vault and under which key epoch; nil if the vault did not make it.
    func privateRequest(_ id: Bytes32) async throws -> (requester: Address, epoch: UInt256)? {
        let data = try ModelVaultContract.privateRequests.encodeCall([.bytes32(id)])
        let values = try ABI.decode([.address, .uint(bits: 256)], from: try await chain.call(to: vault, data: data))
        let requester = try values[0].asAddress()
        return requester == .zero ? nil : (requester, try values[1].asUInt())
    }

    /// The enclaves that asked for the keys of `models` in `range` (`KeyRequested`), oldest first.
    /// Read in ranges the provider accepts (`LogWindows`).
    func keyRequests(for models: [Bytes32], in range: ClosedRange<UInt64>, span: LogSpan) async throws -> [KeyRequest] {
        guard !models.isEmpty else { return [] }
        let logs = try await LogWindows(chain: chain, span: span).logs(
            [vault], topics: [[ModelVaultContract.keyRequested.topic], models], in: range)
        return try logs.map { log in
            let values = try ModelVaultContract.keyRequested.decodeLog(topics: log.topics, data: log.data)
            return KeyRequest(
                model: try values[0].asBytes32(), signer: try values[1].asAddress(), publicKey: try values[2].asBytes(),
                expiry: try values[4].asUInt(), block: log.block.number, transactionHash: log.transactionHash)
        }
    }
}

/// An enclave's request for a model key, as the vault logged it after checking its attestation.
struct KeyRequest: Sendable, Equatable {
    let model: Bytes32
    let signer: Address
    /// The enclave key, `x ‖ y`.
    let publicKey: [UInt8]
    let expiry: UInt256
    let block: UInt64
    /// The `enroll` transaction: its calldata holds the quote and proof the vault checked.
    let transactionHash: Bytes32
}

import CloisterClient
import Enclave
import Foundation
import Ethereum
import Logging
import Oracle
import ServiceLifecycle

/// Passes the keys of the sealed models this node holds on to the enclaves the vault admits, so that a
/// model's owner need not stay online: for every `KeyRequested` the vault logged for a model whose
/// current key this enclave holds, and that nobody has answered yet, the enclave wraps the key to the
/// requesting enclave's public key, signs the wrap (`KeyWrap`, EIP-712 under the vault's domain) and the
/// node sends `publishKey` through the submitter. The vault accepts it only from a current holder and
/// only for an enrolled, attested enclave of a workload the model allows; the wrap opens only in that
/// enclave.
struct KeyHolderService: Service {
    let holder: KeyHolder
    let state: NodeState
    let interval: Duration
    let logger: Logger

    func run() async throws {
        guard await holder.holdsAny else { return }
        await PollingLoop(name: "key holder", interval: interval, logger: logger, state: state).run {
            for (model, enclave, outcome) in try await holder.pass() {
                switch outcome {
                case .submitted(.sent):
                    logger.info("model key passed on", metadata: ["model": "\(model)", "enclave": "\(enclave)"])
                case .submitted(.wouldRevert(let reason)):
                    logger.warning("model key not passed on", metadata: ["model": "\(model)", "enclave": "\(enclave)", "reason": "\(reason)"])
                case .refused(let refusal):
                    logger.warning(
                        "model key withheld: the enclave's own check of the requester failed",
                        metadata: ["model": "\(model)", "enclave": "\(enclave)", "reason": "\(refusal)"])
                case .submitted(.notRecorded), .submitted(.stopped):
                    break
                }
            }
            return false
        }
    }
}

/// One pass at a time over the vault's key requests (see ``KeyHolderService``): what has been read of the
/// vault's log, and the requests not answered yet.
actor KeyHolder {
    let models: [ServedSealedModel]
    let vault: VaultReader
    let keyring: EnclaveKeyring
    let submitter: Submitter
    let chainID: UInt64
    let span: LogSpan
    /// The enclave's own check of each requesting enclave (the host could forge the log).
    let recipients: RecipientCheck
    private var cursor: UInt64
    /// The latest request of each (model, enclave) not yet answered, by "model:signer".
    private var open: [String: KeyRequest] = [:]

    /// What became of one key request.
    enum Outcome: Sendable {
        /// Wrapped, signed and handed to the submitter, which says how it went.
        case submitted(CallOutcome)
        /// Withheld: the enclave's own check of the requester failed.
        case refused(RecipientRefusal)
    }

    init(
        models: [ServedSealedModel], vault: VaultReader, keyring: EnclaveKeyring, submitter: Submitter, chainID: UInt64, startBlock: UInt64,
        span: LogSpan, recipients: RecipientCheck
    ) {
        self.recipients = recipients
        self.models = models
        self.vault = vault
        self.keyring = keyring
        self.submitter = submitter
        self.chainID = chainID
        self.span = span
        cursor = startBlock
    }

    var holdsAny: Bool { !models.isEmpty }

    /// Reads the key requests logged since the last pass and answers each that is still due: the requesting
    /// enclave's attestation has not expired, this node holds the model's current key, nobody has
    /// published that enclave's wrap yet, and the enclave's own check of its quote passes. Returns what
    /// became of each.
    func pass() async throws -> [(model: Bytes32, enclave: Address, outcome: Outcome)] {
        guard let head = try await vault.chain.latestBlock() else { return [] }
        if head.number >= cursor {
            for request in try await vault.keyRequests(for: models.map(\.id), in: cursor...head.number, span: span) {
                open["\(request.model.hex):\(request.signer)"] = request
            }
            cursor = head.number + 1
        }
        let pending = try await submitter.pendingPurposes()
        var outcomes: [(model: Bytes32, enclave: Address, outcome: Outcome)] = []
        for (name, request) in open.sorted(by: { $0.key < $1.key }) {
            guard let model = models.first(where: { $0.id == request.model }) else { continue }
            if request.expiry <= UInt256(head.timestamp) {
                open[name] = nil
                continue
            }
            // Only the current epoch's key is passed on: after a rotation the owner wraps the new one first.
            let entry = try await vault.model(model.id)
            guard entry.epoch == model.epoch else { continue }
            if try await vault.wrappedKey(model.id, epoch: model.epoch, signer: request.signer) != nil {
                open[name] = nil
                continue
            }
            let purpose = "publishKey:\(name)"
            guard !pending.contains(purpose) else { continue }
            open[name] = nil
            do { try await recipients.verify(request, listed: entry.workloads, at: Date()) } catch {
                if case .chain = error { open[name] = request }  // asked again next pass
                outcomes.append((model.id, request.signer, .refused(error)))
                continue
            }
            outcomes.append((model.id, request.signer, .submitted(try await publish(model, to: request, purpose: purpose))))
        }
        return outcomes
    }

    private func publish(_ model: ServedSealedModel, to request: KeyRequest, purpose: String) async throws -> CallOutcome {
        let signed = try await keyring.wrapModelKey(
            model.key, to: try ModelKeyWrap.recipientKey(request.publicKey), model: model.id, epoch: model.epoch,
            domain: ModelKeyWrapClaim.domain(chainID: chainID, vault: vault.vault))
        let data = try ModelVaultContract.publishKey.encodeCall([
            .bytes32(model.id), .uint(model.epoch), .address(signed.recipient), .bytes(signed.wrapped), .address(signed.holder),
            .uint(UInt256(UInt64(signed.signature.v))), .bytes32(signed.signature.r), .bytes32(signed.signature.s)
        ])
        return try await submitter.submit(OutgoingCall(to: vault.vault, data: data, purpose: purpose))
    }
}

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
        // A service that returns ends the whole group: with nothing to hold, wait for the shutdown instead.
        guard await holder.holdsAny else { return try await gracefulShutdown() }
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
                case .rotated(let epoch):
                    logger.notice("model key rotated: this enclave holds the new epoch's key", metadata: ["model": "\(model)", "epoch": "\(epoch)"])
                case .rotationRefused(let error):
                    logger.error("model key of a new epoch not taken", metadata: ["model": "\(model)", "reason": "\(error)"])
                case .submitted(.notRecorded), .submitted(.stopped):
                    break
                }
            }
            return false
        }
    }
}

/// One pass at a time over the vault's key requests (see ``KeyHolderService``): what has been read of the
/// vault's log, every enclave that asked, and which of them hold each epoch's key.
actor KeyHolder {
    let models: [ServedSealedModel]
    let keys: SealedModelKeys
    let vault: VaultReader
    let keyring: EnclaveKeyring
    let submitter: Submitter
    let chainID: UInt64
    let span: LogSpan
    /// The enclave's own check of each requesting enclave (the host could forge the log).
    let recipients: RecipientCheck
    /// Loads a later epoch's key after a rotation (checked against that epoch's sealed file).
    let loader: SealedModelLoader
    private var cursor: UInt64
    /// The latest request of each (model, enclave), by "model:signer": kept after it is answered, since a
    /// rotation needs every enrolled enclave answered again under the new epoch.
    private var known: [String: KeyRequest] = [:]
    /// "model:epoch:signer" of the enclaves that hold that epoch's key (answered here or by someone else),
    /// or that will not be answered (expired, refused by the enclave's own check).
    private var done: Set<String> = []
    /// "model:epoch" of later epochs whose key was refused, reported once.
    private var refusedEpochs: Set<String> = []

    /// What became of one key request, or of a rotation.
    enum Outcome: Sendable {
        /// Wrapped, signed and handed to the submitter, which says how it went.
        case submitted(CallOutcome)
        /// Withheld: the enclave's own check of the requester failed.
        case refused(RecipientRefusal)
        /// The vault rotated the model's key and this enclave now holds the new epoch's (checked against its file).
        case rotated(epoch: UInt256)
        /// The new epoch's key wrapped to this enclave does not open the epoch's file: not taken.
        case rotationRefused(SealedModelLoadError)
    }

    init(
        models: [ServedSealedModel], keys: SealedModelKeys, vault: VaultReader, keyring: EnclaveKeyring, submitter: Submitter, chainID: UInt64,
        startBlock: UInt64, span: LogSpan, recipients: RecipientCheck, loader: SealedModelLoader
    ) {
        self.models = models
        self.keys = keys
        self.vault = vault
        self.keyring = keyring
        self.submitter = submitter
        self.chainID = chainID
        self.span = span
        self.recipients = recipients
        self.loader = loader
        cursor = startBlock
    }

    var holdsAny: Bool { !models.isEmpty }

    /// Reads the key requests logged since the last pass; takes a rotated model's new key once the owner (or
    /// a holder) wrapped it to this enclave; then answers, under each model's current epoch, every enclave
    /// that asked and does not hold that epoch's key yet — if its attestation has not expired and the
    /// enclave's own check of its quote passes. Returns what became of each.
    func pass() async throws -> [(model: Bytes32, enclave: Address, outcome: Outcome)] {
        guard let head = try await vault.chain.latestBlock() else { return [] }
        if head.number >= cursor {
            for request in try await vault.keyRequests(for: models.map(\.id), in: cursor...head.number, span: span) {
                known["\(request.model.hex):\(request.signer)"] = request
            }
            cursor = head.number + 1
        }
        let me = await keyring.signer
        let pending = try await submitter.pendingPurposes()
        var outcomes: [(model: Bytes32, enclave: Address, outcome: Outcome)] = []
        for model in models {
            let entry = try await vault.model(model.id)
            guard var held = await keys.newest(model.id) else { continue }
            if entry.epoch > held.epoch {
                // Only the current epoch's key is passed on: after a rotation the owner wraps the new one first. A wrap
                // that did not open the epoch's file is not tried again (the vault keeps the first wrap).
                guard !refusedEpochs.contains("\(model.id.hex):\(entry.epoch)"),
                    try await vault.wrappedKey(model.id, epoch: entry.epoch, signer: me) != nil
                else { continue }
                do {
                    let next = try await loader.key(ofCurrentEpochOf: model.id)
                    await keys.add(next.key, model: model.id, epoch: next.epoch)
                    held = next
                    outcomes.append((model.id, me, .rotated(epoch: next.epoch)))
                } catch {
                    if case .unreadable = error { continue }  // the vault or the file could not be read: next pass
                    if refusedEpochs.insert("\(model.id.hex):\(entry.epoch)").inserted {
                        await keys.refuse(model.id, epoch: entry.epoch)
                        outcomes.append((model.id, me, .rotationRefused(error)))
                    }
                    continue
                }
            }
            guard held.epoch == entry.epoch else { continue }
            for (_, request) in known.sorted(by: { $0.key < $1.key }) where request.model == model.id {
                let name = "\(model.id.hex):\(held.epoch):\(request.signer)"
                guard !done.contains(name) else { continue }
                if request.expiry <= UInt256(head.timestamp) || request.signer == me {
                    done.insert(name)
                    continue
                }
                if try await vault.wrappedKey(model.id, epoch: held.epoch, signer: request.signer) != nil {
                    done.insert(name)
                    continue
                }
                let purpose = "publishKey:\(name)"
                guard !pending.contains(purpose) else { continue }
                do { try await recipients.verify(request, listed: entry.workloads, at: Date()) } catch {
                    if case .chain = error {} else { done.insert(name) }  // a chain read is asked again next pass
                    outcomes.append((model.id, request.signer, .refused(error)))
                    continue
                }
                done.insert(name)
                outcomes.append(
                    (model.id, request.signer, .submitted(try await publish(held.key, epoch: held.epoch, model: model.id, to: request, purpose: purpose))))
            }
        }
        return outcomes
    }

    private func publish(_ key: ModelKey, epoch: UInt256, model: Bytes32, to request: KeyRequest, purpose: String) async throws -> CallOutcome {
        let signed = try await keyring.wrapModelKey(
            key, to: try ModelKeyWrap.recipientKey(request.publicKey), model: model, epoch: epoch,
            domain: ModelKeyWrapClaim.domain(chainID: chainID, vault: vault.vault))
        let data = try ModelVaultContract.publishKey.encodeCall([
            .bytes32(model), .uint(epoch), .address(signed.recipient), .bytes(signed.wrapped), .address(signed.holder),
            .uint(UInt256(UInt64(signed.signature.v))), .bytes32(signed.signature.r), .bytes32(signed.signature.s)
        ])
        return try await submitter.submit(OutgoingCall(to: vault.vault, data: data, purpose: purpose))
    }
}

import CloisterClient
import Enclave
import Ethereum
import Inference
import InferenceHTTP
import Logging
import Oracle
import Secp256k1

/// Executes requests inside the enclave: opens the envelope of a confidential request, runs the engine,
/// encrypts the output to the requester, commits to it and signs the result with the registered key.
///
/// The signature binds the result to this node and to the call the job's role posts it in (protocol v2,
/// ``ResultClaim``), so a verifier's, challenger's or juror's stored result is also what it delivers
/// with `deliverCorrected`.
///
/// A request the node cannot serve because of the requester becomes a signed error result; only a
/// fault of the node itself (an expired attestation, a signing failure) is thrown, to be retried.
package struct EnclaveJobExecutor: JobExecutor {
    let keyring: EnclaveKeyring
    let runner: any TaskRunner
    /// The embedded LLM (`models.llm_file`), if this node serves it.
    let llm: (any LLMTaskRunner)?
    /// Models served by OpenAI-compatible servers (`[llm]`), besides the engine's.
    let completions: [any CompletionBackend]
    /// Sealed models (`models.sealed`) and the vault that names them.
    private(set) var sealed = SealedModels()
    let chainID: UInt64
    /// The oracle contract (EIP-712 verifying contract and envelope context).
    let contract: Address
    let registration: CurrentRegistration
    let now: @Sendable () -> UInt64
    let logger: Logger

    package init(
        keyring: EnclaveKeyring, runner: any TaskRunner, llm: (any LLMTaskRunner)? = nil, completions: [any CompletionBackend],
        chainID: UInt64, contract: Address, registration: CurrentRegistration, now: @escaping @Sendable () -> UInt64, logger: Logger
    ) {
        self.keyring = keyring
        self.runner = runner
        self.llm = llm
        self.completions = completions
        self.chainID = chainID
        self.contract = contract
        self.registration = registration
        self.now = now
        self.logger = logger
    }

    /// The same executor serving `sealed` as well.
    func serving(_ sealed: SealedModels) -> EnclaveJobExecutor {
        var executor = self
        executor.sealed = sealed
        return executor
    }

    package func execute(_ job: Job) async throws(NodeFault) -> SignedResult {
        let request: PendingRequest
        do { request = try PendingRequest(stored: job.request) } catch {
            throw NodeFault(reason: "the stored request \(job.key.requestID) does not decode: \(error)")
        }
        let registration = await registration.value
        guard registration.expiry > now() else {
            throw NodeFault(reason: "the enclave's attestation expired at \(registration.expiry); renew it with `cloister node register --renew`")
        }
        let posted = try await post(request)
        if let code = posted.errorCode {
            logger.info("error result", metadata: ["request_id": "\(request.id)", "status": "\(code.rawValue)", "reason": "\(posted.message ?? "")"])
        }
        let status = posted.errorCode?.rawValue ?? 0
        let claim = ResultClaim(
            requestID: request.id, node: registration.nodeID, role: ResultRole(job.key.role), model: request.model,
            inputHash: Keccak256.hash(request.input), status: status, output: posted.output,
            outputCommitment: posted.commitment, attestationDigest: registration.attestationDigest)
        let signature: MessageSignature
        do {
            signature = try await keyring.sign(claim, domain: ResultClaim.domain(chainID: chainID, contract: contract))
        } catch {
            throw NodeFault(reason: "the enclave could not sign the result of \(request.id): \(error)")
        }
        let result = JobResult(
            output: posted.output, errorCode: UInt16(status), commitment: posted.commitment,
            attestationDigest: registration.attestationDigest, attestationExpiry: registration.expiry)
        return SignedResult(result: result, signature: signature.bytes)
    }

    /// What goes on chain for `request`: the output (or error message) and its commitment. Only a
    /// fault of the node (a model server that is down or overloaded) is thrown, to be retried.
    private func post(_ request: PendingRequest) async throws(NodeFault) -> PostedResult {
        var salt: CommitmentSalt?
        var outputKey: PublicKey?
        do {
            let route = try route(for: request.model)
            var payload = request.input
            if !request.recipients.isEmpty {
                let opened = try await open(request)
                payload = opened.opened.payload
                salt = opened.opened.commitmentSalt
                outputKey = opened.outputKey
            }
            let output: [UInt8]
            switch route {
            case .engine(let task): output = try await infer(task: task, payload: payload)
            case .llm(let runner, let task): output = try await infer(runner, task: task, payload: payload)
            case .completion(let backend): output = try await complete(backend, payload: payload)
            case .sealed(let model): output = try await infer(model, request: request, payload: payload)
            }
            return try PostedResult.success(output, request: request, salt: salt, outputKey: outputKey, context: outputContext(request))
        } catch let rejection as RequestRejection {
            return PostedResult.failure(rejection, request: request, salt: salt, outputKey: outputKey, context: outputContext(request))
        } catch let fault as NodeFault {
            throw fault
        } catch {
            throw NodeFault(reason: "executing \(request.id) failed: \(error)")
        }
    }

    /// Where a model's outputs come from.
    private enum Route {
        case engine(InferenceTask)
        case llm(any LLMTaskRunner, LLMTask)
        case completion(any CompletionBackend)
        case sealed(ServedSealedModel)
    }

    private func route(for model: Bytes32) throws(RequestRejection) -> Route {
        if let served = sealed.served[model] { return .sealed(served) }
        if let backend = completions.first(where: { $0.modelID == model }) { return .completion(backend) }
        if let llm, let task = llm.identity.task(forModelID: model) { return .llm(llm, task) }
        do { return .engine(try runner.identity.task(forModelID: model)) } catch {
            throw RequestRejection(code: .unsupportedModel, message: "model \(model) is not served by this node")
        }
    }

    /// The canonical completion of the prompt in `payload`; a server that is down or overloaded is a
    /// node fault (retried), a server that refuses or garbles this request gives an error result.
    private func complete(_ backend: any CompletionBackend, payload: [UInt8]) async throws -> [UInt8] {
        let input: PromptInput
        do { input = try PromptInput(abiEncoded: payload) } catch {
            switch error {
            case .inputTooLarge, .promptTooLarge: throw RequestRejection(code: .inputTooLong, message: "\(error)")
            case .malformed, .emptyPrompt: throw RequestRejection(code: .invalidInput, message: "\(error)")
            }
        }
        do {
            return try await backend.complete(input.prompt).canonicalBytes
        } catch {
            if error.isRetryable { throw NodeFault(reason: "the model server did not answer: \(error)") }
            throw RequestRejection(code: .modelError, message: "the model server's answer was refused: \(error)")
        }
    }

    /// Opens the request's envelope. Only a failure of this enclave's own wrap (not a recipient, or the
    /// unwrapped key does not match the commitment) is "decryption failed" (status 3): the requester can
    /// refute that claim on chain (`proveWrap`), and the arbiter neither samples nor lets nodes dispute it.
    /// Every other rejection (malformed bytes, a header bound to another request or output key, a payload
    /// that does not authenticate, an output key that is not a point) is the same for every recipient, so it
    /// is "invalid input" (status 1), verified by re-execution like any result; answering 3 there would let
    /// a requester whose wraps all open have an honest node slashed through `proveWrap`.
    private func open(_ request: PendingRequest) async throws(RequestRejection) -> (opened: OpenedEnvelope, outputKey: PublicKey) {
        let outputKey: PublicKey
        do { outputKey = try PublicKey(bytes: request.outputKey) } catch {
            throw RequestRejection(code: .invalidInput, message: "the request's output key is not a secp256k1 public key")
        }
        let context = EnvelopeContext(chainID: chainID, contract: contract, requester: request.requester, outputKey: outputKey)
        do {
            return (try await keyring.open(request.input, expecting: context).opened, outputKey)
        } catch {
            switch error {
            case .notARecipient, .keyCommitmentMismatch:
                throw RequestRejection(code: .decryptionFailed, message: "envelope rejected: \(error)")
            default:
                throw RequestRejection(code: .invalidInput, message: "envelope rejected: \(error)")
            }
        }
    }

    private func infer(task: InferenceTask, payload: [UInt8]) async throws(RequestRejection) -> [UInt8] {
        try await run(runner, task: task, payload: payload)
    }

    /// `task` on `runner` (MiniLM: the public weights or a sealed model's), its refusals as the protocol's statuses.
    private func run(_ runner: any TaskRunner, task: InferenceTask, payload: [UInt8]) async throws(RequestRejection) -> [UInt8] {
        let input: TaskInput
        do { input = try TaskInput(task: task, abiEncoded: payload) } catch {
            throw RequestRejection(code: .invalidInput, message: "\(error)")
        }
        switch await runner.run(input) {
        case .success(let output):
            return output.abiEncoded
        case .failure(let error):
            switch error {
            case .inputTooLarge: throw RequestRejection(code: .inputTooLong, message: "\(error)")
            case .emptyInput, .invalidLabels, .malformedInput, .unknownTask: throw RequestRejection(code: .invalidInput, message: "\(error)")
            case .unknownModel: throw RequestRejection(code: .unsupportedModel, message: "\(error)")
            case .modelFileUnreadable, .invalidTokenizer, .invalidWeights, .weightsHashMismatch, .tokenizerHashMismatch:
                throw RequestRejection(code: .modelError, message: "\(error)")
            }
        }
    }

    /// A sealed model's output: the engine over its decrypted weights and, when its policy says so, the
    /// differentially private release keyed by the model key of the epoch the request was made under.
    /// A private model answers only requests the vault made (`requestPrivate`, which charged the
    /// requester's budget): any other is refused with status 5, so going around the vault gains nothing.
    private func infer(_ model: ServedSealedModel, request: PendingRequest, payload: [UInt8]) async throws -> [UInt8] {
        guard let policy = model.policy else { return try await run(model.runner, task: model.task, payload: payload) }
        guard let vault = sealed.vault, request.requester == vault.vault else {
            throw RequestRejection(
                code: .unsupportedModel, message: "model \(model.id) releases private outputs only to requests made through the model vault's requestPrivate")
        }
        let made: (requester: Address, epoch: UInt256)?
        do { made = try await vault.privateRequest(request.id) } catch {
            throw NodeFault(reason: "the model vault could not be read for request \(request.id): \(error)")
        }
        guard let made else {
            throw RequestRejection(code: .unsupportedModel, message: "the model vault has no record of private request \(request.id)")
        }
        guard let key = await sealed.keys.key(model.id, epoch: made.epoch) else {
            // A newer epoch's key is on its way (the holder takes it once it is wrapped to this enclave): try again.
            if let newest = await sealed.keys.newest(model.id)?.epoch, made.epoch > newest, await !sealed.keys.isRefused(model.id, epoch: made.epoch) {
                throw NodeFault(reason: "request \(request.id) was made under key epoch \(made.epoch) of model \(model.id); this enclave holds epoch \(newest) so far")
            }
            throw RequestRejection(
                code: .unsupportedModel,
                message: "request \(request.id) was made under key epoch \(made.epoch) of model \(model.id), which this node does not hold")
        }
        let exact = try await run(model.runner, task: model.task, payload: payload)
        do {
            return try PrivateRelease.noisedOutput(
                exact, task: model.task, policy: policy, modelKey: key, requestID: request.id, inputHash: Keccak256.hash(request.input))
        } catch {
            throw RequestRejection(code: .modelError, message: "the private release failed: \(error)")
        }
    }

    /// The embedded LLM's canonical output for `payload`; every refusal is the requester's (the model file
    /// was checked when the node started).
    private func infer(_ llm: any LLMTaskRunner, task: LLMTask, payload: [UInt8]) async throws(RequestRejection) -> [UInt8] {
        let input: LLMTaskInput
        do { input = try LLMTaskInput(task: task, abiEncoded: payload) } catch {
            throw RequestRejection(code: .invalidInput, message: "\(error)")
        }
        switch await llm.run(input) {
        case .success(let output):
            return output.abiEncoded
        case .failure(let error):
            switch error {
            case .promptTooLong: throw RequestRejection(code: .inputTooLong, message: "\(error)")
            case .emptyPrompt, .invalidMaxTokens, .emptyCompletion, .noCompletions, .tooManyCompletions, .tooManyStopStrings, .malformedInput:
                throw RequestRejection(code: .invalidInput, message: "\(error)")
            case .model, .unreadable, .modelHashMismatch:
                throw RequestRejection(code: .modelError, message: "\(error)")
            }
        }
    }

    private func outputContext(_ request: PendingRequest) -> OutputContext {
        OutputContext(chainID: chainID, contract: contract, requestID: request.id)
    }
}

extension ResultRole {
    /// The call a job's result is posted in: `fulfil` for the executor, `verify`, `challenge` or `vote` at the arbiter.
    init(_ role: JobRole) {
        switch role {
        case .executor: self = .execute
        case .verifier: self = .verify
        case .challenger: self = .challenge
        case .juror: self = .vote
        }
    }
}

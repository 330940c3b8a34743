import ChainClient
import Enclave
import Ethereum
import Secp256k1

/// The dApp side of Cloister from an account: send a request (plaintext, or sealed to nodes the
/// caller has verified), then wait for the result, decrypt it and check it against its commitment.
public struct Requester: Sendable {

    let client: RPCClient
    let deployment: Deployment
    let key: PrivateKey

    public init(client: RPCClient, deployment: Deployment, key: PrivateKey) {
        self.client = client
        self.deployment = deployment
        self.key = key
    }

    /// How long a request gives its node when the caller does not say, in seconds (raised to the
    /// protocol's minimum if that is longer).
    public static let defaultDeadlineSeconds: UInt64 = 600
    /// Added to the protocol's `minResponseTime` when a deadline is at (or just above) it: the deadline is
    /// computed from the head's timestamp, and the request is mined in a later block, which the contract
    /// measures the minimum from.
    public static let inclusionMargin: UInt64 = 60

    /// The requester's address (`msg.sender` of the request).
    public var address: Address { Address(publicKey: key.publicKey) }

    /// Sends a plaintext request paying the model's fee; the node is drawn among all that serve the model.
    /// `deadlineSeconds` is how long the node has to answer (nil: ``defaultDeadlineSeconds``); see
    /// ``deadline(requestedSeconds:now:parameters:)`` for how it meets the protocol's bounds.
    public func submit(model: Bytes32, input: [UInt8], options: RequestOptions = RequestOptions()) async throws -> SubmittedRequest {
        try await send(model: model, input: input, outputKey: [], recipients: [], options: options, secrets: nil)
    }

    /// Seals `input` to `recipients` (nodes the caller has verified, see ``AttestationCheck``) with a fresh
    /// output key, and sends it; the executor is drawn among the recipients.
    ///
    /// With `keepWrapSecrets` the per-recipient ephemeral secrets come back in
    /// ``SubmittedRequest/wrapSecrets``: they prove on chain that a node's wrap was good if it answers
    /// "decryption failed", and they decrypt the input. Otherwise they are released here.
    public func submitConfidential(
        model: Bytes32, input: [UInt8], recipients: [RegisteredNode],
        options: RequestOptions = RequestOptions(), keepWrapSecrets: Bool = false
    ) async throws -> SubmittedRequest {
        guard !recipients.isEmpty else { throw RequestError.noRecipients }
        let outputKey = PrivateKey()
        // A private request is made by the vault, so the core (and the enclave) see the vault as its requester.
        let requester = options.isPrivate ? try vaultAddress() : address
        let context = EnvelopeContext(chainID: deployment.chainID, contract: deployment.core, requester: requester, outputKey: outputKey.publicKey)
        let sealed = try EnvelopeSealer(context: context).seal(input, for: recipients.map(\.publicKey))
        var submitted = try await send(
            model: model, input: sealed.envelope.bytes, outputKey: outputKey.publicKey.compressed,
            recipients: recipients.map(\.id), options: options,
            secrets: RequestSecrets(outputKey: outputKey, commitmentSalt: sealed.commitmentSalt))
        if keepWrapSecrets {
            submitted.wrapSecrets = WrapSecretsFile(requestID: submitted.id, nodes: recipients.map(\.id), secrets: sealed.wrapSecrets)
        }
        return submitted
    }

    /// Waits for the request's `Fulfilled` event, then decrypts the output (confidential requests) and
    /// checks it against the commitment the enclave signed.
    public func result(of submitted: SubmittedRequest, timeout: Duration = .seconds(300)) async throws -> RequestResult {
        let topic = [[CloisterContract.fulfilled.topic], [submitted.id]]
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < timeout {
            let logs = try await client.getLogs(
                LogFilter(
                    addresses: [deployment.core], topics: topic,
                    range: .blocks(from: .number(submitted.block), to: .latest)))
            if let log = logs.first(where: { !$0.removed }) {
                let values = try CloisterContract.fulfilled.decodeLog(topics: log.topics, data: log.data)
                guard let status = try values[2].asUInt().uint64.flatMap(UInt8.init(exactly:)) else { throw RequestError.malformedResult }
                return try RequestResult(
                    status: status, posted: try values[6].asBytes(), commitment: try values[3].asBytes32(),
                    callbackOk: try values[5].asBool(), request: submitted, deployment: deployment)
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        throw RequestError.timedOut(submitted.id)
    }

    /// The deadline (Unix time) of a request computed at `now` (the head's timestamp), `requestedSeconds`
    /// from now (nil: ``defaultDeadlineSeconds``) within the core's bounds:
    /// - asking for less than `minResponseTime` or more than `maxDeadline` is an error (the contract would
    ///   refuse the request), rather than a deadline the caller did not choose;
    /// - a deadline less than ``inclusionMargin`` above `minResponseTime` is raised to that, so it still
    ///   qualifies in the later block the request is mined in;
    /// - the default is raised to the minimum (plus the margin) when the protocol requires more.
    /// Nothing is ever set beyond `maxDeadline`.
    public static func deadline(requestedSeconds: UInt64?, now: UInt64, parameters: ProtocolParameters) throws(RequestError) -> UInt64 {
        let minimum = parameters.minResponseTime, maximum = parameters.maxDeadline
        if let requestedSeconds {
            guard requestedSeconds >= minimum else { throw .deadlineTooShort(requested: requestedSeconds, minimum: minimum) }
            guard requestedSeconds <= maximum else { throw .deadlineTooLong(requested: requestedSeconds, maximum: maximum) }
        }
        let floor = minimum.addingReportingOverflow(inclusionMargin)
        let wanted = max(requestedSeconds ?? defaultDeadlineSeconds, floor.overflow ? .max : floor.partialValue)
        let seconds = min(wanted, maximum)
        let (deadline, overflow) = now.addingReportingOverflow(seconds)
        guard !overflow else { throw .deadlineTooLong(requested: seconds, maximum: maximum) }
        return deadline
    }

    private func send(
        model: Bytes32, input: [UInt8], outputKey: [UInt8], recipients: [UInt256], options: RequestOptions,
        secrets: RequestSecrets?
    ) async throws -> SubmittedRequest {
        _ = try await modelFee(model)
        let parameters = try await client.parameters(in: deployment)
        // Checked here, before any fee is paid: the core would only say "execution reverted".
        guard input.count <= parameters.maxInputBytes else {
            throw RequestError.inputTooLarge(bytes: input.count, limit: parameters.maxInputBytes, sealed: secrets != nil)
        }
        let callbackGas = options.callback == nil ? 0 : options.callbackGas
        guard callbackGas <= parameters.maxCallbackGas else {
            throw RequestError.callbackGasTooHigh(requested: callbackGas, maximum: parameters.maxCallbackGas)
        }
        let required = try await requestFee(model, callbackGas: callbackGas)
        let fee = options.fee ?? required
        guard fee >= required else { throw RequestError.feeTooLow(offered: fee, required: required) }
        guard let head = try await client.getBlock(.latest) else { throw RequestError.malformedResult }
        let deadline = try Self.deadline(requestedSeconds: options.deadlineSeconds, now: head.timestamp, parameters: parameters)
        let arguments: [ABIValue] = [
            .bytes32(model), .bytes(input), .address(options.callback ?? .zero),
            .uint(UInt256(callbackGas)), .uint(UInt256(deadline)), .bytes(outputKey),
            .array(recipients.map(ABIValue.uint))
        ]
        let target: Address
        let calldata: [UInt8]
        if options.isPrivate {
            // Through the vault, which charges the requester's privacy budget and makes the request.
            target = try vaultAddress()
            let entry = try await client.vaultModel(model, vault: target)
            guard let policy = entry.policy else { throw RequestError.notPrivate(model) }
            let remaining = try await client.remainingBudget(model, requester: address, vault: target)
            guard remaining >= UInt256(policy.epsilonMicros) else {
                throw RequestError.budgetExhausted(model, remainingMicros: remaining, costMicros: policy.epsilonMicros)
            }
            calldata = try ModelVaultContract.requestPrivate.encodeCall(arguments)
        } else {
            target = deployment.core
            calldata = try CloisterContract.request.encodeCall(arguments)
        }
        let logs = try await OneShotTransaction(client: client, chainID: deployment.chainID, key: key)
            .send(to: target, data: calldata, value: fee)
        guard let log = logs.first(where: { $0.address == deployment.core && $0.topics.first == CloisterContract.requested.topic }),
            log.topics.count == 4
        else { throw RequestError.malformedResult }
        return SubmittedRequest(id: log.topics[1], node: UInt256(log.topics[2]), block: log.blockNumber, secrets: secrets)
    }

    private func vaultAddress() throws(RequestError) -> Address {
        guard let vault = deployment.vault else { throw .noVault }
        return vault
    }

    /// The least a request for `model` with `callbackGas` of callback pays: the model fee plus the
    /// callback gas at the deployment's gas price (`requestFee`).
    public func requestFee(_ model: Bytes32, callbackGas: UInt64) async throws -> UInt256 {
        let data = try CloisterContract.requestFee.encodeCall([.bytes32(model), .uint(UInt256(callbackGas))])
        return try CloisterContract.requestFee.decodeResult(try await client.call(CallRequest(to: deployment.core, data: data)))[0].asUInt()
    }

    /// The model's fee from the registry; an unknown or disabled model is an error.
    public func modelFee(_ model: Bytes32) async throws -> UInt256 {
        let entry = try await client.model(model, in: deployment)
        guard entry.enabled else { throw RequestError.unknownModel(model) }
        return entry.fee
    }
}

/// How a request is sent beyond its model and input.
public struct RequestOptions: Sendable, Equatable {
    /// Seconds the drawn node has to answer (nil: ``Requester/defaultDeadlineSeconds``); see
    /// ``Requester/deadline(requestedSeconds:now:parameters:)``.
    public var deadlineSeconds: UInt64?
    /// Wei to pay (nil: exactly `requestFee(model, callbackGas)`); less than that is refused here.
    public var fee: UInt256?
    /// A contract whose `cloisterCallback` receives the result.
    public var callback: Address?
    /// Gas for the callback (paid at the deployment's gas price; ignored without a callback).
    public var callbackGas: UInt64

    /// Made through the model vault's `requestPrivate`, for a model whose outputs are released with
    /// differential privacy: the vault charges ε to the caller's budget first (and refuses beyond it).
    public var isPrivate: Bool

    public init(deadlineSeconds: UInt64? = nil, fee: UInt256? = nil, callback: Address? = nil, callbackGas: UInt64 = 200_000, isPrivate: Bool = false) {
        self.deadlineSeconds = deadlineSeconds
        self.fee = fee
        self.callback = callback
        self.callbackGas = callbackGas
        self.isPrivate = isPrivate
    }
}

/// What only the requester holds for a confidential request: the key its output is encrypted to and
/// the salt of its commitment.
struct RequestSecrets: Sendable {
    let outputKey: PrivateKey
    let commitmentSalt: CommitmentSalt
}

/// A request on chain.
public struct SubmittedRequest: Sendable {
    public let id: Bytes32
    /// The node drawn to execute it.
    public let node: UInt256
    /// The block it was included in.
    public let block: UInt64
    let secrets: RequestSecrets?
    /// The wrap secrets, when the request was sent with `keepWrapSecrets`.
    public internal(set) var wrapSecrets: WrapSecretsFile?

    /// Whether the input was sealed (and the output will be encrypted).
    public var isConfidential: Bool { secrets != nil }
}

/// Why a request could not be sent or its result read.
public enum RequestError: Error, Equatable, CustomStringConvertible {
    case noRecipients
    case unknownModel(Bytes32)
    case malformedResult
    case timedOut(Bytes32)
    case unknownRequest(Bytes32)
    /// The request's deadline (unix time) has not passed on the chain's clock.
    case notYetRefundable(Bytes32, deadline: UInt64)
    /// The request was answered or refunded already.
    case notPending(Bytes32)
    /// The deadline asked for is shorter than the core's `minResponseTime` (seconds).
    case deadlineTooShort(requested: UInt64, minimum: UInt64)
    /// The deadline asked for is longer than the core's `maxDeadline` (seconds).
    case deadlineTooLong(requested: UInt64, maximum: UInt64)
    /// The input (the envelope, when `sealed`) is longer than the core's `maxInputBytes`.
    case inputTooLarge(bytes: Int, limit: UInt64, sealed: Bool)
    case callbackGasTooHigh(requested: UInt64, maximum: UInt64)
    /// The fee offered is below `requestFee(model, callbackGas)`.
    case feeTooLow(offered: UInt256, required: UInt256)
    case noVault
    case notPrivate(Bytes32)
    case budgetExhausted(Bytes32, remainingMicros: UInt256, costMicros: UInt64)

    public var description: String {
        switch self {
        case .noRecipients: "a confidential request needs at least one verified recipient"
        case .unknownModel(let model): "model \(model) is not enabled on this deployment"
        case .malformedResult: "the chain returned a request or result that does not decode"
        case .timedOut(let id): "request \(id) was not fulfilled in time"
        case .unknownRequest(let id): "no Requested event for \(id) on this deployment"
        case let .notYetRefundable(id, deadline): "request \(id) may still be answered until its deadline \(deadline); a refund is possible after it"
        case .notPending(let id): "request \(id) is no longer pending: it was answered or refunded already"
        case let .deadlineTooShort(requested, minimum):
            "a deadline of \(requested) s is shorter than this deployment's minimum response time of \(minimum) s (params().minResponseTime)"
        case let .deadlineTooLong(requested, maximum):
            "a deadline of \(requested) s is longer than this deployment's maximum of \(maximum) s (params().maxDeadline)"
        case let .inputTooLarge(bytes, limit, sealed):
            "the \(sealed ? "sealed envelope" : "input") is \(bytes) bytes, above this deployment's limit of \(limit) bytes "
                + "(params().maxInputBytes)\(sealed ? "; the envelope adds 151 bytes plus 160 per recipient to the input" : ""); nothing was sent"
        case let .callbackGasTooHigh(requested, maximum):
            "callback gas \(requested) is above this deployment's maximum of \(maximum) (params().maxCallbackGas)"
        case let .feeTooLow(offered, required):
            "a fee of \(offered) wei is below the \(required) wei this request needs (requestFee: the model fee plus the callback gas)"
        case .noVault: "this deployment has no model vault, so it has no private models; request without --private"
        case .notPrivate(let model): "model \(model) has no privacy policy in the model vault; request it without --private"
        case let .budgetExhausted(model, remaining, cost):
            "your privacy budget for model \(model) is exhausted for this period: ε \(PrivacyAmount(remaining)) left, a request costs ε \(PrivacyAmount(UInt256(cost))); nothing was sent"
        }
    }
}

import CloisterClient
import Ethereum
import Oracle

/// The deployed Cloister contracts as the duties use them: where they are, and the typed reads the duty
/// scanner and the keeper make of them, through the duties' chain port. The one value the duty code
/// holds for the chain (its events are decoded by ``DutyEvent``).
struct DeployedContracts: Sendable {
    /// The port every read goes through.
    let chain: any DutyChain
    /// The core: requests, results, the registry, parameters and credits.
    let core: Address
    /// Verification, disputes and juries.
    let arbiter: Address
    /// Where the contracts' history begins: no log of theirs is older.
    let deploymentBlock: UInt64

    init(chain: any DutyChain, core: Address, arbiter: Address, deploymentBlock: UInt64) {
        self.chain = chain
        self.core = core
        self.arbiter = arbiter
        self.deploymentBlock = deploymentBlock
    }

    init(chain: any DutyChain, deployment: Deployment) {
        self.init(chain: chain, core: deployment.core, arbiter: deployment.arbiter, deploymentBlock: deployment.deploymentBlock)
    }

    /// The protocol parameters in force (`params()`).
    func parameters() async throws -> ProtocolParameters {
        try ProtocolParameters(returnData: try await chain.call(to: core, data: try CloisterContract.params.encodeCall([])))
    }

    /// Parameter set `version` (`paramsAt`): the one a result fulfilled under it is settled, verified and
    /// disputed by, whatever is in force now.
    func parameters(version: UInt64) async throws -> ProtocolParameters {
        let data = try CloisterContract.paramsAt.encodeCall([.uint(UInt256(version))])
        return try ProtocolParameters(returnData: try await chain.call(to: core, data: data))
    }

    /// The registry's entry for `model` (`models(id)`; an unknown model reads as disabled, not deterministic).
    func model(_ model: Bytes32) async throws -> ModelTerms {
        try ABI.decode(ModelTerms.self, from: try await chain.call(to: core, data: try CloisterContract.models.encodeCall([.bytes32(model)])))
    }

    /// Whether the core's record of `id` (`requests(id)`) is the hash of this request and fulfilment, that
    /// is whether the result still stands in the state they describe.
    func holds(_ id: Bytes32, request: PendingRequest, fulfilment: Fulfilment) async throws -> Bool {
        let output = try await chain.call(to: core, data: try CloisterContract.requests.encodeCall([.bytes32(id)]))
        return try CloisterContract.requests.decodeResult(output, as: Word.self).value.bytes32
            == Keccak256.hash(ABI.encode([request.requestTuple, fulfilment.tuple]))
    }

    /// The arbiter's record of the dispute about `id` (`disputes(id)`).
    func dispute(_ id: Bytes32) async throws -> DisputeView {
        try ArbiterContract.disputes.decodeResult(
            try await chain.call(to: arbiter, data: try ArbiterContract.disputes.encodeCall([.bytes32(id)])),
            as: DisputeView.self)
    }

    /// The node the arbiter samples to verify this result now (0 for none), by the stakes of the moment.
    func sampledVerifier(of request: PendingRequest, _ fulfilment: Fulfilment) async throws -> UInt256 {
        let data = try ArbiterContract.sampledVerifier.encodeCall([
            request.requestTuple, fulfilment.tuple,
            .array(request.recipients.map(ABIValue.uint))
        ])
        return try ArbiterContract.sampledVerifier.decodeResult(try await chain.call(to: arbiter, data: data), as: Word.self).value
    }

    /// What the core owes `account`, not yet withdrawn (`credits(account)`).
    func credits(of account: Address) async throws -> UInt256 {
        let data = try CloisterContract.credits.encodeCall([.address(account)])
        return try ABI.decode(Word.self, from: try await chain.call(to: core, data: data)).value
    }

    /// A model as the registry lists it, `(fee, deterministic, enabled)`, as far as the duties need it.
    struct ModelTerms: ABIDecodable, Equatable {
        static let abiTypes: [ABIType] = [.uint(bits: 256), .bool, .bool]
        /// Whether its results are re-executed by verifiers and may be challenged.
        let deterministic: Bool

        init(abiValues: [ABIValue]) throws(ABIError) {
            deterministic = try abiValues[1].asBool()
        }
    }

    /// One 32-byte word: a `uint256` or a `bytes32` answer.
    struct Word: ABIDecodable {
        static let abiTypes: [ABIType] = [.uint(bits: 256)]
        let value: UInt256

        init(abiValues: [ABIValue]) throws(ABIError) {
            switch abiValues.first {
            case .uint(let number)?: value = number
            case .fixedBytes(let bytes)? where bytes.count == 32: value = UInt256(Bytes32(bytes)!)
            default: throw .unexpectedKind(expected: "uint256 or bytes32")
            }
        }
    }
}

/// The parameter sets of the results a pass looks at, each read from the core once (a set is never
/// rewritten, so a pass may keep what it read).
struct ParameterSets {
    let contracts: DeployedContracts
    private var known: [UInt64: ProtocolParameters] = [:]

    init(_ contracts: DeployedContracts) {
        self.contracts = contracts
    }

    /// The set a result with `Fulfilment.paramsVersion` = `version` is judged under.
    mutating func version(_ version: UInt64) async throws -> ProtocolParameters {
        if let parameters = known[version] { return parameters }
        let parameters = try await contracts.parameters(version: version)
        known[version] = parameters
        return parameters
    }
}

import AsyncHTTPClient
import Ethereum
import Inference
import Logging
import CloisterConfiguration
import Secp256k1

/// `cloister node register`: registers this node's enclave key with the stake, vouched for by the
/// attestation committee members at `committeeURLs` (all of them must accept).
package enum EnclaveRegistration {
    /// Registers (or finds the existing registration, or with `renew` re-attests it) and returns a one-line summary.
    package static func register(
        configuration: NodeConfiguration, operatorKey: PrivateKey, committeeURLs: [String],
        stakeWei: UInt256?, validitySeconds: UInt64, renew: Bool, keyWait: Duration = .seconds(120), logger: Logger
    ) async throws -> String {
        let registrar = try await makeRegistrar(
            configuration: configuration, operatorKey: operatorKey, committeeURLs: committeeURLs,
            validitySeconds: validitySeconds, keyWait: keyWait, logger: logger)
        let summary: String
        let registration: NodeRegistration
        switch try await registrar.run(stake: stakeWei, renew: renew) {
        case .alreadyRegistered(let found):
            registration = found
            summary = "already registered: node \(found.nodeID), signer \(found.signer), attestation valid until \(found.expiry)"
        case .renewed(let renewed):
            registration = renewed
            summary = "renewed node \(renewed.nodeID), signer \(renewed.signer), attestation \(renewed.attestationDigest), valid until \(renewed.expiry)"
        case .registered(let registered):
            registration = registered
            summary = "registered node \(registered.nodeID), signer \(registered.signer), attestation \(registered.attestationDigest), valid until \(registered.expiry)"
        }
        // What the chain now says of the node, problems and warnings included (e.g. a stake that one
        // timeout slash would take below the minimum).
        let standing = try await Standing.read(registration, client: registrar.client, deployment: registrar.deployment)
        return ([summary] + standing.problems.map { "problem: \($0)" } + standing.warnings.map { "warning: \($0)" }).joined(separator: "\n")
    }

    /// `cloister node rotate-key`: a new enclave key for the same node (stop the node first; it loads
    /// the keyring at start). Returns a one-line summary.
    package static func rotateKey(
        configuration: NodeConfiguration, operatorKey: PrivateKey, committeeURLs: [String],
        validitySeconds: UInt64, logger: Logger
    ) async throws -> String {
        // A running node would go on signing with the old key, and every result would be refused.
        let (lock, holder) = try await StoreOpener.activity(configuration.store, purpose: "node rotate-key")
        if let holder {
            throw NodeLockError.held(path: configuration.store.kind == .sqlite ? configuration.store.path + ".lock" : configuration.store.url, holder: holder)
        }
        defer { withExtendedLifetime(lock) {} }
        let registrar = try await makeRegistrar(
            configuration: configuration, operatorKey: operatorKey, committeeURLs: committeeURLs,
            validitySeconds: validitySeconds, logger: logger)
        let registration = try await registrar.rotate()
        return "rotated node \(registration.nodeID) to signer \(registration.signer), attestation \(registration.attestationDigest), valid until \(registration.expiry)"
    }

    private static func makeRegistrar(
        configuration: NodeConfiguration, operatorKey: PrivateKey, committeeURLs: [String],
        validitySeconds: UInt64, keyWait: Duration = .seconds(120), logger: Logger
    ) async throws -> Registrar {
        let context = try await NodeContext.open(configuration)
        let enclave = try EnclaveEnvironment.open(configuration.enclave, chainID: context.deployment.chainID) { logger.warning("\($0)") }
        let engine = try EmbeddedEngine(files: ModelFiles(directory: configuration.models.modelDirectory))
        let completionModels = try LLMBackend.make(configuration.llm).map { [$0.modelID] } ?? []
        let llmModels = try configuration.models.llmFile.map { path throws(LLMError) in try EmbeddedLLM.modelIDs(of: LLMModelFile(path: path)) } ?? []
        return Registrar(
            client: context.client, deployment: context.deployment, keyring: enclave.keyring, provider: enclave.provider,
            collateral: enclave.collateral, operatorKey: operatorKey,
            committee: CommitteeClient(httpClient: .shared, timeout: .seconds(30)), committeeURLs: committeeURLs,
            models: InferenceTask.allCases.map(engine.modelID(for:)) + completionModels + llmModels, sealed: configuration.models.sealed,
            keyWait: keyWait,
            sealedLoader: context.deployment.vault.map { vault in
                NodeAssembly.sealedLoader(
                    configuration.models, vault: VaultReader(chain: RPCChain(client: context.client), vault: vault), keyring: enclave.keyring,
                    wrapping: RunnerWrapping())
            }, softwareVersion: Release.softwareVersion, validity: validitySeconds)
    }
}

import ChainClient
import CloisterClient
import Enclave
import Ethereum
import Foundation
import Inference
import Logging
import CloisterConfiguration
import Oracle
import OracleHTTP
import Secp256k1
import ServiceLifecycle

/// `cloister node run`: the node as one service group (watcher, dispatcher, submitter and the operator
/// HTTP API over one job store), until SIGTERM or SIGINT. Shutdown stops the watcher first, lets the
/// dispatcher finish the round in progress and the submitter broadcast what it recorded, then closes
/// the API.
package enum NodeRunner {
    package static func run(configuration: NodeConfiguration, operatorKey: PrivateKey, logger: Logger) async throws {
        try await run(configuration: configuration, operatorKey: operatorKey, logger: logger, wrapping: RunnerWrapping())
    }

    /// The node with its task runners wrapped: for the test-only adversary binary, which makes the engines lie.
    package static func run(
        configuration: NodeConfiguration, operatorKey: PrivateKey, logger: Logger,
        wrapping: RunnerWrapping
    ) async throws {
        // One writer per node: a file lock for SQLite; with PostgreSQL, the lease taken below.
        let lock = configuration.store.kind == .sqlite ? try NodeLock(storePath: configuration.store.path, purpose: "node run") : nil
        defer { withExtendedLifetime(lock) {} }
        try PortCheck.ensureFree(host: configuration.http.host, port: configuration.http.port)
        let node = try await NodeAssembly.assemble(configuration: configuration, operatorKey: operatorKey, logger: logger, wrapping: wrapping)
        logger.notice("node starting", metadata: node.summary)
        do {
            try await serviceGroup(node.services, stopsOnSignals: true, logger: logger).run()
        } catch {
            await node.close()
            throw error
        }
        await node.close()
        logger.notice("node stopped")
    }

    /// How long a graceful shutdown may take before the services are cancelled.
    static let gracefulShutdownLimit = Duration.seconds(20)

    /// The node's services as one group that shuts down gracefully on SIGTERM and SIGINT if `stopsOnSignals`
    /// (and whenever the task running it is asked to). A round in progress finishes (a store write, a broadcast), but nothing may hold a
    /// SIGTERM up for long: after `limit` the group is cancelled (every step is safe to cut short, as after
    /// kill -9).
    static func serviceGroup(
        _ services: [any Service], stopsOnSignals: Bool, limit: Duration = gracefulShutdownLimit,
        logger: Logger
    ) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: stopsOnSignals ? [.sigterm, .sigint] : [], logger: logger)
        configuration.maximumGracefulShutdownDuration = limit
        return ServiceGroup(configuration: configuration)
    }

    static func submitterSettings(_ configuration: NodeConfiguration) -> SubmitterSettings {
        let gwei = UInt256(1_000_000_000)
        return SubmitterSettings(
            chainID: configuration.chain.chainID,
            maxFeePerGas: UInt256(configuration.fees.maxFeeGwei) * gwei,
            maxPriorityFeePerGas: UInt256(configuration.fees.maxPriorityFeeGwei) * gwei,
            gasMarginPercent: configuration.fees.gasMarginPercent,
            replaceAfterBlocks: configuration.fees.replaceAfterBlocks,
            confirmations: configuration.chain.confirmations,
            finalDepth: configuration.chain.finalDepth,
            lowBalance: gwei * UInt256(100_000_000))
    }

    /// `path`, after creating its folder.
    static func preparedPath(_ path: String) throws -> String {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        return path
    }
}

/// The node's parts: every check that can refuse a start done (endpoints, enclave, registration, operator,
/// models, store), every object built and wired, nothing running yet. ``NodeRunner`` runs them as one
/// service group.
struct NodeAssembly {
    /// In start order. Graceful shutdown runs in reverse: watcher, dispatcher, submitter, then the chain
    /// upkeep services and the API; the lease (PostgreSQL) comes first so that it is released last, after
    /// the submitter broadcast what it recorded.
    let services: [any Service]
    /// What the start-up log line says about the node.
    let summary: Logger.Metadata
    /// Closes the store after the services stopped.
    let close: @Sendable () async -> Void

    static func assemble(
        configuration: NodeConfiguration, operatorKey: PrivateKey, logger: Logger,
        wrapping: RunnerWrapping
    ) async throws -> NodeAssembly {
        let context = try await NodeContext.open(configuration)
        let deployment = context.deployment
        let enclave = try EnclaveEnvironment.open(configuration.enclave, chainID: deployment.chainID) { logger.warning("\($0)") }
        let signer = await enclave.keyring.signer
        guard let registration = try await RegistrationLookup(client: context.client, deployment: deployment).registration(of: signer) else {
            throw RegistrationError.notRegisteredAtStart(signer: signer, core: deployment.core, block: try? await context.client.blockNumber())
        }
        let operatorAddress = Address(publicKey: operatorKey.publicKey)
        let listed = try await NodeDirectory(client: context.client, deployment: deployment).node(registration.nodeID)
        if let node = listed, node.operatorAddress != operatorAddress {
            throw RegistrationError.notTheOperator(node: registration.nodeID, operator: node.operatorAddress, keystore: operatorAddress)
        }
        let engine = try EmbeddedEngine(files: ModelFiles(directory: configuration.models.modelDirectory))
        let completions = try LLMBackend.make(configuration.llm).map { [$0] } ?? []
        let llm = try configuration.models.llmFile.map { path throws(LLMError) in try EmbeddedLLM(file: LLMModelFile(path: path)) }
        let opened = try await StoreOpener.open(
            configuration.store,
            owner: StoreOwner(
                chainID: deployment.chainID, contract: deployment.core,
                nodeID: registration.nodeID.bytes32), logger: logger)
        let store = opened.store
        let chain = RPCChain(client: context.client)
        let sealed = try await loadSealedModels(
            configuration.models, registered: listed?.models ?? [], chain: chain, deployment: deployment, keyring: enclave.keyring,
            wrapping: wrapping, logger: logger)
        let now: @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) }
        let current = CurrentRegistration(registration)
        let executor = EnclaveJobExecutor(
            keyring: enclave.keyring, runner: wrapping.engine(InferenceWorker(engine: engine)),
            llm: llm.map { wrapping.llm(LLMWorker(llm: $0)) }, completions: completions, chainID: deployment.chainID,
            contract: deployment.core, registration: current, now: now, logger: logger
        ).serving(sealed)
        let watcher = ChainWatcher(
            reader: chain, interpreter: CloisterLogInterpreter(contract: deployment.core, nodeID: registration.nodeID),
            store: store,
            settings: WatcherSettings(
                confirmations: configuration.chain.confirmations,
                maxLogRange: configuration.chain.maxLogRange,
                startBlock: deployment.deploymentBlock,
                finalDepth: configuration.chain.finalDepth))
        let dispatcher = Dispatcher(store: store, executor: executor, settings: configuration.dispatcher, now: now)
        let encoder = CloisterResultEncoder(core: deployment.core, arbiter: deployment.arbiter, nodeID: registration.nodeID)
        let submitter = Submitter(store: store, chain: chain, encoder: encoder, key: operatorKey, settings: NodeRunner.submitterSettings(configuration))
        let duties = configuration.duties
        let servedModels = Set(
            InferenceTask.allCases.map(engine.identity.modelID(for:)) + completions.map(\.modelID)
                + (llm.map { llm in LLMTask.allCases.map(llm.modelID(for:)) } ?? []) + sealed.served.keys)
        let contracts = DeployedContracts(chain: chain, deployment: deployment)
        let scanner = DutyScanner(
            contracts: contracts, store: store, nodeID: registration.nodeID, operatorAddress: operatorAddress,
            servedModels: servedModels, settings: duties, reading: configuration.chain)
        let keeper = DutyKeeper(
            contracts: contracts, store: store, submitter: submitter,
            nodeID: registration.nodeID, operatorAddress: operatorAddress, settings: duties)
        let state = NodeState(
            status: NodeStatus(
                version: Release.version, chainID: deployment.chainID, operatorAddress: operatorAddress, enclaveSigner: signer,
                tee: enclave.teeName, warning: enclave.warning, head: nil, nextBlock: nil, jobs: [:], consecutiveNodeFaults: 0,
                lastNodeFault: nil, lastSubmissionProblem: nil, feesAboveCap: false, insufficientFunds: false,
                attestationExpiry: registration.expiry), maxHeadLag: configuration.chain.confirmations + 4)
        if let cursor = try await store.dutyCursor(), cursor > deployment.deploymentBlock {
            await state.recordDuties(
                try await DutyTotals.restore(
                    contracts: contracts, store: store,
                    nodeID: registration.nodeID, operatorAddress: operatorAddress, through: cursor - 1,
                    head: try await chain.headNumber(),
                    finalDepth: configuration.chain.finalDepth, maxRange: configuration.chain.maxLogRange))
        }
        let metrics = NodeMetrics()
        metrics.recordBuild(version: Release.version)
        let interval = Duration.milliseconds(Int64(configuration.chain.pollIntervalMilliseconds))
        // The loops' doorbells (see `Wakeup`): new jobs wake the dispatcher, signed results the submitter,
        // and with chain.ws a pushed head wakes the watcher and the submitter. Each loop still polls every
        // `interval`, so a lost or missing announcement only costs that.
        let watcherDoor = Wakeup(), dispatcherDoor = Wakeup(), submitterDoor = Wakeup()
        var subscription: [any Service] = []
        if let url = configuration.chain.webSocketURL {
            guard let endpoint = WebSocketEndpoint(url) else {
                throw ConfigurationError(
                    key: "chain.ws", problem: "'\(url)' is not a ws:// URL with a host and a port",
                    fix: "write it as ws://host:port, or leave the key out to poll only")
            }
            subscription = [
                HeadSubscriptionService(
                    subscription: HeadSubscription(endpoint: endpoint, maxBackoff: .seconds(30)),
                    wakeups: [watcherDoor, submitterDoor], url: url, pollInterval: interval, logger: logger)
            ]
        }
        // the workload a key holder compares requesting enclaves with: a quote of its own, only when it holds keys
        let ownWorkload = sealed.served.isEmpty ? Bytes32.zero : try await enclave.ownWorkload()
        let api = OperatorAPI.application(state: state, metrics: metrics, store: store, host: configuration.http.host, port: configuration.http.port)
        let services: [any Service] =
            [
                api,
                ChainAccountingService(
                    client: context.client, deployment: deployment, operatorAddress: operatorAddress,
                    registry: metrics.registry, interval: .seconds(5), logger: logger),
                RegistrationRefreshService(
                    client: context.client, deployment: deployment, current: current, state: state, metrics: metrics,
                    interval: max(.seconds(5), interval * 50), logger: logger),
                DutyService(
                    scanner: scanner, keeper: keeper, state: state, metrics: metrics, interval: max(.seconds(1), interval * 5), logger: logger,
                    jobsFound: dispatcherDoor),
                SubmitterService(submitter: submitter, state: state, metrics: metrics, interval: interval, logger: logger, wakeup: submitterDoor),
                DispatcherService(
                    dispatcher: dispatcher, state: state, metrics: metrics, interval: interval, logger: logger,
                    wakeup: dispatcherDoor, resultsSigned: submitterDoor),
                WatcherService(
                    watcher: watcher, store: store, state: state, metrics: metrics, interval: interval, logger: logger,
                    wakeup: watcherDoor, jobsFound: dispatcherDoor)
            ] + subscription
            + (sealed.vault.flatMap { vault in sealed.served.isEmpty ? nil : vault }.map { vault in
                [
                    KeyHolderService(
                        holder: KeyHolder(
                            models: Array(sealed.served.values), keys: sealed.keys, vault: vault, keyring: enclave.keyring, submitter: submitter,
                            chainID: deployment.chainID, startBlock: deployment.deploymentBlock,
                            span: LogSpan(maximum: configuration.chain.maxLogRange),
                            recipients: RecipientCheck(
                                chain: chain, chainID: deployment.chainID, core: deployment.core, verifier: enclave.quoteVerifier,
                                collateral: enclave.collateral, ownWorkload: ownWorkload),
                            loader: sealedLoader(configuration.models, vault: vault, keyring: enclave.keyring, wrapping: wrapping)),
                        state: state, interval: max(.seconds(1), interval * 5), logger: logger)
                ]
            } ?? [])
        let lease: [any Service] = opened.lease.map { [$0] } ?? []
        let summary: Logger.Metadata = [
            "node_id": "\(registration.nodeID)", "enclave_signer": "\(signer)", "operator": "\(operatorAddress)",
            "contract": "\(deployment.core)", "chain_id": "\(deployment.chainID)", "tee": "\(enclave.teeName)",
            "api": "http://\(configuration.http.host):\(configuration.http.port)", "attestation_expiry": "\(registration.expiry)",
            "sealed_models": "\(sealed.served.values.map { "\($0.task.rawValue)=\($0.id)\($0.policy == nil ? "" : " (private)")" }.sorted().joined(separator: ","))",
            "llm_models": "\(completions.map { "\($0.modelID)" }.joined(separator: ","))",
            "embedded_llm_models": "\(llm.map { llm in LLMTask.allCases.map { "\($0.rawValue)=\(llm.modelID(for: $0))" }.joined(separator: ",") } ?? "")"
        ]
        return NodeAssembly(services: lease + services, summary: summary, close: opened.close)
    }

    /// The sealed models of `models.sealed`, loaded (key unwrapped, file fetched and opened in memory). One the
    /// node is registered for must load, or the node would be assigned requests it cannot answer; one it is
    /// not registered for (its key did not arrive before `cloister node register` listed the models) is
    /// skipped with a warning.
    static func loadSealedModels(
        _ models: ModelSettings, registered: [Bytes32], chain: RPCChain, deployment: Deployment, keyring: EnclaveKeyring,
        wrapping: RunnerWrapping, logger: Logger
    ) async throws -> SealedModels {
        guard !models.sealed.isEmpty else { return SealedModels() }
        guard let address = deployment.vault else {
            throw ConfigurationError(
                key: "models.sealed", problem: "the deployment file names no ModelVault contract",
                fix: "use the deployment file of a deployment with a model vault, or leave the key out")
        }
        let vault = VaultReader(chain: chain, vault: address)
        let loader = sealedLoader(models, vault: vault, keyring: keyring, wrapping: wrapping)
        var served: [Bytes32: ServedSealedModel] = [:]
        for id in models.sealed {
            guard registered.contains(id) else {
                logger.warning("sealed model not served: this node is not registered for it", metadata: ["model": "\(id)"])
                continue
            }
            served[id] = try await loader.load(id)
            logger.info("sealed model loaded", metadata: ["model": "\(id)", "epoch": "\(served[id]!.epoch)"])
        }
        return SealedModels(served: served, vault: vault)
    }

    static func sealedLoader(_ models: ModelSettings, vault: VaultReader, keyring: EnclaveKeyring, wrapping: RunnerWrapping) -> SealedModelLoader {
        SealedModelLoader(
            vault: vault, keyring: keyring, modelFiles: ModelFiles(directory: models.modelDirectory), cacheDirectory: models.sealedCache,
            wrapping: wrapping)
    }
}

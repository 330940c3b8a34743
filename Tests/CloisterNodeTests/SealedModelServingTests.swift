import Attestation
import CloisterClient
import Enclave
import Ethereum
import Foundation
import Inference
import Logging
import Oracle
import Secp256k1
import Testing
@testable import CloisterNode

/// Sealed models as the node serves them: the MiniLM weights sealed under a model key, the key wrapped to
/// the enclave as the vault records it, opened into memory through `SealedModelLoader` and run by the
/// executor, privately (differentially private release) when the vault's policy says so.
@Suite struct SealedModelServingTests {
    /// The public MiniLM weights sealed once for the suite.
    struct Sealing: Sendable {
        let key: ModelKey
        let path: String
        let digests: SealedModelDigests
    }

    static let sealing = seal()
    /// The same weights sealed again under a new key: the file of key epoch 2 after a rotation.
    static let rotated = seal()

    static func seal() -> Sealing {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cloister-sealed-serving-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let key = ModelKey.generate()
            let files = ModelFiles.located(environment: ProcessInfo.processInfo.environment, projectRoot: NodeTestSupport.projectRoot)
            let digests = try SealedModel.seal(input: files.weights, output: folder + "/minilm.sealed", key: key)
            return Sealing(key: key, path: folder + "/minilm.sealed", digests: digests)
        } catch {
            fatalError("cannot seal the model: \(error)")
        }
    }

    static let policy = PrivacyPolicy(mechanism: .laplace, epsilonMicros: 1_000_000, sensitivities: .init(similarity: 50_000, classification: 100_000))

    /// `models(id)` as the vault returns it.
    static func entry(
        sealed: Bytes32 = sealing.digests.sealed, location: String = sealing.path, epoch: UInt64 = 1,
        engine: String = ModelIdentity.engineVersion, task: String, policy: PrivacyPolicy? = nil
    ) -> [UInt8] {
        var mechanism: UInt64 = 0, delta: UInt64 = 0
        switch policy?.mechanism {
        case .laplace: mechanism = 1
        case .gaussian(let exponent): (mechanism, delta) = (2, UInt64(exponent))
        case nil: break
        }
        let sensitivities = policy?.sensitivities
        return ABI.encode([
            .tuple([
                .address(Address(Array(repeating: 0x0E, count: 20))!), .bytes32(sealing.digests.plaintext), .bytes32(sealed), .string(location),
                .uint(UInt256(epoch)), .string(engine), .string(task), .array([]), .uint(UInt256(mechanism)), .uint(UInt256(delta)),
                .uint(UInt256(policy?.epsilonMicros ?? 0)), .uint(UInt256(sensitivities?.embedding ?? 0)),
                .uint(UInt256(sensitivities?.similarity ?? 0)), .uint(UInt256(sensitivities?.classification ?? 0)),
                .uint(UInt256(policy == nil ? 0 : 5_000_000)), .uint(UInt256(policy == nil ? 0 : 86_400)), .bool(false)
            ])
        ])
    }

    /// A vault holding `model` with `entry`, and the model key wrapped to each of `keyrings`.
    static func vault(_ model: Bytes32, entry: [UInt8], wrappedTo keyrings: [EnclaveKeyring], epoch: UInt64 = 1) async throws -> InMemoryDutyChain {
        let chain = InMemoryDutyChain(height: 10)
        await chain.set(vaultModel: entry, for: model)
        for keyring in keyrings { try await wrap(sealing.key, model: model, epoch: epoch, to: keyring, on: chain) }
        return chain
    }

    /// Publishes `key` wrapped to `keyring`'s enclave for (model, epoch), as the owner would.
    static func wrap(_ key: ModelKey, model: Bytes32, epoch: UInt64, to keyring: EnclaveKeyring, on chain: InMemoryDutyChain) async throws {
        let wrapped = try ModelKeyWrap.wrap(key, to: await keyring.publicKey, model: model, epoch: UInt256(epoch))
        await chain.set(wrappedKey: wrapped, model: model, epoch: UInt256(epoch), signer: await keyring.signer)
    }

    /// A key holder over `chain` for `sealed`, sending through a submitter of its own.
    static func holder(_ sealed: SealedModels, keyring: EnclaveKeyring, chain: InMemoryDutyChain) async throws -> KeyHolder {
        let store = try SQLiteJobStore(path: DutyChainTests.storePath())
        let submitter = Submitter(
            store: store, chain: chain,
            encoder: CloisterResultEncoder(core: InMemoryDutyChain.core, arbiter: InMemoryDutyChain.arbiter, nodeID: 1),
            key: PrivateKey(), settings: SubmitterSettings(chainID: 31_337, maxFeePerGas: 100_000_000_000, maxPriorityFeePerGas: 2_000_000_000))
        try await submitter.start()
        let ownWorkload = try Quote(bytes: try await tee.quote(reportData: [UInt8](repeating: 0, count: 64))).body.workloadID
        return KeyHolder(
            models: Array(sealed.served.values), keys: sealed.keys, vault: VaultReader(chain: chain, vault: InMemoryDutyChain.vault), keyring: keyring,
            submitter: submitter, chainID: 31_337, startBlock: 1, span: LogSpan(maximum: 1_000),
            recipients: RecipientCheck(
                chain: chain, chainID: 31_337, core: InMemoryDutyChain.core, verifier: DCAPVerifier(trustAnchor: tee.pki.trustAnchor),
                collateral: { try tee.collateral(issued: Date().addingTimeInterval(-3_600)) }, ownWorkload: ownWorkload),
            loader: loader(chain, keyring))
    }

    static func loader(_ chain: InMemoryDutyChain, _ keyring: EnclaveKeyring) -> SealedModelLoader {
        SealedModelLoader(
            vault: VaultReader(chain: chain, vault: InMemoryDutyChain.vault), keyring: keyring,
            modelFiles: ModelFiles.located(environment: ProcessInfo.processInfo.environment, projectRoot: NodeTestSupport.projectRoot),
            cacheDirectory: FileManager.default.temporaryDirectory.path + "/cloister-sealed-cache-\(UUID().uuidString)", wrapping: RunnerWrapping())
    }

    static let similarity = TaskInput.similarity(text: "a cat sat on the mat", other: "a kitten rested on the rug")

    @Test func aSealedModelServesExactlyWhatThePublicWeightsGive() async throws {
        let keyring = try NodeTestSupport.keyring()
        let model = Keccak256.hash(Array("sealed similarity".utf8))
        let chain = try await Self.vault(model, entry: Self.entry(task: "similarity"), wrappedTo: [keyring])
        let served = try await Self.loader(chain, keyring).load(model)
        #expect(served.task == .similarity && served.policy == nil && served.epoch == 1)
        for input in [Self.similarity, TaskInput.similarity(text: "interest rates rose", other: "the bank raised its rates")] {
            let sealedOutput = try await served.runner.run(input).get()
            #expect(sealedOutput == (try NodeTestSupport.engine.run(input)))
        }
    }

    @Test func theLoaderRefusesAnythingButTheRegisteredFileUnderAKeyForThisEnclave() async throws {
        let keyring = try NodeTestSupport.keyring(), other = try NodeTestSupport.keyring()
        let model = Keccak256.hash(Array("sealed refusals".utf8))
        let keyHex = Self.sealing.key.withUnsafeBytes { Hex.encode(Array($0)) }
        func failure(_ entry: [UInt8], wrappedTo keyrings: [EnclaveKeyring], id: Bytes32? = nil) async throws -> String {
            let chain = try await Self.vault(model, entry: entry, wrappedTo: keyrings)
            do {
                _ = try await Self.loader(chain, keyring).load(id ?? model)
                Issue.record("loaded what it should have refused")
                return ""
            } catch {
                let text = "\(error)"
                #expect(!text.lowercased().contains(keyHex.lowercased()))
                return text
            }
        }
        #expect(try await failure(Self.entry(task: "similarity"), wrappedTo: []).contains("no key of epoch 1"))
        #expect(try await failure(Self.entry(task: "similarity"), wrappedTo: [other]).contains("no key of epoch 1"))
        #expect(try await failure(Self.entry(task: "similarity"), wrappedTo: [keyring], id: Keccak256.hash([7])).contains("not in the model vault"))
        #expect(try await failure(Self.entry(engine: "another-engine/1", task: "similarity"), wrappedTo: [keyring]).contains("another-engine/1"))
        #expect(try await failure(Self.entry(task: "translate"), wrappedTo: [keyring]).contains("'translate'"))
        #expect(try await failure(Self.entry(location: "relative/model.sealed", task: "embed"), wrappedTo: [keyring]).contains("neither an absolute path"))
        // the vault names another sealed file: nothing is decrypted from this one
        #expect(try await failure(Self.entry(sealed: Keccak256.hash([1]), task: "embed"), wrappedTo: [keyring]).contains("not the sealed model"))
        // a policy that does not release this task's outputs
        #expect(try await failure(Self.entry(task: "embed", policy: Self.policy), wrappedTo: [keyring]).contains("does not release embed"))
        // a key wrapped to this enclave for another model does not open for this one
        let chain = try await Self.vault(model, entry: Self.entry(task: "embed"), wrappedTo: [])
        let foreign = try ModelKeyWrap.wrap(Self.sealing.key, to: await keyring.publicKey, model: Keccak256.hash([2]), epoch: 1)
        await chain.set(wrappedKey: foreign, model: model, epoch: 1, signer: await keyring.signer)
        await #expect(throws: SealedModelLoadError.self) { _ = try await Self.loader(chain, keyring).load(model) }
    }

    @Test func aPrivateModelAnswersOnlyTheVaultsRequestsWithNoiseEveryHolderReproduces() async throws {
        let first = try NodeTestSupport.keyring(), second = try NodeTestSupport.keyring()
        let model = Keccak256.hash(Array("private similarity".utf8))
        let chain = try await Self.vault(model, entry: Self.entry(task: "similarity", policy: Self.policy), wrappedTo: [first, second])
        func executor(_ keyring: EnclaveKeyring) async throws -> EnclaveJobExecutor {
            let served = try await Self.loader(chain, keyring).load(model)
            return await NodeTestSupport.executor(keyring).serving(
                SealedModels(served: [model: served], vault: VaultReader(chain: chain, vault: InMemoryDutyChain.vault)))
        }
        let executors = [try await executor(first), try await executor(second)]
        let input = Self.similarity.abiEncoded
        let exact = try NodeTestSupport.engine.run(Self.similarity).abiEncoded

        // made through the vault: the noised output, the same bytes from every enclave holding the key
        let job = NodeTestSupport.job(model: model, input: input, requester: InMemoryDutyChain.vault)
        await chain.set(privateRequest: job.key.requestID, requester: NodeTestSupport.requester, epoch: 1)
        let outputs = [try await executors[0].execute(job), try await executors[1].execute(job)].map(\.result)
        #expect(outputs.allSatisfy { $0.errorCode == 0 })
        #expect(outputs[0].output == outputs[1].output)
        let expected = try PrivateRelease.noisedOutput(
            exact, task: .similarity, policy: Self.policy, modelKey: Self.sealing.key, requestID: job.key.requestID,
            inputHash: Keccak256.hash(input))
        #expect(outputs[0].output == expected)
        #expect(outputs[0].output != exact)
        #expect((try? TaskOutput(task: .similarity, abiEncoded: outputs[0].output)) != nil)

        // around the vault (no budget charged): refused, status 5
        let direct = try await executors[0].execute(NodeTestSupport.job(model: model, input: input))
        #expect(direct.result.errorCode == 5)
        #expect(String(decoding: direct.result.output, as: UTF8.self).contains("requestPrivate"))
        // the vault as requester but no record of the request: refused
        let unrecorded = NodeTestSupport.job(model: model, input: TaskInput.similarity(text: "x y", other: "y z").abiEncoded, requester: InMemoryDutyChain.vault)
        #expect(try await executors[0].execute(unrecorded).result.errorCode == 5)
        // made under a newer key epoch than this enclave holds yet: no answer now (never noise under the wrong
        // key), but no error result either — the node tries again, the key being on its way after a rotation
        let newer = NodeTestSupport.job(model: model, input: TaskInput.similarity(text: "p q", other: "q r").abiEncoded, requester: InMemoryDutyChain.vault)
        await chain.set(privateRequest: newer.key.requestID, requester: NodeTestSupport.requester, epoch: 2)
        do {
            _ = try await executors[0].execute(newer)
            Issue.record("a request of an epoch not held was answered")
        } catch {
            #expect(error.reason.contains("epoch 2"))
        }
    }

    /// The simulated TEE of these tests, and another one whose root nobody trusts (a host faking quotes).
    static let tee = try! SimulatedTDXProvider(
        consent: SimulationConsent(chainID: 31_337, acknowledgement: SimulationConsent.acknowledgement), seed: Array("sealed tests".utf8),
        announce: { _ in })
    static let fakeTEE = try! SimulatedTDXProvider(
        consent: SimulationConsent(chainID: 31_337, acknowledgement: SimulationConsent.acknowledgement), seed: Array("a host's own root".utf8),
        announce: { _ in })

    /// Logs a `KeyRequested` for `logged` (its key, as the log shows it) in `block`, backed by an `enroll` call
    /// whose quote `provider` made for `attested`'s key, bound to the core and `operatorAddress`.
    static func keyRequest(
        on chain: InMemoryDutyChain, model: Bytes32, logged: EnclaveKeyring, attested: EnclaveKeyring, provider: SimulatedTDXProvider = tee,
        expiry: UInt64 = 2_000_000_000, block: UInt64, operatorAddress: Address = Address(Array(repeating: 0x0B, count: 20))!,
        withTransaction: Bool = true
    ) async throws {
        let softwareVersion = Keccak256.hash(Array("v".utf8))
        let extData = AttestationExtData(
            chainID: 31_337, registry: InMemoryDutyChain.core, operatorAddress: operatorAddress, softwareVersion: softwareVersion, expiry: expiry)
        let quote = try await attested.attest(extData: extData, using: provider).quote
        let publicKey = Array(await logged.publicKey.uncompressed.dropFirst())
        try await chain.emit(
            ModelVaultContract.keyRequested,
            [.bytes32(model), .address(await logged.signer), .bytes(publicKey), .bytes32(.zero), .uint(UInt256(expiry)), .uint(1)],
            from: InMemoryDutyChain.vault, in: block)
        guard withTransaction else { return }
        let input = try ModelVaultContract.enroll.encodeCall([
            .bytes32(model), .bytes(publicKey), .bytes(quote), .address(operatorAddress), .bytes32(softwareVersion), .uint(UInt256(expiry)),
            .bytes([])
        ])
        await chain.set(transactionInput: input, for: await chain.transactionHash(block: block, logIndex: 0))
    }

    /// The holder's side of "the owner need not stay online": an enclave holding the key answers each
    /// enclave the vault admitted with a wrap only that enclave opens, signed by the holder's enclave key,
    /// once; not for an enclave whose attestation expired, nor one already answered. And, since the host
    /// feeds the enclave the chain, the enclave checks the enrolled quote itself: a forged log for a key of
    /// the host's own, backed by another enclave's genuine quote or by a quote from a root nobody trusts,
    /// or by no enroll call at all, gets nothing.
    @Test func aHolderWrapsTheKeyOnlyForEnclavesItVerifiedItselfAndOnlyOnce() async throws {
        let holderKeyring = try NodeTestSupport.keyring(), newcomer = try NodeTestSupport.keyring(), expired = try NodeTestSupport.keyring()
        let answered = try NodeTestSupport.keyring(), host = try NodeTestSupport.keyring()
        let model = Keccak256.hash(Array("held model".utf8))
        let chain = try await Self.vault(model, entry: Self.entry(task: "similarity"), wrappedTo: [holderKeyring, answered])
        let served = try await Self.loader(chain, holderKeyring).load(model)
        let holder = try await Self.holder(SealedModels(served: [model: served]), keyring: holderKeyring, chain: chain)
        try await Self.keyRequest(on: chain, model: model, logged: newcomer, attested: newcomer, block: 12)
        try await Self.keyRequest(on: chain, model: model, logged: expired, attested: expired, expiry: 1_700_000_000, block: 13)
        try await Self.keyRequest(on: chain, model: model, logged: answered, attested: answered, block: 14)
        // the host's forgeries: its own key with the newcomer's quote; its own key quoted under a root of its own; no enroll call
        try await Self.keyRequest(on: chain, model: model, logged: host, attested: newcomer, block: 15)
        let forger = try NodeTestSupport.keyring(), unbacked = try NodeTestSupport.keyring()
        try await Self.keyRequest(on: chain, model: model, logged: forger, attested: forger, provider: Self.fakeTEE, block: 16)
        try await Self.keyRequest(on: chain, model: model, logged: unbacked, attested: unbacked, block: 17, withTransaction: false)

        let outcomes = try await holder.pass()
        let submitted = outcomes.filter { if case .submitted = $0.outcome { true } else { false } }.map(\.enclave)
        #expect(submitted == [await newcomer.signer])
        var refusals: [Address: RecipientRefusal] = [:]
        for outcome in outcomes { if case .refused(let refusal) = outcome.outcome { refusals[outcome.enclave] = refusal } }
        #expect(refusals[await host.signer] == .binding)
        #expect(refusals[await unbacked.signer] == .noEnrollment)
        if case .quote = refusals[await forger.signer] {
        } else {
            Issue.record("a quote under an untrusted root was not refused: \(String(describing: refusals[await forger.signer]))")
        }
        #expect(refusals.count == 3)

        let sent = await chain.calls(to: ModelVaultContract.publishKey)
        try #require(sent.count == 1)
        let arguments = try ModelVaultContract.publishKey.decodeCall(sent[0].data)
        #expect(try arguments[0].asBytes32() == model && arguments[1].asUInt() == 1)
        #expect(try arguments[2].asAddress() == (await newcomer.signer))
        #expect(try arguments[4].asAddress() == (await holderKeyring.signer))
        let wrapped = try arguments[3].asBytes()
        // only the newcomer's enclave opens it, to the owner's key
        let opened = try await newcomer.unwrapModelKey(wrapped, model: model, epoch: 1)
        #expect(opened.withUnsafeBytes { Array($0) } == Self.sealing.key.withUnsafeBytes { Array($0) })
        await #expect(throws: ModelKeyWrapError.self) { _ = try await host.unwrapModelKey(wrapped, model: model, epoch: 1) }
        // the signature the vault checks: the holder's enclave key over KeyWrap(model, epoch, recipient, keccak(wrapped))
        let claim = ModelKeyWrapClaim(model: model, epoch: 1, recipient: await newcomer.signer, wrapped: wrapped)
        let digest = try claim.eip712SigningHash(domain: ModelKeyWrapClaim.domain(chainID: 31_337, vault: InMemoryDutyChain.vault))
        let v = UInt8(try #require(try arguments[5].asUInt().uint64))
        let signature = try MessageSignature(bytes: try arguments[6].asBytes32().bytes + arguments[7].asBytes32().bytes + [v])
        #expect(try signature.signer(of: digest) == (await holderKeyring.signer))
        // nothing twice: the next pass has nothing left to answer
        #expect(try await holder.pass().isEmpty)
        #expect(await chain.calls(to: ModelVaultContract.publishKey).count == 1)
    }

    /// A rotation followed without a restart: the holder takes the new epoch's key once it is wrapped to it
    /// (only after the key opened the new sealed file: a key that does not is refused, or an owner could hand
    /// enclaves different keys for one epoch and get honest nodes disputed over their noise), answers the
    /// enclaves already enrolled under the new epoch, and keeps the old key for requests made before.
    @Test func aRotationIsFollowedWithoutARestartAndOldRequestsKeepTheirKey() async throws {
        let holderKeyring = try NodeTestSupport.keyring(), member = try NodeTestSupport.keyring()
        let model = Keccak256.hash(Array("rotated model".utf8))
        let chain = try await Self.vault(model, entry: Self.entry(task: "similarity", policy: Self.policy), wrappedTo: [holderKeyring, member])
        let served = try await Self.loader(chain, holderKeyring).load(model)
        let sealed = SealedModels(served: [model: served], vault: VaultReader(chain: chain, vault: InMemoryDutyChain.vault))
        let holder = try await Self.holder(sealed, keyring: holderKeyring, chain: chain)
        try await Self.keyRequest(on: chain, model: model, logged: member, attested: member, block: 12)
        #expect(try await holder.pass().isEmpty, "the member holds epoch 1 already")

        // the owner rotates: a new file under a new key; nothing happens until the new key is wrapped to this enclave
        await chain.set(
            vaultModel: Self.entry(sealed: Self.rotated.digests.sealed, location: Self.rotated.path, epoch: 2, task: "similarity", policy: Self.policy),
            for: model)
        #expect(try await holder.pass().isEmpty)
        // a key that does not open the new file is not taken, not tried again, and requests under its epoch get
        // status 5 rather than waiting for a key that will not come (the vault keeps the first wrap)
        try await Self.wrap(ModelKey.generate(), model: model, epoch: 2, to: holderKeyring, on: chain)
        let refused = try await holder.pass()
        #expect(refused.count == 1)
        if case .rotationRefused = refused.first?.outcome {} else { Issue.record("a wrong key of epoch 2 was not refused: \(refused)") }
        #expect(await sealed.keys.newest(model)?.epoch == 1)
        #expect(try await holder.pass().isEmpty)
        let executor = await NodeTestSupport.executor(holderKeyring).serving(sealed)
        let stranded = NodeTestSupport.job(model: model, input: TaskInput.similarity(text: "epoch two", other: "no key").abiEncoded, requester: InMemoryDutyChain.vault)
        await chain.set(privateRequest: stranded.key.requestID, requester: NodeTestSupport.requester, epoch: 2)
        #expect(try await executor.execute(stranded).result.errorCode == 5)
        // the owner rotates again and wraps the right key: taken, and the member is answered under epoch 3
        await chain.set(
            vaultModel: Self.entry(sealed: Self.rotated.digests.sealed, location: Self.rotated.path, epoch: 3, task: "similarity", policy: Self.policy),
            for: model)
        try await Self.wrap(Self.rotated.key, model: model, epoch: 3, to: holderKeyring, on: chain)
        let outcomes = try await holder.pass()
        #expect(outcomes.count == 2)
        if case .rotated(let epoch) = outcomes.first?.outcome { #expect(epoch == 3) } else { Issue.record("no rotation: \(outcomes)") }
        #expect(outcomes.last?.enclave == (await member.signer))
        let sent = await chain.calls(to: ModelVaultContract.publishKey)
        try #require(sent.count == 1)
        let arguments = try ModelVaultContract.publishKey.decodeCall(sent[0].data)
        #expect(try arguments[1].asUInt() == 3)
        let opened = try await member.unwrapModelKey(try arguments[3].asBytes(), model: model, epoch: 3)
        #expect(opened.withUnsafeBytes { Array($0) } == Self.rotated.key.withUnsafeBytes { Array($0) })

        // each private request is noised under the key of the epoch the vault recorded for it
        for (epoch, key, text) in [(UInt64(1), Self.sealing.key, "before"), (3, Self.rotated.key, "after")] {
            let input = TaskInput.similarity(text: "a request made \(text) the rotation", other: "a rotation").abiEncoded
            let job = NodeTestSupport.job(model: model, input: input, requester: InMemoryDutyChain.vault)
            await chain.set(privateRequest: job.key.requestID, requester: NodeTestSupport.requester, epoch: UInt256(epoch))
            let exactOutput = try NodeTestSupport.engine.run(TaskInput(task: .similarity, abiEncoded: input)).abiEncoded
            let expected = try PrivateRelease.noisedOutput(
                exactOutput, task: .similarity, policy: Self.policy, modelKey: key, requestID: job.key.requestID, inputHash: Keccak256.hash(input))
            let result = try await executor.execute(job).result
            #expect(result.errorCode == 0 && result.output == expected)
        }
    }

    /// ε as the client prints it from the vault's millionths.
    @Test func privacyAmountsAreWrittenAsDecimals() {
        let cases: [(UInt64, String)] = [(0, "0"), (1, "0.000001"), (500_000, "0.5"), (1_500_000, "1.5"), (2_000_000, "2"), (12_345_678, "12.345678")]
        for (micros, text) in cases { #expect(PrivacyAmount(UInt256(micros)).description == text) }
    }
}

import AsyncHTTPClient
import CloisterClient
import Enclave
import Ethereum
import Foundation
import Inference
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// A sealed model this node serves: the key of the epoch it was loaded at (later epochs' keys join
/// ``SealedModelKeys``), the engine running the weights decrypted into the enclave's memory, and the privacy
/// policy its outputs are released under.
struct ServedSealedModel: Sendable {
    let id: Bytes32
    let task: InferenceTask
    let runner: any TaskRunner
    /// nil: outputs are released exactly.
    let policy: PrivacyPolicy?
    let epoch: UInt256
    let key: ModelKey
}

/// Makes a sealed model servable at start: reads its record in the vault, unwraps the model key the
/// vault holds for this enclave, fetches the sealed file (a path, or an http(s) URL downloaded into the
/// cache folder: it is ciphertext), opens it against the vault's hashes into memory only, and builds the
/// engine over the plaintext. The key and the plaintext never reach disk, logs or errors.
struct SealedModelLoader: Sendable {
    let vault: VaultReader
    let keyring: EnclaveKeyring
    /// The public vocabulary (`models.directory`): only the weights are sealed.
    let modelFiles: ModelFiles
    let cacheDirectory: String
    let wrapping: RunnerWrapping

    func load(_ id: Bytes32) async throws(SealedModelLoadError) -> ServedSealedModel {
        let entry: VaultModel
        do { entry = try await vault.model(id) } catch { throw .unreadable(id, "the vault could not be read: \(error)") }
        guard entry.exists else { throw .unknown(id) }
        guard entry.engine == ModelIdentity.engineVersion, let task = InferenceTask(rawValue: entry.task) else {
            throw .unsupported(id, engine: entry.engine, task: entry.task)
        }
        let (key, opened) = try await openEpoch(entry, id: id)
        var plaintext = opened
        let identity = ModelIdentity(
            weightsSHA256: entry.plaintextHash, vocabularySHA256: ModelIdentity.allMiniLML6V2.vocabularySHA256, engineVersion: entry.engine)
        // The engine takes the plaintext over (wiping this copy) and wipes its own when it is released.
        let engine: EmbeddedEngine
        do { engine = try EmbeddedEngine(decryptedWeights: &plaintext, label: "sealed model \(id)", files: modelFiles, identity: identity) } catch {
            throw .engine(id, "\(error)")
        }
        if let policy = entry.policy {
            do { try policy.validate() } catch { throw .policy(id, "\(error)") }
            guard policy.sensitivities[task] != nil else { throw .policy(id, "its policy does not release \(task.rawValue) outputs") }
        }
        return ServedSealedModel(
            id: id, task: task, runner: wrapping.engine(InferenceWorker(engine: engine)), policy: entry.policy, epoch: entry.epoch, key: key)
    }

    /// The key of the vault's current epoch of `id`, after a rotation: unwrapped inside the enclave and accepted
    /// only once it opened that epoch's sealed file into the registered plaintext (so an owner cannot hand
    /// enclaves different keys for one epoch: their noise would differ and honest nodes would be disputed).
    /// The plaintext is wiped at once; the engine loaded at start keeps serving, the weights being the same.
    func key(ofCurrentEpochOf id: Bytes32) async throws(SealedModelLoadError) -> (epoch: UInt256, key: ModelKey) {
        let entry: VaultModel
        do { entry = try await vault.model(id) } catch { throw .unreadable(id, "the vault could not be read: \(error)") }
        guard entry.exists else { throw .unknown(id) }
        var (key, plaintext) = try await openEpoch(entry, id: id)
        plaintext.withUnsafeMutableBytes { explicit_bzero($0.baseAddress!, $0.count) }
        return (entry.epoch, key)
    }

    /// Unwraps the key of `entry`'s epoch wrapped to this enclave and opens the epoch's sealed file with it,
    /// against the vault's hashes.
    private func openEpoch(_ entry: VaultModel, id: Bytes32) async throws(SealedModelLoadError) -> (key: ModelKey, plaintext: [UInt8]) {
        let signer = await keyring.signer
        let wrapped: [UInt8]?
        do { wrapped = try await vault.wrappedKey(id, epoch: entry.epoch, signer: signer) } catch {
            throw .unreadable(id, "the vault could not be read: \(error)")
        }
        guard let wrapped else { throw .noKey(id, epoch: entry.epoch, signer: signer) }
        let key: ModelKey
        do { key = try await keyring.unwrapModelKey(wrapped, model: id, epoch: entry.epoch) } catch {
            throw .keyRefused(id, "\(error)")
        }
        let path = try await localFile(entry, id: id)
        do {
            return (key, try SealedModel.open(path, key: key, expectedPlaintext: entry.plaintextHash, expectedSealed: entry.sealedHash))
        } catch {
            throw .sealedFile(id, "\(error)")
        }
    }

    /// The sealed file on this machine: the path itself, or the URL's download in the cache folder (named by
    /// its hash, so a file already fetched is reused; `SealedModel.open` checks the hash either way).
    private func localFile(_ entry: VaultModel, id: Bytes32) async throws(SealedModelLoadError) -> String {
        let location = entry.location
        guard location.hasPrefix("http://") || location.hasPrefix("https://") else {
            guard location.hasPrefix("/") else { throw .location(id, location) }
            return location
        }
        let cached = cacheDirectory + "/" + Hex.encode(entry.sealedHash.bytes, prefix: false) + ".sealed"
        if FileManager.default.fileExists(atPath: cached) { return cached }
        do {
            try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
            let partial = cached + ".part"
            guard FileManager.default.createFile(atPath: partial, contents: nil), let handle = FileHandle(forWritingAtPath: partial) else {
                throw SealedModelLoadError.fetch(id, location, "cannot write \(partial)")
            }
            defer { try? handle.close() }
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: location), timeout: .seconds(600))
            guard response.status == .ok else { throw SealedModelLoadError.fetch(id, location, "HTTP \(response.status.code)") }
            for try await buffer in response.body { try handle.write(contentsOf: Data(buffer.readableBytesView)) }
            try handle.close()
            try FileManager.default.moveItem(atPath: partial, toPath: cached)
            return cached
        } catch let error as SealedModelLoadError {
            throw error
        } catch {
            throw .fetch(id, location, "\(error)")
        }
    }
}

/// Why a sealed model cannot be served. Never carries the key or the weights.
enum SealedModelLoadError: Error, CustomStringConvertible {
    case unreadable(Bytes32, String)
    case unknown(Bytes32)
    case unsupported(Bytes32, engine: String, task: String)
    case noKey(Bytes32, epoch: UInt256, signer: Address)
    case keyRefused(Bytes32, String)
    case location(Bytes32, String)
    case fetch(Bytes32, String, String)
    case sealedFile(Bytes32, String)
    case engine(Bytes32, String)
    case policy(Bytes32, String)

    var description: String {
        switch self {
        case .unreadable(let id, let why): "sealed model \(id): \(why)"
        case .unknown(let id): "sealed model \(id) is not in the model vault; check models.sealed against the owner's registerModel"
        case .unsupported(let id, let engine, let task):
            "sealed model \(id) is for engine '\(engine)', task '\(task)'; this node runs \(ModelIdentity.engineVersion) with tasks \(InferenceTask.allCases.map(\.rawValue).joined(separator: ", "))"
        case .noKey(let id, let epoch, let signer):
            "no key of epoch \(epoch) of sealed model \(id) is wrapped to this enclave (\(signer)); `cloister node register` asks for it, and the owner or an enclave holding it publishes it"
        case .keyRefused(let id, let why): "the key of sealed model \(id) wrapped to this enclave does not open: \(why)"
        case .location(let id, let location): "sealed model \(id) is at '\(location)', which is neither an absolute path nor an http(s) URL"
        case .fetch(let id, let location, let why): "sealed model \(id) could not be fetched from \(location): \(why)"
        case .sealedFile(let id, let why): "sealed model \(id): \(why)"
        case .engine(let id, let why): "sealed model \(id) does not load: \(why)"
        case .policy(let id, let why): "sealed model \(id) has a privacy policy this node cannot apply: \(why)"
        }
    }
}

/// The sealed models a node serves, by model id, the keys it holds for them, and the vault that names them
/// (nil when the deployment has none).
struct SealedModels: Sendable {
    var served: [Bytes32: ServedSealedModel] = [:]
    var vault: VaultReader? = nil
    var keys = SealedModelKeys([])

    init(served: [Bytes32: ServedSealedModel] = [:], vault: VaultReader? = nil) {
        self.served = served
        self.vault = vault
        keys = SealedModelKeys(Array(served.values))
    }
}

/// The model keys a node holds, by model and key epoch: the executor takes the one a private request was
/// made under, the key holder passes the newest on. Earlier epochs' keys are kept, since requests made under
/// them may still be verified or disputed; a key joins only after it opened its epoch's sealed file.
actor SealedModelKeys {
    private var keys: [Bytes32: [UInt256: ModelKey]] = [:]

    init(_ served: [ServedSealedModel]) {
        for model in served { keys[model.id, default: [:]][model.epoch] = model.key }
    }

    func key(_ model: Bytes32, epoch: UInt256) -> ModelKey? { keys[model]?[epoch] }

    /// The newest epoch held for `model` and its key.
    func newest(_ model: Bytes32) -> (epoch: UInt256, key: ModelKey)? {
        guard let held = keys[model], let epoch = held.keys.max() else { return nil }
        return (epoch, held[epoch]!)
    }

    func add(_ key: ModelKey, model: Bytes32, epoch: UInt256) { keys[model, default: [:]][epoch] = key }

    /// Epochs whose key was wrapped to this enclave but did not open the epoch's file: requests made under
    /// them are refused (status 5) rather than retried for a key that will not come.
    private var refused: Set<String> = []

    func refuse(_ model: Bytes32, epoch: UInt256) { refused.insert("\(model.hex):\(epoch)") }

    func isRefused(_ model: Bytes32, epoch: UInt256) -> Bool { refused.contains("\(model.hex):\(epoch)") }
}

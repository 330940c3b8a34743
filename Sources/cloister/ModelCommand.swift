import ArgumentParser
import CloisterNode
import Enclave
import Ethereum
import Foundation
import Secp256k1

/// `cloister model`: a model owner's tools.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Tools for model owners: seal a model's weights for attested enclaves and wrap its key to the first one.",
        subcommands: [ModelSealCommand.self, ModelWrapKeyCommand.self, ModelStatusCommand.self]
    )
}

/// `cloister model seal --input FILE --output FILE.sealed --key-file KEY [--new-key] [--owner 0x… --engine E --task T]`: AES-256-GCM in chunks
/// (`docs/model-sealing.md`). Prints the two hashes that name the sealed model, never the key.
struct ModelSealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Encrypt a model file in chunks under a model key; print the plaintext's and the sealed file's SHA-256."
    )

    @Option(help: "The model file to seal (e.g. model.safetensors).")
    var input: String
    @Option(help: "The sealed file to create (refused if it exists).")
    var output: String
    @Option(help: "The model key: 64 hex digits in a file (written by --new-key).")
    var keyFile: String
    @Flag(help: "Generate a new random model key and write it to --key-file (refused if it exists), readable by you only.")
    var newKey = false
    @Option(help: "Plaintext bytes per chunk (1024 to 67108864).")
    var chunkSize = SealedModel.defaultChunkSize
    @Option(help: "With --engine and --task: the address that will register the model (its owner), for the model id.")
    var owner: String?
    @Option(help: "With --owner and --task, also print the model id for this engine version.")
    var engine: String?
    @Option(help: "With --owner and --engine, also print the model id for this task.")
    var task: String?

    func validate() throws {
        let given = [owner, engine, task].compactMap { $0 }.count
        guard given == 0 || given == 3 else { throw ValidationError("--owner, --engine and --task go together (the model id needs all three)") }
        if let owner, (try? Address(hex: owner)) == nil { throw ValidationError("--owner: not an address (0x and 40 hex digits)") }
    }

    func run() throws {
        let key: ModelKey
        if newKey {
            key = ModelKey.generate()
            try key.withUnsafeBytes { secret in
                var bytes = Array(secret)
                defer { OperatorKeyFiles.wipe(&bytes) }
                try OperatorKeyFiles.writeHexSecret32(bytes, at: keyFile)
            }
        } else {
            var bytes = try OperatorKeyFiles.hexSecret32(at: keyFile, holding: "a 32-byte model key as hex")
            defer { OperatorKeyFiles.wipe(&bytes) }
            key = try ModelKey(bytes: bytes)
        }
        let digests = try SealedModel.seal(input: input, output: output, key: key, chunkSize: chunkSize)
        var object: [String: Any] = [
            "plaintext_sha256": digests.plaintext.description, "sealed_sha256": digests.sealed.description,
            "plaintext_length": digests.plaintextLength, "chunk_size": digests.chunkSize
        ]
        if let owner, let engine, let task {
            object["model_id"] = digests.modelID(owner: try Address(hex: owner), engine: engine, task: task).description
        }
        print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
    }
}

/// `cloister model wrap-key --key-file KEY --model 0xID --epoch N --recipient-key 0x<x ‖ y>`: the owner wraps the
/// model key to an enrolled enclave's key for one epoch (`docs/model-sealing.md`, "Releasing the key to enclaves")
/// and publishes the printed `wrapped` with the vault's `publishKey`. Prints the wrap and the recipient's
/// address, never the key.
struct ModelWrapKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wrap-key",
        abstract: "Wrap a model key to an enrolled enclave's public key for one model and key epoch (for the vault's publishKey).",
        discussion: "Only wrap to a key the vault shows enrolled for the model (its KeyRequested event): whoever holds that key can open the wrap."
    )

    @Option(help: "The model key: 64 hex digits in a file (as `cloister model seal --new-key` writes it).")
    var keyFile: String
    @Option(help: "The model id (0x and 64 hex digits).")
    var model: String
    @Option(help: "The key epoch (decimal; 1 at registration, +1 with every rotation).")
    var epoch: String
    @Option(help: "The enclave's public key as enrolled in the vault: 0x and 128 hex digits (x ‖ y).")
    var recipientKey: String

    func run() throws {
        let modelID: Bytes32
        do { modelID = try Bytes32(hex: model) } catch { throw ValidationError("--model: not a model id (0x and 64 hex digits)") }
        let keyEpoch: UInt256
        do { keyEpoch = try UInt256(parsing: epoch) } catch { throw ValidationError("--epoch: not a decimal key epoch") }
        guard keyEpoch > 0 else { throw ValidationError("--epoch: key epochs start at 1") }
        let point: [UInt8]
        do { point = try Hex.decode(recipientKey, requirePrefix: true) } catch {
            throw ValidationError("--recipient-key: not hex (0x and 128 hex digits, x ‖ y)")
        }
        let recipient: PublicKey
        do { recipient = try ModelKeyWrap.recipientKey(point) } catch { throw ValidationError("--recipient-key: \(error)") }
        var bytes: [UInt8]
        do { bytes = try OperatorKeyFiles.hexSecret32(at: keyFile, holding: "a 32-byte model key as hex") } catch {
            throw CommandError("wrap-key: \(error)")
        }
        defer { OperatorKeyFiles.wipe(&bytes) }
        let key = try ModelKey(bytes: bytes)
        let wrapped: [UInt8]
        do { wrapped = try ModelKeyWrap.wrap(key, to: recipient, model: modelID, epoch: keyEpoch) } catch {
            throw CommandError("wrap-key: \(error)")
        }
        let object: [String: Any] = ["wrapped": Hex.encode(wrapped), "recipient": Address(publicKey: recipient).description]
        print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
    }
}

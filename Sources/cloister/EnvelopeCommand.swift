import ArgumentParser
import Enclave
import Ethereum
import Foundation
import Secp256k1

/// `cloister envelope …`: build and open confidential-request envelopes and encrypted outputs
/// (docs/envelope.md). Bytes travel as `0x` hex on stdin and in one JSON object on stdout.
struct EnvelopeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envelope",
        abstract: "Seal and open confidential inputs (envelopes) and encrypted outputs.",
        subcommands: [
            EnvelopeSealCommand.self, EnvelopeOpenCommand.self, EnvelopeKeyCommand.self,
            EnvelopeSealOutputCommand.self, EnvelopeOpenOutputCommand.self
        ]
    )
}

/// The request an envelope is bound to.
struct EnvelopeContextOptions: ParsableArguments {
    @Option(help: "EIP-155 chain id.")
    var chainID: UInt64

    @Option(help: "Oracle contract address.")
    var contract: String

    @Option(help: "Requester address (msg.sender of the request).")
    var requester: String

    @Option(help: "Public key (hex, compressed or uncompressed) the output is encrypted to.")
    var outputKey: String

    func context() throws -> EnvelopeContext {
        EnvelopeContext(
            chainID: chainID, contract: try parseAddress(contract), requester: try parseAddress(requester),
            outputKey: try parsePublicKey(outputKey))
    }
}

/// The request an encrypted output answers.
struct OutputContextOptions: ParsableArguments {
    @Option(help: "EIP-155 chain id.")
    var chainID: UInt64

    @Option(help: "Oracle contract address.")
    var contract: String

    @Option(help: "Request id (32 bytes hex).")
    var requestID: String

    func context() throws -> OutputContext {
        guard let id = try? Bytes32(hex: requestID) else { throw CommandError("--request-id must be 32 bytes of hex") }
        return OutputContext(chainID: chainID, contract: try parseAddress(contract), requestID: id)
    }
}

/// The enclave's sealed keyring and (simulation-grade) sealing secret.
struct KeyringOptions: ParsableArguments {
    @Option(help: "Sealed keyring file (created with a new key if missing).")
    var keyring: String

    @Option(help: "Simulated TEE sealing secret file (created if missing). Simulation-grade only.")
    var sealingSecret: String

    func open() throws -> EnclaveKeyring {
        do {
            return try EnclaveKeyring(path: keyring, sealing: SimulatedSealingKeySource(secretPath: sealingSecret))
        } catch {
            throw CommandError("cannot load the enclave keyring: \(error)")
        }
    }
}

func parseAddress(_ text: String) throws -> Address {
    do { return try Address(hex: text) } catch { throw CommandError("invalid address \(text): \(error)") }
}

/// A secp256k1 public key in hex: 33 bytes compressed, 65 uncompressed, or the registry's 64 bytes
/// (x‖y, as `NodeAttested.publicKey` and `cloister node status` show it).
func parsePublicKey(_ text: String) throws -> PublicKey {
    guard var bytes = try? Hex.decode(text) else { throw CommandError("public key \(text) is not hex") }
    if bytes.count == 64 { bytes = [0x04] + bytes }
    guard let key = try? PublicKey(bytes: bytes) else {
        throw CommandError("\(text) is not a secp256k1 public key (33, 64 or 65 bytes of hex on the curve)")
    }
    return key
}

/// Standard input as bytes; with `hex`, decoded from `0x` hex (surrounding whitespace ignored).
func readStandardInput(hex: Bool) throws -> [UInt8] {
    let data = Array(FileHandle.standardInput.readDataToEndOfFile())
    guard hex else { return data }
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    do { return try Hex.decode(text) } catch { throw CommandError("standard input is not hex: \(error)") }
}

/// Prints string fields as one JSON object with sorted keys.
func printJSON(_ fields: [String: String]) throws {
    let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

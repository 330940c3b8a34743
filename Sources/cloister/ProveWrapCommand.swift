import CloisterNode
import ArgumentParser
import ChainClient
import CloisterClient
import Ethereum

/// `cloister prove-wrap --id 0x… --secrets PATH --node N`: prove on chain that a node that answered
/// "decryption failed" could open its wrap of your envelope (`Arbiter.proveWrap`); it is slashed if so.
struct ProveWrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove-wrap",
        abstract: "Prove on chain that a node's wrap of your envelope was good after it answered \"decryption failed\" (it is slashed, you are refunded).",
        discussion: "Reveals that node's ephemeral wrap secret, which decrypts your input: the input is public afterwards."
    )

    @OptionGroup var chain: ChainOptions

    @OptionGroup var wallet: KeystoreOptions

    @Option(help: "The request id (0x and 64 hex digits).")
    var id: String

    @Option(help: "The file `cloister request --encrypt --save-wrap-secrets` wrote.")
    var secrets: String

    @Option(help: "The node id that answered status 3.")
    var node: String

    func run() async throws {
        let requestID = try parseRequestID(id)
        let nodeID: UInt256
        do { nodeID = try UInt256(parsing: node) } catch { throw ValidationError("--node: not a decimal node id") }
        let key = try OperatorKeyFiles.decrypt(keystore: wallet.keystore, passwordFile: wallet.passwordFile)
        let file: WrapSecretsFile
        do { file = try WrapSecretsFile.load(path: secrets, openingWith: key) } catch { throw CommandError("\(error)") }
        guard file.requestID == requestID else { throw CommandError("prove-wrap: \(WrapProofError.otherRequest(file.requestID))") }
        let (client, loaded) = try chain.connect()
        do {
            let logs = try await Requester(client: client, deployment: loaded, key: key).proveWrap(node: nodeID, secrets: file)
            print("proveWrap of node \(nodeID) for \(requestID) included (\(logs.count) logs): its wrap opened, so its status 3 was false")
        } catch {
            throw CommandError("prove-wrap: \(error)")
        }
    }
}

import ArgumentParser
import ChainClient
import CloisterClient
import Ethereum

/// `cloister refund --id 0x…`: take back the fee of a request that was not answered before its deadline.
struct RefundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refund",
        abstract: "Refund a request nobody answered before its deadline (the fee is credited to you; the node's timeout slash is burned)."
    )

    @Option(help: "JSON-RPC URL of the chain.")
    var rpc: String

    @Option(help: "The deployment file written by scripts/deploy.py.")
    var deployment: String

    @OptionGroup var wallet: KeystoreOptions

    @Option(help: "The request id (0x and 64 hex digits), as `cloister request` printed it.")
    var id: String

    func run() async throws {
        let requestID: Bytes32
        do { requestID = try Bytes32(hex: id) } catch { throw ValidationError("--id is not 32 bytes of hex: \(id)") }
        let key = try OperatorKeyFiles.decrypt(keystore: wallet.keystore, passwordFile: wallet.passwordFile)
        let loaded: Deployment
        do { loaded = try Deployment.load(path: deployment) } catch { throw CommandError("\(error)") }
        let client = try ChainClient(configuration: ChainClientConfiguration(url: rpc))
        do {
            let refund = try await Requester(client: client, deployment: loaded, key: key).refund(requestID)
            print("refunded \(refund.requestID): fee \(refund.fee) wei credited to \(Address(publicKey: key.publicKey)) (collect with withdraw()); "
                  + "\(refund.slashed) wei slashed from the node and burned")
        } catch let error as RequestError {
            throw CommandError("refund: \(error)")
        }
    }
}

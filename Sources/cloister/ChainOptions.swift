import ArgumentParser
import ChainClient
import CloisterClient
import Ethereum

/// `--rpc` and `--deployment`, shared by the commands a dApp developer runs against a deployment.
struct ChainOptions: ParsableArguments {
    @Option(help: "JSON-RPC URL of the chain.")
    var rpc: String

    @Option(help: "The deployment file written by scripts/deploy.py (`make demo` writes deployments/31337.json).")
    var deployment: String

    /// The deployment file and a client for the chain; errors are the command's, in plain words.
    func connect() throws -> (client: RPCClient, deployment: Deployment) {
        let loaded: Deployment
        do { loaded = try Deployment.load(path: deployment) } catch { throw CommandError("\(error)") }
        do {
            return (try RPCClient(configuration: RPCClientConfiguration(url: rpc)), loaded)
        } catch {
            throw CommandError("--rpc \(rpc) is not a usable JSON-RPC URL: \(error)")
        }
    }
}

/// A request id given on the command line.
func parseRequestID(_ text: String) throws -> Bytes32 {
    do { return try Bytes32(hex: text) } catch { throw ValidationError("--id is not 32 bytes of hex (0x and 64 hex digits): \(text)") }
}

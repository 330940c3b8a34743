import CloisterNode
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

    @OptionGroup var chain: ChainOptions

    @OptionGroup var wallet: KeystoreOptions

    @Option(help: "The request id (0x and 64 hex digits), as `cloister request` printed it.")
    var id: String

    func run() async throws {
        let requestID = try parseRequestID(id)
        let key = try OperatorKeyFiles.decrypt(keystore: wallet.keystore, passwordFile: wallet.passwordFile)
        let (client, loaded) = try chain.connect()
        do {
            let refund = try await Requester(client: client, deployment: loaded, key: key).refund(requestID)
            let collect =
                refund.creditedTo == Address(publicKey: key.publicKey)
                ? "collect it with withdraw() from this wallet" : "the requesting contract collects it with the core's withdraw()"
            print(
                "refunded \(refund.requestID): fee \(refund.fee) wei credited to the requester \(refund.creditedTo) (\(collect)); "
                    + "\(refund.slashed) wei slashed from the node and burned")
        } catch let error as RequestError {
            throw CommandError("refund: \(error)")
        }
    }
}

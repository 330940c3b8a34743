import ArgumentParser
import Ethereum

/// Decodes a raw signed transaction (legacy or type 2) and recovers its sender.
struct TxDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Print the fields, hash and recovered sender of a raw signed transaction."
    )

    @Argument(help: "The raw transaction as hex, as passed to eth_sendRawTransaction.")
    var raw: String

    @Flag(help: "Print one JSON object with the fields named and encoded as JSON-RPC returns them.")
    var json = false

    func run() throws {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(raw) } catch { throw CommandError("not hex data: \(error)") }
        let transaction: SignedTransaction
        do { transaction = try SignedTransaction(rawBytes: bytes) } catch { throw CommandError("not a valid transaction: \(error)") }
        let sender: Address
        do { sender = try transaction.recoverSender() } catch { throw CommandError("cannot recover the sender: \(error)") }
        let fields = TransactionFields(transaction, sender: sender)
        print(json ? fields.json : fields.text)
    }
}

import ArgumentParser
import Ethereum

/// `cloister keccak 0x… | --text …`: the Keccak-256 digest of hex data or of UTF-8 text.
struct KeccakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keccak",
        abstract: "Print the Keccak-256 digest of hex data or text."
    )

    @Argument(help: "Hex data (with or without 0x), or the text with --text.")
    var input: String

    @Flag(name: .long, help: "Hash the argument's UTF-8 bytes instead of decoding it as hex.")
    var text = false

    func run() throws {
        let bytes: [UInt8]
        if text {
            bytes = Array(input.utf8)
        } else {
            do { bytes = try Hex.decode(input) } catch {
                throw ValidationError("not hex data (\(error)); pass --text to hash it as text")
            }
        }
        print(Keccak256.hash(bytes).hex)
    }
}

import ArgumentParser
import Attestation
import Foundation

/// `cloister attest show --quote FILE [--json]`: the parsed quote, without verifying anything.
struct AttestShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a quote's header, report body, REPORTDATA split and PCK chain subjects (unverified)."
    )

    @Option(help: "The raw quote file.")
    var quote: String

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let parsed: Quote
        do { parsed = try Quote(bytes: try AttestFiles.read(quote)) } catch let error as QuoteParseError {
            throw CommandError("malformed quote: \(error)")
        }
        let summary = QuoteSummary(parsed)
        print(json ? try AttestFiles.json(summary) : summary.text)
    }
}

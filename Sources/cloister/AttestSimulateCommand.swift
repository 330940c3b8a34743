import ArgumentParser
import Attestation
import Ethereum
import Foundation

/// `cloister attest simulate …`: a simulated TDX quote, its collateral and the simulation root, for
/// development and test vectors. Refused on public chains; the output proves nothing.
struct AttestSimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a simulated TDX quote, its collateral and the simulation root CA (never for public chains)."
    )

    @Option(help: "Seed text for the simulation PKI (the same seed gives the same keys).")
    var seed: String

    @Option(help: "The chain the quote is meant for; public chain ids are refused.")
    var chainID: UInt64

    @Option(help: "The acknowledgement sentence, verbatim: \"\(SimulationConsent.acknowledgement)\".")
    var acknowledge: String

    @Option(help: "REPORTDATA as 64 bytes of hex.")
    var reportData: String

    @Option(help: "When the collateral is issued (RFC 3339 or Unix seconds); it is valid for 30 days.")
    var issued: String

    @Option(help: "Output folder: quote, collateral.json and root_ca.pem are written there.")
    var out: String

    func run() async throws {
        let consent: SimulationConsent
        do { consent = try SimulationConsent(chainID: chainID, acknowledgement: acknowledge) } catch {
            throw CommandError(error.description)
        }
        let data: [UInt8]
        do { data = try Hex.decode(reportData) } catch { throw CommandError("--report-data: not hex (\(error))") }
        do {
            let provider = try SimulatedTDXProvider(consent: consent, seed: Array(seed.utf8))
            let quote = try await provider.quote(reportData: data)
            let collateral = try provider.collateral(issued: try AttestFiles.time(issued))
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(quote).write(to: folder.appendingPathComponent("quote"))
            try Data(collateral.jsonBytes()).write(to: folder.appendingPathComponent("collateral.json"))
            try Data(try provider.pki.trustAnchor.pemEncoded().utf8)
                .write(to: folder.appendingPathComponent("root_ca.pem"))
        } catch let error as AttestationProviderError {
            throw CommandError(error.description)
        }
    }
}

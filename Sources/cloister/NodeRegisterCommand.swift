import ArgumentParser
import CloisterNode
import Ethereum

/// `cloister node register --config cloister.toml --committee URL…`: attest the enclave key, collect
/// the committee's acceptances and register with the stake.
struct NodeRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register this node's enclave key on chain (does nothing if it is registered already, unless --renew)."
    )

    @OptionGroup var options: NodeConfigurationOption

    @OptionGroup var attestation: AttestationRequestOptions

    @Option(help: "Stake to deposit, in wei (default: the registry's minimum stake).")
    var stakeWei: String?

    @Flag(help: "Re-attest an existing registration with a fresh quote and expiry (a running node picks it up within 50 poll intervals, at least 5 s).")
    var renew = false

    @Option(help: "Seconds to wait for the keys of the sealed models in models.sealed; a model whose key has not arrived by then is left out of the registration.")
    var keyWaitSeconds: UInt64 = 120

    func run() async throws {
        let configuration = try options.load()
        let key = try options.operatorKey(configuration)
        let stake: UInt256?
        do { stake = try stakeWei.map { try UInt256(parsing: $0) } } catch { throw CommandError("--stake-wei: not a decimal amount of wei") }
        let logger = try CommandLogging.logger("cloister.register", format: configuration.log.format)
        do {
            let summary = try await EnclaveRegistration.register(
                configuration: configuration, operatorKey: key, committeeURLs: attestation.committeeURLs,
                stakeWei: stake, validitySeconds: attestation.validitySeconds, renew: renew,
                keyWait: .seconds(Int64(min(keyWaitSeconds, 86_400))), logger: logger)
            print(summary)
        } catch {
            throw CommandError("node register: \(error)")
        }
    }
}

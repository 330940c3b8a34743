import ArgumentParser
import Attestation
import ChainClient
import CloisterClient
import Foundation

/// What a requester trusts when it verifies nodes' quotes: Intel's root with collateral from a file
/// (fetched from a PCCS), or, on a development chain only, the simulated TEE's root.
struct AttestationTrustOptions: ParsableArguments {
    @Option(help: "Collateral JSON for the nodes' platform (the format of `cloister attest verify --collateral`).")
    var collateral: String?

    @Flag(help: "Trust the simulated TEE's root instead of Intel's (development chains only; refused on public chains).")
    var allowSimulated = false

    @Option(help: "Seed text of the simulated TEE (the nodes' enclave.simulation_seed).")
    var simulationSeed = "cloister-dev"

    func attestationCheck(client: RPCClient, deployment: Deployment) throws -> AttestationCheck {
        if allowSimulated {
            let consent = try SimulationConsent(chainID: deployment.chainID, acknowledgement: SimulationConsent.acknowledgement)
            FileHandle.standardError.write(Data("WARNING: \(consent.banner)\n".utf8))
            let pki = try SimulationPKI(seed: Array(simulationSeed.utf8))
            return AttestationCheck(client: client, deployment: deployment, verifier: DCAPVerifier(trustAnchor: pki.trustAnchor)) { _ in
                try pki.collateral(issued: Date().addingTimeInterval(-3_600))
            }
        }
        guard let collateral else {
            throw ValidationError("give --collateral FILE (from your PCCS) to verify the nodes' quotes against Intel's root")
        }
        let evidence = try QuoteCollateral(json: try AttestFiles.read(collateral))
        return AttestationCheck(client: client, deployment: deployment, verifier: DCAPVerifier()) { _ in evidence }
    }
}

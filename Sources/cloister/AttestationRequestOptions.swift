import ArgumentParser

/// `--committee URL… [--validity-days N]`: who vouches for a new attestation, and for how long it holds.
struct AttestationRequestOptions: ParsableArguments {
    @Option(name: .customLong("committee"), help: "An attestation committee member's URL (repeat for each member whose signature is needed).")
    var committeeURLs: [String]

    @Option(help: "How long the attestation holds before it must be renewed, in days (at most the registry's maximum).")
    var validityDays: UInt64 = 7

    func validate() throws {
        guard !committeeURLs.isEmpty else { throw ValidationError("give at least one --committee URL") }
        guard (1...365).contains(validityDays) else { throw ValidationError("--validity-days must be between 1 and 365") }
    }

    var validitySeconds: UInt64 { validityDays * 86_400 }
}

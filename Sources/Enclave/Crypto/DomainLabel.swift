/// The labels that keep every derived key to one purpose (HKDF `info` prefixes, or the first bytes of a
/// Keccak-256 input). Changing one is a format change.
enum DomainLabel {
    /// The envelope's key commitment: `keccak256(label ‖ D)` (format version 2).
    static let envelopeKey = Array("cloister/v2/envelope/key".utf8)
    /// Per-recipient wrap of the data key: `keccak256(label ‖ keccak256(KH) ‖ address(S) ‖ E ‖ P)` (version 2).
    static let envelopeWrap = Array("cloister/v2/envelope/wrap".utf8)
    /// The payload key, derived from the data key (unchanged since version 1).
    static let envelopePayload = Array("cloister/v1/envelope/payload".utf8)
    /// The output commitment salt, derived from the data key.
    static let commitmentSalt = Array("cloister/v1/commitment-salt".utf8)
    /// The ECIES encryption of an output to the requester.
    static let output = Array("cloister/v1/output".utf8)
    /// The key that seals the enclave keyring, derived from the TEE's sealing secret.
    static let keyringSealing = Array("cloister/v1/keyring-sealing".utf8)
}

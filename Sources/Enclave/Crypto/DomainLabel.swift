/// The HKDF `info` labels that keep every derived key to one purpose. Changing one is a format change.
enum DomainLabel {
    /// Per-recipient wrap of the data key.
    static let envelopeWrap = Array("cloister/v1/envelope/wrap".utf8)
    /// The payload key, derived from the data key.
    static let envelopePayload = Array("cloister/v1/envelope/payload".utf8)
    /// The output commitment salt, derived from the data key.
    static let commitmentSalt = Array("cloister/v1/commitment-salt".utf8)
    /// The ECIES encryption of an output to the requester.
    static let output = Array("cloister/v1/output".utf8)
    /// The key that seals the enclave keyring, derived from the TEE's sealing secret.
    static let keyringSealing = Array("cloister/v1/keyring-sealing".utf8)
}

/// An endless stream of bytes the samplers draw from, one byte at a time. The enclave's is keyed by
/// the model key (`Enclave.NoiseStream`); tests may use any deterministic stream. Whatever the source,
/// the samplers turn the same bytes into the same draws on every machine: they use integer
/// arithmetic only.
package protocol NoiseByteSource {
    mutating func nextByte() -> UInt8
}

import Ethereum

extension EmbeddedEngine {
    /// keccak256 of the text's unit-length float64 embedding (384 big-endian IEEE-754 bit patterns):
    /// a fingerprint of the engine's arithmetic far finer than the int8 output, for comparing
    /// builds and machines (scripts/check_build_determinism.sh).
    public func embeddingDigest(_ text: String) -> Bytes32 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(384 * 8)
        for value in embeddings([text])[0] {
            let bits = value.bitPattern
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        }
        return Keccak256.hash(bytes)
    }
}

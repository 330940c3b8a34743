/// The fixed-point formats of task outputs. Changing either changes every output, so it
/// belongs to the engine version (`ModelIdentity.engineVersion`).
enum OutputScales {
    /// int8 embedding value = clamp(round(v · 256), −127, 127). Unit-length 384-dimensional
    /// vectors of this model have components within ±0.3, so ±127/256 ≈ ±0.496 never clips in practice.
    static let embedding = 256.0
    /// Scores are cosine · 10⁶.
    static let score = 1_000_000.0

    static func quantize(_ embedding: [Double]) -> [Int8] {
        embedding.map { Int8(max(-127, min(127, roundHalfAway($0 * Self.embedding)))) }
    }

    static func score(_ first: [Double], _ second: [Double]) -> Int {
        var dot = 0.0
        for (a, b) in zip(first, second) { dot = dot.addingProduct(a, b) }
        return Int(roundHalfAway(dot * Self.score))
    }

    private static func roundHalfAway(_ value: Double) -> Double {
        value.rounded(.toNearestOrAwayFromZero)
    }
}

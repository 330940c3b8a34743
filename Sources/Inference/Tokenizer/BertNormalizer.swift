import Foundation

/// The reference BERT normaliser for an uncased model: clean the text, isolate CJK ideographs,
/// strip accents (canonical decomposition, then drop nonspacing marks), lower-case. The steps run
/// in that order, as in Hugging Face `tokenizers`, so that marks produced by lower-casing
/// (for example U+0130 → "i̇") survive exactly as they do there.
struct BertNormalizer: Sendable {
    func normalize(_ text: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text {
            if scalar.value == 0 || scalar.value == 0xFFFD || scalar.isBertControl { continue }
            if scalar.isBertWhitespace {
                cleaned.append(" ")
            } else if scalar.isBertCJK {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        var result: [Unicode.Scalar] = []
        for scalar in Self.canonicalDecomposition(cleaned) where !scalar.isBertNonspacingMark {
            result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return result
    }

    /// Scalars whose canonical decomposition the reference's tables lack (added after them).
    private static let undecomposed: Set<Unicode.Scalar> = ["\u{11938}"]

    /// NFD, except that the scalars in `undecomposed` stay as they are. Splitting around them is
    /// exact: they are starters, so canonical reordering never moves anything across them.
    private static func canonicalDecomposition(_ scalars: String.UnicodeScalarView) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        var run = String.UnicodeScalarView()
        func flush() {
            result.append(contentsOf: String(run).decomposedStringWithCanonicalMapping.unicodeScalars)
            run = String.UnicodeScalarView()
        }
        for scalar in scalars {
            if undecomposed.contains(scalar) {
                flush()
                result.append(scalar)
            } else {
                run.append(scalar)
            }
        }
        flush()
        return result
    }
}

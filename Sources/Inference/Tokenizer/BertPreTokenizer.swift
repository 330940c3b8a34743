/// Splits normalised text into words: whitespace separates words and is dropped; every
/// punctuation character becomes a word of its own.
struct BertPreTokenizer: Sendable {
    func words(_ scalars: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var words: [ArraySlice<Unicode.Scalar>] = []
        var start = scalars.startIndex
        for index in scalars.indices {
            let scalar = scalars[index]
            guard scalar.isBertWhitespace || scalar.isBertPunctuation else { continue }
            if start < index { words.append(scalars[start..<index]) }
            if scalar.isBertPunctuation { words.append(scalars[index...index]) }
            start = index + 1
        }
        if start < scalars.endIndex { words.append(scalars[start...]) }
        return words
    }
}

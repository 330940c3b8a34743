/// Greedy longest-match-first WordPiece: a word becomes the longest vocabulary prefix, then the
/// longest `##`-prefixed continuation, and so on; a word with an unmatched remainder, or longer
/// than `maxCharactersPerWord` scalars, becomes the unknown token.
///
/// Lookups compare UTF-8 bytes, never `String` equality, which would treat canonically
/// equivalent spellings (a Hangul syllable and its jamo) as the same token.
struct WordPiece: Sendable {
    let vocabulary: Vocabulary
    let maxCharactersPerWord = 100
    private static let continuationPrefix = Array("##".utf8)

    func pieces(of word: ArraySlice<Unicode.Scalar>, into ids: inout [Int32]) {
        guard word.count <= maxCharactersPerWord else {
            ids.append(vocabulary.unknownID)
            return
        }
        var wordIDs: [Int32] = []
        var start = word.startIndex
        while start < word.endIndex {
            guard let (id, end) = longestMatch(in: word, from: start) else {
                ids.append(vocabulary.unknownID)
                return
            }
            wordIDs.append(id)
            start = end
        }
        ids.append(contentsOf: wordIDs)
    }

    private func longestMatch(in word: ArraySlice<Unicode.Scalar>, from start: Int) -> (Int32, Int)? {
        var end = word.endIndex
        while end > start {
            var candidate = start == word.startIndex ? [] : Self.continuationPrefix
            for scalar in word[start..<end] { candidate.append(contentsOf: UTF8.encode(scalar)!) }
            if let id = vocabulary.id(ofUTF8: candidate) { return (id, end) }
            end -= 1
        }
        return nil
    }
}

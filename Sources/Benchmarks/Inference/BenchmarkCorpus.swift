/// The sentences `cloister bench inference` embeds: 64 sentences of 8 to about 40 tokens, built
/// deterministically from short phrases so both engines see exactly the same text.
package enum BenchmarkCorpus {
    private static let subjects = [
        "The committee", "A small robot", "My neighbour's cat", "The central bank", "Our research team",
        "An old fisherman", "The new smartphone", "A group of students"
    ]
    private static let actions = [
        "announced a plan", "quietly repaired the engine", "watched the storm roll in",
        "raised interest rates again", "published surprising results", "sold fresh fish at dawn",
        "drained its battery overnight", "organised a protest"
    ]
    private static let endings = [
        "", " after a long and difficult meeting that lasted well into the night",
        " near the harbour", " despite strong objections from several experts in the field, who warned of risks",
        " for the third time this year", " while everyone else was asleep",
        " because nobody else was willing to do it", " and then went home"
    ]

    package static let sentences: [String] = (0..<64).map { index in
        subjects[index % 8] + " " + actions[(index / 8 + index) % 8] + endings[(index * 3) % 8] + "."
    }
}

/// A command failure printed as one line on stderr, with a non-zero exit.
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

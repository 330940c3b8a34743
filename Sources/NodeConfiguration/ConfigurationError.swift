/// A configuration problem, named by its key, with what to do about it.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The dotted key, e.g. `chain.confirmations`, or `cloister.toml` for the file as a whole.
    public let key: String
    public let problem: String
    public let fix: String

    public init(key: String, problem: String, fix: String) {
        self.key = key
        self.problem = problem
        self.fix = fix
    }

    public var description: String { "config \(key): \(problem). Fix: \(fix)" }
}

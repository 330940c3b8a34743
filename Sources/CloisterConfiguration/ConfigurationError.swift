/// A configuration problem, named by its key, with what to do about it.
package struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The dotted key, e.g. `chain.confirmations`, or `cloister.toml` for the file as a whole.
    package let key: String
    package let problem: String
    package let fix: String

    package init(key: String, problem: String, fix: String) {
        self.key = key
        self.problem = problem
        self.fix = fix
    }

    package var description: String { "config \(key): \(problem). Fix: \(fix)" }
}

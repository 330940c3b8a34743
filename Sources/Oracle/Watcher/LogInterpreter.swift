import Ethereum

/// Turns the contract's logs into this node's jobs. The settlement contract's event layout lives in
/// the implementation, so the watcher only knows addresses, topics and blocks.
package protocol LogInterpreter: Sendable {
    /// The contracts whose logs matter.
    var addresses: [Address] { get }
    /// The first topics (event signatures) that matter.
    var eventTopics: [Bytes32] { get }
    /// The jobs `log` creates for this node: none when the event concerns other nodes.
    /// A log that does not decode is reported by throwing; the watcher records it and goes on.
    func jobs(from log: ChainLog) throws -> [Job]
}

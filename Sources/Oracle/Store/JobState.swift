/// Where a job stands. A job advances along
/// `observed → executing → executed → signed → submitted → included → confirmed → final`,
/// or ends in `failed` with a reason.
///
/// Every transition names the states it may come from, so applying one twice (after a crash, or by two
/// workers) is harmless: the second attempt finds the job already moved on and changes nothing.
package enum JobState: String, Sendable, Codable, CaseIterable {
    /// Seen on chain; nothing done yet.
    case observed
    /// Handed to the enclave. A crash here sends the job back to `observed`.
    case executing
    /// Output (or an error result) computed and committed to.
    case executed
    /// Signed by the enclave key; ready to be sent (again, if its transaction was abandoned unsent).
    case signed
    /// In a transaction that was written to the store and broadcast.
    case submitted
    /// That transaction is in a block.
    case included
    /// The block is at least the confirmation depth deep.
    case confirmed
    /// Past the challenge window: nothing can change it any more. A duty whose result needs no
    /// transaction (a challenge check that agreed with the posted result) ends here straight from `signed`.
    case final
    /// Given up, with a reason (deadline passed, fulfilled by another node, reverted).
    case failed

    /// The states a job may be in for a transition to `self` to apply.
    package var predecessors: Set<JobState> {
        switch self {
        case .observed: [.executing]
        case .executing: [.observed]
        case .executed: [.executing]
        case .signed: [.executed, .submitted]
        case .submitted: [.signed, .included]
        case .included: [.submitted]
        case .confirmed: [.included]
        case .final: [.confirmed, .signed]
        case .failed: [.observed, .executing, .executed, .signed, .submitted, .included]
        }
    }

    /// Whether the job's transaction may already be on the network.
    package var isSent: Bool {
        switch self {
        case .submitted, .included, .confirmed, .final: true
        case .observed, .executing, .executed, .signed, .failed: false
        }
    }
}

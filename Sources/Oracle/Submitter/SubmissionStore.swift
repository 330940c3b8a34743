import Ethereum

/// The store's side of sending results: every transaction is recorded with its jobs before it is
/// broadcast, and its fate is recorded on the jobs it carries, each in one database transaction.
package protocol SubmissionStore: Sendable {
    /// Records `transaction` and moves `jobs` from `signed` to `submitted` under its nonce. Refuses
    /// (returns false, changing nothing) if any job is no longer `signed`.
    func recordSubmission(_ transaction: OutgoingTransaction, jobs: [JobKey]) async throws -> Bool
    /// Records a replacement (same nonce, higher fees); earlier hashes stay known for receipt lookups.
    func recordReplacement(
        nonce: UInt64, hash: Bytes32, raw: [UInt8], maxFeePerGas: UInt256,
        maxPriorityFeePerGas: UInt256, sentAtBlock: UInt64) async throws
    /// Every hash ever broadcast for `nonce`, newest first.
    func hashes(ofNonce nonce: UInt64) async throws -> [Bytes32]
    func outgoing(in states: Set<OutgoingState>) async throws -> [OutgoingTransaction]
    /// Transactions in a block at or above `block` (included, confirmed or reverted), newest nonce first:
    /// those a reorg could still orphan.
    func inclusions(since block: UInt64) async throws -> [OutgoingTransaction]
    /// Every transaction recorded with `nonce` or a higher one, lowest first.
    func outgoing(fromNonce nonce: UInt64) async throws -> [OutgoingTransaction]
    /// The highest nonce recorded, if any.
    func highestNonce() async throws -> UInt64?
    /// The transaction is in `block`: its jobs move to `included`.
    func markIncluded(nonce: UInt64, hash: Bytes32, in block: BlockRef) async throws
    /// The inclusion was reorganised away: back to `pending` (its replacement wait counted from
    /// `sentAtBlock`), and its jobs back to `submitted`, including those its revert had failed: what they
    /// learnt from that block no longer holds.
    func markUnincluded(nonce: UInt64, sentAtBlock: UInt64) async throws
    /// At confirmation depth: its jobs move to `confirmed`.
    func markConfirmed(nonce: UInt64) async throws
    /// Included in `block` but reverted: its jobs fail with `reason`, except those whose request is in a
    /// later block (back on the chain after a reorg, after this transaction ran): they are `signed` again.
    func markReverted(nonce: UInt64, in block: BlockRef, reason: String) async throws
    /// Forgets a transaction that no node accepted (e.g. insufficient funds) so its jobs are sent
    /// again under the same nonce. Only the highest nonce may be abandoned, so no gap is left.
    func abandon(nonce: UInt64) async throws
}

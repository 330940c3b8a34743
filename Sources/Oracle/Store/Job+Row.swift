import Ethereum
import Foundation
import GRDB

/// A stored value that does not decode: the database was changed by something other than this store.
package struct StoreCorruption: Error, CustomStringConvertible, Sendable {
    package let column: String
    package init(column: String) { self.column = column }
    package var description: String { "job store: column \(column) holds a value this version cannot read" }
}

extension Row {
    func bytes32(_ column: String) throws -> Bytes32 {
        guard let data = self[column] as Data?, let value = Bytes32(data) else { throw StoreCorruption(column: column) }
        return value
    }

    func bytes32(at index: Int, _ column: String) throws -> Bytes32 {
        guard let data = self[index] as Data?, let value = Bytes32(data) else { throw StoreCorruption(column: column) }
        return value
    }

    func jobState() throws -> JobState {
        guard let text = self["state"] as String?, let state = JobState(rawValue: text) else { throw StoreCorruption(column: "state") }
        return state
    }

    func jobKey() throws -> JobKey {
        guard let text = self["role"] as String?, let role = JobRole(rawValue: text) else { throw StoreCorruption(column: "role") }
        return JobKey(requestID: try bytes32("request_id"), role: role)
    }
}

extension Job {
    /// The columns ``init(row:)`` reads, in the order it reads them: a job is read by position, since
    /// looking columns up by name cost more than the rest of decoding.
    static let columns = """
        request_id, role, model, request, block_number, block_hash, log_index, deadline, state, failure_reason, \
        output, error_code, commitment, attestation_digest, attestation_expiry, signature, tx_nonce, attempts, context
        """

    /// A job from a row selecting ``columns``.
    init(row: Row) throws {
        guard let roleText = row[1] as String?, let role = JobRole(rawValue: roleText) else { throw StoreCorruption(column: "role") }
        guard let stateText = row[8] as String?, let state = JobState(rawValue: stateText) else { throw StoreCorruption(column: "state") }
        self.init(
            key: JobKey(requestID: try row.bytes32(at: 0, "request_id"), role: role), model: try row.bytes32(at: 2, "model"),
            request: Array(row[3] as Data? ?? Data()),
            observedIn: BlockRef(number: UInt64(row[4] as Int64), hash: try row.bytes32(at: 5, "block_hash")),
            logIndex: UInt64(row[6] as Int64), deadline: UInt64(row[7] as Int64), state: state)
        failureReason = row[9]
        if let output = row[10] as Data?, let code = row[11] as Int64? {
            result = JobResult(
                output: Array(output), errorCode: UInt16(truncatingIfNeeded: code), commitment: try row.bytes32(at: 12, "commitment"),
                attestationDigest: try row.bytes32(at: 13, "attestation_digest"),
                attestationExpiry: UInt64(clamping: row[14] as Int64? ?? 0))
        }
        signature = (row[15] as Data?).map(Array.init)
        transactionNonce = (row[16] as Int64?).map(UInt64.init)
        attempts = row[17]
        context = Array(row[18] as Data? ?? Data())
    }
}

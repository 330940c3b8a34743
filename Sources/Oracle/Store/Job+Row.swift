import Ethereum
import Foundation
import GRDB

/// A stored value that does not decode: the database was changed by something other than this store.
public struct StoreCorruption: Error, CustomStringConvertible, Sendable {
    public let column: String
    public var description: String { "job store: column \(column) holds a value this version cannot read" }
}

extension Row {
    func bytes32(_ column: String) throws -> Bytes32 {
        guard let data = self[column] as Data?, let value = Bytes32(data) else { throw StoreCorruption(column: column) }
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
    init(row: Row) throws {
        self.init(key: try row.jobKey(), model: try row.bytes32("model"), request: Array(row["request"] as Data? ?? Data()),
                  observedIn: BlockRef(number: UInt64(row["block_number"] as Int64), hash: try row.bytes32("block_hash")),
                  logIndex: UInt64(row["log_index"] as Int64), deadline: UInt64(row["deadline"] as Int64),
                  state: try row.jobState())
        context = Array(row["context"] as Data? ?? Data())
        failureReason = row["failure_reason"]
        if let output = row["output"] as Data?, let code = row["error_code"] as Int64? {
            result = JobResult(output: Array(output), errorCode: UInt16(truncatingIfNeeded: code), commitment: try row.bytes32("commitment"),
                               attestationDigest: try row.bytes32("attestation_digest"),
                               attestationExpiry: UInt64(clamping: row["attestation_expiry"] as Int64? ?? 0))
        }
        signature = (row["signature"] as Data?).map(Array.init)
        transactionNonce = (row["tx_nonce"] as Int64?).map(UInt64.init)
        attempts = row["attempts"]
    }
}

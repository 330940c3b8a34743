import Ethereum
import Foundation
import GRDB

extension SQLiteJobStore: SubmissionStore {
    package func recordSubmission(_ transaction: OutgoingTransaction, jobs: [JobKey]) async throws -> Bool {
        try await database.write { db in
            for key in jobs {
                let state = try String.fetchOne(
                    db, sql: "SELECT state FROM job WHERE request_id = ? AND role = ?",
                    arguments: [Data(key.requestID.bytes), key.role.rawValue])
                guard state == JobState.signed.rawValue else { return false }
            }
            try db.execute(
                sql: """
                    INSERT INTO outgoing_tx (nonce, hash, raw, max_fee, max_priority_fee, sent_at_block, state, purpose)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)
                    """,
                arguments: [
                    Int64(transaction.nonce), Data(transaction.hash.bytes), Data(transaction.raw),
                    Data(transaction.maxFeePerGas.bytes32.bytes), Data(transaction.maxPriorityFeePerGas.bytes32.bytes),
                    Int64(transaction.sentAtBlock), transaction.purpose
                ])
            try db.execute(
                sql: "INSERT OR IGNORE INTO outgoing_tx_hash (hash, nonce) VALUES (?, ?)",
                arguments: [Data(transaction.hash.bytes), Int64(transaction.nonce)])
            for key in jobs {
                try db.execute(
                    sql: "UPDATE job SET state = 'submitted', tx_nonce = ? WHERE request_id = ? AND role = ?",
                    arguments: [Int64(transaction.nonce), Data(key.requestID.bytes), key.role.rawValue])
            }
            return true
        }
    }

    package func recordReplacement(
        nonce: UInt64, hash: Bytes32, raw: [UInt8], maxFeePerGas: UInt256,
        maxPriorityFeePerGas: UInt256, sentAtBlock: UInt64
    ) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE outgoing_tx SET hash = ?, raw = ?, max_fee = ?, max_priority_fee = ?, sent_at_block = ?,
                        replacements = replacements + 1 WHERE nonce = ?
                    """,
                arguments: [
                    Data(hash.bytes), Data(raw), Data(maxFeePerGas.bytes32.bytes), Data(maxPriorityFeePerGas.bytes32.bytes),
                    Int64(sentAtBlock), Int64(nonce)
                ])
            try db.execute(sql: "INSERT OR IGNORE INTO outgoing_tx_hash (hash, nonce) VALUES (?, ?)", arguments: [Data(hash.bytes), Int64(nonce)])
        }
    }

    package func hashes(ofNonce nonce: UInt64) async throws -> [Bytes32] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT hash FROM outgoing_tx_hash WHERE nonce = ? ORDER BY rowid DESC", arguments: [Int64(nonce)])
                .map { try $0.bytes32("hash") }
        }
    }

    package func outgoing(in states: Set<OutgoingState>) async throws -> [OutgoingTransaction] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM outgoing_tx WHERE state IN (\(databaseQuestionMarks(count: states.count))) ORDER BY nonce",
                arguments: StatementArguments(states.map(\.rawValue))
            ).map { try OutgoingTransaction(row: $0) }
        }
    }

    package func inclusions(since block: UInt64) async throws -> [OutgoingTransaction] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outgoing_tx WHERE included_block >= ? AND state IN ('included', 'confirmed', 'reverted')
                    ORDER BY nonce DESC
                    """, arguments: [Int64(block)]
            ).map { try OutgoingTransaction(row: $0) }
        }
    }

    package func outgoing(fromNonce nonce: UInt64) async throws -> [OutgoingTransaction] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outgoing_tx WHERE nonce >= ? ORDER BY nonce", arguments: [Int64(nonce)])
                .map { try OutgoingTransaction(row: $0) }
        }
    }

    package func highestNonce() async throws -> UInt64? {
        try await database.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(nonce) FROM outgoing_tx").map(UInt64.init)
        }
    }

    package func markIncluded(nonce: UInt64, hash: Bytes32, in block: BlockRef) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE outgoing_tx SET state = 'included', hash = ?, included_block = ?, included_hash = ? WHERE nonce = ?",
                arguments: [Data(hash.bytes), Int64(block.number), Data(block.hash.bytes), Int64(nonce)])
            try db.execute(sql: "UPDATE job SET state = 'included' WHERE tx_nonce = ? AND state = 'submitted'", arguments: [Int64(nonce)])
        }
    }

    package func markUnincluded(nonce: UInt64, sentAtBlock: UInt64) async throws {
        try await database.write { db in try Self.unInclude(nonce: nonce, sentAtBlock: sentAtBlock, in: db) }
    }

    /// The transaction `nonce` is in no block: pending again, and its jobs wait for the next inclusion.
    static func unInclude(nonce: UInt64, sentAtBlock: UInt64?, in db: Database) throws {
        try db.execute(
            sql: """
                UPDATE outgoing_tx SET state = 'pending', included_block = NULL, included_hash = NULL,
                    sent_at_block = COALESCE(?, sent_at_block) WHERE nonce = ?
                """, arguments: [sentAtBlock.map { Int64($0) }, Int64(nonce)])
        try db.execute(
            sql: """
                UPDATE job SET state = 'submitted', failure_reason = NULL
                WHERE tx_nonce = ? AND state IN ('included', 'confirmed', 'failed')
                """, arguments: [Int64(nonce)])
    }

    package func markConfirmed(nonce: UInt64) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE outgoing_tx SET state = 'confirmed' WHERE nonce = ?", arguments: [Int64(nonce)])
            try db.execute(sql: "UPDATE job SET state = 'confirmed' WHERE tx_nonce = ? AND state = 'included'", arguments: [Int64(nonce)])
        }
    }

    package func markReverted(nonce: UInt64, in block: BlockRef, reason: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE outgoing_tx SET state = 'reverted', included_block = ?, included_hash = ? WHERE nonce = ?",
                arguments: [Int64(block.number), Data(block.hash.bytes), Int64(nonce)])
            // A job whose request is (now) in a later block than the revert: after a reorg the result ran
            // before its request was back on the chain. The revert says nothing about it: sign-ready again.
            try db.execute(
                sql: """
                    UPDATE job SET state = 'signed', tx_nonce = NULL WHERE tx_nonce = ? AND state IN ('submitted', 'included') AND block_number > ?
                    """, arguments: [Int64(nonce), Int64(block.number)])
            try db.execute(
                sql: "UPDATE job SET state = 'failed', failure_reason = ? WHERE tx_nonce = ? AND state IN ('submitted', 'included')",
                arguments: [reason, Int64(nonce)])
        }
    }

    package func abandon(nonce: UInt64) async throws {
        try await database.write { db in
            guard try Int64.fetchOne(db, sql: "SELECT MAX(nonce) FROM outgoing_tx") == Int64(nonce) else {
                throw SubmissionStoreError.abandonWouldLeaveGap(nonce: nonce)
            }
            try db.execute(sql: "UPDATE job SET state = 'signed', tx_nonce = NULL WHERE tx_nonce = ? AND state = 'submitted'", arguments: [Int64(nonce)])
            try db.execute(sql: "DELETE FROM outgoing_tx_hash WHERE nonce = ?", arguments: [Int64(nonce)])
            try db.execute(sql: "DELETE FROM outgoing_tx WHERE nonce = ?", arguments: [Int64(nonce)])
        }
    }
}

/// A submission-store call that would break the nonce sequence.
package enum SubmissionStoreError: Error, Equatable, Sendable {
    case abandonWouldLeaveGap(nonce: UInt64)
}

extension OutgoingTransaction {
    init(row: Row) throws {
        guard let stateText = row["state"] as String?, let state = OutgoingState(rawValue: stateText) else {
            throw StoreCorruption(column: "outgoing_tx.state")
        }
        var included: BlockRef?
        if let number = row["included_block"] as Int64? {
            included = BlockRef(number: UInt64(number), hash: try row.bytes32("included_hash"))
        }
        self.init(
            nonce: UInt64(row["nonce"] as Int64), hash: try row.bytes32("hash"), raw: Array(row["raw"] as Data? ?? Data()),
            maxFeePerGas: UInt256(try row.bytes32("max_fee")), maxPriorityFeePerGas: UInt256(try row.bytes32("max_priority_fee")),
            sentAtBlock: UInt64(row["sent_at_block"] as Int64), state: state, includedIn: included,
            replacements: row["replacements"], purpose: row["purpose"])
    }
}

import Ethereum
import Foundation
import Logging
import Oracle
import PostgresNIO

extension PostgresJobStore: SubmissionStore {
    package func recordSubmission(_ transaction: OutgoingTransaction, jobs: [JobKey]) async throws -> Bool {
        try await session.transaction { connection, logger in
            for key in jobs {
                var state: String?
                for try await text in try await connection.query(
                    """
                    SELECT state FROM job WHERE request_id = \(Data(key.requestID.bytes)) AND role = \(key.role.rawValue) FOR UPDATE
                    """, logger: logger
                ).decode(String.self) {
                    state = text
                }
                guard state == JobState.signed.rawValue else { return false }
            }
            let nonce = Int64(transaction.nonce)
            try await connection.query(
                """
                INSERT INTO outgoing_tx (nonce, hash, raw, max_fee, max_priority_fee, sent_at_block, state, purpose)
                VALUES (\(nonce), \(Data(transaction.hash.bytes)), \(Data(transaction.raw)), \(Data(transaction.maxFeePerGas.bytes32.bytes)),
                        \(Data(transaction.maxPriorityFeePerGas.bytes32.bytes)), \(Int64(transaction.sentAtBlock)), 'pending', \(transaction.purpose))
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO outgoing_tx_hash (hash, nonce) VALUES (\(Data(transaction.hash.bytes)), \(nonce)) ON CONFLICT (hash) DO NOTHING
                """, logger: logger)
            for key in jobs {
                try await connection.query(
                    """
                    UPDATE job SET state = 'submitted', tx_nonce = \(nonce) WHERE request_id = \(Data(key.requestID.bytes)) AND role = \(key.role.rawValue)
                    """, logger: logger)
            }
            return true
        }
    }

    package func recordReplacement(
        nonce: UInt64, hash: Bytes32, raw: [UInt8], maxFeePerGas: UInt256,
        maxPriorityFeePerGas: UInt256, sentAtBlock: UInt64
    ) async throws {
        try await session.transaction { connection, logger in
            try await connection.query(
                """
                UPDATE outgoing_tx SET hash = \(Data(hash.bytes)), raw = \(Data(raw)), max_fee = \(Data(maxFeePerGas.bytes32.bytes)),
                    max_priority_fee = \(Data(maxPriorityFeePerGas.bytes32.bytes)), sent_at_block = \(Int64(sentAtBlock)),
                    replacements = replacements + 1 WHERE nonce = \(Int64(nonce))
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO outgoing_tx_hash (hash, nonce) VALUES (\(Data(hash.bytes)), \(Int64(nonce))) ON CONFLICT (hash) DO NOTHING
                """, logger: logger)
        }
    }

    package func hashes(ofNonce nonce: UInt64) async throws -> [Bytes32] {
        try await session.read { connection, logger in
            var hashes: [Bytes32] = []
            for try await hash in try await connection.query(
                "SELECT hash FROM outgoing_tx_hash WHERE nonce = \(Int64(nonce)) ORDER BY seq DESC",
                logger: logger
            ).decode(Data.self) {
                hashes.append(try Self.bytes32(hash, "hash"))
            }
            return hashes
        }
    }

    static let outgoingColumns = """
        nonce, hash, raw, max_fee, max_priority_fee, sent_at_block, state, included_block, included_hash, replacements, purpose
        """

    package func outgoing(in states: Set<OutgoingState>) async throws -> [OutgoingTransaction] {
        try await session.read { connection, logger in
            try await Self.outgoing(
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT \(Self.outgoingColumns) FROM outgoing_tx WHERE state = ANY($1) ORDER BY nonce
                            """, binds: try Self.bindings(states.map(\.rawValue))), logger: logger))
        }
    }

    package func inclusions(since block: UInt64) async throws -> [OutgoingTransaction] {
        try await session.read { connection, logger in
            try await Self.outgoing(
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT \(Self.outgoingColumns) FROM outgoing_tx WHERE included_block >= $1 AND state IN ('included', 'confirmed', 'reverted')
                            ORDER BY nonce DESC
                            """, binds: try Self.bindings(Int64(block))), logger: logger))
        }
    }

    package func outgoing(fromNonce nonce: UInt64) async throws -> [OutgoingTransaction] {
        try await session.read { connection, logger in
            try await Self.outgoing(
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT \(Self.outgoingColumns) FROM outgoing_tx WHERE nonce >= $1 ORDER BY nonce
                            """, binds: try Self.bindings(Int64(nonce))), logger: logger))
        }
    }

    package func highestNonce() async throws -> UInt64? {
        try await session.read { connection, logger in
            var highest: UInt64?
            for try await nonce in try await connection.query("SELECT MAX(nonce) FROM outgoing_tx", logger: logger).decode(Int64?.self) {
                highest = nonce.map(UInt64.init)
            }
            return highest
        }
    }

    package func markIncluded(nonce: UInt64, hash: Bytes32, in block: BlockRef) async throws {
        try await session.transaction { connection, logger in
            try await connection.query(
                """
                UPDATE outgoing_tx SET state = 'included', hash = \(Data(hash.bytes)), included_block = \(Int64(block.number)),
                    included_hash = \(Data(block.hash.bytes)) WHERE nonce = \(Int64(nonce))
                """, logger: logger)
            try await connection.query("UPDATE job SET state = 'included' WHERE tx_nonce = \(Int64(nonce)) AND state = 'submitted'", logger: logger)
        }
    }

    package func markUnincluded(nonce: UInt64, sentAtBlock: UInt64) async throws {
        try await session.transaction { connection, logger in
            try await Self.unInclude(nonce: nonce, sentAtBlock: sentAtBlock, on: connection, logger)
        }
    }

    /// The transaction `nonce` is in no block: pending again, and its jobs wait for the next inclusion.
    static func unInclude(nonce: UInt64, sentAtBlock: UInt64?, on connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE outgoing_tx SET state = 'pending', included_block = NULL, included_hash = NULL,
                sent_at_block = COALESCE(\(sentAtBlock.map { Int64($0) }), sent_at_block) WHERE nonce = \(Int64(nonce))
            """, logger: logger)
        try await connection.query(
            """
            UPDATE job SET state = 'submitted', failure_reason = NULL
            WHERE tx_nonce = \(Int64(nonce)) AND state IN ('included', 'confirmed', 'failed')
            """, logger: logger)
    }

    package func markConfirmed(nonce: UInt64) async throws {
        try await session.transaction { connection, logger in
            try await connection.query("UPDATE outgoing_tx SET state = 'confirmed' WHERE nonce = \(Int64(nonce))", logger: logger)
            try await connection.query("UPDATE job SET state = 'confirmed' WHERE tx_nonce = \(Int64(nonce)) AND state = 'included'", logger: logger)
        }
    }

    package func markReverted(nonce: UInt64, in block: BlockRef, reason: String) async throws {
        try await session.transaction { connection, logger in
            try await connection.query(
                """
                UPDATE outgoing_tx SET state = 'reverted', included_block = \(Int64(block.number)), included_hash = \(Data(block.hash.bytes))
                WHERE nonce = \(Int64(nonce))
                """, logger: logger)
            // As in the SQLite store: a request now in a later block than the revert is not answered by it.
            try await connection.query(
                """
                UPDATE job SET state = 'signed', tx_nonce = NULL
                WHERE tx_nonce = \(Int64(nonce)) AND state IN ('submitted', 'included') AND block_number > \(Int64(block.number))
                """, logger: logger)
            try await connection.query(
                """
                UPDATE job SET state = 'failed', failure_reason = \(reason) WHERE tx_nonce = \(Int64(nonce)) AND state IN ('submitted', 'included')
                """, logger: logger)
        }
    }

    package func abandon(nonce: UInt64) async throws {
        try await session.transaction { connection, logger in
            var highest: Int64?
            for try await value in try await connection.query("SELECT MAX(nonce) FROM outgoing_tx", logger: logger).decode(Int64?.self) {
                highest = value
            }
            guard highest == Int64(nonce) else { throw SubmissionStoreError.abandonWouldLeaveGap(nonce: nonce) }
            try await connection.query(
                """
                UPDATE job SET state = 'signed', tx_nonce = NULL WHERE tx_nonce = \(Int64(nonce)) AND state = 'submitted'
                """, logger: logger)
            try await connection.query("DELETE FROM outgoing_tx_hash WHERE nonce = \(Int64(nonce))", logger: logger)
            try await connection.query("DELETE FROM outgoing_tx WHERE nonce = \(Int64(nonce))", logger: logger)
        }
    }

    static func outgoing(_ rows: PostgresRowSequence) async throws -> [OutgoingTransaction] {
        var transactions: [OutgoingTransaction] = []
        for try await (nonce, hash, raw, maxFee, maxPriority, sentAt, stateText, includedBlock, includedHash, replacements, purpose)
            in rows.decode((Int64, Data, Data, Data, Data, Int64, String, Int64?, Data?, Int64, String?).self)
        {
            guard let state = OutgoingState(rawValue: stateText) else { throw StoreCorruption(column: "outgoing_tx.state") }
            let included = try includedBlock.map { BlockRef(number: UInt64($0), hash: try bytes32(includedHash, "included_hash")) }
            transactions.append(
                OutgoingTransaction(
                    nonce: UInt64(nonce), hash: try bytes32(hash, "hash"), raw: Array(raw),
                    maxFeePerGas: UInt256(try bytes32(maxFee, "max_fee")), maxPriorityFeePerGas: UInt256(try bytes32(maxPriority, "max_priority_fee")),
                    sentAtBlock: UInt64(sentAt), state: state, includedIn: included, replacements: Int(replacements), purpose: purpose))
        }
        return transactions
    }
}

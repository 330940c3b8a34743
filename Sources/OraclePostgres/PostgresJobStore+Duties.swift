import Ethereum
import Foundation
import Logging
import Oracle
import PostgresNIO

extension PostgresJobStore: DutyStore {
    package func dutyCursor() async throws -> UInt64? {
        try await session.read { connection, logger in
            try await connection.query("SELECT next_block FROM duty_cursor WHERE id = 1", logger: logger)
                .decode(Int64.self).first { _ in true }.map { UInt64($0) }
        }
    }

    package func commit(_ scan: DutyScan) async throws {
        try await session.transaction { connection, logger in
            for job in scan.jobs { _ = try await Self.insert(job, on: connection, logger) }
            for tracked in scan.tracked {
                // A new `seq` on every write, as SQLite's INSERT OR REPLACE gives a new rowid.
                try await connection.query(
                    """
                    INSERT INTO tracked_result (request_id, body, open, closed_block)
                    VALUES (\(Data(tracked.requestID.bytes)), \(Data(tracked.body)), \(tracked.isOpen), \(tracked.closedAt.map { Int64($0) }))
                    ON CONFLICT (request_id) DO UPDATE SET body = EXCLUDED.body, open = EXCLUDED.open,
                        closed_block = EXCLUDED.closed_block, seq = nextval('tracked_result_seq')
                    """, logger: logger)
            }
            for block in scan.blocks {
                try await connection.query(
                    """
                    INSERT INTO duty_block (number, hash, parent_hash) VALUES (\(Int64(block.number)), \(Data(block.hash.bytes)), \(Data(block.parentHash.bytes)))
                    ON CONFLICT (number) DO UPDATE SET hash = EXCLUDED.hash, parent_hash = EXCLUDED.parent_hash
                    """, logger: logger)
            }
            try await connection.query("DELETE FROM duty_block WHERE number < \(Int64(scan.nextBlock) - 512)", logger: logger)
            try await Self.setCursor("duty_cursor", to: Int64(scan.nextBlock), on: connection, logger)
        }
    }

    package func recentDutyBlocks(limit: Int) async throws -> [ScannedBlock] {
        try await session.read { connection, logger in
            try await Self.blocks(
                try await connection.query(
                    "SELECT number, hash, parent_hash FROM duty_block ORDER BY number DESC LIMIT \(Int64(limit))", logger: logger))
        }
    }

    package func dutyTotals() async throws -> DutyTotalsCheckpoint? {
        let row = try await session.read { connection, logger in
            try await connection.query("SELECT through_block, totals FROM duty_totals WHERE id = 1", logger: logger)
                .decode((Int64, Data).self).first { _ in true }
        }
        guard let (through, totals) = row else { return nil }
        return try DutyTotalsCheckpoint(through: UInt64(through), encodedTotals: Array(totals))
    }

    package func saveDutyTotals(_ checkpoint: DutyTotalsCheckpoint) async throws {
        let totals = Data(try checkpoint.encodedTotals())
        try await session.transaction { connection, logger in
            try await connection.query(
                """
                INSERT INTO duty_totals (id, through_block, totals) VALUES (1, \(Int64(checkpoint.through)), \(totals))
                ON CONFLICT (id) DO UPDATE SET through_block = EXCLUDED.through_block, totals = EXCLUDED.totals
                """, logger: logger)
        }
    }

    package func rewindDuties(toAncestor ancestor: UInt64) async throws {
        try await session.transaction { connection, logger in
            try await connection.query("DELETE FROM duty_block WHERE number > \(Int64(ancestor))", logger: logger)
            try await connection.query(
                "UPDATE tracked_result SET open = TRUE, closed_block = NULL WHERE closed_block > \(Int64(ancestor))",
                logger: logger)
            try await Self.setCursor("duty_cursor", to: Int64(ancestor) + 1, on: connection, logger)
        }
    }

    package func trackedResult(_ requestID: Bytes32) async throws -> TrackedResult? {
        try await session.read { connection, logger in
            try await Self.tracked(
                try await connection.query(
                    "SELECT request_id, body, closed_block FROM tracked_result WHERE request_id = \(Data(requestID.bytes))", logger: logger)
            ).first
        }
    }

    package func jobKeys(role: JobRole, in states: Set<JobState>) async throws -> [JobKey] {
        try await session.read { connection, logger in
            var keys: [JobKey] = []
            for try await id in try await connection.query(
                "SELECT request_id FROM job WHERE role = \(role.rawValue) AND state = ANY(\(states.map(\.rawValue))) ORDER BY seq", logger: logger
            ).decode(Data.self) {
                if let requestID = Bytes32(id) { keys.append(JobKey(requestID: requestID, role: role)) }
            }
            return keys
        }
    }

    package func failedDutyCount() async throws -> Int {
        try await session.read { connection, logger in
            try await connection.query("SELECT COUNT(*) FROM job WHERE state = 'failed' AND role != 'executor'", logger: logger)
                .decode(Int64.self).first { _ in true }.map { Int($0) } ?? 0
        }
    }

    package func openTrackedResults(limit: Int) async throws -> [TrackedResult] {
        try await session.read { connection, logger in
            try await Self.tracked(
                try await connection.query(
                    "SELECT request_id, body, closed_block FROM tracked_result WHERE open ORDER BY seq LIMIT \(Int64(limit))", logger: logger))
        }
    }

    static func tracked(_ rows: PostgresRowSequence) async throws -> [TrackedResult] {
        var results: [TrackedResult] = []
        for try await (id, body, closed) in rows.decode((Data, Data, Int64?).self) {
            results.append(TrackedResult(requestID: try bytes32(id, "request_id"), body: Array(body), closedAt: closed.map { UInt64($0) }))
        }
        return results
    }
}

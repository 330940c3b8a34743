import Ethereum
import Foundation
import GRDB

extension SQLiteJobStore: DutyStore {
    package func dutyCursor() async throws -> UInt64? {
        try await database.read { db in
            try Int64.fetchOne(db, sql: "SELECT next_block FROM duty_cursor WHERE id = 1").map { UInt64($0) }
        }
    }

    package func commit(_ scan: DutyScan) async throws {
        try await database.write { db in
            for job in scan.jobs { _ = try Self.insert(job, in: db) }
            for tracked in scan.tracked {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO tracked_result (request_id, body, open, closed_block) VALUES (?, ?, ?, ?)",
                    arguments: [Data(tracked.requestID.bytes), Data(tracked.body), tracked.isOpen, tracked.closedAt.map { Int64($0) }])
            }
            for block in scan.blocks {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO duty_block (number, hash, parent_hash) VALUES (?, ?, ?)",
                    arguments: [Int64(block.number), Data(block.hash.bytes), Data(block.parentHash.bytes)])
            }
            try db.execute(sql: "DELETE FROM duty_block WHERE number < ?", arguments: [Int64(scan.nextBlock) - 512])
            try db.execute(sql: "INSERT OR REPLACE INTO duty_cursor (id, next_block) VALUES (1, ?)", arguments: [Int64(scan.nextBlock)])
        }
    }

    package func recentDutyBlocks(limit: Int) async throws -> [ScannedBlock] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT number, hash, parent_hash FROM duty_block ORDER BY number DESC LIMIT ?", arguments: [limit]).map { row in
                ScannedBlock(number: UInt64(row["number"] as Int64), hash: try row.bytes32("hash"), parentHash: try row.bytes32("parent_hash"))
            }
        }
    }

    package func dutyTotals() async throws -> DutyTotalsCheckpoint? {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT through_block, totals FROM duty_totals WHERE id = 1") else { return nil }
            return try DutyTotalsCheckpoint(through: UInt64(row["through_block"] as Int64), encodedTotals: Array(row["totals"] as Data))
        }
    }

    package func saveDutyTotals(_ checkpoint: DutyTotalsCheckpoint) async throws {
        let totals = try checkpoint.encodedTotals()
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO duty_totals (id, through_block, totals) VALUES (1, ?, ?)",
                arguments: [Int64(checkpoint.through), Data(totals)])
        }
    }

    package func rewindDuties(toAncestor ancestor: UInt64) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM duty_block WHERE number > ?", arguments: [Int64(ancestor)])
            try db.execute(sql: "UPDATE tracked_result SET open = 1, closed_block = NULL WHERE closed_block > ?", arguments: [Int64(ancestor)])
            try db.execute(sql: "INSERT OR REPLACE INTO duty_cursor (id, next_block) VALUES (1, ?)", arguments: [Int64(ancestor) + 1])
        }
    }

    package func trackedResult(_ requestID: Bytes32) async throws -> TrackedResult? {
        try await database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT request_id, body, closed_block FROM tracked_result WHERE request_id = ?",
                arguments: [Data(requestID.bytes)]
            ).map(TrackedResult.init(row:))
        }
    }

    package func jobKeys(role: JobRole, in states: Set<JobState>) async throws -> [JobKey] {
        try await database.read { db in
            try Data.fetchAll(
                db, sql: "SELECT request_id FROM job WHERE role = ? AND state IN (\(databaseQuestionMarks(count: states.count)))",
                arguments: StatementArguments([role.rawValue] + states.map(\.rawValue))
            ).compactMap { data in
                Bytes32(data).map { JobKey(requestID: $0, role: role) }
            }
        }
    }

    package func failedDutyCount() async throws -> Int {
        try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE state = 'failed' AND role != 'executor'") ?? 0
        }
    }

    package func openTrackedResults(limit: Int) async throws -> [TrackedResult] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT request_id, body, closed_block FROM tracked_result WHERE open = 1 ORDER BY rowid LIMIT ?",
                arguments: [limit]
            ).map(TrackedResult.init(row:))
        }
    }
}

extension TrackedResult {
    init(row: Row) throws {
        self.init(
            requestID: try row.bytes32("request_id"), body: Array(row["body"] as Data? ?? Data()),
            closedAt: (row["closed_block"] as Int64?).map { UInt64($0) })
    }
}

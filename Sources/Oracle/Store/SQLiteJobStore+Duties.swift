import Ethereum
import Foundation
import GRDB

extension SQLiteJobStore: DutyStore {
    public func dutyCursor() async throws -> UInt64? {
        try await database.read { db in
            try Int64.fetchOne(db, sql: "SELECT next_block FROM duty_cursor WHERE id = 1").map { UInt64($0) }
        }
    }

    public func commit(_ scan: DutyScan) async throws {
        try await database.write { db in
            for job in scan.jobs { _ = try Self.insert(job, in: db) }
            for tracked in scan.tracked {
                try db.execute(sql: "INSERT OR REPLACE INTO tracked_result (request_id, body, open) VALUES (?, ?, ?)",
                               arguments: [Data(tracked.requestID.bytes), Data(tracked.body), tracked.isOpen])
            }
            try db.execute(sql: "INSERT OR REPLACE INTO duty_cursor (id, next_block) VALUES (1, ?)", arguments: [Int64(scan.nextBlock)])
        }
    }

    public func trackedResult(_ requestID: Bytes32) async throws -> TrackedResult? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT request_id, body, open FROM tracked_result WHERE request_id = ?",
                             arguments: [Data(requestID.bytes)]).map(TrackedResult.init(row:))
        }
    }

    public func jobKeys(role: JobRole, in states: Set<JobState>) async throws -> [JobKey] {
        try await database.read { db in
            try Data.fetchAll(db, sql: "SELECT request_id FROM job WHERE role = ? AND state IN (\(databaseQuestionMarks(count: states.count)))",
                              arguments: StatementArguments([role.rawValue] + states.map(\.rawValue))).compactMap { data in
                Bytes32(data).map { JobKey(requestID: $0, role: role) }
            }
        }
    }

    public func failedDutyCount() async throws -> Int {
        try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE state = 'failed' AND role != 'executor'") ?? 0
        }
    }

    public func openTrackedResults(limit: Int) async throws -> [TrackedResult] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT request_id, body, open FROM tracked_result WHERE open = 1 ORDER BY rowid LIMIT ?",
                             arguments: [limit]).map(TrackedResult.init(row:))
        }
    }
}

extension TrackedResult {
    init(row: Row) throws {
        self.init(requestID: try row.bytes32("request_id"), body: Array(row["body"] as Data? ?? Data()), isOpen: row["open"] as Bool)
    }
}

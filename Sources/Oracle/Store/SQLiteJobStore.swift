import Ethereum
import Foundation
import GRDB

/// The embedded default store: one SQLite file in WAL mode, through GRDB.
package final class SQLiteJobStore: JobStore {
    let database: any DatabaseWriter

    /// Opens (creating if needed) the store at `path` and brings its schema up to date. A failure is a
    /// ``StoreOpenError`` that says what is wrong with the file or its folder, in plain words.
    package init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(database)
        } catch let error as DatabaseError {
            throw StoreOpenError(path: path, code: error.extendedResultCode.primaryResultCode.rawValue)
        }
    }

    /// A store that lives in memory only, for tests and dry runs.
    package init() throws {
        database = try DatabaseQueue()
        try StoreMigrations.migrator.migrate(database)
    }

    package func nextBlock() async throws -> UInt64? {
        try await database.read { db in
            try Int64.fetchOne(db, sql: "SELECT next_block FROM cursor WHERE id = 1").map { UInt64($0) }
        }
    }

    package func recentBlocks(limit: Int) async throws -> [ScannedBlock] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT number, hash, parent_hash FROM scanned_block ORDER BY number DESC LIMIT ?",
                arguments: [limit]
            ).map { row in
                ScannedBlock(
                    number: UInt64(row["number"] as Int64), hash: try row.bytes32("hash"),
                    parentHash: try row.bytes32("parent_hash"))
            }
        }
    }

    @discardableResult
    package func commit(_ scan: ScanBatch) async throws -> [JobKey] {
        try await database.write { db in
            for block in scan.blocks {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO scanned_block (number, hash, parent_hash) VALUES (?, ?, ?)",
                    arguments: [Int64(block.number), Data(block.hash.bytes), Data(block.parentHash.bytes)])
            }
            var inserted: [JobKey] = []
            for job in scan.jobs {
                if try Self.insert(job, in: db) {
                    inserted.append(job.key)
                } else if try Self.reobserve(job, in: db) {
                    inserted.append(job.key)
                }
            }
            try db.execute(sql: "INSERT OR REPLACE INTO cursor (id, next_block) VALUES (1, ?)", arguments: [Int64(scan.nextBlock)])
            // Only the recent past can be reorganised; older block hashes are not needed.
            try db.execute(sql: "DELETE FROM scanned_block WHERE number < ?", arguments: [Int64(scan.nextBlock) - 512])
            return inserted
        }
    }

    /// Inserts `job` unless a job with its key exists; returns whether it was inserted.
    static func insert(_ job: Job, in db: Database) throws -> Bool {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO job (request_id, role, model, request, context, block_number, block_hash, log_index, deadline, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                Data(job.key.requestID.bytes), job.key.role.rawValue, Data(job.model.bytes), Data(job.request), Data(job.context),
                Int64(job.observedIn.number), Data(job.observedIn.hash.bytes), Int64(job.logIndex),
                Int64(clamping: job.deadline), job.state.rawValue
            ])
        return db.changesCount > 0
    }

    /// A job seen again in another block than the one it was stored from: its request came back on a
    /// new branch after a reorg (the job was kept because its result had been sent). If the request
    /// differs (its id was reused on the new branch) or the result's transaction reverted meanwhile,
    /// the job starts over from `observed` for the request as it is now; otherwise only its block
    /// changes, and the transaction in flight still answers it. Returns whether it starts over.
    static func reobserve(_ job: Job, in db: Database) throws -> Bool {
        let key: StatementArguments = [Data(job.key.requestID.bytes), job.key.role.rawValue]
        let location: StatementArguments = [Int64(job.observedIn.number), Data(job.observedIn.hash.bytes), Int64(job.logIndex)]
        try db.execute(
            sql: """
                UPDATE job SET model = ?, request = ?, deadline = ?, block_number = ?, block_hash = ?, log_index = ?,
                    state = 'observed', failure_reason = NULL, output = NULL, error_code = NULL, commitment = NULL,
                    attestation_digest = NULL, attestation_expiry = NULL, signature = NULL, tx_nonce = NULL, attempts = 0
                WHERE request_id = ? AND role = ? AND block_hash != ? AND (request != ? OR state = 'failed')
                """,
            arguments: [Data(job.model.bytes), Data(job.request), Int64(clamping: job.deadline)] + location + key
                + [Data(job.observedIn.hash.bytes), Data(job.request)])
        if db.changesCount > 0 { return true }
        try db.execute(
            sql: "UPDATE job SET block_number = ?, block_hash = ?, log_index = ? WHERE request_id = ? AND role = ? AND block_hash != ?",
            arguments: location + key + [Data(job.observedIn.hash.bytes)])
        return false
    }

    package func rewind(toAncestor ancestor: UInt64) async throws -> RewindOutcome {
        try await database.write { db in
            var outcome = RewindOutcome()
            let orphaned = try Row.fetchAll(
                db, sql: "SELECT request_id, role, state FROM job WHERE block_number > ?",
                arguments: [Int64(ancestor)])
            for row in orphaned {
                let key = try row.jobKey()
                let state = try row.jobState()
                if state.isSent {
                    outcome.recheck.append(key)
                } else if state != .failed {
                    outcome.dropped.append(key)
                }
            }
            let unsent = [JobState.observed, .executing, .executed, .signed].map(\.rawValue)
            try db.execute(
                sql: "DELETE FROM job WHERE block_number > ? AND state IN (?, ?, ?, ?)",
                arguments: StatementArguments([Int64(ancestor)] as [Int64]) + StatementArguments(unsent))
            // A transaction answering a request from an orphaned block was in an orphaned block too: it is
            // pending again with all the jobs it carries, and the submitter finds its receipt on the new
            // branch or sends it again under its nonce.
            let carriers = try Int64.fetchSet(
                db,
                sql: """
                    SELECT DISTINCT tx_nonce FROM job WHERE block_number > ? AND tx_nonce IS NOT NULL AND state IN ('included', 'confirmed')
                    """, arguments: [Int64(ancestor)])
            for nonce in carriers.sorted() {
                try Self.unInclude(nonce: UInt64(nonce), sentAtBlock: nil, in: db)
            }
            try db.execute(sql: "DELETE FROM scanned_block WHERE number > ?", arguments: [Int64(ancestor)])
            try db.execute(sql: "INSERT OR REPLACE INTO cursor (id, next_block) VALUES (1, ?)", arguments: [Int64(ancestor) + 1])
            return outcome
        }
    }

    package func job(_ key: JobKey) async throws -> Job? {
        try await database.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(Job.columns) FROM job WHERE request_id = ? AND role = ?"),
                arguments: [Data(key.requestID.bytes), key.role.rawValue]
            ).map { try Job(row: $0) }
        }
    }

    package func jobs(in states: Set<JobState>, limit: Int) async throws -> [Job] {
        try await database.read { db in
            let placeholders = databaseQuestionMarks(count: states.count)
            let arguments = StatementArguments(states.map(\.rawValue)) + [limit]
            // Cached statements: these run on every pass, and preparing SQL (parse and authorizer) cost
            // more than executing it (see `cloister bench node`).
            let statement = try db.cachedStatement(sql: "SELECT \(Job.columns) FROM job WHERE state IN (\(placeholders)) ORDER BY block_number, log_index LIMIT ?")
            return try Row.fetchAll(statement, arguments: arguments).map { try Job(row: $0) }
        }
    }

    @discardableResult
    package func transition(_ key: JobKey, to state: JobState, _ changes: JobChanges) async throws -> TransitionOutcome {
        try await database.write { db in try Self.apply(state, changes, to: key, in: db) }
    }

    package func transition(_ plans: [TransitionPlan]) async throws -> [JobKey: TransitionOutcome] {
        try await database.write { db in
            var outcomes: [JobKey: TransitionOutcome] = [:]
            for plan in plans {
                for step in plan.steps {
                    let outcome = try Self.apply(step.state, step.changes, to: plan.key, in: db)
                    outcomes[plan.key] = outcome
                    guard outcome == .applied else { break }
                }
            }
            return outcomes
        }
    }

    /// One transition inside a write: the state machine's rule and the column changes.
    static func apply(_ state: JobState, _ changes: JobChanges, to key: JobKey, in db: Database) throws -> TransitionOutcome {
        let keyArguments: StatementArguments = [Data(key.requestID.bytes), key.role.rawValue]
        guard
            let current = try String.fetchOne(
                db.cachedStatement(sql: "SELECT state FROM job WHERE request_id = ? AND role = ?"),
                arguments: keyArguments
            ).flatMap(JobState.init(rawValue:))
        else {
            return .missing
        }
        if current == state { return .alreadyInState }
        guard state.predecessors.contains(current) else { return .refused(current: current) }
        try db.cachedStatement(
            sql: """
                UPDATE job SET state = ?,
                    output = COALESCE(?, output), error_code = COALESCE(?, error_code), commitment = COALESCE(?, commitment),
                    attestation_digest = COALESCE(?, attestation_digest), attestation_expiry = COALESCE(?, attestation_expiry),
                    signature = COALESCE(?, signature), tx_nonce = COALESCE(?, tx_nonce),
                    failure_reason = COALESCE(?, failure_reason), attempts = attempts + ?
                WHERE request_id = ? AND role = ?
                """
        ).execute(
            arguments: [
                state.rawValue,
                changes.result.map { Data($0.output) }, changes.result.map { Int64($0.errorCode) },
                changes.result.map { Data($0.commitment.bytes) },
                changes.result.map { Data($0.attestationDigest.bytes) }, changes.result.map { Int64(clamping: $0.attestationExpiry) },
                changes.signature.map { Data($0) },
                changes.transactionNonce.map { Int64($0) }, changes.failureReason,
                changes.incrementAttempts ? 1 : 0
            ] + keyArguments)
        return .applied
    }

    package func latestJobs(limit: Int) async throws -> [Job] {
        try await database.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT \(Job.columns) FROM job ORDER BY block_number DESC, log_index DESC LIMIT ?"),
                arguments: [limit]
            ).map { try Job(row: $0) }
        }
    }

    package func countsByState() async throws -> [JobState: Int] {
        try await database.read { db in
            var counts: [JobState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM job GROUP BY state") {
                counts[try row.jobState()] = row["n"]
            }
            return counts
        }
    }
}

/// Why the job store could not be opened, by SQLite's result code, with the fix.
package struct StoreOpenError: Error, CustomStringConvertible, Sendable {
    package let path: String
    /// SQLite's primary result code.
    package let code: Int32

    package var description: String {
        let meaning =
            switch code {
            case 8: "the file or its folder is read-only"
            case 13: "the disk is full"
            case 14: "the file cannot be created or opened (the folder is missing or not writable, or the disk is full)"
            case 10: "the disk failed to read or write (full, or failing)"
            case 11, 26: "the file is not a job store or is damaged"
            case 3: "permission denied"
            default: "SQLite error \(code)"
            }
        return "cannot open the job store at \(path): \(meaning). Fix: point store.path at a writable folder with free space"
    }
}

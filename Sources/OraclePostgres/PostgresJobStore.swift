import Ethereum
import Foundation
import Logging
import Oracle
import PostgresNIO

/// The job store on a PostgreSQL server, for nodes that share one database: the same tables, rules and
/// one-transaction-per-operation as ``SQLiteJobStore`` (each method below is that store's SQL
/// translated), so either store gives the node the same crash and reorg behaviour. With a lease
/// (``PostgresLease``) several node processes can share it, one writing at a time.
package final class PostgresJobStore: JobStore {
    let session: PostgresSession
    package var location: PostgresStoreLocation { session.location }

    /// Connects to `location` and brings its schema up to date. Fails with a
    /// ``PostgresStoreError/unreachable(location:reason:)`` naming the server's reason.
    package init(location: PostgresStoreLocation, logger: Logger) async throws {
        session = PostgresSession(location: location, logger: logger)
        try await session.connect()
        try await PostgresMigrations.migrate(session)
    }

    /// Closes the connection; the store is not used after.
    package func close() async {
        await session.close()
    }

    package func nextBlock() async throws -> UInt64? {
        try await session.read { connection, logger in
            try await connection.query("SELECT next_block FROM cursor WHERE id = 1", logger: logger)
                .decode(Int64.self).first { _ in true }.map { UInt64($0) }
        }
    }

    package func recentBlocks(limit: Int) async throws -> [ScannedBlock] {
        try await session.read { connection, logger in
            try await Self.blocks(
                try await connection.query(
                    "SELECT number, hash, parent_hash FROM scanned_block ORDER BY number DESC LIMIT \(Int64(limit))", logger: logger))
        }
    }

    static func blocks(_ rows: PostgresRowSequence) async throws -> [ScannedBlock] {
        var blocks: [ScannedBlock] = []
        for try await (number, hash, parent) in rows.decode((Int64, Data, Data).self) {
            blocks.append(ScannedBlock(number: UInt64(number), hash: try bytes32(hash, "hash"), parentHash: try bytes32(parent, "parent_hash")))
        }
        return blocks
    }

    @discardableResult
    package func commit(_ scan: ScanBatch) async throws -> [JobKey] {
        try await session.transaction { connection, logger in
            for block in scan.blocks {
                try await connection.query(
                    """
                    INSERT INTO scanned_block (number, hash, parent_hash) VALUES (\(Int64(block.number)), \(Data(block.hash.bytes)), \(Data(block.parentHash.bytes)))
                    ON CONFLICT (number) DO UPDATE SET hash = EXCLUDED.hash, parent_hash = EXCLUDED.parent_hash
                    """, logger: logger)
            }
            var inserted: [JobKey] = []
            for job in scan.jobs {
                if try await Self.insert(job, on: connection, logger) {
                    inserted.append(job.key)
                } else if try await Self.reobserve(job, on: connection, logger) {
                    inserted.append(job.key)
                }
            }
            try await Self.setCursor("cursor", to: Int64(scan.nextBlock), on: connection, logger)
            // Only the recent past can be reorganised; older block hashes are not needed.
            try await connection.query("DELETE FROM scanned_block WHERE number < \(Int64(scan.nextBlock) - 512)", logger: logger)
            return inserted
        }
    }

    static func setCursor(_ table: String, to next: Int64, on connection: PostgresConnection, _ logger: Logger) async throws {
        var bindings = PostgresBindings()
        bindings.append(next)
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO \(table) (id, next_block) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET next_block = EXCLUDED.next_block
                    """, binds: bindings), logger: logger)
    }

    /// Inserts `job` unless a job with its key exists; returns whether it was inserted.
    static func insert(_ job: Job, on connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        try await count(
            try await connection.query(
                """
                INSERT INTO job (request_id, role, model, request, context, block_number, block_hash, log_index, deadline, state)
                VALUES (\(Data(job.key.requestID.bytes)), \(job.key.role.rawValue), \(Data(job.model.bytes)), \(Data(job.request)),
                        \(Data(job.context)), \(Int64(job.observedIn.number)), \(Data(job.observedIn.hash.bytes)), \(Int64(job.logIndex)),
                        \(Int64(clamping: job.deadline)), \(job.state.rawValue))
                ON CONFLICT (request_id, role) DO NOTHING RETURNING 1
                """, logger: logger)) > 0
    }

    /// A job seen again in another block than the one it was stored from (see ``SQLiteJobStore``'s
    /// `reobserve`): it starts over if its request differs or its transaction reverted, and otherwise
    /// only moves to its new block. Returns whether it starts over.
    static func reobserve(_ job: Job, on connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        let id = Data(job.key.requestID.bytes), role = job.key.role.rawValue, hash = Data(job.observedIn.hash.bytes)
        let number = Int64(job.observedIn.number), logIndex = Int64(job.logIndex)
        let restarted = try await count(
            try await connection.query(
                """
                UPDATE job SET model = \(Data(job.model.bytes)), request = \(Data(job.request)), deadline = \(Int64(clamping: job.deadline)),
                    block_number = \(number), block_hash = \(hash), log_index = \(logIndex),
                    state = 'observed', failure_reason = NULL, output = NULL, error_code = NULL, commitment = NULL,
                    attestation_digest = NULL, attestation_expiry = NULL, signature = NULL, tx_nonce = NULL, attempts = 0
                WHERE request_id = \(id) AND role = \(role) AND block_hash != \(hash) AND (request != \(Data(job.request)) OR state = 'failed')
                RETURNING 1
                """, logger: logger))
        if restarted > 0 { return true }
        try await connection.query(
            """
            UPDATE job SET block_number = \(number), block_hash = \(hash), log_index = \(logIndex)
            WHERE request_id = \(id) AND role = \(role) AND block_hash != \(hash)
            """, logger: logger)
        return false
    }

    package func rewind(toAncestor ancestor: UInt64) async throws -> RewindOutcome {
        try await session.transaction { connection, logger in
            var outcome = RewindOutcome()
            let above = Int64(ancestor)
            for try await (id, roleText, stateText) in try await connection.query(
                "SELECT request_id, role, state FROM job WHERE block_number > \(above) ORDER BY block_number, seq", logger: logger
            ).decode((Data, String, String).self) {
                let key = try Self.jobKey(id, roleText)
                guard let state = JobState(rawValue: stateText) else { throw StoreCorruption(column: "state") }
                if state.isSent {
                    outcome.recheck.append(key)
                } else if state != .failed {
                    outcome.dropped.append(key)
                }
            }
            try await connection.query(
                """
                DELETE FROM job WHERE block_number > \(above) AND state IN ('observed', 'executing', 'executed', 'signed')
                """, logger: logger)
            // A transaction answering a request from an orphaned block was in an orphaned block too: it is
            // pending again with all the jobs it carries (see SQLiteJobStore.rewind).
            var carriers: [Int64] = []
            for try await nonce in try await connection.query(
                """
                SELECT DISTINCT tx_nonce FROM job WHERE block_number > \(above) AND tx_nonce IS NOT NULL AND state IN ('included', 'confirmed')
                ORDER BY tx_nonce
                """, logger: logger
            ).decode(Int64.self) {
                carriers.append(nonce)
            }
            for nonce in carriers {
                try await Self.unInclude(nonce: UInt64(nonce), sentAtBlock: nil, on: connection, logger)
            }
            try await connection.query("DELETE FROM scanned_block WHERE number > \(above)", logger: logger)
            try await Self.setCursor("cursor", to: above + 1, on: connection, logger)
            return outcome
        }
    }

    package func job(_ key: JobKey) async throws -> Job? {
        try await session.read { connection, logger in
            try await Self.jobs(
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT \(Self.jobColumns) FROM job WHERE request_id = $1 AND role = $2
                            """, binds: try Self.bindings(Data(key.requestID.bytes), key.role.rawValue)), logger: logger)
            ).first
        }
    }

    package func jobs(in states: Set<JobState>, limit: Int) async throws -> [Job] {
        try await session.read { connection, logger in
            try await Self.jobs(
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT \(Self.jobColumns) FROM job WHERE state = ANY($1) ORDER BY block_number, log_index LIMIT $2
                            """, binds: try Self.bindings(states.map(\.rawValue), Int64(limit))), logger: logger))
        }
    }

    @discardableResult
    package func transition(_ key: JobKey, to state: JobState, _ changes: JobChanges) async throws -> TransitionOutcome {
        try await session.transaction { connection, logger in try await Self.apply(state, changes, to: key, on: connection, logger) }
    }

    package func transition(_ plans: [TransitionPlan]) async throws -> [JobKey: TransitionOutcome] {
        try await session.transaction { connection, logger in
            var outcomes: [JobKey: TransitionOutcome] = [:]
            for plan in plans {
                for step in plan.steps {
                    let outcome = try await Self.apply(step.state, step.changes, to: plan.key, on: connection, logger)
                    outcomes[plan.key] = outcome
                    guard outcome == .applied else { break }
                }
            }
            return outcomes
        }
    }

    /// One transition inside a write: the state machine's rule and the column changes. The row is
    /// locked as it is read, so the rule holds even against another writer on the database.
    static func apply(
        _ state: JobState, _ changes: JobChanges, to key: JobKey, on connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> TransitionOutcome {
        let id = Data(key.requestID.bytes), role = key.role.rawValue
        var current: JobState?
        for try await text in try await connection.query(
            "SELECT state FROM job WHERE request_id = \(id) AND role = \(role) FOR UPDATE",
            logger: logger
        ).decode(String.self) {
            current = JobState(rawValue: text)
        }
        guard let current else { return .missing }
        if current == state { return .alreadyInState }
        guard state.predecessors.contains(current) else { return .refused(current: current) }
        let result = changes.result
        try await connection.query(
            """
            UPDATE job SET state = \(state.rawValue),
                output = COALESCE(\(result.map { Data($0.output) }), output),
                error_code = COALESCE(\(result.map { Int64($0.errorCode) }), error_code),
                commitment = COALESCE(\(result.map { Data($0.commitment.bytes) }), commitment),
                attestation_digest = COALESCE(\(result.map { Data($0.attestationDigest.bytes) }), attestation_digest),
                attestation_expiry = COALESCE(\(result.map { Int64(clamping: $0.attestationExpiry) }), attestation_expiry),
                signature = COALESCE(\(changes.signature.map { Data($0) }), signature),
                tx_nonce = COALESCE(\(changes.transactionNonce.map { Int64($0) }), tx_nonce),
                failure_reason = COALESCE(\(changes.failureReason), failure_reason),
                attempts = attempts + \(Int64(changes.incrementAttempts ? 1 : 0))
            WHERE request_id = \(id) AND role = \(role)
            """, logger: logger)
        return .applied
    }

    package func latestJobs(limit: Int) async throws -> [Job] {
        try await session.read { connection, logger in
            try await Self.jobs(
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT \(Self.jobColumns) FROM job ORDER BY block_number DESC, log_index DESC LIMIT $1
                            """, binds: try Self.bindings(Int64(limit))), logger: logger))
        }
    }

    package func countsByState() async throws -> [JobState: Int] {
        try await session.read { connection, logger in
            var counts: [JobState: Int] = [:]
            for try await (text, count) in try await connection.query("SELECT state, COUNT(*) FROM job GROUP BY state", logger: logger)
                .decode((String, Int64).self)
            {
                guard let state = JobState(rawValue: text) else { throw StoreCorruption(column: "state") }
                counts[state] = Int(count)
            }
            return counts
        }
    }
}

// MARK: Rows

extension PostgresJobStore {
    /// The columns ``jobs(_:)`` decodes, in its order.
    static let jobColumns = """
        request_id, role, model, request, block_number, block_hash, log_index, deadline, state, failure_reason, \
        output, error_code, commitment, attestation_digest, attestation_expiry, signature, tx_nonce, attempts, context
        """

    static func jobs(_ rows: PostgresRowSequence) async throws -> [Job] {
        var jobs: [Job] = []
        for try await row in rows {
            let (id, roleText, model, request, number, blockHash, logIndex, deadline, stateText, failure) =
                try row.decode((Data, String, Data, Data, Int64, Data, Int64, Int64, String, String?).self)
            let cells = row.makeRandomAccess()
            guard let state = JobState(rawValue: stateText) else { throw StoreCorruption(column: "state") }
            var job = Job(
                key: try jobKey(id, roleText), model: try bytes32(model, "model"), request: Array(request),
                observedIn: BlockRef(number: UInt64(number), hash: try bytes32(blockHash, "block_hash")),
                logIndex: UInt64(logIndex), deadline: UInt64(deadline), state: state)
            job.failureReason = failure
            if let output = try cells[10].decode(Data?.self), let code = try cells[11].decode(Int64?.self) {
                job.result = JobResult(
                    output: Array(output), errorCode: UInt16(truncatingIfNeeded: code),
                    commitment: try bytes32(try cells[12].decode(Data?.self), "commitment"),
                    attestationDigest: try bytes32(try cells[13].decode(Data?.self), "attestation_digest"),
                    attestationExpiry: UInt64(clamping: try cells[14].decode(Int64?.self) ?? 0))
            }
            job.signature = try cells[15].decode(Data?.self).map(Array.init)
            job.transactionNonce = try cells[16].decode(Int64?.self).map(UInt64.init)
            job.attempts = Int(try cells[17].decode(Int64.self))
            job.context = Array(try cells[18].decode(Data?.self) ?? Data())
            jobs.append(job)
        }
        return jobs
    }

    static func bytes32(_ data: Data?, _ column: String) throws -> Bytes32 {
        guard let data, let value = Bytes32(data) else { throw StoreCorruption(column: column) }
        return value
    }

    static func jobKey(_ id: Data, _ roleText: String) throws -> JobKey {
        guard let role = JobRole(rawValue: roleText) else { throw StoreCorruption(column: "role") }
        return JobKey(requestID: try bytes32(id, "request_id"), role: role)
    }

    /// How many rows a statement returned (`RETURNING 1` counts the rows it changed).
    static func count(_ rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    static func bindings(_ values: any PostgresThrowingDynamicTypeEncodable...) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { try bindings.append(value) }
        return bindings
    }
}

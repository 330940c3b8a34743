import Logging
import PostgresNIO

/// The PostgreSQL store's schema: the SQLite store's migrations v1–v6 as one table set (BYTEA for
/// BLOB, BIGINT for INTEGER, a sequence where SQLite's `rowid` gives an order), then what only a shared
/// store needs. Each migration runs once, in a transaction, under an advisory lock, so two nodes
/// starting together on a new database do not both create the tables.
enum PostgresMigrations {
    static let all: [(name: String, sql: [String])] = [
        (
            "v1: jobs, blocks, cursors, outgoing transactions, owner, duties (SQLite v1-v6)",
            [
                """
                CREATE TABLE job (
                    request_id BYTEA NOT NULL,
                    role TEXT NOT NULL,
                    model BYTEA NOT NULL,
                    request BYTEA NOT NULL,
                    block_number BIGINT NOT NULL,
                    block_hash BYTEA NOT NULL,
                    log_index BIGINT NOT NULL,
                    deadline BIGINT NOT NULL,
                    state TEXT NOT NULL,
                    failure_reason TEXT,
                    output BYTEA,
                    error_code BIGINT,
                    commitment BYTEA,
                    signature BYTEA,
                    tx_nonce BIGINT,
                    attempts BIGINT NOT NULL DEFAULT 0,
                    attestation_digest BYTEA,
                    attestation_expiry BIGINT,
                    context BYTEA,
                    -- SQLite's rowid: the order a rewind and a duty query list jobs in (insertion order).
                    seq BIGSERIAL NOT NULL,
                    PRIMARY KEY (request_id, role)
                )
                """,
                "CREATE INDEX job_by_state ON job(state, block_number, log_index)",
                "CREATE INDEX job_by_block ON job(block_number)",
                "CREATE INDEX job_by_nonce ON job(tx_nonce)",
                "CREATE TABLE scanned_block (number BIGINT PRIMARY KEY, hash BYTEA NOT NULL, parent_hash BYTEA NOT NULL)",
                "CREATE TABLE cursor (id INTEGER PRIMARY KEY CHECK (id = 1), next_block BIGINT NOT NULL)",
                """
                CREATE TABLE outgoing_tx (
                    nonce BIGINT PRIMARY KEY,
                    hash BYTEA NOT NULL,
                    raw BYTEA NOT NULL,
                    max_fee BYTEA NOT NULL,
                    max_priority_fee BYTEA NOT NULL,
                    sent_at_block BIGINT NOT NULL,
                    state TEXT NOT NULL,
                    included_block BIGINT,
                    included_hash BYTEA,
                    replacements BIGINT NOT NULL DEFAULT 0,
                    purpose TEXT
                )
                """,
                "CREATE INDEX outgoing_by_state ON outgoing_tx(state)",
                "CREATE INDEX outgoing_by_inclusion ON outgoing_tx(included_block)",
                // `seq` stands for SQLite's rowid: hashes of a nonce are listed newest first.
                "CREATE TABLE outgoing_tx_hash (hash BYTEA PRIMARY KEY, nonce BIGINT NOT NULL, seq BIGSERIAL NOT NULL)",
                """
                CREATE TABLE store_owner (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    chain_id BIGINT NOT NULL,
                    contract BYTEA NOT NULL,
                    node_id BYTEA NOT NULL
                )
                """,
                "CREATE TABLE duty_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), next_block BIGINT NOT NULL)",
                // SQLite's INSERT OR REPLACE gives a replaced row a new rowid, so open results are listed in
                // the order they were last written; the upsert takes a new `seq` to keep that order.
                "CREATE SEQUENCE tracked_result_seq",
                """
                CREATE TABLE tracked_result (
                    request_id BYTEA PRIMARY KEY,
                    body BYTEA NOT NULL,
                    open BOOLEAN NOT NULL,
                    closed_block BIGINT,
                    seq BIGINT NOT NULL DEFAULT nextval('tracked_result_seq')
                )
                """,
                "CREATE INDEX tracked_open ON tracked_result(open, seq)",
                "CREATE TABLE duty_block (number BIGINT PRIMARY KEY, hash BYTEA NOT NULL, parent_hash BYTEA NOT NULL)"
            ]
        ),
        (
            "v2: the lease one of several nodes sharing the store writes under",
            [
                """
                CREATE TABLE lease (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    holder TEXT NOT NULL,
                    epoch BIGINT NOT NULL,
                    expires_at TIMESTAMPTZ NOT NULL
                )
                """
            ]
        ),
        (
            "v3: the money totals counted up to a final block (SQLite v7)",
            [
                "CREATE TABLE duty_totals (id INTEGER PRIMARY KEY CHECK (id = 1), through_block BIGINT NOT NULL, totals BYTEA NOT NULL)"
            ]
        )
    ]

    /// An arbitrary constant naming this schema's advisory lock.
    static let lockKey: Int64 = 0x436C_6F69_7374_6572  // "Cloister"

    static func migrate(_ session: PostgresSession) async throws {
        try await session.transaction(write: false) { connection, logger in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY)", logger: logger)
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM schema_migration", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in all where !applied.contains(migration.name) {
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migration (name) VALUES (\(migration.name))", logger: logger)
            }
        }
    }
}

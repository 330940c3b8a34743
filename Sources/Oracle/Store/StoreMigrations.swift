import GRDB

/// The store's schema, one migration per change; GRDB records which ones a database already has.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs, scanned blocks, cursor") { db in
            try db.execute(sql: """
                CREATE TABLE job (
                    request_id BLOB NOT NULL,
                    role TEXT NOT NULL,
                    model BLOB NOT NULL,
                    request BLOB NOT NULL,
                    block_number INTEGER NOT NULL,
                    block_hash BLOB NOT NULL,
                    log_index INTEGER NOT NULL,
                    deadline INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    failure_reason TEXT,
                    output BLOB,
                    error_code INTEGER,
                    commitment BLOB,
                    signature BLOB,
                    tx_nonce INTEGER,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (request_id, role)
                );
                CREATE INDEX job_by_state ON job(state, block_number, log_index);
                CREATE INDEX job_by_block ON job(block_number);
                CREATE TABLE scanned_block (
                    number INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL,
                    parent_hash BLOB NOT NULL
                );
                CREATE TABLE cursor (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    next_block INTEGER NOT NULL
                );
                """)
        }
        return migrator
    }
}

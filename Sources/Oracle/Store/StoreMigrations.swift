import GRDB

/// The store's schema, one migration per change; GRDB records which ones a database already has.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs, scanned blocks, cursor") { db in
            try db.execute(
                sql: """
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
        migrator.registerMigration("v2: outgoing transactions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outgoing_tx (
                        nonce INTEGER PRIMARY KEY,
                        hash BLOB NOT NULL,
                        raw BLOB NOT NULL,
                        max_fee BLOB NOT NULL,
                        max_priority_fee BLOB NOT NULL,
                        sent_at_block INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        included_block INTEGER,
                        included_hash BLOB,
                        replacements INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX outgoing_by_state ON outgoing_tx(state);
                    CREATE TABLE outgoing_tx_hash (
                        hash BLOB PRIMARY KEY,
                        nonce INTEGER NOT NULL
                    );
                    CREATE INDEX job_by_nonce ON job(tx_nonce);
                    """)
        }
        migrator.registerMigration("v3: the attestation a result was signed under") { db in
            try db.execute(
                sql: """
                    ALTER TABLE job ADD COLUMN attestation_digest BLOB;
                    ALTER TABLE job ADD COLUMN attestation_expiry INTEGER;
                    """)
        }
        migrator.registerMigration("v4: the chain, contract and node a store belongs to") { db in
            try db.execute(
                sql: """
                    CREATE TABLE store_owner (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        chain_id INTEGER NOT NULL,
                        contract BLOB NOT NULL,
                        node_id BLOB NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v5: duties (verification, jury, challenge) and the results this node is party to") { db in
            try db.execute(
                sql: """
                    ALTER TABLE job ADD COLUMN context BLOB;
                    ALTER TABLE outgoing_tx ADD COLUMN purpose TEXT;
                    CREATE TABLE duty_cursor (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        next_block INTEGER NOT NULL
                    );
                    CREATE TABLE tracked_result (
                        request_id BLOB PRIMARY KEY,
                        body BLOB NOT NULL,
                        open INTEGER NOT NULL
                    );
                    CREATE INDEX tracked_open ON tracked_result(open);
                    """)
        }
        migrator.registerMigration("v6: what a reorg can undo: inclusions by block, the duty scanner's blocks, when a tracked result ended") { db in
            try db.execute(
                sql: """
                    CREATE INDEX outgoing_by_inclusion ON outgoing_tx(included_block);
                    CREATE TABLE duty_block (
                        number INTEGER PRIMARY KEY,
                        hash BLOB NOT NULL,
                        parent_hash BLOB NOT NULL
                    );
                    ALTER TABLE tracked_result ADD COLUMN closed_block INTEGER;
                    """)
        }
        migrator.registerMigration("v7: the money totals counted up to a final block, so a restart does not recount history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE duty_totals (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        through_block INTEGER NOT NULL,
                        totals BLOB NOT NULL
                    );
                    """)
        }
        return migrator
    }
}

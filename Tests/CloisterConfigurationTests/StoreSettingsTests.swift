import Testing
@testable import CloisterConfiguration

/// `[store]`: SQLite by default; PostgreSQL with a URL that names user, host and database, and never a password.
@Suite struct StoreSettingsTests {
    @Test func defaultsToSQLite() throws {
        let store = try NodeConfiguration.parse(NodeConfigurationTests.minimal).store
        #expect(store.kind == .sqlite && store.path == "state/jobs.sqlite" && store.postgres == nil)
    }

    @Test func readsAPostgresURL() throws {
        let text =
            NodeConfigurationTests.minimal
            + "\n[store]\nkind = \"postgres\"\nurl = \"postgres://cloister@db.internal/oracle\"\npassword_file = \"state/db-password\"\n"
        let store = try NodeConfiguration.parse(text).store
        #expect(store.kind == .postgres && store.passwordFile == "state/db-password")
        #expect(store.postgres == PostgresURL(host: "db.internal", port: 5432, user: "cloister", database: "oracle"))
        let overridden = try NodeConfiguration.parse(
            NodeConfigurationTests.minimal,
            environment: [
                "CLOISTER_STORE_KIND": "postgres", "CLOISTER_STORE_URL": "postgresql://node@127.0.0.1:6543/jobs"
            ]
        ).store
        #expect(overridden.postgres == PostgresURL(host: "127.0.0.1", port: 6543, user: "node", database: "jobs"))
    }

    @Test(arguments: [
        ("kind = \"mysql\"\n", "store.kind", "sqlite, postgres"),
        ("kind = \"postgres\"\n", "store.url", "postgres://"),
        ("kind = \"postgres\"\nurl = \"http://x/db\"\n", "store.url", "postgres://"),
        ("kind = \"postgres\"\nurl = \"postgres://cloister:secret@127.0.0.1/db\"\n", "store.url", "store.password_file"),
        ("kind = \"postgres\"\nurl = \"postgres://127.0.0.1/db\"\n", "store.url", "USER@"),
        ("kind = \"postgres\"\nurl = \"postgres://cloister@127.0.0.1/\"\n", "store.url", "DATABASE"),
        ("url = \"postgres://cloister@127.0.0.1/db\"\n", "store.url", "store.kind = \"postgres\"")
    ])
    func refusesWhatCannotWorkNamingTheFix(section: String, key: String, fix: String) {
        #expect { try NodeConfiguration.parse(NodeConfigurationTests.minimal + "\n[store]\n" + section) } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == key && (error.fix.contains(fix) || error.problem.contains(fix)) && !error.description.contains("secret")
        }
    }
}

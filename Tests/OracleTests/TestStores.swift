import Foundation
import Logging
import Oracle
import OraclePostgres
import PostgresNIO
import Synchronization
import Testing

/// What the store suites need of a store: everything the node uses.
typealias TestStore = JobStore & SubmissionStore & DutyStore

/// The store suites run on both stores, so that the PostgreSQL store keeps exactly the SQLite store's
/// semantics.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A new, empty store of `kind`: SQLite in memory, or a new database on the test PostgreSQL server.
func makeStore(_ kind: StoreKind) async throws -> any TestStore {
    try await StoreFixture(kind).open()
}

/// A store that can be opened again, as after a restart: a SQLite file, or a PostgreSQL database.
struct StoreFixture {
    let kind: StoreKind
    /// The SQLite file, or nil for a store in memory.
    let path: String?
    let location: PostgresStoreLocation?

    init(_ kind: StoreKind, persistent: Bool = false) async throws {
        self.kind = kind
        switch kind {
        case .sqlite:
            path = persistent ? FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).sqlite").path : nil
            location = nil
        case .postgres:
            path = nil
            location = try await TestPostgres.newDatabase()
        }
    }

    func open() async throws -> any TestStore {
        switch kind {
        case .sqlite: try path.map(SQLiteJobStore.init(path:)) ?? SQLiteJobStore()
        case .postgres: try await TestPostgres.open(location!)
        }
    }

    /// Opens the store and claims it for `owner`, as the node does at start.
    func claim(_ owner: StoreOwner) async throws {
        switch kind {
        case .sqlite:
            try await SQLiteJobStore(path: path!).claim(for: owner, path: path!)
        case .postgres:
            try await TestPostgres.open(location!).claim(for: owner)
        }
    }

    func remove() {
        guard let path else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// The PostgreSQL server the tests use: the one `make test` started (its URL in
/// ORACLE_TEST_POSTGRES_URL), or else one this process starts with scripts/test-postgres.sh and stops
/// at exit. A test that needs it fails, saying why, when it cannot be had: it never skips.
enum TestPostgres {
    static let logger = Logger(label: "cloister.tests.postgres")

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    static let server: Result<PostgresStoreLocation, Unavailable> = {
        if let url = ProcessInfo.processInfo.environment["ORACLE_TEST_POSTGRES_URL"] {
            return parse(url)
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/test-postgres.sh").path
        let directory = "/tmp/cloister-pg-\(getpid())-\(UUID().uuidString.prefix(8))"
        // The script's output goes to files, not pipes: the server it starts in the background inherits
        // the script's descriptors, so a pipe would never reach its end while the server runs.
        let outputPath = directory + ".out", errorPath = directory + ".err"
        defer { for path in [outputPath, errorPath] { try? FileManager.default.removeItem(atPath: path) } }
        let status = spawnAndWait([script, "start", directory], output: outputPath, errors: errorPath)
        let url = ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let why = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "exit status \(status)"
        guard status == 0 else {
            return .failure(Unavailable(description: "PostgreSQL could not be started for the store tests: \(why)"))
        }
        startedDirectory.withLock { $0 = directory }
        atexit {
            guard let directory = TestPostgres.startedDirectory.withLock({ $0 }) else { return }
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("scripts/test-postgres.sh").path
            _ = spawnAndWait([script, "stop", directory], output: "/dev/null", errors: "/dev/null")
        }
        return parse(url)
    }()

    static let startedDirectory = Mutex<String?>(nil)

    /// Runs `arguments` with its output and errors in files and returns its exit status. posix_spawn and
    /// waitpid, not Foundation's Process: in the test process, Process never saw the script end.
    static func spawnAndWait(_ arguments: [String], output: String, errors: String) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, arguments[0], &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    /// Every store a test opened. A PostgreSQL connection must be closed before it is freed (PostgresNIO
    /// asserts it), and the tests, like the node, drop stores without closing them: kept here, they
    /// live until the process ends and the server is stopped.
    static let opened = Mutex<[PostgresJobStore]>([])

    static func open(_ location: PostgresStoreLocation) async throws -> PostgresJobStore {
        let store = try await PostgresJobStore(location: location, logger: logger)
        opened.withLock { $0.append(store) }
        return store
    }

    static func parse(_ url: String) -> Result<PostgresStoreLocation, Unavailable> {
        guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
            return .failure(Unavailable(description: "ORACLE_TEST_POSTGRES_URL '\(url)' is not a postgres://user@host:port/database URL"))
        }
        return .success(
            PostgresStoreLocation(
                host: host, port: components.port ?? 5432, user: user,
                database: String(components.path.dropFirst()), password: components.password))
    }

    /// A new empty database on the server, for one test.
    static func newDatabase() async throws -> PostgresStoreLocation {
        let admin = try server.get()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let configuration = PostgresConnection.Configuration(
            host: admin.host, port: admin.port, username: admin.user,
            password: admin.password, database: admin.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        } catch {
            try? await connection.close()
            throw Unavailable(description: "cannot create a test database on \(admin): \(String(reflecting: error))")
        }
        try await connection.close()
        var location = admin
        location.database = name
        return location
    }
}

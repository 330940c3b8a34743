import Logging
import NIOCore
import PostgresNIO

/// One connection to the store's database, used by one operation at a time. Every store operation is
/// one database transaction (as in the SQLite store), and transactions on one connection cannot
/// interleave, so operations queue here in arrival order. A broken connection is replaced on the next
/// operation: a restarted server costs the operations in flight, not the node.
actor PostgresSession {
    let location: PostgresStoreLocation
    private let logger: Logger
    private var connection: PostgresConnection?
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var nextConnectionID = 1
    /// The lease this process writes under, once it leads: every write transaction first checks, under a
    /// share lock on the lease row, that the lease still carries this holder and epoch. A takeover
    /// (which updates that row) therefore waits for a write in flight, and every later write of the
    /// old leader fails: at most one node's writes land, whatever the timing of a pause or a partition.
    private var fence: LeaseFence?

    init(location: PostgresStoreLocation, logger: Logger) {
        self.location = location
        self.logger = logger
    }

    /// A store dropped without ``close()`` (a node that failed while starting, a test): the connection is
    /// closed by the event loop, and kept alive until it is, since PostgresNIO requires a connection to be
    /// closed before it is freed.
    deinit {
        if let connection, !connection.isClosed {
            connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
        }
    }

    /// Opens the connection now, so that a wrong URL or password is reported at start.
    func connect() async throws {
        await acquire()
        defer { release() }
        _ = try await connected()
    }

    func close() async {
        await acquire()
        defer { release() }
        if let connection { try? await connection.close() }
        connection = nil
    }

    func setFence(_ fence: LeaseFence?) { self.fence = fence }

    /// Runs `body` in one transaction; a write first checks the lease fence, if one is set.
    @discardableResult
    func transaction<Result: Sendable>(
        write: Bool = true,
        _ body: @Sendable (PostgresConnection, Logger) async throws -> Result
    ) async throws -> Result {
        await acquire()
        defer { release() }
        let connection = try await connected()
        do {
            try await connection.query("BEGIN", logger: logger)
            if write, let fence { try await fence.check(on: connection, logger: logger) }
            let result = try await body(connection, logger)
            try await connection.query("COMMIT", logger: logger)
            return result
        } catch {
            if connection.isClosed {
                self.connection = nil
            } else {
                do { try await connection.query("ROLLBACK", logger: logger) } catch { self.connection = nil }
            }
            throw Self.mapped(error)
        }
    }

    /// Runs one statement's worth of reading outside a transaction (a single statement sees one snapshot).
    func read<Result: Sendable>(_ body: @Sendable (PostgresConnection, Logger) async throws -> Result) async throws -> Result {
        await acquire()
        defer { release() }
        let connection = try await connected()
        do {
            return try await body(connection, logger)
        } catch {
            if connection.isClosed { self.connection = nil }
            throw Self.mapped(error)
        }
    }

    /// Domain errors pass through; PostgresNIO's become a ``PostgresStoreError`` with the server's words.
    static func mapped(_ error: any Error) -> any Error {
        if error is PSQLError || error is PostgresTransactionError { return PostgresStoreError.statement(reason: PostgresStoreError.reason(of: error)) }
        return error
    }

    private func connected() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: location.password, database: location.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        // A transaction left open by a process that was paused or cut off mid-operation would hold its
        // locks, the lease row's among them, and so keep a standby from taking over: the server ends it.
        // Every transaction here is a few statements with nothing else awaited in between.
        configuration.options.additionalStartupParameters = [("idle_in_transaction_session_timeout", "3000")]
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: nextConnectionID, logger: logger)
            nextConnectionID += 1
            self.connection = connection
            return connection
        } catch {
            throw PostgresStoreError.unreachable(location: location.description, reason: PostgresStoreError.reason(of: error))
        }
    }

    private func acquire() async {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
    }

    /// Hands the connection to the next operation in line (it stays busy), or frees it.
    private func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}

import Foundation
import Logging
import CloisterConfiguration
import Oracle
import OraclePostgres
import ServiceLifecycle

/// The job store the configuration names, opened and claimed for this node, with what keeps it to one
/// writer: for SQLite the file lock taken at start (``NodeLock``), for PostgreSQL a lease that this
/// process waits for (standing by while another node leads) and then renews for as long as it runs.
struct OpenedStore {
    typealias Store = JobStore & SubmissionStore & DutyStore
    let store: any Store
    /// The lease's renewal, to run with the node's services (PostgreSQL only).
    let lease: LeaseService?
    /// Closes the database connection after the services stopped.
    let close: @Sendable () async -> Void
}

enum StoreOpener {
    /// How long a lease lasts unless renewed, how often the leader renews it and how often a standby
    /// looks: a dead leader is replaced within `duration + poll` (7 s), and a leader that cannot renew
    /// for `duration` stops before anyone may take over.
    static let leaseDuration = Duration.seconds(6)
    static let renewEvery = Duration.seconds(2)
    static let standbyPoll = Duration.seconds(1)

    static func open(_ settings: StoreSettings, owner: StoreOwner, logger: Logger) async throws -> OpenedStore {
        switch settings.kind {
        case .sqlite:
            let store = try SQLiteJobStore(path: try NodeRunner.preparedPath(settings.path))
            try await store.claim(for: owner, path: settings.path)
            return OpenedStore(store: store, lease: nil, close: {})
        case .postgres:
            guard let url = settings.postgres else { throw PostgresStoreError.statement(reason: "store.url was not parsed") }
            let location = PostgresStoreLocation(
                host: url.host, port: url.port, user: url.user, database: url.database,
                password: try password(settings.passwordFile))
            let store = try await PostgresJobStore(location: location, logger: logger)
            do {
                try await store.claim(for: owner)
                let holder = "\(ProcessInfo.processInfo.hostName) pid \(getpid()) \(UUID().uuidString.prefix(8))"
                let epoch = try await waitForLease(store, holder: holder, logger: logger)
                return OpenedStore(
                    store: store, lease: LeaseService(store: store, holder: holder, epoch: epoch, logger: logger),
                    close: { await store.close() })
            } catch {
                await store.close()
                throw error
            }
        }
    }

    /// Stands by until the lease is free or expired, then takes it.
    static func waitForLease(_ store: PostgresJobStore, holder: String, logger: Logger) async throws -> Int64 {
        var announced: String?
        while true {
            let (epoch, current) = try await store.tryAcquireLease(holder: holder, duration: leaseDuration)
            if let epoch {
                logger.notice("leading: holding the job store's lease", metadata: ["holder": "\(holder)", "epoch": "\(epoch)", "store": "\(store.location)"])
                return epoch
            }
            if let current, announced != current.holder {
                logger.notice(
                    "standing by: another node holds the job store's lease",
                    metadata: [
                        "leader": "\(current.holder)", "epoch": "\(current.epoch)", "expires_in_ms": "\(current.remainingMilliseconds)"
                    ])
                announced = current.holder
            }
            try await Task.sleep(for: standbyPoll)
        }
    }

    /// The first line of `file` (read as every secret file is, ``OperatorKeyFiles/password(at:)``), or nil
    /// when no file is configured.
    static func password(_ file: String) throws -> String? {
        guard !file.isEmpty else { return nil }
        guard var line = try? OperatorKeyFiles.password(at: file), !line.isEmpty else {
            throw PostgresStoreError.unreachable(location: file, reason: "store.password_file cannot be read or its first line is empty")
        }
        defer { OperatorKeyFiles.wipe(&line) }
        return String(decoding: line, as: UTF8.self)
    }
}

/// Renews the lead node's lease until the node stops, then gives it up so a standby takes over at once.
/// A lost lease (another node took over while this one was paused or cut off) or a lease that could
/// not be renewed before it ran out ends the node: only one node may write.
struct LeaseService: Service {
    let store: PostgresJobStore
    let holder: String
    let epoch: Int64
    let logger: Logger

    func run() async throws {
        var renewed = ContinuousClock.now
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: StoreOpener.renewEvery) }
            } catch is CancellationError {
                break
            }
            do {
                try await store.renewLease(holder: holder, epoch: epoch, duration: StoreOpener.leaseDuration)
                renewed = .now
            } catch let error as PostgresStoreError {
                if case .leaseLost = error { throw error }
                guard ContinuousClock.now - renewed < StoreOpener.leaseDuration - StoreOpener.renewEvery else {
                    logger.critical("cannot renew the job store's lease before it runs out: stopping", metadata: ["error": "\(error)"])
                    throw error
                }
                logger.warning("lease renewal failed; retrying", metadata: ["error": "\(error)"])
            }
        }
        try? await store.releaseLease(holder: holder, epoch: epoch)
        logger.notice("lease released", metadata: ["epoch": "\(epoch)"])
    }
}

extension StoreOpener {
    /// Whether a process runs the node of `settings`, for commands that must not run beside it
    /// (`node rotate-key`) or that report it (`node status`). SQLite: the file lock, taken and returned
    /// when free (the caller keeps it while it works), or its holder. PostgreSQL: the lease's leader while
    /// its lease runs (standby processes hold nothing and are not seen).
    static func activity(_ settings: StoreSettings, purpose: String) async throws -> (lock: NodeLock?, holder: String?) {
        switch settings.kind {
        case .sqlite:
            do {
                return (try NodeLock(storePath: settings.path, purpose: purpose), nil)
            } catch {
                if case .held(_, let holder) = error { return (nil, holder) }
                throw error
            }
        case .postgres:
            guard let url = settings.postgres else { return (nil, nil) }
            let location = PostgresStoreLocation(
                host: url.host, port: url.port, user: url.user, database: url.database,
                password: try password(settings.passwordFile))
            let store = try await PostgresJobStore(location: location, logger: Logger(label: "cloister.store"))
            let lease = try? await store.leaseHolder()
            await store.close()
            guard let lease, lease.remainingMilliseconds > 0 else { return (nil, nil) }
            return (nil, "\(lease.holder), lease epoch \(lease.epoch) on \(location)")
        }
    }
}

import Foundation
import Logging
import Oracle
import PostgresNIO

/// The lease one node writes under: a fencing epoch that every write checks inside its own transaction.
struct LeaseFence: Sendable {
    let holder: String
    let epoch: Int64

    /// Locks the lease row for share (a takeover, which updates it, waits for this transaction) and
    /// refuses the write if another holder or epoch is recorded.
    func check(on connection: PostgresConnection, logger: Logger) async throws {
        var current: (String, Int64)?
        for try await row in try await connection.query("SELECT holder, epoch FROM lease WHERE id = 1 FOR SHARE", logger: logger)
            .decode((String, Int64).self)
        {
            current = row
        }
        guard let current, current.0 == holder, current.1 == epoch else {
            throw PostgresStoreError.leaseLost(holder: current?.0 ?? "nobody", epoch: current?.1 ?? 0)
        }
    }
}

/// The lease row as the database has it. Expiry is the database's clock, so nodes on machines whose
/// clocks differ still agree on when a lease ran out.
package struct LeaseHolder: Sendable, Equatable {
    package let holder: String
    package let epoch: Int64
    /// Milliseconds until it expires by the database's clock (negative once expired).
    package let remainingMilliseconds: Int64
}

extension PostgresJobStore {
    /// Takes the lease for `holder` if nobody holds it or it has expired, for `duration`; from then on
    /// every write of this store is fenced by the new epoch. Returns the new epoch, or nil (and who
    /// holds it) while another node's lease runs.
    package func tryAcquireLease(holder: String, duration: Duration) async throws -> (epoch: Int64?, current: LeaseHolder?) {
        let milliseconds = duration.milliseconds
        let epoch = try await session.transaction(write: false) { connection, logger -> Int64? in
            try await connection.query(
                """
                INSERT INTO lease (id, holder, epoch, expires_at) VALUES (1, \(holder), 1, now() + \(milliseconds)::bigint * interval '1 millisecond')
                ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, epoch = lease.epoch + 1, expires_at = EXCLUDED.expires_at
                WHERE lease.expires_at < now()
                RETURNING epoch
                """, logger: logger
            ).decode(Int64.self).first { _ in true }
        }
        if let epoch {
            await session.setFence(LeaseFence(holder: holder, epoch: epoch))
            return (epoch, LeaseHolder(holder: holder, epoch: epoch, remainingMilliseconds: milliseconds))
        }
        return (nil, try await leaseHolder())
    }

    /// Who holds the lease, if anyone ever did.
    package func leaseHolder() async throws -> LeaseHolder? {
        try await session.read { connection, logger in
            try await connection.query(
                """
                SELECT holder, epoch, (EXTRACT(EPOCH FROM (expires_at - now())) * 1000)::bigint FROM lease WHERE id = 1
                """, logger: logger
            ).decode((String, Int64, Int64).self).first { _ in true }
                .map { LeaseHolder(holder: $0.0, epoch: $0.1, remainingMilliseconds: $0.2) }
        }
    }

    /// Extends this node's lease by `duration` from now. Throws ``PostgresStoreError/leaseLost(holder:epoch:)``
    /// if another node has taken it over.
    package func renewLease(holder: String, epoch: Int64, duration: Duration) async throws {
        let renewed = try await session.transaction(write: false) { connection, logger in
            try await Self.count(
                try await connection.query(
                    """
                    UPDATE lease SET expires_at = now() + \(duration.milliseconds)::bigint * interval '1 millisecond'
                    WHERE id = 1 AND holder = \(holder) AND epoch = \(epoch) RETURNING 1
                    """, logger: logger)) > 0
        }
        guard renewed else {
            let current = try await leaseHolder()
            await session.setFence(LeaseFence(holder: holder, epoch: -1))
            throw PostgresStoreError.leaseLost(holder: current?.holder ?? "nobody", epoch: current?.epoch ?? 0)
        }
    }

    /// Gives the lease up at a clean stop, so a standby takes over at once instead of after expiry.
    package func releaseLease(holder: String, epoch: Int64) async throws {
        try await session.transaction(write: false) { connection, logger in
            try await connection.query("UPDATE lease SET expires_at = now() WHERE id = 1 AND holder = \(holder) AND epoch = \(epoch)", logger: logger)
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

import PostgresNIO

/// Why a PostgreSQL job store operation failed, in words an operator can act on. PostgresNIO's own
/// errors print a generic text (so as not to leak query data); the server's message is taken from them.
package enum PostgresStoreError: Error, CustomStringConvertible, Sendable {
    /// The server could not be reached or refused the login.
    case unreachable(location: String, reason: String)
    /// A statement failed on the server.
    case statement(reason: String)
    /// This process no longer holds the lease: another node took over (its epoch is higher), so every
    /// write of this one is refused and it must stop.
    case leaseLost(holder: String, epoch: Int64)

    package var description: String {
        switch self {
        case let .unreachable(location, reason):
            "cannot open the job store at \(location): \(reason). Fix: start PostgreSQL there, or correct store.url "
                + "(and store.password_file if the server asks for a password)"
        case let .statement(reason):
            "job store (PostgreSQL): \(reason)"
        case let .leaseLost(holder, epoch):
            "this node lost its lease on the job store (held now by \(holder), epoch \(epoch)); it stops so that only one node writes"
        }
    }

    /// The server's message of a PostgresNIO error, or the error's own text.
    static func reason(of error: any Error) -> String {
        if let error = error as? PostgresStoreError { return error.description }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
        if let error = error as? PostgresTransactionError {
            return [error.beginError, error.closureError, error.commitError].compactMap { $0 }.map { reason(of: $0) }.first ?? "\(error)"
        }
        return "\(error)"
    }
}

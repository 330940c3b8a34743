/// Where a PostgreSQL job store is: the server, the role and the database. The password is kept apart
/// from the URL (it comes from `store.password_file`) and never appears in a description, so a log line
/// or an error that names the store cannot leak it.
package struct PostgresStoreLocation: Sendable, Hashable, CustomStringConvertible {
    package var host: String
    package var port: Int
    package var user: String
    package var database: String
    package var password: String?

    package init(host: String, port: Int = 5432, user: String, database: String, password: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.password = password
    }

    /// The store as a URL without its password: what logs and errors name it by.
    package var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}

/// A bearer token for the completion server, sent as `Authorization: Bearer <key>`.
///
/// Printing, interpolating, dumping or reflecting it shows `APIKey(redacted)`: the key never reaches
/// logs or error messages through this type.
package struct APIKey: Sendable, Equatable {
    /// The token itself; read it only to build the `Authorization` header.
    let secret: String

    package init(_ secret: String) {
        self.secret = secret
    }
}

extension APIKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "APIKey(redacted)" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

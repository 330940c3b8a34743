/// A bearer token for the completion server, sent as `Authorization: Bearer <key>`.
///
/// Printing, interpolating, dumping or reflecting it shows `APIKey(redacted)`: the key never reaches
/// logs or error messages through this type.
public struct APIKey: Sendable, Equatable {
    /// The token itself; read it only to build the `Authorization` header.
    let secret: String

    public init(_ secret: String) {
        self.secret = secret
    }
}

extension APIKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "APIKey(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// A JSON-RPC error object returned by an endpoint: the call reached a node and the node refused it.
public struct RPCError: Error, Equatable, Sendable {
    public let code: Int64
    public let message: String
    /// The optional `data` member as sent (revert data, or a client's extra detail).
    public let data: JSONValue?

    public init(code: Int64, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// What the error means, whichever client wrote it (see ``RPCErrorKind/classify(_:)``).
    public var kind: RPCErrorKind { RPCErrorKind.classify(self) }
}

extension RPCError {
    /// Parses an `error` member; anything but `{code: integer, message: string, data?}` is invalid.
    init(json: JSONValue) throws(InvalidResponse) {
        let reader = JSONFieldReader(json, path: "error")
        let codeValue = try reader.member("code").value
        guard case .integer(let code) = codeValue else {
            throw .wrongType(field: "error.code", expected: "integer", actual: codeValue.kindName)
        }
        self.init(code: code, message: try reader.member("message").string(), data: json["data"])
    }
}

extension RPCError: CustomStringConvertible {
    public var description: String { "JSON-RPC error \(code): \(message)" }
}

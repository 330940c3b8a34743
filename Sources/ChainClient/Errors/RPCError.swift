import Ethereum
/// A JSON-RPC error object returned by an endpoint: the call reached a node and the node refused it.
public struct RPCError: Error, Equatable, Sendable {
    public let code: Int64
    public let message: String
    /// The optional `data` member as sent (revert data, or a client's extra detail).
    public let data: ExactJSON?

    public init(code: Int64, message: String, data: ExactJSON? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// What the error means, whichever client wrote it (see ``RPCErrorKind/classify(_:)``).
    public var kind: RPCErrorKind { RPCErrorKind.classify(self) }
}

extension RPCError {
    /// Parses an `error` member; anything but `{code: integer, message: string, data?}` is invalid.
    init(json: ExactJSON) throws(InvalidResponse) {
        let reader = JSONFieldReader(json, path: "error")
        let codeValue = try reader.member("code").value
        guard let code = codeValue.int64 else {
            throw .wrongType(field: "error.code", expected: "integer", actual: codeValue.kindName)
        }
        self.init(code: code, message: try reader.member("message").string(), data: json["data"])
    }
}

extension RPCError: CustomStringConvertible {
    public var description: String { "JSON-RPC error \(code): \(message)" }
}

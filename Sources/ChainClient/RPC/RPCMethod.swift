import Ethereum
/// One JSON-RPC call with the decoder of its result: what ``RPCClient/call(_:timeout:)`` sends
/// alone and ``RPCClient/batch(_:timeout:)`` sends together.
public struct RPCMethod<Result: Sendable>: Sendable {
    public let name: String
    public let params: [ExactJSON]
    /// Whether sending the call twice has the same effect as sending it once (decides retries).
    public let isIdempotent: Bool
    /// Turns the `result` member into `Result`, refusing anything inconsistent with the request.
    let decode: @Sendable (JSONFieldReader) throws(InvalidResponse) -> Result

    init(
        name: String, params: [ExactJSON], isIdempotent: Bool = true,
        decode: @escaping @Sendable (JSONFieldReader) throws(InvalidResponse) -> Result
    ) {
        self.name = name
        self.params = params
        self.isIdempotent = isIdempotent
        self.decode = decode
    }
}

extension RPCMethod where Result == ExactJSON {
    /// Any method, with its result returned as parsed JSON (for methods without a typed wrapper).
    public static func raw(_ name: String, params: [ExactJSON], isIdempotent: Bool) -> RPCMethod<ExactJSON> {
        RPCMethod(name: name, params: params, isIdempotent: isIdempotent) { reader throws(InvalidResponse) in reader.value }
    }
}

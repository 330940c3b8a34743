import Ethereum
@testable import ChainClient

/// JSON-RPC answers for the scripted server, echoing the ids of the request they answer.
enum ScriptedAnswers {
    /// The ids of a single request or of a batch, in request order.
    static func ids(of body: [UInt8]) -> [Int64] {
        switch try? ExactJSON.parse(body) {
        case .object(let members)?:
            return members["id"]?.int64.map { [$0] } ?? []
        case .array(let items)?:
            return items.compactMap { $0["id"]?.int64 }
        default:
            return []
        }
    }

    /// The method name of a single request.
    static func method(of body: [UInt8]) -> String? {
        if case .string(let name)? = (try? ExactJSON.parse(body))?["method"] { return name }
        return nil
    }

    /// `{"jsonrpc":"2.0","id":<id of body>,"result":<resultJSON>}`.
    static func result(_ resultJSON: String, answering body: [UInt8]) -> ScriptedReply {
        .json(#"{"jsonrpc":"2.0","id":\#(ids(of: body).first ?? 0),"result":\#(resultJSON)}"#)
    }

    static func error(code: Int, message: String, data: String? = nil, answering body: [UInt8]) -> ScriptedReply {
        let dataMember = data.map { #","data":"\#($0)""# } ?? ""
        return .json(#"{"jsonrpc":"2.0","id":\#(ids(of: body).first ?? 0),"error":{"code":\#(code),"message":"\#(message)"\#(dataMember)}}"#)
    }
}

/// A client of the scripted servers at `urls` with fast retries (tests must not sleep long).
func scriptedClient(
    _ urls: [String], attempts: Int = 4, timeout: Duration = .seconds(30),
    health: HealthPolicy = HealthPolicy()
) throws -> RPCClient {
    try RPCClient(
        configuration: RPCClientConfiguration(
            endpoints: urls.map { EndpointConfiguration(url: $0) }, requestTimeout: timeout,
            retry: RetryPolicy(maxAttempts: attempts, initialBackoff: .milliseconds(5), maxBackoff: .milliseconds(20)),
            health: health))
}

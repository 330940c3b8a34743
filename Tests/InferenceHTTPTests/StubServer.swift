import Hummingbird

/// A request as the stub server received it.
struct ReceivedRequest: Sendable {
    let path: String
    let authorization: String?
    let contentType: String?
    let body: [UInt8]
}

/// Collects the requests a stub server receives.
actor RequestLog {
    private(set) var requests: [ReceivedRequest] = []

    func append(_ request: ReceivedRequest) {
        requests.append(request)
    }
}

/// A real HTTP server on 127.0.0.1 (a port the system picks) imitating an OpenAI-compatible server:
/// every POST to `/v1/chat/completions` is logged and answered by `respond`.
enum StubServer {
    typealias Responder = @Sendable (ReceivedRequest) async throws -> Response

    /// Runs the server for the duration of `body`, which receives the base URL (`http://127.0.0.1:<port>/v1`).
    static func with<T>(
        log: RequestLog = RequestLog(), respond: @escaping Responder,
        _ body: (String) async throws -> T
    ) async throws -> T {
        let router = Router()
        router.post("/v1/chat/completions") { request, _ in
            let received = try await receive(request)
            await log.append(received)
            return try await respond(received)
        }
        router.post("/elsewhere/chat/completions") { request, _ in
            await log.append(try await receive(request))
            return Response(status: .ok)
        }
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        var application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "stub"),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            })
        // Stopping by cancellation while the client's pooled connections are open logs errors; the tests do not need them.
        application.logger.logLevel = .critical
        let server = application
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { portSink.finish() }  // a server that fails to start ends the wait for its port
                try await server.run()
            }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw StubServerError.didNotStart }
            return try await body("http://127.0.0.1:\(port)/v1")
        }
    }

    private static func receive(_ request: Request) async throws -> ReceivedRequest {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return ReceivedRequest(
            path: request.uri.path, authorization: request.headers[.authorization],
            contentType: request.headers[.contentType], body: Array(buffer.readableBytesView))
    }
}

enum StubServerError: Error {
    case didNotStart
}

extension Response {
    /// A JSON response with a `Content-Length`.
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

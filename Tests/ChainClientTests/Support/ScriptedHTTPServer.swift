import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// What the scripted server does with one request.
enum ScriptedReply: Sendable {
    case respond(status: Int, headers: [String: String], body: [UInt8])
    /// Closes the connection without answering.
    case closeConnection

    static func json(_ text: String, status: Int = 200) -> ScriptedReply {
        .respond(status: status, headers: [:], body: Array(text.utf8))
    }
}

/// A real HTTP/1.1 server on loopback whose every answer is decided by the test's script, which is
/// handed the request number (from 1) and body and may sleep before answering.
final class ScriptedHTTPServer: Sendable {
    typealias Script = @Sendable (_ requestNumber: Int, _ body: [UInt8]) async -> ScriptedReply

    /// Shared by the server and its connection handlers.
    final class State: Sendable {
        let connections = Mutex<[any Channel]>([])
        let requests = Atomic<Int>(0)
    }

    let port: Int
    private let serverChannel: any Channel
    private let state: State

    var url: String { "http://127.0.0.1:\(port)" }
    /// Requests received so far.
    var requestCount: Int { state.requests.load(ordering: .relaxed) }

    init(script: @escaping Script) async throws {
        let state = State()
        self.state = state
        serverChannel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                state.connections.withLock { $0.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(script: script, state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = serverChannel.localAddress?.port ?? 0
    }

    /// Stops listening and closes every open connection (the endpoint "dies").
    func stop() async {
        try? await serverChannel.close()
        for connection in state.connections.withLock({ $0 }) {
            try? await connection.close()
        }
    }
}

private final class ScriptedHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let script: ScriptedHTTPServer.Script
    private let state: ScriptedHTTPServer.State
    private let body = Mutex<[UInt8]>([])

    init(script: @escaping ScriptedHTTPServer.Script, state: ScriptedHTTPServer.State) {
        self.script = script
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            body.withLock { $0 = [] }
        case .body(let buffer):
            body.withLock { $0 += Array(buffer.readableBytesView) }
        case .end:
            let number = state.requests.wrappingAdd(1, ordering: .relaxed).newValue
            let requestBody = body.withLock { $0 }
            let promise = context.eventLoop.makePromise(of: ScriptedReply.self)
            let script = script
            promise.completeWithTask { await script(number, requestBody) }
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { reply in
                self.send(reply, context: boundContext.value)
            }
        }
    }

    private func send(_ reply: ScriptedReply, context: ChannelHandlerContext) {
        switch reply {
        case .closeConnection:
            context.close(promise: nil)
        case .respond(let status, let headers, let bytes):
            var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status))
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(bytes.count))
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

import Ethereum
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// `eth_subscribe("newHeads")` over a WebSocket endpoint: tells its caller that a block was announced,
/// nothing more. It is a wake-up signal, never a way to read the chain: whoever is woken reads what it
/// needs through ``RPCClient`` over HTTP as before, with every check it already makes. So a lying,
/// late, lossy or absent subscription can make the node slower, never wrong.
///
/// ``run(_:)`` keeps a subscription open until cancelled: when the endpoint cannot be reached, refuses
/// the upgrade or the subscription, or drops the connection, it reports ``Event/lost(_:)`` and tries again
/// after a pause that doubles from ``initialBackoff`` up to ``maxBackoff`` (back to the first after a
/// subscription that delivered a head).
package struct HeadSubscription: Sendable {
    package enum Event: Sendable, Equatable {
        /// The endpoint accepted `eth_subscribe` and returned this subscription id.
        case subscribed(id: String)
        /// A `newHeads` notification: the announced block's number and hash (both only informative).
        case head(number: UInt64, hash: Bytes32)
        /// The subscription ended or could not be made; another attempt follows after `retryIn`.
        case lost(HeadSubscriptionError, retryIn: Duration)
    }

    package let endpoint: WebSocketEndpoint
    package let initialBackoff: Duration
    package let maxBackoff: Duration
    /// How long connecting, upgrading and the `eth_subscribe` reply may take before the attempt fails.
    package let setupTimeout: Duration

    package init(
        endpoint: WebSocketEndpoint, initialBackoff: Duration = .milliseconds(250), maxBackoff: Duration = .seconds(30),
        setupTimeout: Duration = .seconds(10)
    ) {
        self.endpoint = endpoint
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.setupTimeout = setupTimeout
    }

    /// Subscribes, reports, and resubscribes after any failure, until the task is cancelled.
    package func run(_ report: @escaping @Sendable (Event) async -> Void) async {
        var pause = initialBackoff
        while !Task.isCancelled {
            var sawHead = false
            let failure: HeadSubscriptionError
            do throws(HeadSubscriptionError) {
                try await subscribeOnce { event in
                    if case .head = event { sawHead = true }
                    await report(event)
                }
                failure = .closed("the endpoint closed the connection")
            } catch {
                failure = error
            }
            if Task.isCancelled { return }
            if sawHead { pause = initialBackoff }
            await report(.lost(failure, retryIn: pause))
            do { try await Task.sleep(for: pause) } catch { return }
            pause = min(pause * 2, maxBackoff)
        }
    }

    /// One connection: connects, upgrades, subscribes, and reports heads until the connection ends
    /// (returns) or fails (throws). Cancellation closes the connection and returns.
    package func subscribeOnce(_ report: (Event) async -> Void) async throws(HeadSubscriptionError) {
        let (channel, connection) = try await connect()
        let subscribeDeadline = closeUnlessSubscribed(connection)
        defer { subscribeDeadline.cancel() }
        do {
            try await channel.executeThenClose { inbound, outbound in
                var frames = inbound.makeAsyncIterator()
                let request = #"{"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]}"#
                try await outbound.write(Self.textFrame(request))
                var subscription: String?
                var message: [UInt8] = []
                while let frame = try await frames.next() {
                    switch frame.opcode {
                    case .ping:
                        try await outbound.write(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData))
                        continue
                    case .pong:
                        continue
                    case .connectionClose:
                        throw HeadSubscriptionError.closed("the endpoint closed the connection")
                    case .text, .binary, .continuation:
                        message += frame.unmaskedData.readableBytesView
                        guard message.count <= Self.maxMessageBytes else {
                            throw HeadSubscriptionError.malformed("a message longer than \(Self.maxMessageBytes) bytes")
                        }
                        guard frame.fin else { continue }
                    default:
                        throw HeadSubscriptionError.malformed("an unknown WebSocket opcode")
                    }
                    defer { message = [] }
                    let json: ExactJSON
                    do { json = try ExactJSON(parsing: message) } catch {
                        throw HeadSubscriptionError.malformed("a message that is not JSON")
                    }
                    if let id = subscription {
                        if let head = try Self.head(in: json, subscription: id) { await report(.head(number: head.0, hash: head.1)) }
                    } else if json["id"] == .number("1") {
                        subscription = try Self.subscriptionID(in: json)
                        subscribeDeadline.cancel()
                        await report(.subscribed(id: subscription!))
                    }
                }
                if subscription == nil && !Task.isCancelled {
                    throw HeadSubscriptionError.closed("the connection ended before a reply to eth_subscribe")
                }
            }
        } catch let error as HeadSubscriptionError {
            throw error
        } catch {
            if Task.isCancelled { return }
            throw .closed("the connection failed: \(error)")
        }
    }

    static let maxMessageBytes = 1 << 20

    static func textFrame(_ text: String) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text))
    }

    /// The id in the reply to `eth_subscribe`, or the endpoint's refusal as an error.
    static func subscriptionID(in reply: ExactJSON) throws(HeadSubscriptionError) -> String {
        if case .object(let error)? = reply["error"] {
            let code = error["code"]?.int64 ?? 0
            let text: String = if case .string(let message)? = error["message"] { message } else { "" }
            throw .refused(code: code, message: String(text.prefix(200)))
        }
        guard case .string(let id)? = reply["result"], !id.isEmpty, id.count <= 130 else {
            throw .malformed("the eth_subscribe reply has no subscription id")
        }
        return id
    }

    /// The announced block of an `eth_subscription` notification for `subscription`; nil for any other message.
    static func head(in message: ExactJSON, subscription: String) throws(HeadSubscriptionError) -> (UInt64, Bytes32)? {
        guard message["method"] == .string("eth_subscription"), case .string(let id)? = message["params"]?["subscription"],
            id == subscription
        else { return nil }
        guard let header = message["params"]?["result"] else { throw .malformed("a notification without a result") }
        let reader = JSONFieldReader(header, path: "params.result")
        do throws(InvalidResponse) {
            return (try reader.member("number").uint64(), try reader.member("hash").bytes32())
        } catch {
            throw .malformed("a notification whose header is invalid: \(error)")
        }
    }

    private enum Upgrade: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, any Channel)
        case refused
    }

    /// Connects and upgrades; a connection that is not upgraded within ``setupTimeout`` is closed, which
    /// fails the attempt. The returned `Channel` is the same connection, for ``closeUnlessSubscribed``.
    private func connect() async throws(HeadSubscriptionError) -> (NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, any Channel) {
        let endpoint = self.endpoint
        let timeout = TimeAmount.nanoseconds(
            Int64(setupTimeout.components.seconds) * 1_000_000_000
                + setupTimeout.components.attoseconds / 1_000_000_000)
        let outcome: Upgrade
        do {
            let upgrade: EventLoopFuture<Upgrade> = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .connect(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: Self.maxMessageBytes) { channel, _ in
                            channel.eventLoop.makeCompletedFuture {
                                .websocket(try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel), channel)
                            }
                        }
                        var headers = HTTPHeaders()
                        headers.add(name: "Host", value: endpoint.hostHeader)
                        headers.add(name: "Content-Length", value: "0")
                        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: endpoint.path, headers: headers)
                        let configuration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
                            upgradeRequestHead: head, upgraders: [upgrader],
                            notUpgradingCompletionHandler: { channel in channel.eventLoop.makeCompletedFuture { .refused } })
                        let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                            configuration: .init(upgradeConfiguration: configuration))
                        let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
                        negotiated.whenComplete { _ in deadline.cancel() }
                        return negotiated
                    }
                }
            outcome = try await upgrade.get()
        } catch {
            throw .unreachable("\(error)")
        }
        guard case .websocket(let asyncChannel, let channel) = outcome else {
            throw .notWebSocket
        }
        return (asyncChannel, channel)
    }

    /// Closes `channel` after ``setupTimeout`` unless the returned task is cancelled first (when the
    /// subscription id arrived), so an endpoint that upgrades but never answers `eth_subscribe` is retried.
    private func closeUnlessSubscribed(_ channel: any Channel) -> Scheduled<Void> {
        let timeout = TimeAmount.nanoseconds(
            Int64(setupTimeout.components.seconds) * 1_000_000_000
                + setupTimeout.components.attoseconds / 1_000_000_000)
        return channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }
}

/// Why a head subscription ended or could not be made. Every case means the same to the node: keep
/// polling and try again later.
package enum HeadSubscriptionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No TCP connection or no answer to the upgrade in time.
    case unreachable(String)
    /// The endpoint answered the upgrade request with plain HTTP.
    case notWebSocket
    /// The endpoint answered `eth_subscribe` with a JSON-RPC error (it does not offer subscriptions).
    case refused(code: Int64, message: String)
    /// The connection ended.
    case closed(String)
    /// The endpoint sent something that is not a JSON-RPC message this client understands.
    case malformed(String)

    package var description: String {
        switch self {
        case .unreachable(let reason): "WebSocket endpoint unreachable: \(reason)"
        case .notWebSocket: "the endpoint did not upgrade to WebSocket"
        case .refused(let code, let message): "the endpoint refused eth_subscribe(\"newHeads\"): \(code) \(message)"
        case .closed(let reason): "subscription lost: \(reason)"
        case .malformed(let reason): "the endpoint sent \(reason)"
        }
    }
}

/// A `ws://host[:port][/path]` URL, checked once at configuration time.
package struct WebSocketEndpoint: Sendable, Equatable {
    package let host: String
    package let port: Int
    package let path: String

    /// Nil unless `url` is a `ws://` URL with a host and, if given, a port from 1 to 65535. (`wss://` is not offered yet.)
    package init?(_ url: String) {
        guard url.hasPrefix("ws://") else { return nil }
        let rest = url.dropFirst("ws://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = Substring(authority)
        var port = 80
        if authority.hasPrefix("[") {  // [::1]:8546
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else { return nil }
                port = number
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = number
        }
        guard !host.isEmpty, (1...65535).contains(port), !host.contains("@"), !host.contains(" ") else { return nil }
        self.host = String(host)
        self.port = port
        self.path = path.isEmpty ? "/" : String(path)
    }

    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }
}

import Ethereum
import Foundation
import Synchronization
import Testing
@testable import ChainClient

/// `HeadSubscription` against the devchain's real WebSocket front (`--ws-port`, the Python `websockets`
/// server): heads in order with the chain's hashes, refusals and unreachable endpoints as typed errors,
/// and a dropped connection followed by a new subscription once the endpoint is back.
struct HeadSubscriptionTests {
    /// Events as they come, readable while the subscription runs.
    final class Recorder: Sendable {
        private let events = Mutex<[HeadSubscription.Event]>([])
        func record(_ event: HeadSubscription.Event) { events.withLock { $0.append(event) } }
        var all: [HeadSubscription.Event] { events.withLock { $0 } }
        var heads: [(UInt64, Bytes32)] {
            all.compactMap { if case .head(let number, let hash) = $0 { (number, hash) } else { nil } }
        }

        /// Waits (without blocking a thread) until `condition` holds for the events so far.
        func wait(_ what: String, timeout: Duration = .seconds(20), until condition: ([HeadSubscription.Event]) -> Bool) async throws {
            let deadline = ContinuousClock.now + timeout
            while !condition(all) {
                guard ContinuousClock.now < deadline else {
                    Issue.record("timed out waiting for \(what); events: \(all)")
                    throw CancellationError()
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    static func mine(_ client: RPCClient, blocks: Int) async throws {
        for _ in 0..<blocks {
            _ = try await client.request(.raw("evm_mine", params: [], isIdempotent: false))
        }
    }

    static func subscribed(_ events: [HeadSubscription.Event]) -> Int {
        events.filter { if case .subscribed = $0 { true } else { false } }.count
    }

    @Test func headsArriveInOrderWithTheChainsHashes() async throws {
        let endpoint = try #require(WebSocketEndpoint(try await Devchain.webSocketURL()))
        let client = try await Devchain.client()
        let recorder = Recorder()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await HeadSubscription(endpoint: endpoint).run { recorder.record($0) } }
            defer { group.cancelAll() }
            try await recorder.wait("the subscription") { Self.subscribed($0) == 1 }
            try await Self.mine(client, blocks: 3)
            try await recorder.wait("three heads") { _ in recorder.heads.count >= 3 }
        }
        // Other tests of this target mine on the same chain meanwhile: the heads are still consecutive.
        let heads = recorder.heads
        for (offset, (number, hash)) in heads.enumerated() {
            #expect(number == heads[0].0 + UInt64(offset))
            #expect(try await client.getBlock(.number(number))?.hash == hash)
        }
        #expect(!recorder.all.contains { if case .lost = $0 { true } else { false } })
    }

    @Test func anHTTPOnlyEndpointIsNotWebSocket() async throws {
        let http = try await Devchain.url()  // the same server's HTTP port answers the upgrade with 405
        let endpoint = try #require(WebSocketEndpoint(http.replacingOccurrences(of: "http://", with: "ws://")))
        await #expect(throws: HeadSubscriptionError.notWebSocket) {
            try await HeadSubscription(endpoint: endpoint).subscribeOnce { _ in }
        }
    }

    @Test func aClosedPortIsUnreachable() async throws {
        let endpoint = try #require(WebSocketEndpoint("ws://127.0.0.1:1"))
        do {
            try await HeadSubscription(endpoint: endpoint).subscribeOnce { _ in }
            Issue.record("subscribed to a closed port")
        } catch {
            guard case .unreachable = error else { Issue.record("\(error)"); return }
        }
    }

    @Test func aRefusedSubscriptionIsReportedWithTheEndpointsError() throws {
        let reply = try ExactJSON(parsing: Array(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no subscriptions"}}"#.utf8))
        #expect(throws: HeadSubscriptionError.refused(code: -32601, message: "no subscriptions")) {
            try HeadSubscription.subscriptionID(in: reply)
        }
        let other = try ExactJSON(parsing: Array(#"{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"0xb","result":{}}}"#.utf8))
        #expect(try HeadSubscription.head(in: other, subscription: "0xa") == nil)  // someone else's
        #expect(throws: HeadSubscriptionError.self) { try HeadSubscription.head(in: other, subscription: "0xb") }
    }

    @Test func endpointURLs() {
        #expect(WebSocketEndpoint("ws://127.0.0.1:8546") == WebSocketEndpoint("ws://127.0.0.1:8546/"))
        #expect(WebSocketEndpoint("ws://127.0.0.1:8546")?.port == 8546)
        #expect(WebSocketEndpoint("ws://node.example/rpc/key")?.path == "/rpc/key")
        #expect(WebSocketEndpoint("ws://node.example/rpc")?.port == 80)
        #expect(WebSocketEndpoint("ws://[::1]:8546")?.host == "::1")
        for bad in ["http://127.0.0.1:8546", "wss://node.example", "ws://", "ws://:8546", "ws://h:0", "ws://h:70000", "ws://h:x", "ws://u@h:1"] {
            #expect(WebSocketEndpoint(bad) == nil, "\(bad)")
        }
    }

    /// The endpoint goes away under a live subscription (its process is stopped) and comes back on the
    /// same port: the subscription reports the loss, retries with back-off, and subscribes again.
    @Test func aDroppedConnectionIsReportedAndResubscribed() async throws {
        let port = try Self.freePort()
        let arguments = ["-m", "devchain", "--port", "0", "--ws-port", String(port), "--chain-id", "31337"]
        var chain = try await ChildProcess.start(arguments: arguments, readyMarker: "devchain: listening on")
        let url = try #require(chain.webSocketURL)
        let endpoint = try #require(WebSocketEndpoint(url))
        let recorder = Recorder()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await HeadSubscription(endpoint: endpoint, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(400)).run { recorder.record($0) }
            }
            defer { group.cancelAll() }
            try await recorder.wait("the first subscription") { Self.subscribed($0) == 1 }
            await chain.stop()
            try await recorder.wait("the loss") { events in events.contains { if case .lost = $0 { true } else { false } } }
            chain = try await ChildProcess.start(arguments: arguments, readyMarker: "devchain: listening on")
            try await recorder.wait("the second subscription") { Self.subscribed($0) == 2 }
            let client = try RPCClient(configuration: RPCClientConfiguration(endpoints: [EndpointConfiguration(url: chain.url)]))
            try await Self.mine(client, blocks: 1)
            try await recorder.wait("a head on the new connection") { _ in !recorder.heads.isEmpty }
        }
        await chain.stop()
        let pauses = recorder.all.compactMap { if case .lost(_, let retryIn) = $0 { retryIn } else { nil } }
        #expect(pauses.allSatisfy { $0 <= .milliseconds(400) })
    }

    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

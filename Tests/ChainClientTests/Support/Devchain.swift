import ChainClient
import Testing

/// One devchain shared by the tests of this target (started on first use, stopped with the process).
/// Tests that change chain state use their own dev accounts, so they do not disturb each other.
enum Devchain {
    static let chainID: UInt64 = 31337

    /// Starts the chain once, however many tests ask at the same time.
    private actor Shared {
        private var started: Task<ChildProcess, any Error>?

        func process() async throws -> ChildProcess {
            if let started { return try await started.value }
            let task = Task { () async throws -> ChildProcess in
                try await ChildProcess.start(
                    arguments: ["-m", "devchain", "--port", "0", "--chain-id", String(Devchain.chainID), "--ws-port", "0"],
                    readyMarker: "devchain: listening on")
            }
            started = task
            return try await task.value
        }
    }

    private static let shared = Shared()

    static func url() async throws -> String {
        try await shared.process().url
    }

    /// The same chain's WebSocket endpoint (`--ws-port 0`).
    static func webSocketURL() async throws -> String {
        try #require(try await shared.process().webSocketURL)
    }

    static func client(retry: RetryPolicy = RetryPolicy()) async throws -> RPCClient {
        try RPCClient(configuration: RPCClientConfiguration(endpoints: [EndpointConfiguration(url: try await url())], retry: retry))
    }
}

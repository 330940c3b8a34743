import ChainClient

/// One devchain shared by the tests of this target (started on first use, stopped with the process).
/// Tests that change chain state use their own dev accounts, so they do not disturb each other.
enum Devchain {
    static let chainID: UInt64 = 31337

    private static let shared: Result<ChildProcess, ChildProcess.StartError> = Result { () throws(ChildProcess.StartError) in
        try ChildProcess(arguments: ["-m", "devchain", "--port", "0", "--chain-id", String(chainID)],
                         readyMarker: "devchain: listening on")
    }

    static func url() throws(ChildProcess.StartError) -> String {
        try shared.get().url
    }

    static func client(retry: RetryPolicy = RetryPolicy()) throws -> ChainClient {
        try ChainClient(configuration: ChainClientConfiguration(endpoints: [EndpointConfiguration(url: url())], retry: retry))
    }
}

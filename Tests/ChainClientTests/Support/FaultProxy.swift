/// `scripts/rpc_fault_proxy.py` in front of an upstream URL, stopped with ``stop()`` or at process exit.
struct FaultProxy {
    let process: ChildProcess
    var url: String { process.url }

    static func start(upstream: String, faultRate: Double, seed: Int, timeoutDelay: Double = 1.0) async throws -> FaultProxy {
        FaultProxy(
            process: try await ChildProcess.start(
                arguments: [
                    RepositoryPaths.faultProxy, "--upstream", upstream, "--port", "0",
                    "--fault-rate", String(faultRate), "--seed", String(seed), "--timeout-delay", String(timeoutDelay)
                ],
                readyMarker: "rpc_fault_proxy: listening on"))
    }

    func stop() async {
        await process.stop()
    }
}

import CloisterNode
import CloisterClient
import Enclave
import Ethereum
import Foundation
import Inference
import Logging
import Oracle
import Secp256k1
#if canImport(Glibc)
import Glibc
#endif

/// `cloister bench node`: the node's CPU time per request, inference excluded, while it works through
/// a backlog of `requests` recorded `Requested` logs — the real watcher, SQLite store, dispatcher,
/// executor (envelope-free plaintext requests, commitments, EIP-712 signatures) and submitter (batching,
/// EIP-1559 signing), driven back to back against ``ReplayChain``.
package enum NodeBenchmark {
    package struct Report: Sendable {
        package let requests: Int
        package let transactions: UInt64
        package let wallSeconds: Double
        package let cpuSeconds: Double
        package let peakResidentMegabytes: Double

        package var cpuMillisecondsPerRequest: Double { cpuSeconds * 1_000 / Double(requests) }
        package var requestsPerSecond: Double { Double(requests) / wallSeconds }
    }

    package static func run(_ backlog: Backlog, folder: String) async throws -> Report {
        let contract = backlog.contract, requests = backlog.requests, nodeID = backlog.nodeID
        let chain = ReplayChain(recorded: backlog.blocks)
        let store = try SQLiteJobStore(path: folder + "/jobs.sqlite")
        let keyring = try EnclaveKeyring(path: folder + "/key.sealed", sealing: SimulatedSealingKeySource(secretPath: folder + "/secret"))
        let registration = NodeRegistration(nodeID: nodeID, signer: await keyring.signer, attestationDigest: Keccak256.hash([1]), expiry: .max)
        let executor = EnclaveJobExecutor(
            keyring: keyring, runner: CannedRunner(identity: .allMiniLML6V2), completions: [], chainID: backlog.chainID, contract: contract,
            registration: CurrentRegistration(registration), now: { UInt64(Date().timeIntervalSince1970) },
            logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let watcher = ChainWatcher(
            reader: chain, interpreter: CloisterLogInterpreter(contract: contract, nodeID: nodeID), store: store,
            settings: WatcherSettings(confirmations: 0, maxLogRange: 2_000, startBlock: 1))
        let dispatcher = Dispatcher(
            store: store, executor: executor, settings: DispatchSettings(concurrency: 4, maxAttempts: 3),
            now: { UInt64(Date().timeIntervalSince1970) })
        let submitter = Submitter(
            store: store, chain: chain, encoder: CloisterResultEncoder(core: contract, arbiter: contract, nodeID: nodeID), key: PrivateKey(),
            settings: SubmitterSettings(
                chainID: backlog.chainID, maxFeePerGas: UInt256(100_000_000_000),
                maxPriorityFeePerGas: UInt256(3_000_000_000), confirmations: 0))
        let clock = ContinuousClock()
        let cpuBefore = processCPUSeconds()
        let start = clock.now
        try await submitter.start()
        while try await store.countsByState()[.confirmed, default: 0] < requests {
            while case .scanned = try await watcher.step() {}
            while try await dispatcher.runRound().isIdle == false {}
            _ = try await submitter.runPass()
            await chain.mine()
        }
        let wall = clock.now - start
        return Report(
            requests: requests, transactions: await chain.transactions,
            wallSeconds: Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18,
            cpuSeconds: processCPUSeconds() - cpuBefore, peakResidentMegabytes: peakResidentMegabytes())
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1_024
    }
}

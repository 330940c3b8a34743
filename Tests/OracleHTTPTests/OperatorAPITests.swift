import Ethereum
import Foundation
import HummingbirdTesting
import Oracle
import Testing
@testable import OracleHTTP

/// The operator API over a real socket (HummingbirdTesting's live mode), backed by a real store.
@Suite struct OperatorAPITests {
    static func status(simulated: Bool) -> NodeStatus {
        NodeStatus(
            version: "test", chainID: 31337, operatorAddress: Address(Array(repeating: 1, count: 20))!,
            enclaveSigner: Address(Array(repeating: 2, count: 20))!, tee: simulated ? "simulated" : "tdx",
            warning: simulated ? "SIMULATED TEE: results prove nothing" : nil, head: nil, nextBlock: nil, jobs: [:],
            consecutiveNodeFaults: 0, lastNodeFault: nil, lastSubmissionProblem: nil, feesAboveCap: false,
            insufficientFunds: false, attestationExpiry: UInt64(Date().timeIntervalSince1970) + 3600)
    }

    @Test func healthStatusMetricsAndJobs() async throws {
        let store = try SQLiteJobStore()
        let requestID = Keccak256.hash(Array("request".utf8))
        try await store.commit(
            ScanBatch(
                blocks: [],
                jobs: [
                    Job(
                        key: JobKey(requestID: requestID, role: .executor), model: .zero, request: Array("secret input".utf8),
                        observedIn: BlockRef(number: 7, hash: .zero), logIndex: 0, deadline: 99)
                ], nextBlock: 8))
        let state = NodeState(status: Self.status(simulated: true), maxHeadLag: 5)
        let app = OperatorAPI.application(state: state, metrics: NodeMetrics(), store: store, host: "127.0.0.1", port: 0)
        try await app.test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable, "no chain contact yet")
                #expect(String(buffer: response.body).contains("SIMULATED TEE"))
            }
            try await client.execute(uri: "/v1/status", method: .get) { response in
                let body = String(buffer: response.body)
                #expect(body.contains("\"tee\":\"simulated\""))
                #expect(body.contains("SIMULATED TEE"))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let body = String(buffer: response.body)
                #expect(body.contains("cloister_head_lag_blocks"))
                #expect(body.contains("cloister_jobs{state=\"observed\"}"))
            }
            try await client.execute(uri: "/v1/jobs/\(requestID.hex)", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("\"state\":\"observed\""))
                #expect(!body.contains("secret input"), "request inputs are never shown")
            }
            try await client.execute(uri: "/v1/jobs/\(Bytes32.zero.hex)", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/jobs/0x1234", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}

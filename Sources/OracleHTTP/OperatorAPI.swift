import Ethereum
import Foundation
import Hummingbird
import Oracle

/// The operator's HTTP API: `/healthz`, `/readyz`, `/metrics`, `/v1/status`, `/v1/jobs/{requestId}`, the
/// status page at `/` and its event stream `/v1/events`.
package enum OperatorAPI {
    /// The application serving the API on `host:port` (port 0 picks a free one); run it as a service.
    package static func application(
        state: NodeState, metrics: NodeMetrics, store: any JobStore,
        host: String, port: Int
    ) -> some ApplicationProtocol {
        Application(
            router: router(state: state, metrics: metrics, store: store),
            configuration: .init(address: .hostname(host, port: port), serverName: "cloister"))
    }

    static func router(state: NodeState, metrics: NodeMetrics, store: any JobStore) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in
            // The process answers: it is alive. Whether it can do useful work is /readyz.
            Response.json(["status": "ok"])
        }
        router.get("/readyz") { _, _ in
            let checks = await state.readiness()
            let ready = checks.allSatisfy(\.ok)
            return Response.json(ReadinessBody(ready: ready, checks: checks), status: ready ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
        router.get("/v1/status") { _, _ in
            Response.json(await state.current)
        }
        router.get("/") { _, _ in StatusPage.response() }
        router.get("/v1/events") { _, _ in StatusPage.events(state: state, store: store) }
        router.get("/v1/jobs/:requestId") { _, context in
            let text = try context.parameters.require("requestId")
            guard let requestID = try? Bytes32(hex: text) else {
                return Response.json(["error": "requestId must be 32 bytes of hex, 0x-prefixed"], status: .badRequest)
            }
            var jobs: [JobView] = []
            for role in JobRole.allCases {
                if let job = try await store.job(JobKey(requestID: requestID, role: role)) { jobs.append(JobView(job)) }
            }
            guard !jobs.isEmpty else { return Response.json(["error": "this node has no job for \(requestID)"], status: .notFound) }
            return Response.json(jobs)
        }
        return router
    }
}

struct ReadinessBody: Encodable {
    let ready: Bool
    let checks: [ReadinessCheck]
}

/// A job as the API shows it: its progress and public results, never request inputs.
struct JobView: Encodable {
    let requestId: Bytes32
    let role: String
    let model: Bytes32
    let state: String
    let observedInBlock: UInt64
    let deadline: UInt64
    let attempts: Int
    let failureReason: String?
    let errorCode: UInt16?
    let outputCommitment: Bytes32?
    let transactionNonce: UInt64?

    init(_ job: Job) {
        requestId = job.key.requestID
        role = job.key.role.rawValue
        model = job.model
        state = job.state.rawValue
        observedInBlock = job.observedIn.number
        deadline = job.deadline
        attempts = job.attempts
        failureReason = job.failureReason
        errorCode = job.result?.errorCode
        outputCommitment = job.result?.commitment
        transactionNonce = job.transactionNonce
    }
}

extension Response {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{\"error\":\"response could not be encoded\"}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

import Foundation
import Hummingbird
import Logging
import NIOCore

/// The committee member's HTTP service: `POST /v1/acceptances` (an ``AcceptanceRequest``; answers an
/// ``AcceptanceResponse``, or 422 with the reason) and `GET /healthz`.
enum CommitteeAPI {
    static func application(
        member: CommitteeMember, host: String, port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        router.post("/v1/acceptances") { request, context -> Response in
            let body = try await request.body.collect(upTo: 64 << 10)
            let wire: AcceptanceRequest
            do { wire = try JSONDecoder().decode(AcceptanceRequest.self, from: Data(body.readableBytesView)) } catch {
                return json(AcceptanceRefusal(error: "the body is not an acceptance request: \(error)"), status: .badRequest)
            }
            do {
                let accepted = try await member.accept(wire, now: Date())
                logger.info("accepted a quote", metadata: ["valid_until": "\(accepted.validUntil)"])
                return json(accepted, status: .ok)
            } catch {
                logger.warning("refused a quote", metadata: ["reason": "\(error)"])
                return json(AcceptanceRefusal(error: "\(error)"), status: .unprocessableContent)
            }
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "cloister-committee"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) }, logger: logger)
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

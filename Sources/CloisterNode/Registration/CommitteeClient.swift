import AsyncHTTPClient
import Committee
import Foundation
import NIOCore

/// Asks attestation committee members to vouch for this node's quote (`POST /v1/acceptances`).
struct CommitteeClient: Sendable {
    let httpClient: HTTPClient
    let timeout: TimeAmount

    func acceptance(_ body: AcceptanceRequest, from baseURL: String) async throws(RegistrationError) -> AcceptanceResponse {
        let url = baseURL.hasSuffix("/") ? baseURL + "v1/acceptances" : baseURL + "/v1/acceptances"
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
            let response = try await httpClient.execute(request, timeout: timeout)
            let data = Data((try await response.body.collect(upTo: 64 << 10)).readableBytesView)
            guard response.status == .ok else {
                let reason = (try? JSONDecoder().decode(AcceptanceRefusal.self, from: data).error) ?? "HTTP \(response.status.code)"
                throw RegistrationError.committeeRefused(url: baseURL, reason: reason)
            }
            return try JSONDecoder().decode(AcceptanceResponse.self, from: data)
        } catch let error as RegistrationError {
            throw error
        } catch {
            throw .committeeUnreachable(url: baseURL, reason: "\(error)")
        }
    }
}

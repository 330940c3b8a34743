import Ethereum
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// POSTs JSON bodies over a pooled `HTTPClient` (keep-alive connections are reused across calls).
struct HTTPTransport: Sendable {
    let client: HTTPClient
    let maxResponseBytes: Int

    /// An HTTP answer: the status, the `Retry-After` delay if the server sent one, and the body.
    struct Answer: Sendable {
        let status: Int
        let retryAfter: Duration?
        let body: [UInt8]
    }

    func post(_ body: [UInt8], to endpoint: Endpoint, timeout: Duration) async throws(ChainClientError) -> Answer {
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(timeout.wholeNanoseconds)
        do {
            let response = try await client.execute(request, deadline: deadline)
            let buffer = try await response.body.collect(upTo: maxResponseBytes)
            return Answer(
                status: Int(response.status.code),
                retryAfter: Self.retryAfter(response.headers),
                body: Array(buffer.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw .timeout(endpoint: endpoint.label)
        } catch is NIOTooManyBytesError {
            throw .invalidResponse(endpoint: endpoint.label, .bodyTooLarge(limit: maxResponseBytes))
        } catch {
            if Task.isCancelled { throw .cancelled }
            throw .transport(endpoint: endpoint.label, reason: String(describing: type(of: error)) + ": \(error)")
        }
    }

    /// `Retry-After` in whole seconds (the HTTP-date form is ignored).
    private static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        guard let text = headers.first(name: "Retry-After"), let seconds = Int(text), seconds >= 0 else { return nil }
        return .seconds(min(seconds, 3600))
    }
}

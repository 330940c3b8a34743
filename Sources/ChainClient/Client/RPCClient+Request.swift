import Ethereum
extension RPCClient {
    /// Sends one call and decodes its result; retried when `method` is idempotent.
    public func request<Result>(_ method: RPCMethod<Result>, timeout: Duration? = nil) async throws(ChainClientError) -> Result {
        try await perform(method, isIdempotent: method.isIdempotent, timeout: timeout)
    }

    func perform<Result>(
        _ method: RPCMethod<Result>, isIdempotent: Bool,
        timeout: Duration?
    ) async throws(ChainClientError) -> Result {
        let id = reserveIDs(1).lowerBound
        let body = RPCEnvelope.request(id: id, method: method.name, params: method.params).serialized
        return try await withRetries(isIdempotent: isIdempotent) { endpoint throws(AttemptFailure) in
            let json = try await exchange(body, with: endpoint, timeout: timeout)
            let outcome: Swift.Result<ExactJSON, RPCError>
            do throws(InvalidResponse) { outcome = try RPCEnvelope.answer(json, id: id) } catch {
                throw AttemptFailure(.invalidResponse(endpoint: endpoint.label, error))
            }
            switch outcome {
            case .failure(let error):
                throw AttemptFailure(.rpc(error))
            case .success(let result):
                do throws(InvalidResponse) { return try method.decode(JSONFieldReader(result, path: "result")) } catch {
                    throw AttemptFailure(.invalidResponse(endpoint: endpoint.label, error))
                }
            }
        }
    }

    /// One HTTP exchange: the parsed body of a 200 answer (or of an error answer that carries a
    /// JSON-RPC error object, as some providers send with 4xx statuses).
    func exchange(_ body: [UInt8], with endpoint: Endpoint, timeout: Duration?) async throws(AttemptFailure) -> ExactJSON {
        let answer: HTTPTransport.Answer
        do throws(ChainClientError) {
            answer = try await transport.post(body, to: endpoint, timeout: timeout ?? configuration.requestTimeout)
        } catch {
            throw AttemptFailure(error)
        }
        let retriedStatus = answer.status == 429 || (500...599).contains(answer.status)
        if answer.status != 200 {
            if !retriedStatus, let json = try? ExactJSON.parse(answer.body), json["error"] != nil { return json }
            throw AttemptFailure(.httpStatus(endpoint: endpoint.label, status: answer.status), retryAfter: answer.retryAfter)
        }
        do throws(InvalidResponse) { return try ExactJSON.parse(answer.body) } catch {
            throw AttemptFailure(.invalidResponse(endpoint: endpoint.label, error))
        }
    }
}

/// A failed attempt, with the server's `Retry-After` hint when it gave one.
struct AttemptFailure: Error {
    let error: ChainClientError
    let retryAfter: Duration?

    init(_ error: ChainClientError, retryAfter: Duration? = nil) {
        self.error = error
        self.retryAfter = retryAfter
    }
}

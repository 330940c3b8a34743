import Ethereum
extension RPCClient {
    /// Sends `methods` as JSON-RPC batches (split at ``RPCClientConfiguration/maxBatchSize``) and
    /// returns one outcome per method, in order. A node's refusal of one call fails only that call;
    /// an invalid answer to any call (or missing, duplicated or unknown ids), or a rate limit on any
    /// call, fails the whole batch attempt, which is retried like a single call when every method is
    /// idempotent.
    public func batch<Result>(
        _ methods: [RPCMethod<Result>],
        timeout: Duration? = nil
    ) async throws(ChainClientError) -> [Swift.Result<Result, RPCError>] {
        var outcomes: [Swift.Result<Result, RPCError>] = []
        outcomes.reserveCapacity(methods.count)
        var start = 0
        while start < methods.count {
            let end = min(start + configuration.maxBatchSize, methods.count)
            outcomes += try await sendBatch(Array(methods[start..<end]), timeout: timeout)
            start = end
        }
        return outcomes
    }

    private func sendBatch<Result>(
        _ methods: [RPCMethod<Result>],
        timeout: Duration?
    ) async throws(ChainClientError) -> [Swift.Result<Result, RPCError>] {
        let ids = Array(reserveIDs(methods.count))
        let requests = zip(ids, methods).map { RPCEnvelope.request(id: $0, method: $1.name, params: $1.params) }
        let body = ExactJSON.array(requests).serialized
        let isIdempotent = methods.allSatisfy(\.isIdempotent)
        return try await withRetries(isIdempotent: isIdempotent) { endpoint throws(AttemptFailure) in
            let json = try await exchange(body, with: endpoint, timeout: timeout)
            let answer: RPCEnvelope.BatchAnswer
            do throws(InvalidResponse) { answer = try RPCEnvelope.batchAnswer(json, ids: ids) } catch {
                throw AttemptFailure(.invalidResponse(endpoint: endpoint.label, error))
            }
            switch answer {
            case .refused(let error):
                throw AttemptFailure(.rpc(error))
            case .answers(let answers):
                let outcomes: [Swift.Result<Result, RPCError>]
                do throws(InvalidResponse) {
                    outcomes = try zip(ids, methods).map { id, method throws(InvalidResponse) in
                        try Self.outcome(answers[id], id: id, method: method)
                    }
                } catch {
                    throw AttemptFailure(.invalidResponse(endpoint: endpoint.label, error))
                }
                // A rate limit is the endpoint's state, not an answer about the call: retry the batch.
                for case .failure(let error) in outcomes where error.kind == .rateLimited {
                    throw AttemptFailure(.rpc(error))
                }
                return outcomes
            }
        }
    }

    /// One call's outcome: its decoded result, or the node's refusal of it.
    private static func outcome<Result>(
        _ answer: Swift.Result<ExactJSON, RPCError>?, id: Int64,
        method: RPCMethod<Result>
    ) throws(InvalidResponse) -> Swift.Result<Result, RPCError> {
        switch answer {
        case .success(let result)?:
            return .success(try method.decode(JSONFieldReader(result, path: "[id \(id)].result")))
        case .failure(let error)?:
            return .failure(error)
        case nil:
            throw .batchIDMismatch(missing: [id], duplicated: [], unexpected: 0)
        }
    }
}

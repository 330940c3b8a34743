import Ethereum
/// JSON-RPC 2.0 envelopes: the request object, and the checks on the answer's version, id and shape.
enum RPCEnvelope {
    static func request(id: Int64, method: String, params: [ExactJSON]) -> ExactJSON {
        .object(["jsonrpc": .string("2.0"), "id": .integer(id), "method": .string(method), "params": .array(params)])
    }

    /// The result or error of the single request `id`.
    static func answer(_ body: ExactJSON, id: Int64) throws(InvalidResponse) -> Result<ExactJSON, RPCError> {
        guard case .object = body else {
            throw .malformedEnvelope("expected an object, got \(body.kindName)")
        }
        let (answerID, outcome) = try parseAnswer(body)
        // A node that could not read the request at all answers its error with a null id.
        if case .failure = outcome, answerID == nil { return outcome }
        guard answerID == id else { throw .idMismatch(expected: id) }
        return outcome
    }

    /// The outcome of a batch: either one error for the whole batch, or an answer per request id.
    enum BatchAnswer {
        case refused(RPCError)
        case answers([Int64: Result<ExactJSON, RPCError>])
    }

    /// Matches answers to `ids` by id, in any order; a missing, duplicated or unknown id is an error.
    static func batchAnswer(_ body: ExactJSON, ids: [Int64]) throws(InvalidResponse) -> BatchAnswer {
        if case .object = body {
            let (_, outcome) = try parseAnswer(body)
            if case .failure(let error) = outcome { return .refused(error) }
            throw .malformedEnvelope("a batch answered with a single result")
        }
        guard case .array(let items) = body else {
            throw .malformedEnvelope("expected an array, got \(body.kindName)")
        }
        let wanted = Set(ids)
        var answers: [Int64: Result<ExactJSON, RPCError>] = [:]
        var duplicated: [Int64] = []
        var unexpected = 0
        for item in items {
            guard case .object = item else { throw .malformedEnvelope("batch element is \(item.kindName)") }
            let (answerID, outcome) = try parseAnswer(item)
            guard let answerID, wanted.contains(answerID) else {
                unexpected += 1
                continue
            }
            if answers.updateValue(outcome, forKey: answerID) != nil { duplicated.append(answerID) }
        }
        let missing = ids.filter { answers[$0] == nil }
        guard missing.isEmpty, duplicated.isEmpty, unexpected == 0 else {
            throw .batchIDMismatch(missing: missing, duplicated: duplicated.sorted(), unexpected: unexpected)
        }
        return .answers(answers)
    }

    /// The id (`nil` when null) and the outcome of one answer object.
    private static func parseAnswer(_ object: ExactJSON) throws(InvalidResponse) -> (Int64?, Result<ExactJSON, RPCError>) {
        guard object["jsonrpc"] == .string("2.0") else { throw .malformedEnvelope("jsonrpc is not \"2.0\"") }
        let id: Int64?
        switch object["id"] {
        case .null: id = nil
        case let value? where value.int64 != nil: id = value.int64
        default: throw .malformedEnvelope("id is missing or not an integer")
        }
        switch (object["result"], object["error"]) {
        case (let result?, nil):
            return (id, .success(result))
        case (nil, let error?):
            return (id, .failure(try RPCError(json: error)))
        default:
            throw .malformedEnvelope("expected exactly one of result and error")
        }
    }
}

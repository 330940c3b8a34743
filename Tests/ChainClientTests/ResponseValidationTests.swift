import Ethereum
import Testing
@testable import ChainClient

/// Malformed or inconsistent answers from a real HTTP server become typed errors, never values.
struct ResponseValidationTests {
    /// Answers every request with `reply` and returns the error `call` throws (one attempt only).
    private func invalidResponse(
        _ reply: @escaping @Sendable ([UInt8]) -> ScriptedReply,
        _ call: @Sendable (RPCClient) async throws(ChainClientError) -> Void
    ) async throws -> InvalidResponse? {
        let server = try await ScriptedHTTPServer { _, body in reply(body) }
        let client = try scriptedClient([server.url], attempts: 1)
        var reason: InvalidResponse?
        do throws(ChainClientError) {
            try await call(client)
        } catch .invalidResponse(let endpoint, let invalid) {
            #expect(endpoint == server.url)
            reason = invalid
        } catch {
            Issue.record("expected an invalid response, got \(error)")
        }
        await server.stop()
        return reason
    }

    private func answer(_ resultJSON: String) -> @Sendable ([UInt8]) -> ScriptedReply {
        { body in ScriptedAnswers.result(resultJSON, answering: body) }
    }

    @Test func wrongJSONRPCVersion() async throws {
        let reason = try await invalidResponse(
            { body in
                .json(#"{"jsonrpc":"1.0","id":\#(ScriptedAnswers.ids(of: body)[0]),"result":"0x1"}"#)
            }, { client throws(ChainClientError) in _ = try await client.blockNumber() })
        #expect(reason == .malformedEnvelope("jsonrpc is not \"2.0\""))
    }

    @Test func answerWithAnotherID() async throws {
        let reason = try await invalidResponse(
            { body in
                .json(#"{"jsonrpc":"2.0","id":\#(ScriptedAnswers.ids(of: body)[0] + 1),"result":"0x1"}"#)
            }, { client throws(ChainClientError) in _ = try await client.blockNumber() })
        guard case .idMismatch = reason else { Issue.record("got \(String(describing: reason))"); return }
    }

    @Test func resultAndErrorTogether() async throws {
        let reason = try await invalidResponse(
            { body in
                .json(#"{"jsonrpc":"2.0","id":\#(ScriptedAnswers.ids(of: body)[0]),"result":"0x1","error":{"code":1,"message":"x"}}"#)
            }, { client throws(ChainClientError) in _ = try await client.blockNumber() })
        #expect(reason == .malformedEnvelope("expected exactly one of result and error"))
    }

    @Test func truncatedJSON() async throws {
        let reason = try await invalidResponse(
            { body in
                .json(#"{"jsonrpc":"2.0","id":\#(ScriptedAnswers.ids(of: body)[0]),"result":"0x"#)
            }, { client throws(ChainClientError) in _ = try await client.blockNumber() })
        #expect(reason == .malformedJSON)
    }

    @Test func quantityOfTheWrongType() async throws {
        let reason = try await invalidResponse(answer("12"), { client throws(ChainClientError) in _ = try await client.blockNumber() })
        #expect(reason == .wrongType(field: "result", expected: "string", actual: "number"))
    }

    @Test func quantityWithLeadingZero() async throws {
        let reason = try await invalidResponse(answer(#""0x01""#), { client throws(ChainClientError) in _ = try await client.chainId() })
        #expect(reason == .invalidHex(field: "result", .leadingZeroInQuantity))
    }

    @Test func quantityWithoutPrefix() async throws {
        let reason = try await invalidResponse(answer(#""1a""#), { client throws(ChainClientError) in _ = try await client.gasPrice() })
        #expect(reason == .invalidHex(field: "result", .missingPrefix))
    }

    @Test func nonceBeyond64Bits() async throws {
        let reason = try await invalidResponse(
            answer(#""0x10000000000000000""#),
            { client throws(ChainClientError) in
                _ = try await client.getTransactionCount(.zero)
            })
        #expect(reason == .outOfRange(field: "result"))
    }

    @Test func blockOtherThanTheOneAskedFor() async throws {
        let reason = try await invalidResponse(
            answer(SampleResults.block(number: 6)),
            { client throws(ChainClientError) in
                _ = try await client.getBlock(.number(5))
            })
        #expect(reason == .inconsistent(field: "result.number", reason: "block 6, asked for 5"))
    }

    @Test func blockWithAnotherHash() async throws {
        let asked = try Bytes32(hex: SampleResults.hashB)
        let reason = try await invalidResponse(
            answer(SampleResults.block(number: 6)),
            { client throws(ChainClientError) in
                _ = try await client.getBlock(hash: asked)
            })
        #expect(reason == .inconsistent(field: "result.hash", reason: "another block's hash"))
    }

    @Test func receiptOfAnotherTransaction() async throws {
        let asked = try Bytes32(hex: SampleResults.hashB)
        let reason = try await invalidResponse(
            answer(SampleResults.receipt()),
            { client throws(ChainClientError) in
                _ = try await client.getTransactionReceipt(asked)
            })
        #expect(reason == .inconsistent(field: "result.transactionHash", reason: "receipt of another transaction"))
    }

    @Test func hashOfTheWrongLength() async throws {
        let short = "0x" + String(repeating: "c3", count: 31)
        let asked = try Bytes32(hex: SampleResults.hashC)
        let reason = try await invalidResponse(
            answer(SampleResults.receipt(transactionHash: short)),
            { client throws(ChainClientError) in
                _ = try await client.getTransactionReceipt(asked)
            })
        #expect(reason == .wrongLength(field: "result.transactionHash", expected: 32, actual: 31))
    }

    @Test func sentTransactionAnsweredWithAnotherHash() async throws {
        let reason = try await invalidResponse(
            answer(#""\#(SampleResults.hashA)""#),
            { client throws(ChainClientError) in
                _ = try await client.sendRawTransaction([0x02, 0xc0])
            })
        #expect(reason == .inconsistent(field: "result", reason: "hash differs from keccak256 of the transaction"))
    }

    @Test func logOutsideTheFilter() async throws {
        let filter = LogFilter(range: .blockHash(try Bytes32(hex: SampleResults.hashB)))
        let reason = try await invalidResponse(
            answer("[\(SampleResults.log())]"),
            { client throws(ChainClientError) in
                _ = try await client.getLogs(filter)
            })
        #expect(reason == .inconsistent(field: "result[0]", reason: "log outside the filter"))
    }

    @Test func feeHistoryWithTooFewBaseFees() async throws {
        let result = #"{"oldestBlock":"0x1","baseFeePerGas":["0x1"],"gasUsedRatio":[0.5],"reward":[["0x1"]]}"#
        let reason = try await invalidResponse(
            answer(result),
            { client throws(ChainClientError) in
                _ = try await client.feeHistory(blockCount: 1, percentiles: [50])
            })
        #expect(reason == .inconsistent(field: "result.baseFeePerGas", reason: "not one more base fee than blocks"))
    }

    @Test func wellFormedSamplesDecode() async throws {
        let server = try await ScriptedHTTPServer { _, body in
            switch ScriptedAnswers.method(of: body) {
            case "eth_getBlockByNumber": ScriptedAnswers.result(SampleResults.block(number: 16), answering: body)
            case "eth_getTransactionReceipt": ScriptedAnswers.result(SampleResults.receipt(), answering: body)
            case "eth_getTransactionByHash": ScriptedAnswers.result(SampleResults.transaction, answering: body)
            default: ScriptedAnswers.result(SampleResults.feeHistory, answering: body)
            }
        }
        let client = try scriptedClient([server.url], attempts: 1)
        let hash = try Bytes32(hex: SampleResults.hashC)
        let block = try #require(try await client.getBlock(.number(16)))
        #expect(block.number == 16 && block.baseFeePerGas == UInt256(1_000_000_000) && block.transactionHashes == [hash])
        let receipt = try #require(try await client.getTransactionReceipt(hash))
        #expect(receipt.succeeded && receipt.gasUsed == 21_000 && receipt.logs.count == 1)
        let details = try #require(try await client.getTransactionByHash(hash))
        #expect(details.nonce == 3 && details.inclusion?.blockNumber == 16)
        let history = try await client.feeHistory(blockCount: 2, percentiles: [10, 90])
        #expect(history.oldestBlock == 14 && history.baseFeePerGas.count == 3 && history.reward == [[1, 2], [0, 0]])
        await server.stop()
    }
}

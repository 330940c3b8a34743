import Ethereum
import Testing
@testable import ChainClient

/// Resending a raw transaction is safe, and the client uses that — but only that.
struct SendRawTransactionTests {
    let raw: [UInt8] = [0x02, 0xc1, 0x80]

    @Test func lostAnswerThenAlreadyKnownIsSuccess() async throws {
        let server = try await ScriptedHTTPServer { number, body in
            number == 1 ? .closeConnection : ScriptedAnswers.error(code: -32000, message: "already known", answering: body)
        }
        let client = try scriptedClient([server.url])
        #expect(try await client.sendRawTransaction(raw) == Keccak256.hash(raw))
        #expect(server.requestCount == 2)
        await server.stop()
    }

    @Test func nonceTooLowForAMinedCopyIsSuccess() async throws {
        let hash = Keccak256.hash(raw)
        let transaction = SampleResults.transaction.replacingOccurrences(of: SampleResults.hashC, with: hash.hex)
        let server = try await ScriptedHTTPServer { number, body in
            switch ScriptedAnswers.method(of: body) {
            case "eth_sendRawTransaction" where number == 1: .json("{}", status: 503)
            case "eth_sendRawTransaction": ScriptedAnswers.error(code: -32000, message: "nonce too low: tx: 3 state: 4", answering: body)
            default: ScriptedAnswers.result(transaction, answering: body)
            }
        }
        let client = try scriptedClient([server.url])
        #expect(try await client.sendRawTransaction(raw) == hash)
        #expect(server.requestCount == 3)
        await server.stop()
    }

    @Test func nonceTooLowForAnotherTransactionIsThrown() async throws {
        let server = try await ScriptedHTTPServer { _, body in
            ScriptedAnswers.method(of: body) == "eth_sendRawTransaction"
                ? ScriptedAnswers.error(code: -32000, message: "nonce too low", answering: body)
                : ScriptedAnswers.result("null", answering: body)
        }
        let client = try scriptedClient([server.url])
        do throws(ChainClientError) {
            _ = try await client.sendRawTransaction(raw)
            Issue.record("a nonce-too-low refusal of an unknown transaction must be thrown")
        } catch .rpc(let error) {
            #expect(error.kind == .nonceTooLow)
        }
        #expect(server.requestCount == 2)
        await server.stop()
    }

    @Test func refusalIsNotRetried() async throws {
        let server = try await ScriptedHTTPServer { _, body in
            ScriptedAnswers.error(code: -32000, message: "replacement transaction underpriced", answering: body)
        }
        let client = try scriptedClient([server.url])
        do throws(ChainClientError) {
            _ = try await client.sendRawTransaction(raw)
            Issue.record("expected a refusal")
        } catch .rpc(let error) {
            #expect(error.kind == .replacementUnderpriced)
        }
        #expect(server.requestCount == 1)
        await server.stop()
    }
}

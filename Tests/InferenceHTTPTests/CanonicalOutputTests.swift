import Ethereum
import Testing
@testable import InferenceHTTP

/// Canonical output bytes: what takes part, what is normalised, and the exact encoding.
@Suite struct CanonicalOutputTests {
    static func completion(_ body: String) async throws -> Completion {
        try await StubServer.with(respond: { _ in .json(body) }) { url in
            try await OpenAICompatibleBackend(configuration: BackendRequestTests.configuration(url)).complete("hi")
        }
    }

    @Test func ignoredFieldsDoNotChangeTheBytes() async throws {
        let first = try await Self.completion(
            ResponseFixtures.body(
                id: "chatcmpl-a1", created: 1_700_000_000,
                completionTokens: 3, fingerprint: "fp_a"))
        let second = try await Self.completion(
            ResponseFixtures.body(
                id: "chatcmpl-b2", created: 1_700_000_999,
                completionTokens: 4, fingerprint: "fp_b"))
        #expect(first.canonicalBytes == second.canonicalBytes)
        #expect(first.outputHash == second.outputHash)
    }

    @Test func contentAndFinishReasonDoChangeTheBytes() async throws {
        let base = try await Self.completion(ResponseFixtures.body())
        let otherText = try await Self.completion(ResponseFixtures.body(choices: [ResponseFixtures.choice(content: ResponseFixtures.literal("Paris!"))]))
        let cut = try await Self.completion(ResponseFixtures.body(choices: [ResponseFixtures.choice(finishReason: ResponseFixtures.literal("length"))]))
        #expect(Set([base.outputHash, otherText.outputHash, cut.outputHash]).count == 3)
        #expect(cut.finishReason == .length)
    }

    @Test func contentIsNormalised() async throws {
        // Decomposed "é" and "ï" written as JSON escapes, CRLF and a lone CR line break.
        let raw = #""Cafe\u0301\r\nnai\u0308ve\rend""#
        let completion = try await Self.completion(ResponseFixtures.body(choices: [ResponseFixtures.choice(content: raw)]))
        #expect(Array(completion.content.unicodeScalars) == Array("Caf\u{E9}\nna\u{EF}ve\nend".unicodeScalars))
        let precomposed = try await Self.completion(
            ResponseFixtures.body(choices: [ResponseFixtures.choice(content: ResponseFixtures.literal("Caf\u{E9}\nna\u{EF}ve\nend"))]))
        #expect(completion.canonicalBytes == precomposed.canonicalBytes)
    }

    @Test(arguments: [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\r\nb", "a\n\nb"),
        ("a\n\rb", "a\n\nb"),
        ("\r", "\n"),
        ("  padded \t\n", "  padded \t\n"),
        ("A\u{30A}\u{2028}x", "\u{C5}\u{2028}x"),
        ("\u{1100}\u{1161}", "\u{AC00}"),
        ("e\u{301}\u{323}", "\u{1EB9}\u{301}")
    ])
    func normalisation(input: String, expected: String) {
        let output = CanonicalText.normalise(input)
        #expect(Array(output.unicodeScalars) == Array(expected.unicodeScalars))
        #expect(Array(CanonicalText.normalise(output).unicodeScalars) == Array(output.unicodeScalars), "not idempotent")
    }

    @Test func encodingMatchesEthAbi() {
        // eth_abi.encode(['string','string'], ['Café\nnaïve', 'stop']) and eth_hash keccak of it.
        let completion = Completion(rawContent: "Cafe\u{301}\r\nnai\u{308}ve", finishReason: .stop)
        #expect(
            Hex.encode(completion.canonicalBytes) == "0x"
                + "0000000000000000000000000000000000000000000000000000000000000040"
                + "0000000000000000000000000000000000000000000000000000000000000080"
                + "000000000000000000000000000000000000000000000000000000000000000c"
                + "436166c3a90a6e61c3af76650000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000004"
                + "73746f7000000000000000000000000000000000000000000000000000000000")
        #expect(completion.outputHash.hex == "0xccd28c13c56e3d4b5c5a6998727d7ebc30fe556011d2a881e47fff3fd1893ef0")
    }

    @Test func canonicalBytesDecodeBack() throws {
        let completion = Completion(rawContent: "line\r\n\u{1F600}", finishReason: .length)
        #expect(try Completion(canonicalBytes: completion.canonicalBytes) == completion)
    }

    @Test func nonCanonicalOutputsAreRefused() {
        let decomposed = ABI.encode([.string("e\u{301}"), .string("stop")])
        #expect(throws: CompletionOutputError.self) { try Completion(canonicalBytes: decomposed) }
        let unknownReason = ABI.encode([.string("ok"), .string("abort")])
        #expect(throws: CompletionOutputError.self) { try Completion(canonicalBytes: unknownReason) }
        let trailing = ABI.encode([.string("ok"), .string("stop")]) + [0]
        #expect(throws: CompletionOutputError.self) { try Completion(canonicalBytes: trailing) }
    }
}

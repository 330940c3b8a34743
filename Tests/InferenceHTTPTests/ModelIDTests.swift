import Ethereum
import Testing
@testable import InferenceHTTP

@Suite struct ModelIDTests {
    static let base = OpenAICompatibleConfiguration(
        baseURL: "http://127.0.0.1:8000/v1", servedModelName: "qwen2.5-0.5b-instruct",
        maxTokens: 256, seed: 42)

    @Test func modelIDMatchesEthAbi() {
        // keccak(eth_abi.encode(['string','string','uint64','uint32'], ['openai-chat/1','qwen2.5-0.5b-instruct',42,256]))
        #expect(Self.base.modelID.hex == "0x669fdacc93e1ae302e77931aafd5ea05b69a8dcb4fe4b2c39155ec5e187247c3")
    }

    @Test func modelIDCommitsToNameSeedAndMaxTokensOnly() throws {
        var seed = Self.base, tokens = Self.base, name = Self.base, operational = Self.base
        seed.seed = 43
        tokens.maxTokens = 257
        name.servedModelName = "qwen2.5-0.5b-instruct-q8"
        operational.baseURL = "http://10.0.0.2:8000/v1"
        operational.apiKey = APIKey("k")
        operational.requestTimeout = .seconds(1)
        operational.maxResponseBytes = 10
        operational.deterministic = true
        #expect(Set([Self.base, seed, tokens, name].map(\.modelID)).count == 4)
        #expect(operational.modelID == Self.base.modelID)
        let backend = try OpenAICompatibleBackend(configuration: Self.base)
        #expect(backend.modelID == Self.base.modelID)
    }

    @Test func nonDeterministicByDefault() throws {
        #expect(Self.base.deterministic == false)
        #expect(try OpenAICompatibleBackend(configuration: Self.base).deterministic == false)
        var pinned = Self.base
        pinned.deterministic = true
        #expect(try OpenAICompatibleBackend(configuration: pinned).deterministic == true)
    }
}

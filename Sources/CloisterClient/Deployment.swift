import Ethereum
import Foundation

/// The contracts a node talks to, as `scripts/deploy.py` records them in `deployments/<chainId>.json`.
public struct Deployment: Sendable, Equatable {
    public let chainID: UInt64
    /// The oracle core: requests, results, the registry and the funds.
    public let core: Address
    public let arbiter: Address
    public let committee: Address
    /// The model vault (sealed models, their keys, privacy budgets), if the deployment has one.
    public let vault: Address?
    /// The block the first contract was deployed in: where the watcher starts on a fresh store.
    public let deploymentBlock: UInt64

    /// Reads and checks a deployment file.
    public static func load(path: String) throws(DeploymentError) -> Deployment {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        let record: Record
        do { record = try JSONDecoder().decode(Record.self, from: data) } catch let error as DecodingError {
            throw .malformed(path, Self.plainWords(error))
        } catch {
            throw .malformed(path, "it is not JSON")
        }
        func address(_ name: String) throws(DeploymentError) -> Address {
            guard let text = record.contracts[name]?.address else { throw .malformed(path, "no contracts.\(name).address") }
            do { return try Address(hex: text) } catch { throw .malformed(path, "contracts.\(name).address is not an address") }
        }
        return Deployment(
            chainID: record.chainId, core: try address("Cloister"), arbiter: try address("Arbiter"),
            committee: try address("CommitteeVerifier"), vault: record.contracts["ModelVault"] == nil ? nil : try address("ModelVault"),
            deploymentBlock: record.deploymentBlock)
    }

    public init(chainID: UInt64, core: Address, arbiter: Address, committee: Address, vault: Address? = nil, deploymentBlock: UInt64) {
        self.chainID = chainID
        self.core = core
        self.arbiter = arbiter
        self.committee = committee
        self.vault = vault
        self.deploymentBlock = deploymentBlock
    }

    /// A decoding error as a user reads it: the field and what is wrong with it, no Swift type names.
    static func plainWords(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "the top level" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(field(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(field(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "it is not JSON" : "\(field(context.codingPath)) is not valid"
        @unknown default: return "it does not have the expected fields"
        }
    }

    private struct Record: Decodable {
        struct Contract: Decodable { let address: String }
        let chainId: UInt64
        public let deploymentBlock: UInt64
        let contracts: [String: Contract]
    }
}

/// Why a deployment file could not be used.
public enum DeploymentError: Error, Equatable, CustomStringConvertible {
    case unreadable(String)
    case malformed(String, String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the deployment file \(path) (written by scripts/deploy.py)"
        case let .malformed(path, why): "the deployment file \(path) is malformed: \(why)"
        }
    }
}

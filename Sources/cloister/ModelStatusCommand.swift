import ArgumentParser
import ChainClient
import CloisterClient
import Ethereum
import Foundation

/// `cloister model status --model ID [--requester ADDRESS]`: the model vault's record of a sealed model (owner,
/// hashes, where the sealed file is, key epoch, engine and task, its privacy policy and budget) and, for a
/// private model, what a requester may still spend this period.
struct ModelStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show a sealed model as the vault records it, and a requester's remaining privacy budget.")

    @OptionGroup var chain: ChainOptions

    @Option(help: "The model id (0x and 64 hex digits).")
    var model: String

    @Option(help: "For a private model: the requester whose remaining budget to show (0x address).")
    var requester: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let id: Bytes32
        do { id = try Bytes32(hex: model) } catch { throw ValidationError("--model is not 0x and 64 hex digits: \(model)") }
        let account: Address?
        do { account = try requester.map { try Address(hex: $0) } } catch { throw ValidationError("--requester is not an address: \(requester ?? "")") }
        let (client, deployment) = try chain.connect()
        guard let vault = deployment.vault else { throw CommandError("model status: the deployment has no ModelVault contract") }
        let entry: VaultModel
        do { entry = try await client.vaultModel(id, vault: vault) } catch { throw CommandError("model status: \(error)") }
        guard entry.exists else { throw CommandError("model status: \(id) is not a model of the vault \(vault)") }
        var report: [String: Any] = [
            "model_id": id.description, "owner": entry.owner.description, "plaintext_sha256": entry.plaintextHash.description,
            "sealed_sha256": entry.sealedHash.description, "location": entry.location, "epoch": entry.epoch.description,
            "engine": entry.engine, "task": entry.task, "workloads": entry.workloads.map(\.description), "private": entry.policy != nil
        ]
        var lines = [
            "model \(id) (\(entry.task) on \(entry.engine)), owner \(entry.owner)", "key epoch \(entry.epoch), sealed file \(entry.location)"
        ]
        if let policy = entry.policy {
            report["epsilon_micros"] = policy.epsilonMicros
            report["budget_micros"] = entry.budgetMicros.description
            report["period_seconds"] = entry.period.description
            report["requesters_listed"] = entry.requestersListed
            lines.append(
                "private: ε \(PrivacyAmount(UInt256(policy.epsilonMicros))) a request, budget ε \(PrivacyAmount(entry.budgetMicros)) per requester "
                    + "every \(entry.period) s\(entry.requestersListed ? ", approved requesters only" : "")")
            if let account {
                let left: UInt256
                do { left = try await client.remainingBudget(id, requester: account, vault: vault) } catch { throw CommandError("model status: \(error)") }
                report["budget_remaining_micros"] = left.description
                lines.append("\(account) may spend ε \(PrivacyAmount(left)) more this period")
            }
        } else {
            lines.append("outputs released exactly (no privacy policy)")
        }
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
        } else {
            lines.forEach { print($0) }
        }
    }
}

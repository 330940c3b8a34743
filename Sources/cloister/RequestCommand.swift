import CloisterNode
import ArgumentParser
import Attestation
import ChainClient
import CloisterClient
import Ethereum
import Foundation
import Inference

/// `cloister request --task … --text … [--encrypt]`: ask the oracle from an account, as a dApp would,
/// and print the result. With `--encrypt` the input is sealed to nodes whose attestation this command
/// verified itself, and the output comes back encrypted to a one-time key only this process holds.
struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Send an inference request (optionally confidential) and print the verified result."
    )

    @OptionGroup var chain: ChainOptions

    @OptionGroup var wallet: KeystoreOptions

    @OptionGroup var taskInput: TaskInputOptions

    @Flag(help: "Seal the input to verified enclaves and have the output encrypted to this process (implies --wait).")
    var encrypt = false

    @Option(help: "With --encrypt: the most recipients to name (the executor is drawn among them; verifiers too).")
    var recipients = 3

    @Option(
        help: ArgumentHelp(
            "With --encrypt: write the per-recipient wrap secrets to this new file (mode 0600), sealed to your wallet key.",
            discussion: """
                The file holds the request id, each recipient's node id and enclave public key, and the ephemeral \
                secret of its key wrap, sealed to the wallet key that sends the request (only that key opens it). It \
                lets you prove on chain that a node's wrap was good (`cloister prove-wrap` with the same wallet, \
                Arbiter.proveWrap) if that node answers "decryption failed"; a revealed secret decrypts your input.
                """, valueName: "path"))
    var saveWrapSecrets: String?

    @Flag(help: "Wait for the result and print it.")
    var wait = false

    @Flag(
        name: .customLong("private"),
        help: "Request a model released with differential privacy, through the model vault, which charges ε to your budget (refused beyond it); prints the budget left.")
    var isPrivate = false

    @Option(help: "The model id (0x…) to request; by default the embedded model of --task (MiniLM, or the LLM for generate and score).")
    var model: String?

    @Option(help: "Wei to pay; by default exactly what the core asks (requestFee: the model fee plus the callback gas).")
    var fee: String?

    @Option(help: "A contract to call back with the result (its cloisterCallback(bytes32,uint256,bytes)).")
    var callback: String?

    @Option(help: "Gas for the callback, paid at the deployment's gas price.")
    var callbackGas: UInt64 = 200_000

    @Option(
        name: [.customLong("deadline"), .customLong("deadline-seconds")],
        help: ArgumentHelp(
            "Seconds the drawn node has to answer before the request can be refunded (default 600).",
            discussion: """
                The deployment bounds it: less than its minimum response time (params().minResponseTime, 120 s by \
                default) or more than its maximum (params().maxDeadline) is refused before anything is sent. A \
                deadline within 60 s of the minimum is raised to the minimum plus 60 s, so it still holds in the \
                later block the request is mined in; the default is raised the same way if the minimum is longer.
                """))
    var deadlineSeconds: UInt64?

    @Option(help: "How long to wait for the result, in seconds.")
    var timeoutSeconds = 300

    @OptionGroup var trust: AttestationTrustOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard (1...16).contains(recipients) else { throw ValidationError("--recipients must be between 1 and 16") }
        guard saveWrapSecrets == nil || encrypt else { throw ValidationError("--save-wrap-secrets needs --encrypt") }
    }

    func options() throws -> RequestOptions {
        var options = RequestOptions(deadlineSeconds: deadlineSeconds, callbackGas: callbackGas, isPrivate: isPrivate)
        if let fee {
            do { options.fee = try UInt256(parsing: fee) } catch { throw ValidationError("--fee is not a whole number of wei: \(fee)") }
        }
        if let callback {
            do { options.callback = try Address(hex: callback) } catch { throw ValidationError("--callback is not an address: \(callback)") }
        }
        return options
    }

    func run() async throws {
        let input = try taskInput.input()
        let model: Bytes32
        if let given = self.model {
            do { model = try Bytes32(hex: given) } catch { throw ValidationError("--model is not 32 bytes of hex: \(given)") }
        } else {
            model = input.modelID
        }
        let options = try options()
        let key = try OperatorKeyFiles.decrypt(keystore: wallet.keystore, passwordFile: wallet.passwordFile)
        let (client, loaded) = try chain.connect()
        let requester = Requester(client: client, deployment: loaded, key: key)
        var verified: [RegisteredNode] = []
        let submitted: SubmittedRequest
        do {
            if encrypt {
                verified = try await verifiedRecipients(for: model, client: client, deployment: loaded)
                submitted = try await requester.submitConfidential(
                    model: model, input: input.abiEncoded, recipients: verified,
                    options: options, keepWrapSecrets: saveWrapSecrets != nil)
                if let path = saveWrapSecrets, let secrets = submitted.wrapSecrets {
                    do { try secrets.write(to: path, sealedWith: key) } catch {
                        FileHandle.standardError.write(Data("request: the request was sent but its wrap secrets were not saved: \(error)\n".utf8))
                    }
                }
            } else {
                submitted = try await requester.submit(model: model, input: input.abiEncoded, options: options)
            }
        } catch {
            throw CommandError("request: \(error)")
        }
        var report: [String: Any] = [
            "request_id": submitted.id.description, "node": "\(submitted.node)", "block": submitted.block,
            "confidential": submitted.isConfidential, "recipients": verified.map { "\($0.id)" }
        ]
        var budget = ""
        if isPrivate, let vault = loaded.vault {
            let left = try await client.remainingBudget(model, requester: requester.address, vault: vault)
            let entry = try await client.vaultModel(model, vault: vault)
            report["budget_remaining_micros"] = left.description
            report["budget_micros"] = entry.budgetMicros.description
            budget = ", privacy budget left ε \(PrivacyAmount(left)) of \(PrivacyAmount(entry.budgetMicros)) this period"
        }
        // The id first, flushed: a fee is paid now, and an interrupted wait must not lose the id.
        let sent =
            "request \(submitted.id) in block \(submitted.block), drawn node \(submitted.node)"
            + (encrypt ? ", sealed to verified nodes \(verified.map { "\($0.id)" }.joined(separator: ", "))" : "") + budget
        (json ? FileHandle.standardError : FileHandle.standardOutput).write(Data((sent + "\n").utf8))
        guard wait || encrypt else {
            if json { print(try Self.jsonText(report)) }
            return
        }
        let result: RequestResult
        do { result = try await requester.result(of: submitted, timeout: .seconds(timeoutSeconds)) } catch {
            throw CommandError("request: \(error)")
        }
        report["status"] = Int(result.status)
        report["commitment_matches"] = result.commitmentMatches
        if result.status != 0 {
            report["error"] = String(decoding: result.output, as: UTF8.self)
        } else if let summary = input.summary(of: result.output, modelID: model) {
            report.merge(summary.jsonObject()) { first, _ in first }
            if !json { print(summary.text()) }
        }
        if json {
            print(try Self.jsonText(report))
        } else {
            print("status: \(result.status)" + (result.status == 0 ? "" : " (\(String(decoding: result.output, as: UTF8.self)))"))
            print("commitment: " + (result.commitmentMatches ? "matches the enclave's signed commitment" : "DOES NOT MATCH the signed commitment"))
        }
        guard result.commitmentMatches else { throw CommandError("request: the output does not match its signed commitment") }
        guard result.status == 0 else { throw ExitCode(3) }
    }

    /// Eligible nodes whose attestation verifies here, up to `recipients`, largest stake first.
    private func verifiedRecipients(for model: Bytes32, client: RPCClient, deployment: Deployment) async throws -> [RegisteredNode] {
        let check = try trust.attestationCheck(client: client, deployment: deployment)
        var accepted: [RegisteredNode] = []
        for node in try await NodeDirectory(client: client, deployment: deployment).eligible(for: model).sorted(by: { $0.stake > $1.stake }) {
            do {
                _ = try await check.verify(node, at: Date())
                accepted.append(node)
            } catch {
                FileHandle.standardError.write(Data("request: not encrypting to node \(node.id): \(error)\n".utf8))
            }
            if accepted.count == recipients { break }
        }
        guard !accepted.isEmpty else { throw CommandError("no eligible node's attestation verified; nothing to encrypt to") }
        return accepted
    }

    private static func jsonText(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

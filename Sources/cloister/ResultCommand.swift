import ArgumentParser
import CloisterClient
import Ethereum
import Foundation
import Inference

/// `cloister result --id 0x…`: where a request stands, its decoded output, the commitment check and
/// the callback's outcome, read from the chain (no wallet needed).
struct ResultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "result",
        abstract: "Show a request's state, decoded output, commitment check and callback outcome."
    )

    @OptionGroup var chain: ChainOptions

    @Option(help: "The request id (0x and 64 hex digits), as `cloister request` printed it.")
    var id: String

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let requestID = try parseRequestID(id)
        let (client, deployment) = try chain.connect()
        let history: RequestHistory
        do { history = try await RequestHistory.read(requestID, client: client, deployment: deployment) } catch {
            throw CommandError("result: \(error)")
        }
        let request = history.request
        var report: [String: Any] = [
            "request_id": requestID.description, "stage": history.stage.rawValue, "model": request.model.description,
            "node": "\(request.node)", "requester": request.requester.description, "block": history.requestBlock,
            "deadline": "\(request.deadline)", "confidential": !request.outputKey.isEmpty
        ]
        var lines = [
            "request \(requestID) in block \(history.requestBlock): model \(request.model), node \(request.node), requester \(request.requester)",
            "stage: \(history.stage.rawValue)" + (history.stage == .refundable ? " (past its deadline: `cloister refund --id \(requestID)` takes the fee back)" : "")
        ]
        let final = history.correction ?? history.fulfilment
        if let posted = final {
            report["status"] = Int(posted.status)
            report["callback_ok"] = posted.callbackOk
            lines.append("status: \(posted.status)" + (history.correction != nil ? " (the corrected output delivered after the dispute)" : ""))
            lines += describe(posted, request: request, into: &report)
            lines.append(
                "callback: "
                    + (request.callback == .zero
                        ? "none" : posted.callbackOk ? "\(request.callback) succeeded" : "\(request.callback) FAILED (the result stands on chain)"))
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(lines.joined(separator: "\n"))
        }
        if let posted = history.fulfilment, posted.commitmentMatches == false {
            throw CommandError("result: the posted output does not match the commitment the enclave signed")
        }
    }

    /// The output's lines: decoded when it is in clear and the model is one this binary knows.
    private func describe(_ posted: RequestHistory.Posted, request: PendingRequest, into report: inout [String: Any]) -> [String] {
        if !request.outputKey.isEmpty {
            report["output_bytes"] = posted.output.count
            return [
                "output: \(posted.output.count) bytes, encrypted to the request's output key (only the requester can decrypt and check it: "
                    + "`cloister request --encrypt` does so when it waits)"
            ]
        }
        var lines: [String] = []
        if posted.status != 0 {
            let message = String(decoding: posted.output, as: UTF8.self)
            report["error"] = message
            lines.append("error: \(message)")
        } else if let summary = Self.summary(request: request, output: posted.output) {
            report.merge(summary.jsonObject()) { first, _ in first }
            lines.append(summary.text())
        } else {
            report["output"] = "0x" + posted.output.map { String(format: "%02x", $0) }.joined()
            lines.append("output: \(report["output"] ?? "")")
        }
        if let matches = posted.commitmentMatches {
            report["commitment_matches"] = matches
            lines.append("commitment: " + (matches ? "matches the enclave's signed commitment" : "DOES NOT MATCH the signed commitment"))
        }
        return lines
    }

    /// The decoded request and output, for the embedded models this binary knows.
    private static func summary(request: PendingRequest, output: [UInt8]) -> InferenceSummary? {
        if let task = InferenceTask.allCases.first(where: { ModelIdentity.allMiniLML6V2.modelID(for: $0) == request.model }),
            let input = try? TaskInput(task: task, abiEncoded: request.input)
        {
            return RequestedTask.engine(input).summary(of: output, modelID: request.model)
        }
        if let task = LLMIdentity.smolLM2.task(forModelID: request.model), let input = try? LLMTaskInput(task: task, abiEncoded: request.input) {
            return RequestedTask.llm(input).summary(of: output, modelID: request.model)
        }
        return nil
    }
}

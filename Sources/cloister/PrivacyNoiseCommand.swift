import ArgumentParser
import CloisterNode
import Enclave
import Ethereum
import Foundation
import Inference

/// `cloister privacy-noise`: a MiniLM task output released under a differential-privacy policy, as an
/// enclave holding the model key releases it (`docs/privacy.md`). For checking the mechanism against
/// another implementation (`tests/privacy`); the key is read from a file and never printed.
struct PrivacyNoiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy-noise",
        abstract: "Add a policy's differentially private noise to a task output (hex), keyed by a model key file."
    )

    @Option(help: "embed, similarity or classify.")
    var task: String
    @Option(help: "The task's canonical output bytes, hex.")
    var output: String
    @Option(help: "laplace or gaussian.")
    var mechanism: String
    @Option(help: "ε × 10⁶.")
    var epsilonMicros: UInt64
    @Option(help: "Gaussian only: δ = 10^-N.")
    var deltaExponent: Int?
    @Option(help: "The output's sensitivity in grid units (ℓ1 for laplace, ℓ2 for gaussian).")
    var sensitivity: UInt64
    @Option(help: "The request id, 32 bytes hex.")
    var requestId: String
    @Option(help: "The request's input hash, 32 bytes hex.")
    var inputHash: String
    @Option(help: "A file holding the 32-byte model key as hex.")
    var keyFile: String

    func run() throws {
        let task = try InferenceTask(name: task)
        let chosen: PrivacyPolicy.Mechanism
        switch (mechanism, deltaExponent) {
        case ("laplace", nil): chosen = .laplace
        case ("gaussian", let exponent?): chosen = .gaussian(deltaExponent: exponent)
        default: throw CommandError("--mechanism is laplace, or gaussian with --delta-exponent")
        }
        var sensitivities = PrivacyPolicy.Sensitivities()
        switch task {
        case .embed: sensitivities.embedding = sensitivity
        case .similarity: sensitivities.similarity = sensitivity
        case .classify: sensitivities.classification = sensitivity
        }
        let policy = PrivacyPolicy(mechanism: chosen, epsilonMicros: epsilonMicros, sensitivities: sensitivities)
        var bytes = try OperatorKeyFiles.hexSecret32(at: keyFile, holding: "a 32-byte model key as hex")
        defer { bytes.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        let key = try ModelKey(bytes: bytes)
        let noised = try PrivateRelease.noisedOutput(
            try Hex.decode(output), task: task, policy: policy,
            modelKey: key, requestID: try Bytes32(hex: requestId),
            inputHash: try Bytes32(hex: inputHash))
        let object: [String: Any] = ["output": Hex.encode(noised), "output_hash": Keccak256.hash(noised).description]
        print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
    }
}

import CloisterClient
import Enclave
import Ethereum
import Foundation
import Inference
import Logging
import Oracle
@testable import CloisterNode

/// The real model, a fresh sealed keyring and `Requested` jobs built the way the contract logs them.
enum NodeTestSupport {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let engine: EmbeddedEngine = {
        let files = ModelFiles.located(environment: ProcessInfo.processInfo.environment, projectRoot: projectRoot)
        do { return try EmbeddedEngine(files: files) } catch { fatalError("cannot load the model: \(error)") }
    }()
    static let llm: EmbeddedLLM = {
        let file = LLMModelFile.located(environment: ProcessInfo.processInfo.environment, projectRoot: projectRoot)
        do { return try EmbeddedLLM(file: file) } catch { fatalError("cannot load the LLM: \(error)") }
    }()
    static let chainID: UInt64 = 31_337
    static let contract = Address(Array(repeating: 0xCC, count: 20))!
    static let requester = Address(Array(repeating: 0xAA, count: 20))!

    /// A keyring sealed in a new temporary folder.
    static func keyring() throws -> EnclaveKeyring {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cloister-node-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try EnclaveKeyring(path: folder + "/key.sealed", sealing: SimulatedSealingKeySource(secretPath: folder + "/secret"))
    }

    static func executor(_ keyring: EnclaveKeyring, expiry: UInt64 = 4_000_000_000, llm: (any LLMTaskRunner)? = nil) async -> EnclaveJobExecutor {
        let registration = NodeRegistration(nodeID: 1, signer: await keyring.signer, attestationDigest: Keccak256.hash([1]), expiry: expiry)
        return EnclaveJobExecutor(
            keyring: keyring, runner: InferenceWorker(engine: engine), llm: llm, completions: [], chainID: chainID, contract: contract,
            registration: CurrentRegistration(registration), now: { 1_800_000_000 }, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// A job (an executor's unless told otherwise) for a request with these fields, as the watcher stores it.
    static func job(
        model: Bytes32, input: [UInt8], recipients: [UInt256] = [], outputKey: [UInt8] = [],
        requester: Address = requester, role: JobRole = .executor
    ) -> Job {
        let id = Keccak256.hash(input + model.bytes)
        let data = ABI.encode([
            .address(requester), .address(.zero), .uint(0), .uint(1_000), .uint(1_900_000_000),
            .array(recipients.map(ABIValue.uint)), .bytes(outputKey), .bytes(input)
        ])
        let topics = [PendingRequest.event.topic, id, UInt256(1).bytes32, model]
        return Job(
            key: JobKey(requestID: id, role: role), model: model, request: PendingRequest.stored(topics: topics, data: data),
            observedIn: BlockRef(number: 1, hash: .zero), logIndex: 0, deadline: 1_900_000_000)
    }

    static func classifyInput(_ text: String, _ labels: [String]) -> [UInt8] {
        TaskInput.classify(text: text, labels: labels).abiEncoded
    }
}

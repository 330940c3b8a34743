import Foundation
import Testing
@testable import Inference

/// Hostile weight files give `InferenceError.invalidWeights`, never a crash or an out-of-bounds read.
@Suite struct SafeTensorsTests {
    static func file(header: String, dataBytes: Int = 16, declaredLength: UInt64? = nil) throws -> String {
        // Pad the header with spaces so that the data section starts 4-byte aligned.
        let headerBytes = Array(header.utf8) + Array(repeating: UInt8(ascii: " "), count: (4 - (8 + header.utf8.count) % 4) % 4)
        var bytes = withUnsafeBytes(of: (declaredLength ?? UInt64(headerBytes.count)).littleEndian) { Array($0) }
        bytes += headerBytes + [UInt8](repeating: 0, count: dataBytes)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cloister-\(UUID()).safetensors").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func load(_ path: String) throws -> SafeTensors {
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try SafeTensors(file: ModelBytes(path: path))
    }

    @Test(arguments: [
        #"not json"#,
        #"[1, 2]"#,
        #"{"t": {"dtype": "F32", "shape": [4], "data_offsets": [0, 20]}}"#,
        #"{"t": {"dtype": "F32", "shape": [5], "data_offsets": [0, 16]}}"#,
        #"{"t": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}}"#,
        #"{"t": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#,
        #"{"t": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 16]}}"#,
        #"{"t": {"dtype": "F32", "shape": [1], "data_offsets": [1, 5]}}"#,
        #"{"t": {"dtype": "F32", "shape": [1]}}"#
    ])
    func malformedHeadersAreRejected(header: String) throws {
        let path = try Self.file(header: header)
        #expect(throws: InferenceError.self) { try Self.load(path) }
    }

    @Test func headerLengthBeyondTheFileIsRejected() throws {
        let path = try Self.file(header: "{}", declaredLength: 1 << 40)
        #expect(throws: InferenceError.self) { try Self.load(path) }
    }

    @Test func aValidFileGivesItsTensorAndRefusesOtherShapes() throws {
        let path = try Self.file(header: #"{"t": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}"#)
        let tensors = try Self.load(path)
        #expect(try tensors.tensor("t", shape: [2, 2]).count == 4)
        #expect(throws: InferenceError.self) { try tensors.tensor("t", shape: [4]) }
        #expect(throws: InferenceError.self) { try tensors.tensor("missing", shape: [1]) }
    }

    /// A sealed model's plaintext, decrypted in the enclave: held only by the engine's bytes, wiped on release.
    @Test func decryptedWeightsAreTakenOverAndTheCallersCopyWiped() throws {
        var bytes: [UInt8] = Array(repeating: 0xAB, count: 4_096)
        let owned = try ModelBytes(takingOver: &bytes, label: "test weights")
        #expect(bytes.isEmpty)
        #expect(owned.bytes.count == 4_096 && owned.bytes.allSatisfy { $0 == 0xAB })
        #expect(owned.path == "test weights")
        var empty: [UInt8] = []
        #expect(throws: InferenceError.self) { _ = try ModelBytes(takingOver: &empty, label: "nothing") }
    }
}

import Foundation
import Testing
import Ethereum
@testable import Inference

/// The engine loads only the weights and vocabulary its model id commits to.
@Suite struct ModelIdentityTests {
    /// A temporary copy of the model folder with one byte of `file` changed.
    static func tamperedCopy(of file: String, at offset: Int) throws -> ModelFiles {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cloister-tampered-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["model.safetensors", "vocab.txt"] {
            var bytes = try Data(contentsOf: URL(fileURLWithPath: TestModel.files.directory + "/" + name))
            if name == file { bytes[offset] ^= 0x01 }
            try bytes.write(to: folder.appendingPathComponent(name))
        }
        return ModelFiles(directory: folder.path)
    }

    @Test func refusesWeightsWithOneFlippedBit() throws {
        let files = try Self.tamperedCopy(of: "model.safetensors", at: 50_000_000)
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        #expect {
            try EmbeddedEngine(files: files)
        } throws: { error in
            guard case .weightsHashMismatch(let expected, _) = error as? InferenceError else { return false }
            return expected == ModelIdentity.allMiniLML6V2.weightsSHA256.description
        }
    }

    @Test func refusesAnAlteredVocabulary() throws {
        let files = try Self.tamperedCopy(of: "vocab.txt", at: 10_000)
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        #expect {
            try EmbeddedEngine(files: files)
        } throws: { error in
            if case .tokenizerHashMismatch = error as? InferenceError { return true }
            return false
        }
    }

    @Test func refusesTheRealWeightsUnderAnotherPin() {
        var identity = ModelIdentity.allMiniLML6V2
        identity.weightsSHA256 = Keccak256.hash(Array("other weights".utf8))
        #expect(throws: InferenceError.self) { try EmbeddedEngine(files: TestModel.files, identity: identity) }
    }

    @Test func reportsAMissingModelFolderAsUnreadable() {
        #expect(throws: InferenceError.modelFileUnreadable(path: "/nonexistent/cloister/vocab.txt")) {
            try EmbeddedEngine(files: ModelFiles(directory: "/nonexistent/cloister"))
        }
    }

    @Test func eachTaskHasItsOwnModelIDAndUnknownIDsAreRefused() throws {
        let identity = ModelIdentity.allMiniLML6V2
        let ids = InferenceTask.allCases.map(identity.modelID(for:))
        #expect(Set(ids).count == 3)
        for task in InferenceTask.allCases { #expect(try identity.task(forModelID: identity.modelID(for: task)) == task) }
        #expect(throws: InferenceError.self) { try identity.task(forModelID: Keccak256.hash([1, 2, 3])) }
        var otherVersion = identity
        otherVersion.engineVersion = "cloister-minilm-f32/3"
        #expect(otherVersion.modelID(for: .embed) != identity.modelID(for: .embed))
    }
}

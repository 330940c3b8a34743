import Foundation
@testable import Inference

/// Paths and a shared engine for the tests: the real model installed by set-up, the fixtures
/// written by scripts/generate_inference_fixtures.py.
enum TestModel {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let files = ModelFiles.located(environment: ProcessInfo.processInfo.environment, projectRoot: projectRoot)
    static let engine: EmbeddedEngine = {
        do { return try EmbeddedEngine(files: files) } catch { fatalError("cannot load the model: \(error)") }
    }()

    static func fixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let url = URL(fileURLWithPath: projectRoot + "/fixtures/inference/" + name)
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }
}

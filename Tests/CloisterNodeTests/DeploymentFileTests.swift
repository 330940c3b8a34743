import Foundation
import Testing
@testable import CloisterClient

/// The deployment file as a user meets its errors: the field and what is wrong, never a Swift type name.
@Suite struct DeploymentFileTests {
    static func load(_ text: String) throws(DeploymentError) -> Deployment {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deployment-\(UUID().uuidString).json").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try load(path: path)
    }

    static func load(path: String) throws(DeploymentError) -> Deployment { try Deployment.load(path: path) }

    static let contracts = """
        "contracts": {"Cloister": {"address": "0x5FbDB2315678afecb367f032d93F642f64180aa3"},
                      "Arbiter": {"address": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"},
                      "CommitteeVerifier": {"address": "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"}}
        """

    @Test func readsAWellFormedFile() throws {
        let deployment = try Self.load("{\"chainId\": 31337, \"deploymentBlock\": 4, \(Self.contracts)}")
        #expect(deployment.chainID == 31337 && deployment.deploymentBlock == 4)
    }

    @Test(arguments: [
        ("{\"chainId\": 31337, \(contracts)}", "deploymentBlock is missing"),
        ("{\"chainId\": \"x\", \"deploymentBlock\": 4, \(contracts)}", "chainId has the wrong type"),
        ("not json", "it is not JSON"),
        ("{\"chainId\": 31337, \"deploymentBlock\": 4, \"contracts\": {}}", "no contracts.Cloister.address")
    ])
    func errorsNameTheFieldInPlainWords(text: String, expected: String) {
        #expect {
            try Self.load(text)
        } throws: { error in
            let description = "\(error)"
            return description.contains(expected) && !description.contains("DecodingError") && !description.contains("CodingKeys")
        }
    }

    @Test func aMissingFileSaysWhichAndWhoWritesIt() {
        #expect {
            try Self.load(path: "/nonexistent/deployment.json")
        } throws: { error in "\(error)".contains("/nonexistent/deployment.json") && "\(error)".contains("scripts/deploy.py") }
    }
}

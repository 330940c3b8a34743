import Enclave
import Ethereum
import Foundation
import Secp256k1
import Testing
@testable import CloisterClient

/// The requester's wrap secrets file: owner-only, refuses to overwrite, the secrets sealed to the requester's
/// wallet key (never on disk in the clear), reads back what proveWrap needs.
@Suite struct WrapSecretsFileTests {
    @Test func writtenOwnerOnlyAndReadBack() throws {
        let recipients = [PrivateKey(), PrivateKey()]
        let requester = PrivateKey()
        let context = EnvelopeContext(
            chainID: 31_337, contract: Address(Array(repeating: 0xCC, count: 20))!,
            requester: Address(publicKey: requester.publicKey), outputKey: requester.publicKey)
        let sealed = try EnvelopeSealer(context: context).seal(Array("input".utf8), for: recipients.map(\.publicKey))
        let id = Keccak256.hash(Array("request".utf8))
        let file = WrapSecretsFile(requestID: id, nodes: [4, 9], secrets: sealed.wrapSecrets)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wrap-secrets-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try file.write(to: path, sealedWith: requester)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
        #expect(throws: WrapSecretsFileError.self) { try file.write(to: path, sealedWith: requester) }

        let text = try String(contentsOfFile: path, encoding: .utf8)
        for secret in sealed.wrapSecrets {  // no secret is on disk in the clear
            #expect(!text.contains(Hex.encode(secret.revealedBytes(), prefix: false)))
        }
        #expect(throws: WrapSecretsFileError.self) { try WrapSecretsFile.load(path: path, openingWith: PrivateKey()) }
        // one bit of one sealed secret flipped: the mac tells
        var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var entries = try #require(object["recipients"] as? [[String: Any]])
        var sealedBytes = try Hex.decode(try #require(entries[0]["sealedSecret"] as? String))
        sealedBytes[0] ^= 1
        entries[0]["sealedSecret"] = Hex.encode(sealedBytes)
        object["recipients"] = entries
        let alteredPath = path + ".altered"
        defer { try? FileManager.default.removeItem(atPath: alteredPath) }
        FileManager.default.createFile(atPath: alteredPath, contents: try JSONSerialization.data(withJSONObject: object))
        #expect(throws: WrapSecretsFileError.self) { try WrapSecretsFile.load(path: alteredPath, openingWith: requester) }

        let loaded = try WrapSecretsFile.load(path: path, openingWith: requester)
        #expect(loaded.requestID == id)
        #expect(loaded.entries.map(\.node) == [4, 9])
        #expect(loaded.entries.map(\.publicKey) == recipients.map(\.publicKey))
        let entry = try #require(loaded.entry(for: 9))
        #expect(entry.index == 1)
        #expect(sealed.envelope.wrapOpens(at: entry.index, ephemeralSecret: entry.ephemeralSecret))
        #expect(entry.ephemeralSecretWord == UInt256(bigEndian: sealed.wrapSecrets[1].revealedBytes()))
        #expect(loaded.entry(for: 5) == nil)
        #expect(text.contains("sealed to the requester's wallet key"))
        #expect(!"\(loaded) \(entry) \(String(reflecting: entry))".contains(Hex.encode(entry.ephemeralSecret, prefix: false)))
    }
}

import Enclave
import Ethereum
import Foundation
import Secp256k1
import Testing
@testable import CloisterClient

/// The requester's wrap secrets file: owner-only, refuses to overwrite, reads back what proveWrap needs.
@Suite struct WrapSecretsFileTests {
    @Test func writtenOwnerOnlyAndReadBack() throws {
        let recipients = [PrivateKey(), PrivateKey()]
        let requester = PrivateKey()
        let context = EnvelopeContext(chainID: 31_337, contract: Address(Array(repeating: 0xCC, count: 20))!,
                                      requester: Address(publicKey: requester.publicKey), outputKey: requester.publicKey)
        let sealed = try EnvelopeSealer(context: context).seal(Array("input".utf8), for: recipients.map(\.publicKey))
        let id = Keccak256.hash(Array("request".utf8))
        let file = WrapSecretsFile(requestID: id, nodes: [4, 9], secrets: sealed.wrapSecrets)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wrap-secrets-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try file.write(to: path)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
        #expect(throws: WrapSecretsFileError.self) { try file.write(to: path) }

        let loaded = try WrapSecretsFile.load(path: path)
        #expect(loaded.requestID == id)
        #expect(loaded.entries.map(\.node) == [4, 9])
        #expect(loaded.entries.map(\.publicKey) == recipients.map(\.publicKey))
        let entry = try #require(loaded.entry(for: 9))
        #expect(entry.index == 1)
        #expect(sealed.envelope.wrapOpens(at: entry.index, ephemeralSecret: entry.ephemeralSecret))
        #expect(entry.ephemeralSecretWord == UInt256(bigEndian: sealed.wrapSecrets[1].revealedBytes()))
        #expect(loaded.entry(for: 5) == nil)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("anyone holding it can decrypt your input"))
        #expect(!"\(loaded) \(entry) \(String(reflecting: entry))".contains(Hex.encode(entry.ephemeralSecret, prefix: false)))
    }
}

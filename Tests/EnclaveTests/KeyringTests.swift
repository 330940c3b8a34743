@testable import Enclave
import Ethereum
import Foundation
import Secp256k1
import Testing

/// A scratch directory with a simulated sealing secret and a keyring path, removed afterwards.
final class KeyringDirectory {
    let url: URL
    var keyringPath: String { url.appendingPathComponent("keyring.sealed").path }
    var secretPath: String { url.appendingPathComponent("sealing.secret").path }
    var sealing: SimulatedSealingKeySource { SimulatedSealingKeySource(secretPath: secretPath) }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("cloister-keyring-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func keyring() throws -> EnclaveKeyring {
        try EnclaveKeyring(path: keyringPath, sealing: sealing)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

@Suite struct KeyringTests {
    @Test func restartReloadsTheSameKey() async throws {
        let directory = try KeyringDirectory()
        let first = try directory.keyring()
        let signer = await first.signer
        let reloaded = try directory.keyring()
        #expect(await reloaded.signer == signer)
        #expect(await reloaded.publicKey == first.publicKey)
        #expect(reloaded.isSimulated)
    }

    @Test func filesAreOwnerOnlyAndHoldNoClearKey() async throws {
        let directory = try KeyringDirectory()
        let keyring = try directory.keyring()
        for path in [directory.keyringPath, directory.secretPath] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
        let sealed = Array(try Data(contentsOf: URL(fileURLWithPath: directory.keyringPath)))
        let secret = try #require(await keyring.key(for: keyring.signer)).withUnsafeBytes { Array($0) }
        #expect(!Hex.encode(sealed).contains(Hex.encode(secret, prefix: false)))
        #expect(Array(sealed.prefix(4)) == Array("CLKR".utf8))
    }

    @Test func rotationKeepsTheOldKeyForInFlightWork() async throws {
        let directory = try KeyringDirectory()
        let keyring = try directory.keyring()
        let old = await keyring.signer
        let scenario = try EnvelopeScenario(recipients: 1)
        let inFlight = try EnvelopeSealer(context: scenario.context).seal(scenario.payload, for: [await keyring.publicKey]).envelope

        let new = try await keyring.rotate()
        #expect(new != old)
        #expect(await keyring.signer == new)
        #expect(await keyring.retiringSigners == [old])
        #expect(try await keyring.open(inFlight, expecting: scenario.context).payload == scenario.payload)

        let reloaded = try directory.keyring()
        #expect(await reloaded.signer == new)
        #expect(await reloaded.retiringSigners == [old])
        #expect(try await reloaded.open(inFlight, expecting: scenario.context).payload == scenario.payload)

        try await reloaded.retire(old)
        #expect(await reloaded.retiringSigners.isEmpty)
        await #expect(throws: EnvelopeError.notARecipient(new)) { try await reloaded.open(inFlight, expecting: scenario.context) }
        #expect(try await directory.keyring().retiringSigners.isEmpty)
    }

    @Test func retiringRules() async throws {
        let directory = try KeyringDirectory()
        let keyring = try directory.keyring()
        await #expect(throws: KeyringError.cannotRetireCurrentKey) { try await keyring.retire(keyring.signer) }
        let stranger = Address(publicKey: PrivateKey().publicKey)
        await #expect(throws: KeyringError.unknownKey(stranger)) { try await keyring.retire(stranger) }
        for _ in 0..<EnclaveKeyring.maxRetiringKeys { try await keyring.rotate() }
        await #expect(throws: KeyringError.tooManyRetiringKeys(limit: EnclaveKeyring.maxRetiringKeys)) { try await keyring.rotate() }
        #expect(try await directory.keyring().retiringSigners.count == EnclaveKeyring.maxRetiringKeys)
    }

    @Test func anotherSealingSecretCannotUnseal() throws {
        let directory = try KeyringDirectory()
        _ = try directory.keyring()
        let other = try KeyringDirectory()
        #expect(throws: KeyringError.unsealFailed(path: directory.keyringPath)) {
            try EnclaveKeyring(path: directory.keyringPath, sealing: other.sealing)
        }
    }

    @Test func alteredOrTruncatedKeyringIsRejected() throws {
        let directory = try KeyringDirectory()
        _ = try directory.keyring()
        let url = URL(fileURLWithPath: directory.keyringPath)
        let sealed = Array(try Data(contentsOf: url))
        for index in [0, 4, 5, 20, sealed.count - 1] {
            var copy = sealed
            copy[index] ^= 0x01
            try Data(copy).write(to: url)
            #expect(throws: KeyringError.self, "byte \(index)") { try directory.keyring() }
        }
        try Data(sealed.prefix(20)).write(to: url)
        #expect(throws: KeyringError.malformedKeyring(path: directory.keyringPath)) { try directory.keyring() }
        try Data(sealed).write(to: url)
        #expect(throws: Never.self) { try directory.keyring() }
    }

    @Test func badSealingSecretIsRejected() throws {
        let directory = try KeyringDirectory()
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory.secretPath))
        #expect(throws: KeyringError.invalidSealingSecret(path: directory.secretPath)) { try directory.keyring() }
    }
}

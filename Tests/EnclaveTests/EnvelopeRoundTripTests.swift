import Enclave
import Ethereum
import Secp256k1
import Testing

@Suite struct EnvelopeRoundTripTests {
    @Test(arguments: [1, 3, 10, 16])
    func everyRecipientOpensAndDerivesTheSameCommitment(recipients count: Int) throws {
        let scenario = try EnvelopeScenario(recipients: count)
        let sealed = try scenario.seal()
        let bytes = sealed.envelope.bytes
        #expect(bytes.count == Envelope.size(recipients: count, payloadBytes: scenario.payload.count))
        let output = Array("negative".utf8)
        let expected = sealed.commitmentSalt.commitment(to: output)
        for index in 0..<count {
            let opened = try scenario.open(bytes, as: index)
            #expect(opened.payload == scenario.payload)
            #expect(opened.commitmentSalt.commitment(to: output) == expected)
        }
    }

    @Test func commitmentHidesTheOutputBehindTheSalt() throws {
        let scenario = try EnvelopeScenario()
        let first = try scenario.seal().commitmentSalt
        let second = try scenario.seal().commitmentSalt
        let output = Array("yes".utf8)
        // Without the data key an observer only has keccak256(output) style guesses, which do not match.
        #expect(first.commitment(to: output) != Keccak256.hash(output))
        #expect(first.commitment(to: output) != CommitmentSalt.plaintext.commitment(to: output))
        // A fresh data key gives a fresh salt, even for the same request and output.
        #expect(first.commitment(to: output) != second.commitment(to: output))
        #expect(first.commitment(to: output) != first.commitment(to: Array("no".utf8)))
    }

    @Test func plaintextSaltIsThirtyTwoZeroBytes() {
        let output = Array("positive".utf8)
        #expect(CommitmentSalt.plaintext.commitment(to: output) == Keccak256.hash([UInt8](repeating: 0, count: 32) + output))
    }

    @Test func parsingAndReencodingIsTheIdentity() throws {
        let scenario = try EnvelopeScenario(recipients: 4)
        let envelope = try scenario.seal().envelope
        let parsed = try Envelope(bytes: envelope.bytes)
        #expect(parsed == envelope)
        #expect(parsed.bytes == envelope.bytes)
        #expect(parsed.recipientAddresses == scenario.recipients.map { Address(publicKey: $0.publicKey) })
        #expect(parsed.recipientKeys == scenario.recipients.map(\.publicKey))
        #expect(parsed.context == scenario.context)
    }

    @Test func emptyAndMaximumPayloadsRoundTrip() throws {
        for payload in [[], [UInt8](repeating: 0xAB, count: EnvelopeLimits().maxPayloadBytes)] {
            let scenario = try EnvelopeScenario(recipients: 2, payload: payload)
            #expect(try scenario.open(scenario.seal().envelope.bytes, as: 1).payload == payload)
        }
    }

    @Test func everyRecipientHasItsOwnEphemeralKeyAndWrapSecret() throws {
        let scenario = try EnvelopeScenario(recipients: 5)
        let sealed = try scenario.seal()
        let ephemeralKeys = sealed.envelope.recipients.map(\.ephemeralKey)
        #expect(Set(ephemeralKeys).count == 5)
        #expect(sealed.wrapSecrets.map(\.ephemeralKey) == ephemeralKeys)
        #expect(sealed.wrapSecrets.map(\.recipientKey) == scenario.recipients.map(\.publicKey))
        // e_i·G = E_i: the revealed secret is what proveWrap checks against the entry.
        for secret in sealed.wrapSecrets {
            #expect(try PrivateKey(bytes: secret.revealedBytes()).publicKey == ephemeralKeys[secret.index])
        }
    }

    @Test func wrapSecretsDoNotPrint() throws {
        let sealed = try EnvelopeScenario(recipients: 2).seal()
        for secret in sealed.wrapSecrets {
            let hex = Hex.encode(secret.revealedBytes(), prefix: false)
            var dumped = ""
            dump(secret, to: &dumped)
            let printed = "\(secret) \(String(reflecting: secret)) \(sealed.wrapSecrets) \(dumped)"
            #expect(!printed.contains(hex))
            #expect(printed.contains("redacted"))
        }
    }

    @Test func openedValuesDoNotPrintSecrets() throws {
        let scenario = try EnvelopeScenario(payload: Array("top secret diagnosis".utf8))
        let opened = try scenario.open(scenario.seal().envelope.bytes)
        let printed = "\(opened) \(String(reflecting: opened)) \(opened.commitmentSalt)"
        #expect(!printed.contains("secret diagnosis"))
        #expect(!printed.contains(Hex.encode(opened.payload, prefix: false)))
        var dumped = ""
        dump(opened, to: &dumped)
        #expect(!dumped.contains("secret"))
        #expect(!dumped.contains(Hex.encode(opened.commitmentSalt.commitment(to: []).bytes, prefix: false)))
    }
}

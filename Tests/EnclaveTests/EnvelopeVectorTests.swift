@testable import Enclave
import Ethereum
import Secp256k1
import Testing

/// Python-built envelopes and outputs (fixtures/envelope/vectors.json) against the Swift code.
@Suite struct EnvelopeVectorTests {
    static let vectors = (try? EnvelopeVectors.load())

    @Test func vectorsAreLoaded() throws {
        let vectors = try #require(Self.vectors)
        #expect(vectors.envelopes.count >= 4)
        #expect(vectors.outputs.count >= 3)
    }

    @Test(arguments: Self.vectors?.envelopes ?? [])
    func everyRecipientOpensPythonEnvelope(_ vector: EnvelopeVectors.EnvelopeCase) throws {
        let envelope = try Hex.decode(vector.envelope)
        for secret in vector.recipientSecrets {
            let opened = try EnvelopeOpener(key: PrivateKey(bytes: Hex.decode(secret))).open(envelope, expecting: vector.context())
            #expect(opened.payload == (try Hex.decode(vector.payload)))
            #expect(opened.commitmentSalt.exposedBytes == (try Hex.decode(vector.commitmentSalt)))
            #expect(opened.commitmentSalt.commitment(to: try Hex.decode(vector.output)) == (try Bytes32(hex: vector.outputCommitment)))
        }
    }

    @Test(arguments: Self.vectors?.envelopes ?? [])
    func sealingWithTheSameSecretsGivesTheSameBytes(_ vector: EnvelopeVectors.EnvelopeCase) throws {
        let material = try #require(EnvelopeSealingMaterial(
            dataKey: Hex.decode(vector.dataKey), ephemeralKey: PrivateKey(bytes: Hex.decode(vector.ephemeralSecret)),
            payloadNonce: Hex.decode(vector.payloadNonce)))
        let recipients = try vector.recipientPublicKeys.map { try PublicKey(bytes: Hex.decode($0)) }
        let sealed = try EnvelopeSealer(context: vector.context()).seal(Hex.decode(vector.payload), for: recipients, material: material)
        #expect(Hex.encode(sealed.envelope.bytes) == vector.envelope)
        #expect(Hex.encode(sealed.commitmentSalt.exposedBytes) == vector.commitmentSalt)
    }

    @Test(arguments: Self.vectors?.outputs ?? [])
    func requesterOpensPythonOutput(_ vector: EnvelopeVectors.OutputCase) throws {
        let output = try EncryptedOutput(bytes: Hex.decode(vector.encryptedOutput))
        let opened = try output.open(with: PrivateKey(bytes: Hex.decode(vector.requesterSecret)), expecting: vector.context())
        #expect(opened == (try Hex.decode(vector.output)))
    }

    @Test(arguments: Self.vectors?.outputs ?? [])
    func sealingOutputWithTheSameEphemeralKeyGivesTheSameBytes(_ vector: EnvelopeVectors.OutputCase) throws {
        let sealed = try EncryptedOutput.seal(
            Hex.decode(vector.output), to: PublicKey(bytes: Hex.decode(vector.requesterPublicKey)), context: vector.context(),
            ephemeralKey: PrivateKey(bytes: Hex.decode(vector.ephemeralSecret)))
        #expect(Hex.encode(sealed.bytes) == vector.encryptedOutput)
    }
}

extension EnvelopeVectors.EnvelopeCase: CustomTestStringConvertible {
    var testDescription: String { name }
}

extension EnvelopeVectors.OutputCase: CustomTestStringConvertible {
    var testDescription: String { name }
}

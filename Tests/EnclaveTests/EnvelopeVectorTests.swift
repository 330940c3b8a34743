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

    @Test func vectorsIncludeABrokenWrap() throws {
        let vectors = try #require(Self.vectors)
        #expect(vectors.envelopes.contains { $0.brokenRecipient != nil })
        #expect(Set(vectors.envelopes.map(\.recipientSecrets.count)).isSuperset(of: [1, 3, 5]))
    }

    @Test(arguments: Self.vectors?.envelopes ?? [])
    func everyRecipientOpensPythonEnvelope(_ vector: EnvelopeVectors.EnvelopeCase) throws {
        let envelope = try Hex.decode(vector.envelope)
        for (index, secret) in vector.recipientSecrets.enumerated() {
            let opener = EnvelopeOpener(key: try PrivateKey(bytes: Hex.decode(secret)))
            if index == vector.brokenRecipient {
                #expect(throws: EnvelopeError.keyCommitmentMismatch) { try opener.open(envelope, expecting: vector.context()) }
                continue
            }
            let opened = try opener.open(envelope, expecting: vector.context())
            #expect(opened.payload == (try Hex.decode(vector.payload)))
            #expect(opened.commitmentSalt.exposedBytes == (try Hex.decode(vector.commitmentSalt)))
            #expect(opened.commitmentSalt.commitment(to: try Hex.decode(vector.output)) == (try Bytes32(hex: vector.outputCommitment)))
        }
    }

    @Test(arguments: Self.vectors?.envelopes ?? [])
    func sealingWithTheSameSecretsGivesTheSameBytes(_ vector: EnvelopeVectors.EnvelopeCase) throws {
        let ephemeralKeys = try vector.ephemeralSecrets.map { try PrivateKey(bytes: Hex.decode($0)) }
        let material = try #require(
            EnvelopeSealingMaterial(
                dataKey: Hex.decode(vector.dataKey), ephemeralKeys: ephemeralKeys, payloadNonce: Hex.decode(vector.payloadNonce),
                brokenWrap: vector.brokenRecipient))
        let recipients = try vector.recipientPublicKeys.map { try PublicKey(bytes: Hex.decode($0)) }
        let sealed = try EnvelopeSealer(context: vector.context()).seal(Hex.decode(vector.payload), for: recipients, material: material)
        #expect(Hex.encode(sealed.envelope.bytes) == vector.envelope)
        #expect(Hex.encode(sealed.commitmentSalt.exposedBytes) == vector.commitmentSalt)
        #expect(sealed.envelope.keyCommitment == (try Bytes32(hex: vector.keyCommitment)))
        #expect(sealed.wrapSecrets.map { Hex.encode($0.revealedBytes()) } == vector.ephemeralSecrets)
        #expect(sealed.wrapSecrets.map(\.index) == Array(recipients.indices))
        #expect(sealed.wrapSecrets.map(\.recipientKey) == recipients)
    }

    @Test(arguments: Self.vectors?.envelopes ?? [])
    func wrapIntermediatesMatchPython(_ vector: EnvelopeVectors.EnvelopeCase) throws {
        let envelope = try Envelope(bytes: Hex.decode(vector.envelope))
        for (index, entry) in envelope.recipients.enumerated() {
            let ephemeral = try PrivateKey(bytes: Hex.decode(vector.ephemeralSecrets[index]))
            #expect(Hex.encode(KeyWrap.point(entry.ephemeralKey)) == vector.ephemeralPublicKeys[index])
            let shared = try ephemeral.sharedPoint(with: entry.recipientKey)
            // d·E = e·P: the recipient's side gives the same point.
            #expect(shared == (try PrivateKey(bytes: Hex.decode(vector.recipientSecrets[index])).sharedPoint(with: entry.ephemeralKey)))
            #expect(Hex.encode(Array(Keccak256.hash(shared).bytes[12...])) == vector.sharedAddresses[index])
            let kek = KeyWrap.kek(
                keyHeader: envelope.keyHeader, sharedPoint: shared, ephemeralKey: entry.ephemeralKey,
                recipientKey: entry.recipientKey)
            #expect(Hex.encode(kek) == vector.wrapKeys[index])
        }
    }

    @Test(arguments: Self.vectors?.envelopes ?? [])
    func aRevealedSecretProvesExactlyTheGoodWraps(_ vector: EnvelopeVectors.EnvelopeCase) throws {
        // What Arbiter.proveWrap decides (and Python's wrap_proof): a good wrap opens, the broken one does not.
        let envelope = try Envelope(bytes: Hex.decode(vector.envelope))
        for (index, secret) in vector.ephemeralSecrets.enumerated() {
            #expect(envelope.wrapOpens(at: index, ephemeralSecret: try Hex.decode(secret)) == (index != vector.brokenRecipient))
            #expect(!envelope.wrapOpens(at: index, ephemeralSecret: PrivateKey().withUnsafeBytes { Array($0) }), "e must match E")
        }
        #expect(!envelope.wrapOpens(at: vector.ephemeralSecrets.count, ephemeralSecret: try Hex.decode(vector.ephemeralSecrets[0])))
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

import CloisterClient
import Enclave
import Ethereum
import Inference
import Oracle
import Secp256k1
import Testing
@testable import CloisterNode

/// The enclave executor on the real model: what a result puts on chain, what it commits to and who signs it.
@Suite struct EnclaveJobExecutorTests {
    let classify = NodeTestSupport.engine.modelID(for: .classify)

    /// The signer recovered from a result's signature over its EIP-712 claim, built here from what the
    /// result posts: node 1 (the test registration) in the role of the job unless told otherwise.
    func signer(of signed: SignedResult, for job: Job, node: UInt256 = 1, role: ResultRole? = nil) throws -> Address {
        let request = try PendingRequest(stored: job.request)
        let claim = ResultClaim(
            requestID: request.id, node: node, role: role ?? ResultRole(job.key.role), model: request.model,
            inputHash: Keccak256.hash(request.input), status: try #require(UInt8(exactly: signed.result.errorCode)),
            output: signed.result.output, outputCommitment: signed.result.commitment,
            attestationDigest: signed.result.attestationDigest)
        let digest = try claim.eip712SigningHash(domain: ResultClaim.domain(chainID: NodeTestSupport.chainID, contract: NodeTestSupport.contract))
        return try MessageSignature(bytes: signed.signature).signer(of: digest)
    }

    @Test func plaintextRequestPostsTheEngineOutputUnderThePublicCommitment() async throws {
        let keyring = try NodeTestSupport.keyring()
        let executor = await NodeTestSupport.executor(keyring)
        let job = NodeTestSupport.job(model: classify, input: NodeTestSupport.classifyInput("the striker scored twice", ["sport", "finance"]))
        let signed = try await executor.execute(job)
        let expected = try NodeTestSupport.engine.run(.classify(text: "the striker scored twice", labels: ["sport", "finance"])).abiEncoded
        #expect(signed.result.errorCode == 0)
        #expect(signed.result.output == expected)
        #expect(signed.result.commitment == Keccak256.hash(job.key.requestID.bytes + [0] + expected))
        #expect(signed.result.attestationExpiry == 4_000_000_000)
        #expect(try signer(of: signed, for: job) == (await keyring.signer))
    }

    @Test func requesterFaultsBecomeSignedErrorResultsWithTheProtocolCodes() async throws {
        let keyring = try NodeTestSupport.keyring()
        let executor = await NodeTestSupport.executor(keyring)
        let cases: [(Job, UInt16)] = [
            (NodeTestSupport.job(model: Keccak256.hash([9]), input: NodeTestSupport.classifyInput("x", ["a"])), 5),
            (NodeTestSupport.job(model: classify, input: [1, 2, 3]), 1),
            (NodeTestSupport.job(model: classify, input: NodeTestSupport.classifyInput("text", [])), 1),
            (NodeTestSupport.job(model: classify, input: NodeTestSupport.classifyInput(String(repeating: "long ", count: 5_000), ["a"])), 2),
            // a malformed envelope with an output key that is not a point: the same for every recipient,
            // so invalid input (1), not "decryption failed" (3), which only this enclave's own wrap can cause
            (NodeTestSupport.job(model: classify, input: [0x43, 0x4C], recipients: [1], outputKey: [2, 3]), 1)
        ]
        for (job, code) in cases {
            let signed = try await executor.execute(job)
            #expect(signed.result.errorCode == code)
            #expect(signed.result.commitment == Keccak256.hash(job.key.requestID.bytes + [UInt8(code)] + signed.result.output))
            #expect(!signed.result.output.isEmpty && String(decoding: signed.result.output, as: UTF8.self).allSatisfy { !$0.isNewline })
            #expect(try signer(of: signed, for: job) == (await keyring.signer))
        }
    }

    @Test func confidentialRequestIsOpenedAndItsOutputEncryptedToTheRequester() async throws {
        let keyring = try NodeTestSupport.keyring()
        let executor = await NodeTestSupport.executor(keyring)
        let requesterKey = PrivateKey()
        let context = EnvelopeContext(
            chainID: NodeTestSupport.chainID, contract: NodeTestSupport.contract,
            requester: NodeTestSupport.requester, outputKey: requesterKey.publicKey)
        let input = NodeTestSupport.classifyInput("my salary went up", ["finance", "weather"])
        let sealed = try EnvelopeSealer(context: context).seal(input, for: [await keyring.publicKey])
        let job = NodeTestSupport.job(model: classify, input: sealed.envelope.bytes, recipients: [1], outputKey: requesterKey.publicKey.compressed)
        let signed = try await executor.execute(job)
        #expect(signed.result.errorCode == 0)
        let plaintext = try EncryptedOutput(bytes: signed.result.output)
            .open(
                with: requesterKey,
                expecting: OutputContext(
                    chainID: NodeTestSupport.chainID, contract: NodeTestSupport.contract,
                    requestID: job.key.requestID))
        #expect(plaintext == (try NodeTestSupport.engine.run(.classify(text: "my salary went up", labels: ["finance", "weather"])).abiEncoded))
        #expect(signed.result.commitment == sealed.commitmentSalt.commitment(to: [0] + plaintext))
        #expect(!signed.result.output.contains(subsequence: input), "the input never appears in what is posted")
    }

    @Test func envelopesForAnotherEnclaveOrRequesterAreRejected() async throws {
        let keyring = try NodeTestSupport.keyring()
        let executor = await NodeTestSupport.executor(keyring)
        let requesterKey = PrivateKey()
        let input = NodeTestSupport.classifyInput("hello", ["a", "b"])
        let otherEnclave = PrivateKey().publicKey
        let right = EnvelopeContext(
            chainID: NodeTestSupport.chainID, contract: NodeTestSupport.contract,
            requester: NodeTestSupport.requester, outputKey: requesterKey.publicKey)
        var replayed = right
        replayed.requester = Address(Array(repeating: 0xBB, count: 20))!
        let notForUs = try EnvelopeSealer(context: right).seal(input, for: [otherEnclave]).envelope.bytes
        let otherRequester = try EnvelopeSealer(context: replayed).seal(input, for: [await keyring.publicKey]).envelope.bytes
        var tampered = try EnvelopeSealer(context: right).seal(input, for: [await keyring.publicKey]).envelope.bytes
        tampered[tampered.count - 1] ^= 1
        // only "not for this enclave" is a decryption failure (status 3, refutable on chain by the requester);
        // a header bound to another requester and an altered payload are the same for every recipient:
        // invalid input (status 1), verifiable by re-execution, never provable as a lie about a wrap
        for (envelope, code) in [(notForUs, UInt16(3)), (otherRequester, 1), (tampered, 1)] {
            let job = NodeTestSupport.job(model: classify, input: envelope, recipients: [1], outputKey: requesterKey.publicKey.compressed)
            let signed = try await executor.execute(job)
            #expect(signed.result.errorCode == code)
            #expect(signed.result.commitment == Keccak256.hash(job.key.requestID.bytes + [UInt8(code)] + signed.result.output))
        }
    }

    @Test func aNodeWhoseOwnWrapIsBrokenAnswersDecryptionFailedInEveryRole() async throws {
        // Issue 12, item 4: the requester broke this node's wrap only. Whatever the role, the node signs
        // a status-3 result (an executor's is paid; a verifier's or juror's is an abstention), never silence.
        let keyring = try NodeTestSupport.keyring()
        let executor = await NodeTestSupport.executor(keyring)
        let requesterKey = PrivateKey(), other = PrivateKey()
        let context = EnvelopeContext(
            chainID: NodeTestSupport.chainID, contract: NodeTestSupport.contract,
            requester: NodeTestSupport.requester, outputKey: requesterKey.publicKey)
        let input = NodeTestSupport.classifyInput("the parcel never arrived", ["complaint", "praise"])
        let material = try #require(
            EnvelopeSealingMaterial(
                dataKey: (0..<32).map { UInt8($0) }, ephemeralKeys: [PrivateKey(), PrivateKey()],
                payloadNonce: [UInt8](repeating: 1, count: 12), brokenWrap: 1))
        let sealed = try EnvelopeSealer(context: context).seal(input, for: [other.publicKey, await keyring.publicKey], material: material)
        #expect(try EnvelopeOpener(key: other).open(sealed.envelope, expecting: context).payload == input, "the other recipient opens it")
        let roles: [(JobRole, ResultRole)] = [(.executor, .execute), (.verifier, .verify), (.juror, .vote)]
        for (jobRole, signedRole) in roles {
            let job = NodeTestSupport.job(
                model: classify, input: sealed.envelope.bytes, recipients: [2, 1],
                outputKey: requesterKey.publicKey.compressed, role: jobRole)
            let signed = try await executor.execute(job)
            #expect(signed.result.errorCode == 3)
            #expect(String(decoding: signed.result.output, as: UTF8.self).contains("key commitment"))
            #expect(try signer(of: signed, for: job, role: signedRole) == (await keyring.signer))
        }
    }

    @Test func theSignatureBindsTheNodeAndTheRoleOfTheJob() async throws {
        let keyring = try NodeTestSupport.keyring()
        let executor = await NodeTestSupport.executor(keyring)
        let input = NodeTestSupport.classifyInput("rain all week", ["weather", "sport"])
        let roles: [(JobRole, ResultRole)] = [(.executor, .execute), (.verifier, .verify), (.challenger, .challenge), (.juror, .vote)]
        for (jobRole, signedRole) in roles {
            let job = NodeTestSupport.job(model: classify, input: input, role: jobRole)
            let signed = try await executor.execute(job)
            #expect(ResultRole(jobRole) == signedRole)
            #expect(try signer(of: signed, for: job, role: signedRole) == (await keyring.signer))
            // The same bytes do not verify for another role, another node or another output.
            for other in ResultRole.allCases where other != signedRole {
                #expect(try signer(of: signed, for: job, role: other) != (await keyring.signer))
            }
            #expect(try signer(of: signed, for: job, node: 2) != (await keyring.signer))
            let relayed = SignedResult(
                result: JobResult(
                    output: signed.result.output + [0], errorCode: signed.result.errorCode,
                    commitment: signed.result.commitment, attestationDigest: signed.result.attestationDigest,
                    attestationExpiry: signed.result.attestationExpiry), signature: signed.signature)
            #expect(try signer(of: relayed, for: job) != (await keyring.signer))
        }
    }

    @Test func anExpiredAttestationIsANodeFaultNotAResult() async throws {
        let keyring = try NodeTestSupport.keyring()
        let executor = await NodeTestSupport.executor(keyring, expiry: 1_700_000_000)
        let job = NodeTestSupport.job(model: classify, input: NodeTestSupport.classifyInput("x", ["a"]))
        await #expect(throws: NodeFault.self) { try await executor.execute(job) }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard !subsequence.isEmpty, subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { self[$0..<($0 + subsequence.count)].elementsEqual(subsequence) }
    }
}

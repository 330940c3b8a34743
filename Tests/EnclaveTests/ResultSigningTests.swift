import Enclave
import Ethereum
import Secp256k1
import Testing

@Suite struct ResultSigningTests {
    @Test func digestAndSignatureMatchEthAccount() throws {
        let cases = try EnvelopeVectors.load().results
        #expect(cases.count == 4)
        #expect(Set(cases.map(\.role)) == Set(ResultRole.allCases.map(\.rawValue)), "every role is covered")
        for vector in cases {
            #expect(vector.domainVersion == ResultClaim.protocolVersion)
            let domain = ResultClaim.domain(chainID: vector.chainId, contract: try Address(hex: vector.contract))
            let claim = try vector.claim()
            #expect(claim.outputHash == (try Bytes32(hex: vector.outputHash)), "keccak256 of exactly the posted output")
            let digest = try claim.eip712SigningHash(domain: domain)
            #expect(digest == (try Bytes32(hex: vector.digest)))
            // RFC 6979 nonces make the signature deterministic, so eth-account's bytes must match exactly.
            let signature = try PrivateKey(bytes: Hex.decode(vector.signerSecret)).signMessageDigest(digest)
            #expect(Hex.encode(signature.bytes) == vector.signature)
            #expect(try signature.signer(of: digest) == (try Address(hex: vector.signer)))
        }
    }

    @Test func typeHashIsTheContractsResultType() throws {
        let encoded =
            "Result(bytes32 requestId,uint256 node,uint8 role,bytes32 model,bytes32 inputHash,uint8 status,"
            + "bytes32 outputHash,bytes32 outputCommitment,bytes32 attestationDigest)"
        #expect(try ResultClaim.eip712TypeHash() == Keccak256.hash(Array(encoded.utf8)))
        #expect(ResultClaim.domain(chainID: 1, contract: .zero).version == "2")
        #expect(ResultRole.allCases.map(\.rawValue) == [1, 2, 3, 4])
    }

    @Test func everySignedFieldChangesTheDigest() throws {
        let claim = Self.claim()
        let domain = ResultClaim.domain(chainID: 31337, contract: Address(Array(repeating: 0xCC, count: 20))!)
        let digest = try claim.eip712SigningHash(domain: domain)
        var variants: [ResultClaim] = []
        for edit: (inout ResultClaim) -> Void in [
            { $0.requestID = Keccak256.hash([9]) }, { $0.node += 1 }, { $0.role = .verify }, { $0.model = Keccak256.hash([9]) },
            { $0.inputHash = Keccak256.hash([9]) }, { $0.status = 1 }, { $0.outputHash = Keccak256.hash([9]) },
            { $0.outputCommitment = Keccak256.hash([9]) }, { $0.attestationDigest = Keccak256.hash([9]) }
        ] {
            var changed = claim
            edit(&changed)
            variants.append(changed)
        }
        #expect(variants.count == ResultClaim.eip712Fields.count)
        for variant in variants {
            #expect(try variant.eip712SigningHash(domain: domain) != digest)
        }
        let otherVersion = EIP712Domain(name: "Cloister", version: "1", chainID: 31337, verifyingContract: domain.verifyingContract)
        #expect(try claim.eip712SigningHash(domain: otherVersion) != digest, "a v1 signature does not verify in v2")
        #expect(
            ResultClaim(
                requestID: claim.requestID, node: claim.node, role: claim.role, model: claim.model, inputHash: claim.inputHash,
                status: claim.status, output: [], outputCommitment: claim.outputCommitment,
                attestationDigest: claim.attestationDigest
            ).outputHash == Keccak256.hash([]))
    }

    static func claim() -> ResultClaim {
        ResultClaim(
            requestID: Keccak256.hash([1]), node: 3, role: .execute, model: Keccak256.hash([2]), inputHash: Keccak256.hash([3]),
            status: 0, output: [0, 1, 2], outputCommitment: Keccak256.hash([4]), attestationDigest: Keccak256.hash([5]))
    }

    @Test func keyringSignsWithCurrentAndRetiringKeys() async throws {
        let directory = try KeyringDirectory()
        let keyring = try directory.keyring()
        let claim = Self.claim()
        let domain = ResultClaim.domain(chainID: 31337, contract: Address(publicKey: PrivateKey().publicKey))
        let digest = try claim.eip712SigningHash(domain: domain)
        let old = await keyring.signer
        #expect(try await keyring.sign(claim, domain: domain).signer(of: digest) == old)

        let new = try await keyring.rotate()
        #expect(try await keyring.sign(claim, domain: domain).signer(of: digest) == new)
        #expect(try await keyring.sign(claim, domain: domain, as: old).signer(of: digest) == old)
        try await keyring.retire(old)
        await #expect(throws: ResultSigningError.unknownKey(old)) { try await keyring.sign(claim, domain: domain, as: old) }
    }
}

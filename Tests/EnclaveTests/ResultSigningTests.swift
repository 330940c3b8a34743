import Enclave
import Ethereum
import Secp256k1
import Testing

@Suite struct ResultSigningTests {
    @Test func digestAndSignatureMatchEthAccount() throws {
        let cases = try EnvelopeVectors.load().results
        #expect(cases.count == 2)
        for vector in cases {
            let domain = ResultClaim.domain(chainID: vector.chainId, contract: try Address(hex: vector.contract))
            let digest = try vector.claim().eip712SigningHash(domain: domain)
            #expect(digest == (try Bytes32(hex: vector.digest)))
            // RFC 6979 nonces make the signature deterministic, so eth-account's bytes must match exactly.
            let signature = try PrivateKey(bytes: Hex.decode(vector.signerSecret)).signMessageDigest(digest)
            #expect(Hex.encode(signature.bytes) == vector.signature)
            #expect(try signature.signer(of: digest) == (try Address(hex: vector.signer)))
        }
    }

    @Test func typeHashIsTheContractsResultType() throws {
        let encoded = "Result(bytes32 requestId,bytes32 model,bytes32 inputHash,bytes32 outputCommitment,bytes32 attestationDigest)"
        #expect(try ResultClaim.eip712TypeHash() == Keccak256.hash(Array(encoded.utf8)))
    }

    @Test func keyringSignsWithCurrentAndRetiringKeys() async throws {
        let directory = try KeyringDirectory()
        let keyring = try directory.keyring()
        let claim = ResultClaim(requestID: Keccak256.hash([1]), model: Keccak256.hash([2]), inputHash: Keccak256.hash([3]),
                                outputCommitment: Keccak256.hash([4]), attestationDigest: Keccak256.hash([5]))
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

import Attestation
import CloisterClient
import Enclave
import Ethereum
import Foundation
import Secp256k1
import Testing
@testable import Committee

/// The committee member's verdicts on simulated quotes: it signs exactly the bound, verified, current ones.
@Suite struct CommitteeMemberTests {
    static let pki: SimulationPKI = {
        do { return try SimulationPKI(seed: Array("committee-tests".utf8)) } catch { fatalError("\(error)") }
    }()
    static let deployment = Deployment(
        chainID: 31_337, core: Address(Array(repeating: 0xC0, count: 20))!,
        arbiter: Address(Array(repeating: 0xA0, count: 20))!,
        committee: Address(Array(repeating: 0xCE, count: 20))!, deploymentBlock: 1)
    static let version = Keccak256.hash(Array("cloister/test".utf8))
    static let operatorAddress = Address(Array(repeating: 0x0B, count: 20))!
    let now = Date()
    let key = PrivateKey()

    func member(anchor: TrustAnchor = pki.trustAnchor) -> CommitteeMember {
        CommitteeMember(key: key, verifier: DCAPVerifier(trustAnchor: anchor), deployment: Self.deployment, maxValidity: 30 * 86_400)
    }

    /// A request for a quote binding a fresh signer to `binding`, asking for `expiry` on behalf of `operator`
    /// (the binding's operator unless told otherwise).
    func request(
        binding: AttestationExtData, expiry: UInt64? = nil, operator claimed: Address? = nil,
        mutate: (inout [UInt8]) -> Void = { _ in }
    ) throws -> AcceptanceRequest {
        var quote = try Self.pki.tdxQuote(reportData: ReportData(signer: Address(publicKey: PrivateKey().publicKey), extData: binding).bytes)
        mutate(&quote)
        let collateral = try Self.pki.collateral(issued: now.addingTimeInterval(-3_600))
        return AcceptanceRequest(
            quote: Hex.encode(quote), collateral: String(decoding: collateral.jsonBytes(), as: UTF8.self),
            operator: (claimed ?? binding.operatorAddress).description, softwareVersion: Self.version.description,
            expiry: expiry ?? binding.expiry)
    }

    func binding(
        expiresIn seconds: TimeInterval = 7 * 86_400, chainID: UInt64 = deployment.chainID,
        registry: Address = deployment.core, operator: Address = operatorAddress
    ) -> AttestationExtData {
        AttestationExtData(
            chainID: chainID, registry: registry, operatorAddress: `operator`, softwareVersion: Self.version,
            expiry: UInt64(now.addingTimeInterval(seconds).timeIntervalSince1970))
    }

    @Test func signsTheEIP712AcceptanceOfABoundVerifiedQuote() async throws {
        let wire = try request(binding: binding())
        let answer = try await member().accept(wire, now: now)
        #expect(answer.member == Address(publicKey: key.publicKey).description)
        #expect(answer.validUntil == wire.expiry)
        let quote = try Hex.decode(wire.quote)
        let parsed = try Quote(bytes: quote)
        let claim = AcceptanceClaim(
            quoteDigest: Keccak256.hash(quote), workloadID: parsed.body.workloadID,
            reportDataHash: Keccak256.hash(parsed.body.reportData), validUntil: wire.expiry)
        let digest = try claim.eip712SigningHash(domain: AcceptanceClaim.domain(chainID: 31_337, committee: Self.deployment.committee))
        #expect(try MessageSignature(bytes: try Hex.decode(answer.signature)).signer(of: digest) == Address(publicKey: key.publicKey))
    }

    @Test func refusesQuotesThatAreNotGenuineUnderItsRoot() async throws {
        await #expect(throws: AcceptanceError.self) { try await member(anchor: .intelSGXRootCA).accept(try request(binding: binding()), now: now) }
        let flipped = try request(binding: binding()) { $0[700] ^= 0x01 }
        await #expect(throws: AcceptanceError.self) { try await member().accept(flipped, now: now) }
        var garbage = try request(binding: binding())
        garbage.quote = "0xzz"
        await expectRefusal(garbage) { if case .malformedRequest = $0 { true } else { false } }
    }

    /// Expects `wire` to be refused for a reason `isExpected` recognises.
    func expectRefusal(
        _ wire: AcceptanceRequest, isExpected: (AcceptanceError) -> Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        do {
            _ = try await member().accept(wire, now: now)
            Issue.record("accepted", sourceLocation: sourceLocation)
        } catch {
            #expect(isExpected(error), "wrong refusal: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func refusesBindingsToAnotherChainRegistryOperatorOrExpiry() async throws {
        for wrong in [binding(chainID: 1), binding(registry: Address(Array(repeating: 0x01, count: 20))!)] {
            var wire = try request(binding: wrong)
            wire.expiry = wrong.expiry
            await #expect(throws: AcceptanceError.self) { try await member().accept(wire, now: now) }
        }
        let asked = binding()
        let other = try request(binding: asked, expiry: asked.expiry + 1)
        await #expect(throws: AcceptanceError.self) { try await member().accept(other, now: now) }
        // A quote bound to one operator cannot be vouched for on behalf of another account.
        let replayed = try request(binding: asked, operator: Address(Array(repeating: 0x0C, count: 20))!)
        await expectRefusal(replayed) { if case .bindingMismatch = $0 { true } else { false } }
        var malformedOperator = try request(binding: asked)
        malformedOperator.operator = "0x1234"
        await expectRefusal(malformedOperator) { if case .malformedRequest = $0 { true } else { false } }
    }

    @Test func theRequestBodyCarriesTheOperator() throws {
        let wire = try request(binding: binding())
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(wire)) as? [String: Any])
        #expect(json["operator"] as? String == Self.operatorAddress.description)
        #expect(try JSONDecoder().decode(AcceptanceRequest.self, from: JSONEncoder().encode(wire)) == wire)
        var missing = json
        missing["operator"] = nil
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(AcceptanceRequest.self, from: JSONSerialization.data(withJSONObject: missing))
        }
    }

    @Test func refusesExpiriesInThePastOrBeyondTheCollateral() async throws {
        await #expect(throws: AcceptanceError.self) { try await member().accept(try request(binding: binding(expiresIn: -60)), now: now) }
        // The simulated collateral is valid for 30 days from its issue an hour ago; 29.99 days is inside, 31 is not.
        _ = try await member().accept(try request(binding: binding(expiresIn: 29 * 86_400)), now: now)
        await #expect(throws: AcceptanceError.self) { try await member().accept(try request(binding: binding(expiresIn: 31 * 86_400)), now: now) }
    }

    @Test func theProofOrdersSignaturesByMemberAddress() throws {
        let signatures = try (0..<3).map { index -> (member: Address, signature: MessageSignature) in
            let signer = PrivateKey()
            return (Address(publicKey: signer.publicKey), try signer.signMessageDigest(Keccak256.hash([UInt8(index)])))
        }
        let proof = AcceptanceClaim.proof(validUntil: 99, signatures: signatures)
        let values = try ABI.decode([.uint(bits: 64), .bytes], from: proof)
        #expect(try values[0].asUInt() == 99)
        let packed = try values[1].asBytes()
        let ordered = signatures.sorted { $0.member.bytes.lexicographicallyPrecedes($1.member.bytes) }
        #expect(packed == ordered.flatMap(\.signature.bytes))
    }
}

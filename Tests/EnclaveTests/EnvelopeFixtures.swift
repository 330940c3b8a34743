import Enclave
import Ethereum
import Foundation
import Secp256k1
import Testing

/// The vectors `scripts/gen_envelope_vectors.py` wrote with the independent Python implementation.
struct EnvelopeVectors: Decodable {
    struct EnvelopeCase: Decodable {
        let name: String
        let chainId: UInt64
        let contract: String
        let requester: String
        let outputKey: String
        let recipientSecrets: [String]
        let recipientPublicKeys: [String]
        let ephemeralSecrets: [String]
        let ephemeralPublicKeys: [String]
        let sharedAddresses: [String]
        let wrapKeys: [String]
        /// The recipient whose wrap was deliberately broken, if any.
        let brokenRecipient: Int?
        let dataKey: String
        let keyCommitment: String
        let payloadNonce: String
        let payload: String
        let envelope: String
        let commitmentSalt: String
        let output: String
        let outputCommitment: String

        func context() throws -> EnvelopeContext {
            EnvelopeContext(
                chainID: chainId, contract: try Address(hex: contract), requester: try Address(hex: requester),
                outputKey: try PublicKey(bytes: Hex.decode(outputKey)))
        }
    }

    struct OutputCase: Decodable {
        let name: String
        let chainId: UInt64
        let contract: String
        let requestId: String
        let requesterSecret: String
        let requesterPublicKey: String
        let ephemeralSecret: String
        let output: String
        let encryptedOutput: String

        func context() throws -> OutputContext {
            OutputContext(chainID: chainId, contract: try Address(hex: contract), requestID: try Bytes32(hex: requestId))
        }
    }

    struct ReportDataCase: Decodable {
        let signer: String
        let chainId: UInt64
        let registry: String
        let `operator`: String
        let softwareVersion: String
        let expiry: UInt64
        let extData: String
        let reportData: String
    }

    struct ResultCase: Decodable {
        let name: String
        let chainId: UInt64
        let contract: String
        let domainVersion: String
        let signerSecret: String
        let signer: String
        let requestId: String
        let node: UInt256
        let role: UInt8
        let model: String
        let inputHash: String
        let status: UInt8
        let output: String
        let outputHash: String
        let outputCommitment: String
        let attestationDigest: String
        let digest: String
        let signature: String

        /// The claim for posting `output`, which hashes it (``outputHash`` is checked separately).
        func claim() throws -> ResultClaim {
            ResultClaim(
                requestID: try Bytes32(hex: requestId), node: node, role: try #require(ResultRole(rawValue: role)),
                model: try Bytes32(hex: model), inputHash: try Bytes32(hex: inputHash), status: status,
                output: try Hex.decode(output), outputCommitment: try Bytes32(hex: outputCommitment),
                attestationDigest: try Bytes32(hex: attestationDigest))
        }
    }

    let envelopes: [EnvelopeCase]
    let outputs: [OutputCase]
    let results: [ResultCase]
    let reportData: [ReportDataCase]

    static func load() throws -> EnvelopeVectors {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/envelope/vectors.json")
        return try JSONDecoder().decode(EnvelopeVectors.self, from: Data(contentsOf: url))
    }
}

/// Fresh keys and a context for tests that build their own envelopes.
struct EnvelopeScenario {
    let recipients: [PrivateKey]
    let requesterKey: PrivateKey
    let context: EnvelopeContext
    let payload: [UInt8]

    init(recipients count: Int = 3, payload: [UInt8] = Array("classify: the service was slow".utf8)) throws {
        recipients = (0..<count).map { _ in PrivateKey() }
        requesterKey = PrivateKey()
        context = EnvelopeContext(
            chainID: 31337, contract: try Address(hex: "0x5fbdb2315678afecb367f032d93f642f64180aa3"),
            requester: Address(publicKey: requesterKey.publicKey), outputKey: requesterKey.publicKey)
        self.payload = payload
    }

    func seal() throws -> SealedEnvelope {
        try EnvelopeSealer(context: context).seal(payload, for: recipients.map(\.publicKey))
    }

    func open(_ bytes: [UInt8], as recipient: Int = 0, expecting expected: EnvelopeContext? = nil) throws(EnvelopeError) -> OpenedEnvelope {
        try EnvelopeOpener(key: recipients[recipient]).open(bytes, expecting: expected ?? context)
    }
}

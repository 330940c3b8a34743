import Attestation
import ChainClient
import Enclave
import Ethereum
import Foundation

/// A requester's own check of a node's attestation before encrypting to it: it fetches the quote the
/// registry admitted (from the registration transaction), checks its digest against the registry,
/// verifies it with DCAP against the requester's trust anchor, requires an acceptable TCB status, and
/// checks REPORTDATA binds the node's key to this chain, registry, the node's operator account (as the
/// registry records it), software version and expiry.
/// The committee's word is not taken for any of it.
public struct AttestationCheck: Sendable {
    /// TCB levels a requester accepts by default; out-of-date and revoked platforms are refused.
    public static let acceptedStatuses: Set<TCBStatus> = [.upToDate, .swHardeningNeeded, .configurationNeeded, .configurationAndSWHardeningNeeded]

    let client: RPCClient
    let deployment: Deployment
    let verifier: DCAPVerifier
    /// The collateral to verify a quote with (from a PCCS, or the simulation).
    let collateral: @Sendable ([UInt8]) throws -> QuoteCollateral

    public init(
        client: RPCClient, deployment: Deployment, verifier: DCAPVerifier,
        collateral: @escaping @Sendable ([UInt8]) throws -> QuoteCollateral
    ) {
        self.client = client
        self.deployment = deployment
        self.verifier = verifier
        self.collateral = collateral
    }

    /// Verifies `node`'s registered attestation at `time`, or says why it cannot be trusted.
    public func verify(_ node: RegisteredNode, at time: Date) async throws(AttestationCheckError) -> VerifiedQuote {
        let quote = try await registeredQuote(of: node)
        let evidence: QuoteCollateral
        do { evidence = try collateral(quote) } catch { throw .noCollateral(node: node.id, reason: "\(error)") }
        let verified: VerifiedQuote
        do { verified = try await verifier.verify(quote: quote, collateral: evidence, at: time) } catch {
            throw .quoteRejected(node: node.id, reason: "\(error)")
        }
        guard Self.acceptedStatuses.contains(verified.status) else {
            throw .quoteRejected(node: node.id, reason: "TCB status \(verified.status.rawValue)")
        }
        let extData = AttestationExtData(
            chainID: deployment.chainID, registry: deployment.core, operatorAddress: node.operatorAddress,
            softwareVersion: node.softwareVersion, expiry: node.attestationExpiry)
        guard let reportData = try? ReportData(bytes: verified.body.reportData),
            reportData.binds(signer: node.signer, extData: extData), node.signer == Address(publicKey: node.publicKey)
        else {
            throw .bindingMismatch(node: node.id)
        }
        return verified
    }

    /// The raw quote of `node`'s current registration, read from the transaction that registered it.
    func registeredQuote(of node: RegisteredNode) async throws(AttestationCheckError) -> [UInt8] {
        do {
            let nodeTopic = Bytes32(ABI.encode([.uint(node.id)]))!
            let logs = try await client.getLogs(
                LogFilter(
                    addresses: [deployment.core], topics: [[CloisterContract.nodeAttested.topic], [nodeTopic]],
                    range: .blocks(from: .number(deployment.deploymentBlock), to: .latest)))
            for log in logs.reversed() where !log.removed {
                let values = try CloisterContract.nodeAttested.decodeLog(topics: log.topics, data: log.data)
                guard try values[3].asBytes32() == node.attestationDigest else { continue }
                guard let transaction = try await client.getTransactionByHash(log.transactionHash) else { break }
                let quote = try Self.quote(inCalldata: transaction.input)
                guard Keccak256.hash(quote) == node.attestationDigest else { throw AttestationCheckError.quoteNotFound(node: node.id) }
                return quote
            }
        } catch let error as AttestationCheckError {
            throw error
        } catch {
            throw .chain("\(error)")
        }
        throw .quoteNotFound(node: node.id)
    }

    /// The quote argument of a direct `register` or `reattest` call.
    static func quote(inCalldata data: [UInt8]) throws -> [UInt8] {
        if data.starts(with: CloisterContract.register.selector) { return try CloisterContract.register.decodeCall(data)[2].asBytes() }
        if data.starts(with: CloisterContract.reattest.selector) { return try CloisterContract.reattest.decodeCall(data)[2].asBytes() }
        throw AttestationCheckError.quoteNotFound(node: 0)
    }
}

/// Why a node's attestation was not trusted.
public enum AttestationCheckError: Error, Equatable, CustomStringConvertible {
    case quoteNotFound(node: UInt256)
    case noCollateral(node: UInt256, reason: String)
    case quoteRejected(node: UInt256, reason: String)
    case bindingMismatch(node: UInt256)
    case chain(String)

    public var description: String {
        switch self {
        case .quoteNotFound(let node): "node \(node): the registered quote was not found in a register/reattest call (registered through a contract?)"
        case let .noCollateral(node, reason): "node \(node): no collateral to verify its quote: \(reason)"
        case let .quoteRejected(node, reason): "node \(node): its quote does not verify: \(reason)"
        case .bindingMismatch(let node): "node \(node): REPORTDATA does not bind its key to this chain, registry, operator, version and expiry"
        case .chain(let why): "reading the chain failed: \(why)"
        }
    }
}

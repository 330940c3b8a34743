import Attestation
import ChainClient
import CloisterClient
import Committee
import Enclave
import Ethereum
import Foundation
import Secp256k1

/// Registers the enclave on chain: attests its current key (REPORTDATA binding the signer to this chain,
/// registry, operator account, software version and expiry), collects the committee's acceptances, and sends
/// `register(publicKey, models, quote, softwareVersion, expiry, proof)` with the stake. The chain is the
/// only record: running it again for a registered key changes nothing.
struct Registrar: Sendable {

    let client: RPCClient
    let deployment: Deployment
    let keyring: EnclaveKeyring
    let provider: any AttestationProvider
    /// The collateral the committee verifies the quote with.
    let collateral: @Sendable () throws -> QuoteCollateral
    /// The operator account: it sends `register` / `reattest`, so it is the operator REPORTDATA binds.
    let operatorKey: PrivateKey
    let committee: CommitteeClient
    let committeeURLs: [String]
    let models: [Bytes32]
    /// Sealed models to ask the vault's key for before registering (`models.sealed`): each is listed in the
    /// registration only once its key is wrapped to this enclave, so the node is never assigned a request
    /// it cannot answer.
    var sealed: [Bytes32] = []
    /// How long to wait for the sealed models' keys.
    var keyWait: Duration = .seconds(120)
    /// Checks an arrived key by opening the model's sealed file with it (nil: no vault in the deployment).
    var sealedLoader: SealedModelLoader? = nil
    let softwareVersion: Bytes32
    /// How long the registration should hold, in seconds (at most the registry's maximum).
    let validity: UInt64

    enum Outcome: Sendable {
        case alreadyRegistered(NodeRegistration)
        case registered(NodeRegistration)
        case renewed(NodeRegistration)
    }

    /// Registers the current key, or with `renew` re-attests an existing registration with a fresh quote
    /// and expiry (`reattest`: same node, stake and history).
    func run(stake: UInt256?, renew: Bool) async throws -> Outcome {
        let existing = try await RegistrationLookup(client: client, deployment: deployment).registration(of: await keyring.signer)
        if let existing, !renew { return .alreadyRegistered(existing) }
        if let existing { return .renewed(try await attest(replacing: existing)) }
        return .registered(try await attest(replacing: nil, stake: stake))
    }

    /// Rotates the enclave key and moves node `existing` to it (`reattest`); the old key stays in the
    /// keyring as retiring, so envelopes already addressed to it still open. If an earlier rotation
    /// changed the key but did not reach the chain, only the re-attestation is retried.
    func rotate() async throws -> NodeRegistration {
        let lookup = RegistrationLookup(client: client, deployment: deployment)
        if let current = try await lookup.registration(of: await keyring.signer) {
            do { try await keyring.rotate() } catch { throw RegistrationError.attestation("the key could not be rotated: \(error)") }
            return try await attest(replacing: current)
        }
        for retiring in await keyring.retiringSigners.reversed() {
            if let previous = try await lookup.registration(of: retiring) { return try await attest(replacing: previous) }
        }
        throw RegistrationError.notRegistered(await keyring.signer)
    }

    /// Attests the current key and registers it (`replacing` nil) or moves node `replacing` to it.
    private func attest(replacing existing: NodeRegistration?, stake: UInt256? = nil) async throws -> NodeRegistration {
        let signer = await keyring.signer
        guard let head = try await client.getBlock(.latest) else { throw RegistrationError.transactionFailed("the chain has no head block") }
        let expiry = head.timestamp + validity
        let operatorAddress = Address(publicKey: operatorKey.publicKey)
        let extData = AttestationExtData(
            chainID: deployment.chainID, registry: deployment.core, operatorAddress: operatorAddress,
            softwareVersion: softwareVersion, expiry: expiry)
        let attestation: KeyAttestation
        do { attestation = try await keyring.attest(extData: extData, using: provider) } catch {
            throw RegistrationError.attestation("\(error)")
        }
        let proof = try await collectProof(quote: attestation.quote, operatorAddress: operatorAddress, expiry: expiry)
        let publicKey = Array(await keyring.publicKey.uncompressed.dropFirst())
        let sender = OneShotTransaction(client: client, chainID: deployment.chainID, key: operatorKey)
        if let existing {
            let calldata = try CloisterContract.reattest.encodeCall([
                .uint(existing.nodeID), .bytes(publicKey), .bytes(attestation.quote),
                .bytes32(softwareVersion), .uint(UInt256(expiry)), .bytes(proof)
            ])
            _ = try await sender.send(to: deployment.core, data: calldata, value: .zero)
        } else {
            let keyed = try await sealedModelKeys(
                publicKey: publicKey, quote: attestation.quote, operatorAddress: operatorAddress, expiry: expiry, proof: proof, sender: sender)
            let calldata = try CloisterContract.register.encodeCall([
                .bytes(publicKey), .array((models + keyed).map(ABIValue.bytes32)), .bytes(attestation.quote),
                .bytes32(softwareVersion), .uint(UInt256(expiry)), .bytes(proof)
            ])
            _ = try await sender.send(to: deployment.core, data: calldata, value: try await stakeOrMinimum(stake))
        }
        guard let registration = try await RegistrationLookup(client: client, deployment: deployment).registration(of: signer),
            registration.expiry == expiry
        else {
            throw RegistrationError.transactionFailed("the transaction succeeded but no NodeAttested event names signer \(signer) with expiry \(expiry)")
        }
        return registration
    }

    /// Asks the vault for the key of each sealed model (`enroll`, with the quote and proof the registration
    /// uses, so the vault checks the same attestation) and waits up to `keyWait` for the owner or an
    /// enclave holding it to publish the key wrapped to this enclave. Returns the models whose key arrived.
    private func sealedModelKeys(
        publicKey: [UInt8], quote: [UInt8], operatorAddress: Address, expiry: UInt64, proof: [UInt8], sender: OneShotTransaction
    ) async throws -> [Bytes32] {
        guard !sealed.isEmpty else { return [] }
        guard let address = deployment.vault else { throw RegistrationError.transactionFailed("models.sealed is set but the deployment has no ModelVault") }
        let vault = VaultReader(chain: RPCChain(client: client), vault: address)
        let signer = await keyring.signer
        var waiting: [(id: Bytes32, epoch: UInt256)] = []
        for id in sealed {
            let entry = try await vault.model(id)
            guard entry.exists else { throw RegistrationError.transactionFailed("sealed model \(id) is not in the model vault") }
            if try await vault.wrappedKey(id, epoch: entry.epoch, signer: signer) != nil { continue }
            let calldata = try ModelVaultContract.enroll.encodeCall([
                .bytes32(id), .bytes(publicKey), .bytes(quote), .address(operatorAddress), .bytes32(softwareVersion), .uint(UInt256(expiry)),
                .bytes(proof)
            ])
            _ = try await sender.send(to: address, data: calldata, value: .zero)
            waiting.append((id, entry.epoch))
        }
        let deadline = ContinuousClock.now + keyWait
        while !waiting.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            var still: [(id: Bytes32, epoch: UInt256)] = []
            for item in waiting where try await vault.wrappedKey(item.id, epoch: item.epoch, signer: signer) == nil { still.append(item) }
            waiting = still
        }
        // A key is listed only once it opened the model's file: an owner handing this enclave a key that does not
        // would otherwise have it registered for requests it cannot answer (and slashed for their timeouts).
        var usable: [Bytes32] = []
        for id in sealed where !waiting.contains(where: { $0.id == id }) {
            guard let loader = sealedLoader else { continue }
            do {
                _ = try await loader.key(ofCurrentEpochOf: id)
                usable.append(id)
            } catch {
                FileHandle.standardError.write(Data("node register: sealed model \(id) left out: \(error)\n".utf8))
            }
        }
        return usable
    }

    /// Every committee member's signature over the same acceptance, as the proof `CommitteeVerifier` takes.
    private func collectProof(quote: [UInt8], operatorAddress: Address, expiry: UInt64) async throws -> [UInt8] {
        let collateralJSON: String
        do { collateralJSON = String(decoding: try collateral().jsonBytes(), as: UTF8.self) } catch {
            throw RegistrationError.attestation("no collateral for the quote: \(error)")
        }
        let request = AcceptanceRequest(
            quote: Hex.encode(quote), collateral: collateralJSON, operator: operatorAddress.description,
            softwareVersion: softwareVersion.description, expiry: expiry)
        var signatures: [(member: Address, signature: MessageSignature)] = []
        for url in committeeURLs {
            let answer = try await committee.acceptance(request, from: url)
            do {
                signatures.append((try Address(hex: answer.member), try MessageSignature(bytes: try Hex.decode(answer.signature))))
            } catch {
                throw RegistrationError.badAcceptance(url: url, reason: "\(error)")
            }
            guard answer.validUntil == expiry else {
                throw RegistrationError.badAcceptance(url: url, reason: "signed validUntil \(answer.validUntil), asked \(expiry)")
            }
        }
        return AcceptanceClaim.proof(validUntil: expiry, signatures: signatures)
    }

    /// `stake`, or the registry's `minStake`.
    private func stakeOrMinimum(_ stake: UInt256?) async throws -> UInt256 {
        if let stake { return stake }
        return try await client.parameters(in: deployment).minStake
    }
}

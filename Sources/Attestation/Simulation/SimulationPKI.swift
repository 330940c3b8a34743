import Crypto
import Foundation
import X509

/// A DCAP-shaped PKI for machines without a TEE, derived from a seed: a root CA, a PCK platform CA,
/// a PCK certificate carrying the SGX extension of `platform`, a TCB signing certificate, and the
/// Quoting Enclave's attestation key. Its root is not Intel's, so only a verifier given
/// `trustAnchor` explicitly accepts what it signs.
public struct SimulationPKI: Sendable {
    public let platform: SimulatedPlatform
    public let rootCertificate: Certificate
    public let platformCACertificate: Certificate
    public let pckCertificate: Certificate
    public let tcbSigningCertificate: Certificate
    let rootKey: P256.Signing.PrivateKey
    let platformCAKey: P256.Signing.PrivateKey
    let pckKey: P256.Signing.PrivateKey
    let tcbSigningKey: P256.Signing.PrivateKey
    let attestationKey: P256.Signing.PrivateKey
    let keys: SimulationKeys

    /// Certificates are valid from 2025 to 2049, like Intel's long-lived CAs.
    static let notBefore = Date(timeIntervalSince1970: 1_735_689_600)
    static let notAfter = Date(timeIntervalSince1970: 2_524_521_600)

    /// The anchor under which this PKI's quotes verify (marked as not Intel's).
    public var trustAnchor: TrustAnchor { .nonProduction(rootCertificate) }

    public init(seed: [UInt8], platform: SimulatedPlatform = SimulatedPlatform()) throws {
        let keys = SimulationKeys(seed: seed)
        self.keys = keys
        self.platform = platform
        rootKey = keys.signingKey("root")
        platformCAKey = keys.signingKey("platform-ca")
        pckKey = keys.signingKey("pck")
        tcbSigningKey = keys.signingKey("tcb-signing")
        attestationKey = keys.signingKey("attestation")
        let rootName = try Self.name("Cloister Simulated SGX Root CA")
        let caName = try Self.name("Cloister Simulated SGX PCK Platform CA")
        rootCertificate = try Self.issue(
            keys.serialNumber("root"), subject: rootName, key: rootKey.publicKey, issuer: rootName, issuerKey: rootKey,
            extensions: Self.caExtensions(maxPathLength: 1))
        platformCACertificate = try Self.issue(
            keys.serialNumber("platform-ca"), subject: caName, key: platformCAKey.publicKey, issuer: rootName,
            issuerKey: rootKey, extensions: Self.caExtensions(maxPathLength: 0))
        tcbSigningCertificate = try Self.issue(
            keys.serialNumber("tcb-signing"), subject: Self.name("Cloister Simulated SGX TCB Signing"),
            key: tcbSigningKey.publicKey, issuer: rootName, issuerKey: rootKey, extensions: Self.leafExtensions(nil))
        let sgx = SGXPCKExtension(
            ppid: keys.bytes("ppid", count: 16), tcbComponents: platform.sgxTCBComponents, pceSVN: platform.pceSVN,
            cpuSVN: platform.sgxTCBComponents, pceID: platform.pceID, fmspc: platform.fmspc)
        pckCertificate = try Self.issue(
            keys.serialNumber("pck"), subject: Self.name("Cloister Simulated SGX PCK Certificate"),
            key: pckKey.publicKey, issuer: caName, issuerKey: platformCAKey,
            extensions: Self.leafExtensions(try sgx.certificateExtension()))
    }

    private static func name(_ commonName: String) throws -> DistinguishedName {
        try DistinguishedName {
            CommonName(commonName)
            OrganizationName("Cloister simulation - NOT Intel")
        }
    }

    private static func caExtensions(maxPathLength: Int) throws -> Certificate.Extensions {
        try Certificate.Extensions([
            Certificate.Extension(BasicConstraints.isCertificateAuthority(maxPathLength: maxPathLength), critical: true),
            Certificate.Extension(KeyUsage(keyCertSign: true, cRLSign: true), critical: true)
        ])
    }

    private static func leafExtensions(_ extra: Certificate.Extension?) throws -> Certificate.Extensions {
        try Certificate.Extensions(
            [
                Certificate.Extension(BasicConstraints.notCertificateAuthority, critical: true),
                Certificate.Extension(KeyUsage(digitalSignature: true, nonRepudiation: true), critical: true)
            ] + (extra.map { [$0] } ?? []))
    }

    private static func issue(
        _ serial: [UInt8], subject: DistinguishedName, key: P256.Signing.PublicKey,
        issuer: DistinguishedName, issuerKey: P256.Signing.PrivateKey, extensions: Certificate.Extensions
    ) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(bytes: serial), publicKey: .init(key),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: issuer, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: .init(issuerKey))
    }
}

import X509

/// The root certificate every DCAP chain must end in. Production code uses the pinned Intel SGX Root CA;
/// any other root has to be passed explicitly (tests, the simulated TDX provider) and is reported as such.
public struct TrustAnchor: Sendable, Equatable {
    public let certificate: Certificate
    /// True only for the pinned Intel SGX Root CA.
    public let isIntelProduction: Bool

    /// The pinned Intel SGX Root CA (SHA-256 of its DER:
    /// 44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3).
    public static let intelSGXRootCA = TrustAnchor(pinnedIntelRoot: ())

    /// A root that is not Intel's: only for tests and simulation, never for production attestations.
    public static func nonProduction(_ certificate: Certificate) -> TrustAnchor {
        TrustAnchor(certificate: certificate, isIntelProduction: false)
    }

    /// A non-Intel root read from PEM (see `nonProduction(_:)`).
    public static func nonProduction(pemEncoded pem: String) throws -> TrustAnchor {
        .nonProduction(try Certificate(pemEncoded: pem))
    }

    /// The root's subject, for messages.
    public var subject: String { certificate.subject.description }

    /// The root as PEM.
    public func pemEncoded() throws -> String { try certificate.serializeAsPEM().pemString }

    private init(certificate: Certificate, isIntelProduction: Bool) {
        self.certificate = certificate
        self.isIntelProduction = isIntelProduction
    }

    private init(pinnedIntelRoot: Void) {
        // The PEM below is a compile-time constant whose parse is covered by tests.
        certificate = try! Certificate(pemEncoded: Self.intelRootPEM)
        isIntelProduction = true
    }

    private static let intelRootPEM = """
        -----BEGIN CERTIFICATE-----
        MIICjzCCAjSgAwIBAgIUImUM1lqdNInzg7SVUr9QGzknBqwwCgYIKoZIzj0EAwIw
        aDEaMBgGA1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENv
        cnBvcmF0aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJ
        BgNVBAYTAlVTMB4XDTE4MDUyMTEwNDUxMFoXDTQ5MTIzMTIzNTk1OVowaDEaMBgG
        A1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENvcnBvcmF0
        aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJBgNVBAYT
        AlVTMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEC6nEwMDIYZOj/iPWsCzaEKi7
        1OiOSLRFhWGjbnBVJfVnkY4u3IjkDYYL0MxO4mqsyYjlBalTVYxFP2sJBK5zlKOB
        uzCBuDAfBgNVHSMEGDAWgBQiZQzWWp00ifODtJVSv1AbOScGrDBSBgNVHR8ESzBJ
        MEegRaBDhkFodHRwczovL2NlcnRpZmljYXRlcy50cnVzdGVkc2VydmljZXMuaW50
        ZWwuY29tL0ludGVsU0dYUm9vdENBLmRlcjAdBgNVHQ4EFgQUImUM1lqdNInzg7SV
        Ur9QGzknBqwwDgYDVR0PAQH/BAQDAgEGMBIGA1UdEwEB/wQIMAYBAf8CAQEwCgYI
        KoZIzj0EAwIDSQAwRgIhAOW/5QkR+S9CiSDcNoowLuPRLsWGf/Yi7GSX94BgwTwg
        AiEA4J0lrHoMs+Xo5o/sX6O9QWxHRAvZUGOdRQ7cvqRXaqI=
        -----END CERTIFICATE-----
        """
}

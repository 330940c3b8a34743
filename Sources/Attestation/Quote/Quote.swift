/// A parsed Intel DCAP quote (SGX v3, TDX v4, or v5 with an SGX, TDX 1.0 or TDX 1.5 body).
///
/// Parsing only checks the structure; nothing here is trusted until `DCAPVerifier` has verified it.
public struct Quote: Sendable, Equatable {
    public let header: QuoteHeader
    public let body: QuoteBody
    public let signatureData: QuoteSignatureData
    /// The header and body bytes: what the attestation key signed.
    public let signedBytes: [UInt8]
    /// The complete quote as received.
    public let rawBytes: [UInt8]
    /// Bytes after the declared signature data (some quote generators pad with zeros; Intel's QVL ignores them).
    public let trailingByteCount: Int

    /// Parses `bytes`; any structural problem throws a `QuoteParseError`.
    public init(bytes: [UInt8]) throws(QuoteParseError) {
        var reader = ByteReader(bytes)
        header = try QuoteHeader(reading: &reader)
        body = try QuoteBody(reading: &reader, header: header)
        signedBytes = Array(bytes[0..<reader.offset])
        let signatureLength = try reader.readUInt32(.signatureDataLength)
        var signatureReader = ByteReader(try reader.readBlock(length: signatureLength, .signatureData))
        signatureData = try QuoteSignatureData(reading: &signatureReader, version: header.version)
        guard signatureReader.remaining == 0 else {
            throw .certificationDataSizeMismatch(
                declared: signatureLength, parsed: Int(signatureLength) - signatureReader.remaining)
        }
        trailingByteCount = reader.remaining
        rawBytes = bytes
    }
}

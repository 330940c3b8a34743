/// Bounds checked on untrusted envelopes before any buffer is sized from their length fields.
public struct EnvelopeLimits: Hashable, Sendable {
    /// The most recipients an envelope may name (the format allows at most 255).
    public var maxRecipients: Int
    /// The most payload bytes (the request's input cap).
    public var maxPayloadBytes: Int

    /// 16 recipients and 8 KiB of payload: the contract's compile-time caps (`MAX_RECIPIENTS`, `MAX_INPUT`).
    public init(maxRecipients: Int = 16, maxPayloadBytes: Int = 8192) {
        self.maxRecipients = min(maxRecipients, 255)
        self.maxPayloadBytes = maxPayloadBytes
    }

    /// The largest envelope these limits admit.
    public var maxEnvelopeBytes: Int {
        Envelope.size(recipients: maxRecipients, payloadBytes: maxPayloadBytes)
    }
}

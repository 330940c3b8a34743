/// The decrypted payload of an envelope and the commitment salt derived from its data key.
/// Both are secret: they are redacted from `description` and reflection.
public struct OpenedEnvelope: Sendable {
    /// The request input in clear.
    public let payload: [UInt8]
    /// The salt of this request's output commitment.
    public let commitmentSalt: CommitmentSalt
}

extension OpenedEnvelope: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "OpenedEnvelope(\(payload.count) bytes, redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

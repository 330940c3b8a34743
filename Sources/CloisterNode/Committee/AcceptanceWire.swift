/// The body of `POST /v1/acceptances`: a node asks a committee member to vouch for its quote.
struct AcceptanceRequest: Codable, Sendable, Equatable {
    /// The raw quote, 0x-hex.
    var quote: String
    /// The quote's collateral as JSON text (the format of `cloister attest verify --collateral`).
    var collateral: String
    /// The operator account that will send `register` / `reattest` (0x-hex address), part of the binding.
    var `operator`: String
    /// The software version the registration names (0x-hex, 32 bytes), part of the REPORTDATA binding.
    var softwareVersion: String
    /// The registration's expiry (Unix time), part of the binding; the acceptance holds until then.
    var expiry: UInt64
}

/// A member's answer: its signature over the acceptance.
struct AcceptanceResponse: Codable, Sendable, Equatable {
    var member: String
    var validUntil: UInt64
    /// r ‖ s ‖ v, 0x-hex.
    var signature: String
}

/// A refusal, with the reason.
struct AcceptanceRefusal: Codable, Sendable, Equatable {
    var error: String
}

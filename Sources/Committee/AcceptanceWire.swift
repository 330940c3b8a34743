/// The body of `POST /v1/acceptances`: a node asks a committee member to vouch for its quote.
package struct AcceptanceRequest: Codable, Sendable, Equatable {
    /// The raw quote, 0x-hex.
    package var quote: String
    /// The quote's collateral as JSON text (the format of `cloister attest verify --collateral`).
    package var collateral: String
    /// The operator account that will send `register` / `reattest` (0x-hex address), part of the binding.
    package var `operator`: String
    /// The software version the registration names (0x-hex, 32 bytes), part of the REPORTDATA binding.
    package var softwareVersion: String
    /// The registration's expiry (Unix time), part of the binding; the acceptance holds until then.
    package var expiry: UInt64

    package init(quote: String, collateral: String, operator: String, softwareVersion: String, expiry: UInt64) {
        self.quote = quote
        self.collateral = collateral
        self.operator = `operator`
        self.softwareVersion = softwareVersion
        self.expiry = expiry
    }
}

/// A member's answer: its signature over the acceptance.
package struct AcceptanceResponse: Codable, Sendable, Equatable {
    package var member: String
    package var validUntil: UInt64
    /// r ‖ s ‖ v, 0x-hex.
    package var signature: String
}

/// A refusal, with the reason.
package struct AcceptanceRefusal: Codable, Sendable, Equatable {
    package var error: String
}

extension SimulationPKI: CustomStringConvertible, CustomDebugStringConvertible {
    /// Names the root only: the derived private keys never appear in logs or reflection output.
    public var description: String { "SimulationPKI(root: \(rootCertificate.subject))" }
    public var debugDescription: String { description }
}

extension SimulatedTDXProvider: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "SimulatedTDXProvider(chain: \(consent.chainID), \(pki))" }
    public var debugDescription: String { description }
}

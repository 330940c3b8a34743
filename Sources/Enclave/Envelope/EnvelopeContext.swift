import Ethereum
import Secp256k1

/// Where an envelope may be used: the chain, the oracle contract, the requester that submits it and
/// the key its output must be encrypted to.
///
/// The context is written into the envelope header, authenticated by every recipient, and compared
/// with the request event before anything is decrypted. Copying an envelope into another chain,
/// contract or requester's request, or into a request that names another output key, is rejected.
public struct EnvelopeContext: Hashable, Sendable {
    /// The EIP-155 chain id.
    public var chainID: UInt64
    /// The oracle contract that receives the request.
    public var contract: Address
    /// The account that submits the request (`msg.sender` of the request call).
    public var requester: Address
    /// The secp256k1 key the output is encrypted to.
    public var outputKey: PublicKey

    public init(chainID: UInt64, contract: Address, requester: Address, outputKey: PublicKey) {
        self.chainID = chainID
        self.contract = contract
        self.requester = requester
        self.outputKey = outputKey
    }
}

/// A field of ``EnvelopeContext`` (named in errors; the values themselves are public on chain).
public enum EnvelopeContextField: String, Sendable {
    case chainID, contract, requester, outputKey
}

extension EnvelopeContext {
    /// The first field where `self` differs from `expected`, or `nil` when they are equal.
    func firstMismatch(against expected: EnvelopeContext) -> EnvelopeContextField? {
        if chainID != expected.chainID { return .chainID }
        if contract != expected.contract { return .contract }
        if requester != expected.requester { return .requester }
        if outputKey != expected.outputKey { return .outputKey }
        return nil
    }
}

import Ethereum

/// The request an encrypted output answers. It is authenticated with the output, so an output copied
/// into another request, contract or chain does not decrypt.
public struct OutputContext: Hashable, Sendable {
    public var chainID: UInt64
    public var contract: Address
    public var requestID: Bytes32

    public init(chainID: UInt64, contract: Address, requestID: Bytes32) {
        self.chainID = chainID
        self.contract = contract
        self.requestID = requestID
    }
}

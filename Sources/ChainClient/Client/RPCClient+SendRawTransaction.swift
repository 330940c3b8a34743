import Ethereum

extension RPCClient {
    /// Broadcasts a signed transaction and returns its hash (keccak256 of `raw`).
    ///
    /// Safe to call again with the same bytes, and retried on transport failures: identical bytes
    /// are the identical transaction. "Already known" therefore counts as success, and so does
    /// "nonce too low" when the chain already holds this very transaction (it was mined from an
    /// earlier attempt); any other refusal is thrown with its ``RPCErrorKind``.
    public func sendRawTransaction(_ raw: [UInt8]) async throws(ChainClientError) -> Bytes32 {
        let hash = Keccak256.hash(raw)
        do throws(ChainClientError) {
            return try await perform(.sendRawTransaction(raw), isIdempotent: true, timeout: nil)
        } catch .rpc(let error) where error.kind == .alreadyKnown {
            return hash
        } catch .rpc(let error) where error.kind == .nonceTooLow {
            if (try? await getTransactionByHash(hash)) != nil { return hash }
            throw .rpc(error)
        }
    }

    /// Broadcasts `transaction` (see ``sendRawTransaction(_:)-([UInt8])``).
    public func sendRawTransaction(_ transaction: SignedTransaction) async throws(ChainClientError) -> Bytes32 {
        try await sendRawTransaction(transaction.rawBytes)
    }
}

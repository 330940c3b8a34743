import Ethereum
import FuzzSupport

/// Raw transactions either fail with a typed error or decode to a transaction that re-encodes to
/// exactly the input; sender recovery then returns an address or a typed error.
runFuzzer { data, size in
    let bytes = fuzzInput(data, size)
    if let transaction = try? SignedTransaction(rawBytes: bytes) {
        precondition(transaction.rawBytes == bytes, "accepted transaction does not re-encode to its input")
        _ = try? transaction.recoverSender()
    }
    return 0
}

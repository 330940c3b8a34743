import Ethereum
import FuzzSupport

/// EIP-712 documents: the JSON reader and the typed-data checks either return a typed error or hash
/// the document.
runFuzzer { data, size in
    if let typedData = try? TypedData(json: fuzzInput(data, size)) {
        _ = typedData.signingHash
    }
    return 0
}

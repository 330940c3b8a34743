import Ethereum
import FuzzSupport

/// Any bytes either fail to decode with a typed error or decode to an item whose encoding is exactly
/// those bytes.
runFuzzer { data, size in
    let bytes = fuzzInput(data, size)
    if let item = try? RLP.decode(bytes) {
        precondition(item.encoded == bytes, "accepted RLP does not re-encode to its input")
    }
    return 0
}

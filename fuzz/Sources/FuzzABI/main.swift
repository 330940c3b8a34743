import Ethereum
import FuzzSupport

/// The input is a tuple type string, a zero byte, then an encoding, so the type parser and the decoder
/// are both fuzzed. Accepted input must re-encode canonically to values that decode back to themselves.
runFuzzer { data, size in
    let bytes = fuzzInput(data, size)
    guard let separator = bytes.firstIndex(of: 0),
          case .tuple(let types)? = try? ABIType(parsing: String(decoding: bytes[..<separator], as: UTF8.self)) else {
        return 0
    }
    if let values = try? ABI.decode(types, from: bytes[(separator + 1)...]) {
        precondition((try? ABI.decode(types, from: ABI.encode(values))) == values, "accepted ABI input does not survive re-encoding")
    }
    return 0
}

import Ethereum

/// libFuzzer entry point for the ABI decoder. The input is a tuple type string, a zero byte, then the
/// encoding: the type parser and the decoder are both fuzzed. Accepted input must re-encode canonically
/// to values that decode back to themselves.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzABI(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let separator = bytes.firstIndex(of: 0),
          case .tuple(let types)? = try? ABIType(parsing: String(decoding: bytes[..<separator], as: UTF8.self)) else {
        return 0
    }
    if let values = try? ABI.decode(types, from: bytes[(separator + 1)...]) {
        let encoded = ABI.encode(values)
        precondition((try? ABI.decode(types, from: encoded)) == values, "accepted ABI input does not survive re-encoding")
    }
    return 0
}

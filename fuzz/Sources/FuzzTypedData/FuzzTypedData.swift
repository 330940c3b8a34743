import Ethereum

/// libFuzzer entry point for EIP-712 documents: the JSON reader and the typed-data checks either
/// return a typed error or hash the document.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTypedData(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let typedData = try? TypedData(json: bytes) {
        _ = typedData.signingHash
    }
    return 0
}

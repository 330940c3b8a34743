/// A Swift type that encodes as one ABI tuple, such as the arguments of a contract call.
///
/// ```swift
/// struct Fulfil: ABIEncodable {
///     static let abiTypes: [ABIType] = [.fixedBytes(32), .bytes]
///     var requestID: Bytes32
///     var output: [UInt8]
///     var abiValues: [ABIValue] { [.bytes32(requestID), .bytes(output)] }
/// }
/// ```
public protocol ABIEncodable: Sendable {
    /// The tuple's component types, in order.
    static var abiTypes: [ABIType] { get }
    /// The values of the components, in the order of ``abiTypes``.
    var abiValues: [ABIValue] { get }
}

/// A Swift type that decodes from one ABI tuple, such as a function's results or an event's data.
public protocol ABIDecodable: Sendable {
    /// The tuple's component types, in order.
    static var abiTypes: [ABIType] { get }
    /// Builds the value from decoded components (one per ``abiTypes`` entry), typically through
    /// accessors such as ``ABIValue/asUInt()``.
    init(abiValues: [ABIValue]) throws(ABIError)
}

public typealias ABICodable = ABIEncodable & ABIDecodable

extension ABI {
    /// The encoding of `value`'s components, checked against its ``ABIEncodable/abiTypes``.
    public static func encode(_ value: some ABIEncodable) throws(ABIError) -> [UInt8] {
        try encode(value.abiValues, as: type(of: value).abiTypes)
    }

    /// Decodes a `T` from its components' encoding.
    public static func decode<T: ABIDecodable>(_ type: T.Type, from data: some Collection<UInt8>) throws(ABIError) -> T {
        try T(abiValues: decode(T.abiTypes, from: data))
    }
}

extension ABIFunction {
    /// Calldata for `arguments`, whose types must be this function's inputs.
    public func encodeCall(_ arguments: some ABIEncodable) throws(ABIError) -> [UInt8] {
        try encodeCall(arguments.abiValues)
    }

    /// Decodes the results of this function as a `T`.
    public func decodeResult<T: ABIDecodable>(_ returnData: some Collection<UInt8>, as type: T.Type) throws(ABIError) -> T {
        try T(abiValues: decodeResult(returnData))
    }
}

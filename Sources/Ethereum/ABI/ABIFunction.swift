/// A contract function: its selector, and encoding of calls and decoding of results.
///
/// ```swift
/// let transfer = try ABIFunction(signature: "transfer(address to, uint256 amount)", returns: "(bool)")
/// let calldata = try transfer.encodeCall([.address(to), .uint(amount)])
/// ```
public struct ABIFunction: Hashable, Sendable {
    public let name: String
    public let inputs: [ABIType]
    public let outputs: [ABIType]
    /// The first four bytes of keccak256(canonical signature), computed once.
    public let selector: [UInt8]

    /// Parses `name(T1 [name1], T2, …)` and an optional result list such as `(uint256,bool)`.
    public init(signature: String, returns: String = "()") throws(ABIError) {
        let (name, parameters) = try ABISignature.parse(signature)
        self.init(name: name, inputs: parameters.map(\.type), outputs: try ABITypeParser.parameterList(returns).map(\.type))
    }

    public init(name: String, inputs: [ABIType], outputs: [ABIType] = []) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.selector = Array(Keccak256.hash((name + ABIType.tuple(inputs).description).utf8).bytes.prefix(4))
    }

    /// `name(T1,T2,…)` with canonical types: the text the selector hashes.
    public var canonicalSignature: String {
        name + ABIType.tuple(inputs).description
    }

    /// Calldata: the selector followed by the arguments, each checked against its input type.
    public func encodeCall(_ arguments: [ABIValue]) throws(ABIError) -> [UInt8] {
        selector + (try ABI.encode(arguments, as: inputs))
    }

    /// The arguments of calldata for this function.
    public func decodeCall(_ calldata: some Collection<UInt8>) throws(ABIError) -> [ABIValue] {
        let bytes = Array(calldata)
        guard bytes.count >= 4, Array(bytes[0..<4]) == selector else { throw .selectorMismatch }
        return try ABI.decode(inputs, from: bytes[4...])
    }

    /// The values an `eth_call` of this function returned.
    public func decodeResult(_ returnData: some Collection<UInt8>) throws(ABIError) -> [ABIValue] {
        try ABI.decode(outputs, from: returnData)
    }
}

/// Splits `name(parameters…)` signatures shared by functions and events.
enum ABISignature {
    static func parse(_ signature: String) throws(ABIError) -> (name: String, parameters: [ABITypeParser.Parameter]) {
        guard let open = signature.firstIndex(of: "(") else { throw .invalidType(signature, position: signature.utf8.count) }
        let name = String(signature[..<open].trimmingSpaces)
        guard isIdentifier(name) else { throw .invalidType(signature, position: 0) }
        return (name, try ABITypeParser.parameterList(signature[open...].trimmingSpaces))
    }

    /// Solidity identifiers: ASCII letters, digits, `_` and `$`, not starting with a digit.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { character in
            switch character {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "_"), UInt8(ascii: "$"): true
            default: false
            }
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces.
    fileprivate var trimmingSpaces: SubSequence {
        let start = firstIndex(where: { $0 != " " }) ?? endIndex
        let end = lastIndex(where: { $0 != " " }).map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}

/// The type of a struct field, resolved against the declared struct types.
public indirect enum EIP712FieldType: Hashable, Sendable {
    /// An ABI elementary type: `uint<N>`, `int<N>`, `address`, `bool`, `bytes<N>`, `bytes` or `string`.
    case elementary(ABIType)
    /// A declared struct type, by name.
    case structure(String)
    /// `T[]` (`count` is `nil`) or `T[n]`.
    case array(EIP712FieldType, count: Int?)

    /// Array suffixes accepted on one field type (`T[][]…`).
    static let maximumArrayDepth = 16

    /// Resolves a type string such as `Person[]`, `bytes32` or `uint256[3][]`.
    init(parsing text: String, structNames: Set<String>) throws(EIP712Error) {
        var core = Substring(text)
        var counts: [Int?] = []
        while core.hasSuffix("]"), let open = core.lastIndex(of: "[") {
            guard counts.count < Self.maximumArrayDepth else { throw .unknownType(text) }
            let digits = core[core.index(after: open)..<core.index(before: core.endIndex)]
            if digits.isEmpty {
                counts.append(nil)
            } else {
                guard digits.count <= 8, digits.first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                    let count = Int(digits)
                else { throw .unknownType(text) }
                counts.append(count)
            }
            core = core[..<open]
        }
        var type = try Self.core(String(core), structNames: structNames, text: text)
        for count in counts.reversed() { type = .array(type, count: count) }
        self = type
    }

    private static func core(_ name: String, structNames: Set<String>, text: String) throws(EIP712Error) -> EIP712FieldType {
        if structNames.contains(name) { return .structure(name) }
        guard let type = try? ABIType(parsing: name) else { throw .unknownType(text) }
        switch type {
        case .uint, .int, .address, .bool, .fixedBytes, .bytes, .string: return .elementary(type)
        case .array, .fixedArray, .tuple: throw .unknownType(text)
        }
    }

    /// The struct named in this type, looking through array suffixes.
    var referencedStruct: String? {
        switch self {
        case .elementary: nil
        case .structure(let name): name
        case .array(let element, _): element.referencedStruct
        }
    }
}

extension EIP712FieldType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .elementary(let type): type.description
        case .structure(let name): name
        case .array(let element, let count): "\(element)[\(count.map(String.init) ?? "")]"
        }
    }
}

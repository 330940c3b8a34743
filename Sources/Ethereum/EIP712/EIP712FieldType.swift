/// The type of a struct field, resolved against the declared struct types.
public indirect enum EIP712FieldType: Hashable, Sendable {
    /// An ABI elementary type: `uint<N>`, `int<N>`, `address`, `bool`, `bytes<N>`, `bytes` or `string`.
    case elementary(ABIType)
    /// A declared struct type, by name.
    case structure(String)
    /// `T[]` (`count` is `nil`) or `T[n]`.
    case array(EIP712FieldType, count: Int?)

    /// Resolves a type string such as `Person[]`, `bytes32` or `uint256[3][]`.
    init(parsing text: String, structNames: Set<String>) throws(EIP712Error) {
        if text.hasSuffix("]"), let open = text.lastIndex(of: "[") {
            let digits = text[text.index(after: open)..<text.index(before: text.endIndex)]
            let element = try EIP712FieldType(parsing: String(text[..<open]), structNames: structNames)
            if digits.isEmpty {
                self = .array(element, count: nil)
                return
            }
            guard digits.count <= 8, digits.first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let count = Int(digits) else { throw .unknownType(text) }
            self = .array(element, count: count)
        } else if structNames.contains(text) {
            self = .structure(text)
        } else {
            guard let type = try? ABIType(parsing: text) else { throw .unknownType(text) }
            switch type {
            case .uint, .int, .address, .bool, .fixedBytes, .bytes, .string: self = .elementary(type)
            case .array, .fixedArray, .tuple: throw .unknownType(text)
            }
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

extension EIP712Error: CustomStringConvertible {
    /// One line naming what is wrong and where.
    public var description: String {
        switch self {
        case .invalidJSON(let error): "typed data is not valid JSON (\(error.reason) at byte \(error.position))"
        case .invalidDocument(let member): "typed data member '\(member)' is missing or malformed"
        case .invalidName(let name): "'\(name)' is not a valid type or field name"
        case .unknownType(let type): "unknown type '\(type)'"
        case .tooManyTypes(let count): "\(count) struct types declared, at most \(EIP712Types.maximumStructCount) are accepted"
        case .duplicateName(let name): "'\(name)' is declared twice"
        case .missingValue(let path): "\(path) is missing"
        case .invalidValue(let path, let type): "\(path) is not a valid \(type)"
        case .arrayLengthMismatch(let path, let expected, let actual): "\(path) has \(actual) elements, its type needs \(expected)"
        case .unknownDomainField(let name): "domain member '\(name)' is not one EIP-712 defines"
        }
    }
}

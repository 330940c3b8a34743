/// Why typed data could not be hashed. `path` names the offending value, e.g. `message.from.wallet`.
public enum EIP712Error: Error, Equatable, Sendable {
    /// The document is not JSON.
    case invalidJSON(JSONParseError)
    /// A required member (`types`, `primaryType`, `domain`, `message`) is absent or of the wrong kind.
    case invalidDocument(member: String)
    /// A struct type or field name that is not an identifier.
    case invalidName(String)
    /// A field type that is neither an ABI elementary type nor a declared struct, or a malformed array suffix.
    case unknownType(String)
    /// More struct types are declared than ``EIP712Types/maximumStructCount``.
    case tooManyTypes(Int)
    /// A struct declares the same field name twice, or a type is declared twice.
    case duplicateName(String)
    /// The value at `path` is missing.
    case missingValue(path: String)
    /// The value at `path` does not fit its declared type.
    case invalidValue(path: String, type: String)
    /// A fixed-size array at `path` holds the wrong number of elements.
    case arrayLengthMismatch(path: String, expected: Int, actual: Int)
    /// A domain member other than `name`, `version`, `chainId`, `verifyingContract` and `salt`.
    case unknownDomainField(String)
}

/// Why a GGUF file was refused. Each case names what was wrong and where, so a truncated download
/// or a file of another format is recognised from the message alone.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    case notGGUF
    case unsupportedVersion(UInt32)
    /// The file ended inside a structure: `needed` bytes at `offset`, but the file has `size`.
    case truncated(offset: Int, needed: Int, size: Int)
    case invalidString(offset: Int)
    case unknownValueType(UInt32, key: String)
    case duplicateKey(String)
    case implausibleCount(String, Int)
    case unknownTensorType(UInt32, tensor: String)
    case invalidTensorShape(String)
    case invalidAlignment(Int)
    case tensorOutOfBounds(String)
    case missingKey(String)
    case wrongValueType(key: String, expected: String)
    case missingTensor(String)
    case unexpectedTensorType(tensor: String, type: String)
    case unexpectedTensorShape(tensor: String, shape: [Int], expected: [Int])
    case unsupportedModel(String)

    public var description: String {
        switch self {
        case .notGGUF: "not a GGUF file (bad magic)"
        case .unsupportedVersion(let version): "GGUF version \(version) is not supported (2 and 3 are)"
        case .truncated(let offset, let needed, let size):
            "GGUF file truncated: \(needed) bytes needed at offset \(offset), file has \(size)"
        case .invalidString(let offset): "GGUF string at offset \(offset) is not valid UTF-8"
        case .unknownValueType(let type, let key): "GGUF metadata \(key) has unknown value type \(type)"
        case .duplicateKey(let key): "GGUF metadata key \(key) appears twice"
        case .implausibleCount(let what, let count): "GGUF \(what) count \(count) is implausible"
        case .unknownTensorType(let type, let tensor): "tensor \(tensor) has unsupported type \(type)"
        case .invalidTensorShape(let tensor): "tensor \(tensor) has an invalid shape"
        case .invalidAlignment(let alignment): "GGUF alignment \(alignment) is not a power of two"
        case .tensorOutOfBounds(let tensor): "tensor \(tensor) lies outside the file"
        case .missingKey(let key): "GGUF metadata key \(key) is missing"
        case .wrongValueType(let key, let expected): "GGUF metadata \(key) is not \(expected)"
        case .missingTensor(let name): "tensor \(name) is missing"
        case .unexpectedTensorType(let tensor, let type): "tensor \(tensor) has type \(type), which this engine does not use there"
        case .unexpectedTensorShape(let tensor, let shape, let expected):
            "tensor \(tensor) has shape \(shape), expected \(expected)"
        case .unsupportedModel(let reason): "unsupported model: \(reason)"
        }
    }
}

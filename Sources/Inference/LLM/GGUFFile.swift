/// A metadata value of a GGUF file.
public enum GGUFValue: Equatable, Sendable {
    case unsigned(UInt64)
    case signed(Int64)
    case float(Double)
    case bool(Bool)
    case string(String)
    case array([GGUFValue])

    var integer: Int? {
        switch self {
        case .unsigned(let value): value <= UInt64(Int.max) ? Int(value) : nil
        case .signed(let value): Int(value)
        default: nil
        }
    }
}

/// The element types of GGML tensors that this reader knows the layout of.
public enum GGMLType: UInt32, Sendable, CaseIterable {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q8_0 = 8
    case bf16 = 30

    /// Elements per block and bytes per block.
    var block: (elements: Int, bytes: Int) {
        switch self {
        case .f32: (1, 4)
        case .f16, .bf16: (1, 2)
        case .q4_0: (32, 18)  // fp16 scale, 16 bytes of nibbles
        case .q4_1: (32, 20)  // fp16 scale, fp16 minimum, 16 bytes of nibbles
        case .q8_0: (32, 34)  // fp16 scale, 32 signed bytes
        }
    }

    var name: String { "\(self)".uppercased() }
}

/// Where one tensor is in a GGUF file. `shape` is in GGML order: `shape[0]` is the number of
/// elements of a row (the fastest-varying dimension).
public struct GGUFTensorInfo: Equatable, Sendable {
    public let name: String
    public let shape: [Int]
    public let type: GGMLType
    /// Absolute offset of the tensor's first byte in the file.
    public let offset: Int
    public let byteCount: Int

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A parsed GGUF file (versions 2 and 3): its metadata and the place of every tensor, with all
/// sizes and offsets checked against the file's length. The bytes are borrowed, not copied.
struct GGUFFile: @unchecked Sendable {
    static let defaultAlignment = 32
    /// Generous limits that a corrupt count runs into before it can exhaust memory.
    private static let maxCount = 1 << 24

    let bytes: UnsafeRawBufferPointer
    let version: UInt32
    let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    let keys: [String]
    let tensors: [GGUFTensorInfo]
    let alignment: Int
    let dataOffset: Int

    init(bytes: UnsafeRawBufferPointer) throws(GGUFError) {
        self.bytes = bytes
        var reader = Reader(bytes: bytes)
        guard try reader.read(UInt32.self) == 0x4655_4747 else { throw .notGGUF }
        version = try reader.read(UInt32.self)
        guard version == 2 || version == 3 else { throw .unsupportedVersion(version) }
        let tensorCount = try reader.count("tensor", limit: Self.maxCount)
        let keyCount = try reader.count("metadata", limit: Self.maxCount)
        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        for _ in 0..<keyCount {
            let key = try reader.string()
            let type = try reader.read(UInt32.self)
            let value = try reader.value(type: type, key: key, depth: 0)
            guard metadata.updateValue(value, forKey: key) == nil else { throw .duplicateKey(key) }
            keys.append(key)
        }
        var alignment = Self.defaultAlignment
        if let value = metadata["general.alignment"] {
            guard let configured = value.integer, configured > 0, configured & (configured - 1) == 0 else {
                throw .invalidAlignment(value.integer ?? -1)
            }
            alignment = configured
        }
        var pending: [(name: String, shape: [Int], type: GGMLType, relative: Int)] = []
        for _ in 0..<tensorCount {
            let name = try reader.string()
            let dimensions = try reader.read(UInt32.self)
            guard (1...4).contains(dimensions) else { throw .invalidTensorShape(name) }
            var shape: [Int] = []
            for _ in 0..<dimensions {
                let extent = try reader.read(UInt64.self)
                guard extent > 0, extent < UInt64(1 << 40) else { throw .invalidTensorShape(name) }
                shape.append(Int(extent))
            }
            let rawType = try reader.read(UInt32.self)
            guard let type = GGMLType(rawValue: rawType) else { throw .unknownTensorType(rawType, tensor: name) }
            let relative = try reader.read(UInt64.self)
            guard relative < UInt64(1 << 48), Int(relative) % alignment == 0 else { throw .tensorOutOfBounds(name) }
            pending.append((name, shape, type, Int(relative)))
        }
        let dataOffset = (reader.offset + alignment - 1) / alignment * alignment
        var tensors: [GGUFTensorInfo] = []
        for tensor in pending {
            let (elements, blockBytes) = tensor.type.block
            guard tensor.shape[0] % elements == 0 else { throw .invalidTensorShape(tensor.name) }
            var (byteCount, overflow) = (tensor.shape[0] / elements).multipliedReportingOverflow(by: blockBytes)
            for extent in tensor.shape.dropFirst() where !overflow {
                (byteCount, overflow) = byteCount.multipliedReportingOverflow(by: extent)
            }
            let start = dataOffset + tensor.relative
            guard !overflow, start <= bytes.count, byteCount <= bytes.count - start else {
                throw .tensorOutOfBounds(tensor.name)
            }
            tensors.append(
                GGUFTensorInfo(
                    name: tensor.name, shape: tensor.shape, type: tensor.type,
                    offset: start, byteCount: byteCount))
        }
        self.metadata = metadata
        self.keys = keys
        self.tensors = tensors
        self.alignment = alignment
        self.dataOffset = dataOffset
    }

    func tensor(_ name: String) throws(GGUFError) -> GGUFTensorInfo {
        guard let info = tensors.first(where: { $0.name == name }) else { throw .missingTensor(name) }
        return info
    }

    func data(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[tensor.offset..<(tensor.offset + tensor.byteCount)])
    }

    // MARK: typed metadata access

    func integer(_ key: String) throws(GGUFError) -> Int {
        guard let value = metadata[key] else { throw .missingKey(key) }
        guard let integer = value.integer else { throw .wrongValueType(key: key, expected: "an integer") }
        return integer
    }

    func float(_ key: String) throws(GGUFError) -> Double {
        guard let value = metadata[key] else { throw .missingKey(key) }
        guard case .float(let number) = value else { throw .wrongValueType(key: key, expected: "a float") }
        return number
    }

    func string(_ key: String) throws(GGUFError) -> String {
        guard let value = metadata[key] else { throw .missingKey(key) }
        guard case .string(let text) = value else { throw .wrongValueType(key: key, expected: "a string") }
        return text
    }

    func strings(_ key: String) throws(GGUFError) -> [String] {
        guard let value = metadata[key] else { throw .missingKey(key) }
        guard case .array(let items) = value else { throw .wrongValueType(key: key, expected: "an array of strings") }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard case .string(let text) = item else { throw .wrongValueType(key: key, expected: "an array of strings") }
            result.append(text)
        }
        return result
    }

    func integers(_ key: String) throws(GGUFError) -> [Int] {
        guard let value = metadata[key] else { throw .missingKey(key) }
        guard case .array(let items) = value else { throw .wrongValueType(key: key, expected: "an array of integers") }
        var result: [Int] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let integer = item.integer else { throw .wrongValueType(key: key, expected: "an array of integers") }
            result.append(integer)
        }
        return result
    }

    func bool(_ key: String, default fallback: Bool) throws(GGUFError) -> Bool {
        guard let value = metadata[key] else { return fallback }
        guard case .bool(let flag) = value else { throw .wrongValueType(key: key, expected: "a bool") }
        return flag
    }
}

/// A bounds-checked little-endian cursor over the file's bytes.
private struct Reader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    mutating func take(_ count: Int) throws(GGUFError) -> Int {
        guard count >= 0, count <= bytes.count - offset else {
            throw .truncated(offset: offset, needed: count, size: bytes.count)
        }
        defer { offset += count }
        return offset
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws(GGUFError) -> T {
        let start = try take(MemoryLayout<T>.size)
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: T.self))
    }

    mutating func count(_ what: String, limit: Int) throws(GGUFError) -> Int {
        let value = try read(UInt64.self)
        guard value <= UInt64(limit) else { throw .implausibleCount(what, value > UInt64(Int.max) ? Int.max : Int(value)) }
        return Int(value)
    }

    mutating func string() throws(GGUFError) -> String {
        let length = try read(UInt64.self)
        guard length <= UInt64(bytes.count) else {
            throw .truncated(offset: offset, needed: length > UInt64(Int.max) ? Int.max : Int(length), size: bytes.count)
        }
        let start = try take(Int(length))
        let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + Int(length))])
        guard let text = String(validating: slice, as: UTF8.self) else { throw .invalidString(offset: start) }
        return text
    }

    mutating func value(type: UInt32, key: String, depth: Int) throws(GGUFError) -> GGUFValue {
        switch type {
        case 0: return .unsigned(UInt64(try read(UInt8.self)))
        case 1: return .signed(Int64(try read(Int8.self)))
        case 2: return .unsigned(UInt64(try read(UInt16.self)))
        case 3: return .signed(Int64(try read(Int16.self)))
        case 4: return .unsigned(UInt64(try read(UInt32.self)))
        case 5: return .signed(Int64(try read(Int32.self)))
        case 6: return .float(Double(Float(bitPattern: try read(UInt32.self))))
        case 7:
            let raw = try read(UInt8.self)
            guard raw <= 1 else { throw .wrongValueType(key: key, expected: "a bool (0 or 1)") }
            return .bool(raw == 1)
        case 8: return .string(try string())
        case 9:
            guard depth == 0 else { throw .unknownValueType(type, key: key) }
            let elementType = try read(UInt32.self)
            let count = try count("array \(key)", limit: bytes.count)
            var items: [GGUFValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try value(type: elementType, key: key, depth: depth + 1)) }
            return .array(items)
        case 10: return .unsigned(try read(UInt64.self))
        case 11: return .signed(Int64(bitPattern: try read(UInt64.self)))
        case 12: return .float(Double(bitPattern: try read(UInt64.self)))
        default: throw .unknownValueType(type, key: key)
        }
    }
}

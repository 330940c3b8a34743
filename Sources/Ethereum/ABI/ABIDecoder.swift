/// Reads the standard ABI encoding from untrusted bytes.
///
/// Every read is bounds-checked. Offsets may alias one another (the format allows it), so the decoder
/// also caps the values it produces and the bytes it copies at a small multiple of the input size:
/// a short hostile input cannot make it do unbounded work.
struct ABIDecoder {
    private let data: [UInt8]
    private var valuesLeft: Int
    private var bytesLeft: Int

    init(data: [UInt8]) {
        self.data = data
        // A canonical encoding yields at most one value per word per level of type nesting.
        valuesLeft = (data.count / 32 + 1) * (ABITypeParser.maximumDepth + 2)
        bytesLeft = 2 * data.count
    }

    /// Decodes a tuple whose encoding starts at `base`.
    mutating func decodeTuple(_ types: [ABIType], at base: Int) throws(ABIError) -> [ABIValue] {
        // The heads' total size: a dynamic tuple's own headSize is just its offset word.
        let headEnd = types.reduce(base) { end, type in
            let (next, overflow) = end.addingReportingOverflow(type.headSize)
            return overflow ? .max : next
        }
        var values: [ABIValue] = []
        values.reserveCapacity(types.count)
        var headPosition = base
        for type in types {
            values.append(try decodeElement(type, headPosition: headPosition, base: base, headEnd: headEnd))
            headPosition = try advance(headPosition, by: type.headSize)
        }
        return values
    }

    /// Decodes `count` elements of one type whose heads start at `base`.
    private mutating func decodeSequence(_ type: ABIType, count: Int, at base: Int, countPosition: Int) throws(ABIError) -> [ABIValue] {
        let (headBytes, overflow) = count.multipliedReportingOverflow(by: type.headSize)
        guard !overflow, headBytes <= data.count - base else { throw .lengthOutOfRange(at: countPosition) }
        var values: [ABIValue] = []
        values.reserveCapacity(Swift.min(count, valuesLeft))
        var headPosition = base
        for _ in 0..<count {
            values.append(try decodeElement(type, headPosition: headPosition, base: base, headEnd: base + headBytes))
            headPosition += type.headSize
        }
        return values
    }

    /// A tuple component or array element: inline when static, behind an offset relative to `base` when
    /// dynamic. The offset must point past the heads (`headEnd`) and inside the input, as eth-abi requires.
    private mutating func decodeElement(_ type: ABIType, headPosition: Int, base: Int, headEnd: Int) throws(ABIError) -> ABIValue {
        guard type.isDynamic else { return try decodeValue(type, at: headPosition) }
        let offset = try readWord(at: headPosition)
        guard let relative = offset.uint64, relative < UInt64(data.count), base + Int(relative) < data.count,
            base + Int(relative) >= headEnd
        else {
            throw .offsetOutOfRange(at: headPosition)
        }
        return try decodeValue(type, at: base + Int(relative))
    }

    private mutating func decodeValue(_ type: ABIType, at position: Int) throws(ABIError) -> ABIValue {
        valuesLeft -= 1
        guard valuesLeft >= 0 else { throw .decodingLimitExceeded }
        switch type {
        case .uint(let bits):
            let word = try readWord(at: position)
            guard word.bitWidth <= bits else { throw .nonCanonicalPadding(at: position) }
            return .uint(word)
        case .int(let bits):
            let value = Int256(bitPattern: try readWord(at: position))
            guard value.fits(bits: bits) else { throw .nonCanonicalPadding(at: position) }
            return .int(value)
        case .address:
            let word = try readWord(at: position)
            guard word.bitWidth <= 160 else { throw .nonCanonicalPadding(at: position) }
            return .address(Address(unchecked: Array(data[(position + 12)..<(position + 32)])))
        case .bool:
            let word = try readWord(at: position)
            guard word.bitWidth <= 1 else { throw .invalidBool(at: position) }
            return .bool(word == UInt256(1))
        case .fixedBytes(let count):
            _ = try readWord(at: position)
            guard data[(position + count)..<(position + 32)].allSatisfy({ $0 == 0 }) else {
                throw .nonCanonicalPadding(at: position)
            }
            return .fixedBytes(Array(data[position..<(position + count)]))
        case .bytes:
            return .bytes(try readLengthPrefixed(at: position))
        case .string:
            let bytes = try readLengthPrefixed(at: position)
            guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8(at: position) }
            return .string(text)
        case .array(let element):
            let count = try readLength(at: position)
            return .array(try decodeSequence(element, count: count, at: position + 32, countPosition: position))
        case .fixedArray(let element, let count):
            return .fixedArray(try decodeSequence(element, count: count, at: position, countPosition: position))
        case .tuple(let components):
            return .tuple(try decodeTuple(components, at: position))
        }
    }

    /// A length word followed by that many bytes and zero padding to a multiple of 32.
    private mutating func readLengthPrefixed(at position: Int) throws(ABIError) -> [UInt8] {
        let length = try readLength(at: position)
        let start = position + 32
        let padded = (length + 31) / 32 * 32
        guard padded <= data.count - start else { throw .lengthOutOfRange(at: position) }
        bytesLeft -= length
        guard bytesLeft >= 0 else { throw .decodingLimitExceeded }
        guard data[(start + length)..<(start + padded)].allSatisfy({ $0 == 0 }) else {
            throw .nonCanonicalPadding(at: start + length)
        }
        return Array(data[start..<(start + length)])
    }

    /// A length or count word; it cannot exceed the input size, which also keeps arithmetic on it safe.
    private func readLength(at position: Int) throws(ABIError) -> Int {
        let word = try readWord(at: position)
        guard let length = word.uint64, length <= UInt64(data.count) else { throw .lengthOutOfRange(at: position) }
        return Int(length)
    }

    private func readWord(at position: Int) throws(ABIError) -> UInt256 {
        guard position >= 0, position <= data.count - 32 else { throw .truncated(offset: position) }
        return data.withUnsafeBytes { raw in
            func limb(_ index: Int) -> UInt64 {
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: position + 8 * index, as: UInt64.self))
            }
            return UInt256(limbs: (limb(3), limb(2), limb(1), limb(0)))
        }
    }

    private func advance(_ position: Int, by size: Int) throws(ABIError) -> Int {
        let (next, overflow) = position.addingReportingOverflow(size)
        guard !overflow else { throw .truncated(offset: position) }
        return next
    }
}

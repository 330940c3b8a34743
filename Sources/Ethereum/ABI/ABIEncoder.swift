/// Writes the standard ABI encoding into one growing buffer.
struct ABIEncoder {
    private(set) var output: [UInt8] = []

    /// Heads in order (static values inline, offsets for dynamic ones), then the dynamic values' tails.
    mutating func appendTuple(_ values: [ABIValue]) {
        let start = output.count
        var deferred: [(headPosition: Int, value: ABIValue)] = []
        for value in values {
            if value.isDynamic {
                deferred.append((output.count, value))
                output.append(contentsOf: repeatElement(0, count: 32))
            } else {
                append(value)
            }
        }
        for (headPosition, value) in deferred {
            writeWord(UInt256(UInt64(output.count - start)), at: headPosition)
            append(value)
        }
    }

    private mutating func append(_ value: ABIValue) {
        switch value {
        case .uint(let number): appendWord(number)
        case .int(let number): appendWord(number.bitPattern)
        case .address(let address):
            output.append(contentsOf: repeatElement(0, count: 12))
            output.append(contentsOf: address.bytes)
        case .bool(let flag): appendWord(UInt256(flag ? 1 : 0))
        case .fixedBytes(let bytes): appendPadded(bytes.isEmpty ? [0] : bytes)
        case .bytes(let bytes):
            appendWord(UInt256(UInt64(bytes.count)))
            appendPadded(bytes)
        case .string(let text):
            let bytes = Array(text.utf8)
            appendWord(UInt256(UInt64(bytes.count)))
            appendPadded(bytes)
        case .array(let elements):
            appendWord(UInt256(UInt64(elements.count)))
            appendTuple(elements)
        case .fixedArray(let elements), .tuple(let elements):
            appendTuple(elements)
        }
    }

    private mutating func appendWord(_ word: UInt256) {
        var bigEndian = (word.limbs.3.bigEndian, word.limbs.2.bigEndian, word.limbs.1.bigEndian, word.limbs.0.bigEndian)
        withUnsafeBytes(of: &bigEndian) { output.append(contentsOf: $0) }
    }

    /// `bytes` followed by zeros up to the next multiple of 32.
    private mutating func appendPadded(_ bytes: [UInt8]) {
        output.append(contentsOf: bytes)
        output.append(contentsOf: repeatElement(0, count: (32 - bytes.count % 32) % 32))
    }

    private mutating func writeWord(_ word: UInt256, at position: Int) {
        var bigEndian = (word.limbs.3.bigEndian, word.limbs.2.bigEndian, word.limbs.1.bigEndian, word.limbs.0.bigEndian)
        withUnsafeBytes(of: &bigEndian) { output.replaceSubrange(position..<(position + 32), with: $0) }
    }
}

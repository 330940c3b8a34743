import Foundation

/// The float32 tensors of a `.safetensors` file, read in place from a memory mapping.
/// The header is validated against the file: every tensor must be F32, lie inside the data
/// section, be 4-byte aligned and hold exactly as many bytes as its shape says.
struct SafeTensors: @unchecked Sendable {
    struct Tensor {
        let shape: [Int]
        let values: UnsafeBufferPointer<Float>
    }

    let file: ModelBytes
    private let tensors: [String: Tensor]

    init(file: ModelBytes) throws(InferenceError) {
        self.file = file
        let bytes = file.bytes
        guard bytes.count >= 8, let base = bytes.baseAddress else { throw .invalidWeights("file shorter than its header length") }
        let headerLength = Int(clamping: bytes.loadUnaligned(as: UInt64.self).littleEndian)
        guard headerLength <= bytes.count - 8 else { throw .invalidWeights("header length exceeds the file") }
        let dataStart = 8 + headerLength
        let header = Data(bytes[8..<dataStart])
        guard let object = try? JSONSerialization.jsonObject(with: header), let entries = object as? [String: Any] else {
            throw .invalidWeights("header is not a JSON object")
        }
        var tensors: [String: Tensor] = [:]
        for (name, entry) in entries where name != "__metadata__" {
            guard let fields = entry as? [String: Any], let dtype = fields["dtype"] as? String,
                let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int],
                offsets.count == 2
            else {
                throw .invalidWeights("tensor \(name) has a malformed header entry")
            }
            guard dtype == "F32" else { continue }
            let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? -1 : $0 * $1 }
            let (begin, end) = (offsets[0], offsets[1])
            guard shape.allSatisfy({ $0 >= 0 }), count >= 0, begin >= 0, begin <= end,
                end <= bytes.count - dataStart, end - begin == count * 4, (dataStart + begin) % 4 == 0
            else {
                throw .invalidWeights("tensor \(name) lies outside the file or disagrees with its shape")
            }
            let start = base.advanced(by: dataStart + begin).assumingMemoryBound(to: Float.self)
            tensors[name] = Tensor(shape: shape, values: UnsafeBufferPointer(start: start, count: count))
        }
        self.tensors = tensors
    }

    /// The tensor called `name`, which must have exactly `shape`.
    func tensor(_ name: String, shape: [Int]) throws(InferenceError) -> UnsafeBufferPointer<Float> {
        guard let tensor = tensors[name] else { throw .invalidWeights("missing tensor \(name)") }
        guard tensor.shape == shape else {
            throw .invalidWeights("tensor \(name) has shape \(tensor.shape), expected \(shape)")
        }
        return tensor.values
    }
}

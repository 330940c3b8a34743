import Ethereum

extension TaskOutput {
    /// Decodes a task's canonical output bytes, as a requester reads them from a result.
    public init(task: InferenceTask, abiEncoded bytes: [UInt8]) throws(InferenceError) {
        do {
            switch task {
            case .embed:
                let bytes = try ABI.decode([.bytes], from: bytes)[0].asBytes()
                guard bytes.count == 384 else { throw InferenceError.malformedInput("an embedding has 384 values, not \(bytes.count)") }
                self = .embedding(bytes.map { Int8(bitPattern: $0) })
            case .similarity:
                self = .similarity(try Self.int(ABI.decode([.int(bits: 256)], from: bytes)[0]))
            case .classify:
                let values = try ABI.decode([.uint(bits: 256), .array(.int(bits: 256))], from: bytes)
                var scores: [Int] = []
                for score in try values[1].asElements() { scores.append(try Self.int(score)) }
                guard let best = try values[0].asUInt().uint64.flatMap(Int.init(exactly:)), scores.indices.contains(best) else {
                    throw InferenceError.malformedInput("best label index out of range")
                }
                self = .classification(best: best, scores: scores)
            }
        } catch let error as InferenceError {
            throw error
        } catch {
            throw .malformedInput("not the canonical \(task.rawValue) output: \(error)")
        }
    }

    /// A signed ABI integer that fits in 32 bits (every score and vector element does).
    private static func int(_ value: ABIValue) throws -> Int {
        let number = try value.asInt()
        guard let magnitude = number.magnitude.uint64, magnitude <= UInt64(Int32.max) else {
            throw InferenceError.malformedInput("integer out of range")
        }
        return number.isNegative ? -Int(magnitude) : Int(magnitude)
    }
}

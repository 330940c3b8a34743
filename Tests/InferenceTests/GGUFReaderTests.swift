import Foundation
import Testing
@testable import Inference

/// The GGUF reader on the real file and on files built here byte by byte, intact and damaged.
@Suite struct GGUFReaderTests {
    /// A minimal GGUF v3 writer for hand-made files.
    struct Writer {
        var bytes: [UInt8] = []
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        mutating func string(_ s: String) { u64(UInt64(s.utf8.count)); bytes += Array(s.utf8) }
        mutating func pad(to alignment: Int) { while bytes.count % alignment != 0 { bytes.append(0) } }

        /// Magic, version 3, one u32 and one string array of metadata, one F32 tensor of 4 × 2.
        static func small(tensorType: UInt32 = 0, tensorOffset: UInt64 = 0, version: UInt32 = 3) -> [UInt8] {
            var w = Writer()
            w.bytes += Array("GGUF".utf8)
            w.u32(version)
            w.u64(1)  // tensors
            w.u64(2)  // metadata
            w.string("test.answer"); w.u32(4); w.u32(42)
            w.string("test.words"); w.u32(9); w.u32(8); w.u64(2); w.string("ab"); w.string("ü")
            w.string("weights"); w.u32(2); w.u64(4); w.u64(2); w.u32(tensorType); w.u64(tensorOffset)
            w.pad(to: 32)
            for i in 0..<8 { withUnsafeBytes(of: Float(i).bitPattern.littleEndian) { w.bytes += $0 } }
            return w.bytes
        }
    }

    /// Parses `bytes` and hands the file (which borrows them) to `body`.
    @discardableResult
    func parse<T>(_ bytes: [UInt8], _ body: (GGUFFile) throws -> T = { _ in () }) throws -> T {
        try bytes.withUnsafeBytes { raw in try body(try GGUFFile(bytes: raw)) }
    }

    @Test func aHandMadeFileReadsBackItsMetadataAndTensor() throws {
        try parse(Writer.small()) { file in
            #expect(file.version == 3)
            #expect(try file.integer("test.answer") == 42)
            #expect(try file.strings("test.words") == ["ab", "ü"])
            let tensor = try file.tensor("weights")
            #expect(tensor.shape == [4, 2] && tensor.type == .f32 && tensor.byteCount == 32)
            #expect(tensor.offset % 32 == 0)
            #expect(GGMLBlocks.dequantize(.f32, file.data(of: tensor), count: 8) == (0..<8).map(Float.init))
            #expect(throws: GGUFError.missingKey("absent")) { try file.integer("absent") }
            #expect(throws: GGUFError.wrongValueType(key: "test.answer", expected: "a string")) { try file.string("test.answer") }
        }
    }

    @Test func everyTruncationIsATypedErrorNamingWhereTheFileEnded() throws {
        let bytes = Writer.small()
        for length in 0..<bytes.count {
            #expect(throws: GGUFError.self) { try parse(Array(bytes[..<length])) }
        }
        #expect(throws: GGUFError.truncated(offset: 0, needed: 4, size: 3)) { try parse(Array(bytes[..<3])) }
        // Cut inside the tensor data: the header parses, the tensor does not fit.
        #expect(throws: GGUFError.tensorOutOfBounds("weights")) { try parse(Array(bytes.dropLast(4))) }
    }

    @Test func wrongMagicVersionTypeAndOffsetAreRefused() throws {
        var notGGUF = Writer.small()
        notGGUF[0] = UInt8(ascii: "X")
        #expect(throws: GGUFError.notGGUF) { try parse(notGGUF) }
        #expect(throws: GGUFError.unsupportedVersion(1)) { try parse(Writer.small(version: 1)) }
        #expect(throws: GGUFError.unknownTensorType(99, tensor: "weights")) { try parse(Writer.small(tensorType: 99)) }
        #expect(throws: GGUFError.tensorOutOfBounds("weights")) { try parse(Writer.small(tensorOffset: 7)) }
        #expect(throws: GGUFError.tensorOutOfBounds("weights")) { try parse(Writer.small(tensorOffset: 1 << 20)) }
    }

    @Test func theModelFileHasTheLayoutTheEngineExpects() throws {
        let bytes = try TestLLM.fileBytes()
        try parse(bytes) { file in
            #expect(file.tensors.count == 272)
            #expect(try file.string("general.architecture") == "llama")
            #expect(try file.string("tokenizer.ggml.pre") == "smollm")
            let embedding = try file.tensor("token_embd.weight")
            #expect(embedding.shape == [576, 49152] && embedding.type == .q8_0)
            #expect(try file.tensor("blk.0.attn_q.weight").type == .q4_1)
            #expect(try file.tensor("blk.29.ffn_norm.weight").type == .f32)
            #expect(!file.tensors.contains { $0.name == "output.weight" }, "SmolLM2 ties its output to the embedding")
            // Tensors do not overlap and stay inside the file.
            let sorted = file.tensors.sorted { $0.offset < $1.offset }
            for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a.offset + a.byteCount <= b.offset) }
            #expect(sorted.last.map { $0.offset + $0.byteCount } ?? 0 <= bytes.count)
        }
    }

    @Test func theModelFileCutShortIsRefusedWithATypedError() throws {
        let bytes = try TestLLM.fileBytes()
        let (header, tensors) = try parse(bytes) { ($0.dataOffset, $0.tensors) }
        for length in [0, 4, 24, 1000, header / 2, header - 1, header + 1000, bytes.count - 1] {
            #expect(throws: GGUFError.self) { try parse(Array(bytes[..<length])) }
        }
        let half = FileManager.default.temporaryDirectory.appendingPathComponent("cloister-half-\(getpid()).gguf")
        try Data(bytes[..<(bytes.count / 2)]).write(to: half)
        defer { try? FileManager.default.removeItem(at: half) }
        // The first tensor (in the file's order) that no longer fits is named.
        let cut = tensors.first { $0.offset + $0.byteCount > bytes.count / 2 }!
        #expect(throws: LLMError.model(.tensorOutOfBounds(cut.name))) { try LlamaEngine(path: half.path) }
    }
}

import Crypto
import Enclave
import Ethereum
import Foundation
import Testing

/// Sealed model files (`docs/model-sealing.md`): the round trip at chunk boundaries, and every way of changing a
/// sealed file — a byte, the order or number of chunks, the header, the key — refused with a named error.
/// `tests/model_sealing` opens the same files with Python's `cryptography`, written from the format alone.
@Suite struct SealedModelTests {
    let folder: String
    let key: ModelKey

    init() throws {
        folder = NSTemporaryDirectory() + "sealed-model-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        key = try ModelKey(bytes: (0..<32).map { UInt8($0 * 7 & 0xFF) })
    }

    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = folder + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func read(_ path: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path) ?? Data()) }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    static func sha256(_ bytes: [UInt8]) -> Bytes32 { Bytes32(Array(SHA256.hash(data: bytes)))! }

    static func weights(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    /// Seals `plaintext` in chunks of `chunkSize`; returns the sealed file's path and its digests.
    func sealed(_ plaintext: [UInt8], chunkSize: Int = 1_024, name: String = "model") throws -> (String, SealedModelDigests) {
        let output = folder + "/\(name).sealed"
        let digests = try SealedModel.seal(input: file(name, plaintext), output: output, key: key, chunkSize: chunkSize)
        return (output, digests)
    }

    @Test(arguments: [0, 1, 1_023, 1_024, 2_048, 10_000])
    func roundTripsAtEveryChunkBoundary(_ length: Int) throws {
        let plaintext = Self.weights(length)
        let (path, digests) = try sealed(plaintext)
        let chunks = max(1, (length + 1_023) / 1_024)
        #expect(read(path).count == SealedModel.headerLength + length + chunks * SealedModel.tagLength)
        #expect(digests.plaintext == Self.sha256(plaintext) && digests.sealed == Self.sha256(read(path)))
        #expect(digests.plaintextLength == UInt64(length) && digests.chunkSize == 1_024)
        #expect(try SealedModel.open(path, key: key, expected: digests) == plaintext)
        if length >= 16 { #expect(!Self.contains(read(path), Array(plaintext.prefix(64))), "the plaintext shows in the sealed file") }
    }

    /// Sealing the same file twice gives two different sealed files (a fresh salt, hence a fresh chunk key),
    /// both naming the same plaintext.
    @Test func everySealingHasItsOwnKeyAndNonces() throws {
        let plaintext = Self.weights(3_000)
        let (first, a) = try sealed(plaintext, name: "a")
        let (second, b) = try sealed(plaintext, name: "b")
        #expect(a.plaintext == b.plaintext && a.sealed != b.sealed)
        #expect(Array(read(first)[36...]) != Array(read(second)[36...]))
    }

    @Test func aFileThatIsNotTheRegisteredOneIsNotDecrypted() throws {
        let (path, digests) = try sealed(Self.weights(5_000))
        var bytes = read(path)
        bytes[36 + 3 * (1_024 + 16) + 10] ^= 0x01  // one bit in chunk 3
        let tampered = file("tampered.sealed", bytes)
        #expect(throws: SealedModelError.notTheNamedModel) { try SealedModel.open(tampered, key: key, expected: digests) }
    }

    /// Even a registration that named the changed file (so the hash check passes) gets no plaintext out of it:
    /// each chunk is authenticated on its own, with its index and the header.
    @Test func eachChunkIsAuthenticatedWithItsIndexAndTheHeader() throws {
        let (path, digests) = try sealed(Self.weights(5_000))
        let original = read(path)
        func opened(_ bytes: [UInt8]) throws -> [UInt8] {
            let name = file("changed-\(UUID().uuidString).sealed", bytes)
            return try SealedModel.open(
                name, key: key,
                expected: SealedModelDigests(
                    plaintext: digests.plaintext, sealed: Self.sha256(bytes), plaintextLength: digests.plaintextLength,
                    chunkSize: digests.chunkSize))
        }
        var flipped = original
        flipped[36 + 3 * 1_040 + 10] ^= 0x01
        #expect(throws: SealedModelError.chunk(3)) { try opened(flipped) }
        var swapped = original
        let one = 36 + 1_040, two = 36 + 2 * 1_040
        swapped.replaceSubrange(one..<two, with: original[two..<(two + 1_040)])
        swapped.replaceSubrange(two..<(two + 1_040), with: original[one..<two])
        #expect(throws: SealedModelError.chunk(1)) { try opened(swapped) }
        var salted = original
        salted[30] ^= 0x80  // the salt, so the chunk key
        #expect(throws: SealedModelError.chunk(0)) { try opened(salted) }
    }

    /// Cut at a chunk boundary with the header's length lowered to match: the header is authenticated, so the
    /// first chunk already fails; cut without it, the length gives it away before any decryption.
    @Test func truncationAndAppendedBytesAreRefused() throws {
        let plaintext = Self.weights(4_096)
        let (path, digests) = try sealed(plaintext)
        let original = read(path)
        let cut = file("cut.sealed", Array(original.prefix(36 + 3 * 1_040)))
        #expect(throws: SealedModelError.length(expected: 36 + 4_096 + 4 * 16, found: 36 + 3 * 1_040)) {
            try SealedModel.open(cut, key: key, expected: digests)
        }
        var relabelled = Array(original.prefix(36 + 3 * 1_040))
        let lowered: [UInt8] = withUnsafeBytes(of: UInt64(3_072).bigEndian) { [UInt8]($0) }
        relabelled.replaceSubrange(12..<20, with: lowered)
        let lying = file("lying.sealed", relabelled)
        let claimed = SealedModelDigests(
            plaintext: Self.sha256(Array(plaintext.prefix(3_072))), sealed: Self.sha256(relabelled),
            plaintextLength: 3_072, chunkSize: 1_024)
        #expect(throws: SealedModelError.chunk(0)) { try SealedModel.open(lying, key: key, expected: claimed) }
        let longer = file("longer.sealed", original + [0])
        #expect(throws: SealedModelError.length(expected: UInt64(original.count), found: UInt64(original.count + 1))) {
            try SealedModel.open(longer, key: key, expected: digests)
        }
    }

    @Test func anotherKeyOpensNothing() throws {
        let (path, digests) = try sealed(Self.weights(2_500))
        let other = try ModelKey(bytes: [UInt8](repeating: 9, count: 32))
        #expect(throws: SealedModelError.chunk(0)) { try SealedModel.open(path, key: other, expected: digests) }
    }

    @Test func badInputsAreRefusedWithoutTouchingWhatExists() throws {
        let input = file("in", Self.weights(100))
        let existing = file("exists.sealed", [1, 2, 3])
        #expect(throws: SealedModelError.unwritable(existing)) { try SealedModel.seal(input: input, output: existing, key: key) }
        #expect(read(existing) == [1, 2, 3])
        #expect(throws: SealedModelError.chunkSize(512)) { try SealedModel.seal(input: input, output: folder + "/x", key: key, chunkSize: 512) }
        #expect(throws: SealedModelError.unreadable(folder + "/missing")) {
            try SealedModel.seal(input: folder + "/missing", output: folder + "/y", key: key)
        }
        let notSealed = file("plain", Self.weights(100))
        let digests = SealedModelDigests(plaintext: .zero, sealed: .zero, plaintextLength: 100, chunkSize: 1_024)
        #expect(throws: SealedModelError.notASealedModel) { try SealedModel.open(notSealed, key: key, expected: digests) }
        #expect(!FileManager.default.fileExists(atPath: folder + "/x") && !FileManager.default.fileExists(atPath: folder + "/y"))
    }

    /// The id changes with each thing it commits to, the owner included.
    @Test func theModelIDCommitsToTheOwnerBothHashesTheEngineAndTheTask() throws {
        let owner = try Address(hex: "0x" + String(repeating: "ab", count: 20))
        let digests = SealedModelDigests(plaintext: Self.sha256([1]), sealed: Self.sha256([2]), plaintextLength: 1, chunkSize: 1_024)
        let id = digests.modelID(owner: owner, engine: "cloister-minilm-f32/2", task: "embed")
        func other(plaintext: UInt8, sealed: UInt8) -> SealedModelDigests {
            SealedModelDigests(plaintext: Self.sha256([plaintext]), sealed: Self.sha256([sealed]), plaintextLength: 1, chunkSize: 1_024)
        }
        let variants = [
            other(plaintext: 3, sealed: 2).modelID(owner: owner, engine: "cloister-minilm-f32/2", task: "embed"),
            other(plaintext: 1, sealed: 3).modelID(owner: owner, engine: "cloister-minilm-f32/2", task: "embed"),
            digests.modelID(owner: owner, engine: "cloister-minilm-f32/3", task: "embed"),
            digests.modelID(owner: owner, engine: "cloister-minilm-f32/2", task: "classify"),
            digests.modelID(owner: try Address(hex: "0x" + String(repeating: "ac", count: 20)), engine: "cloister-minilm-f32/2", task: "embed")
        ]
        #expect(Set(variants + [id]).count == 6)
        // keccak(eth_abi.encode(["string", "address", "bytes32", "bytes32", "string", "string"], [...])) in Python.
        #expect(id == (try Bytes32(hex: "0x8b5e16edfe5cce112578dbfeb153a60cbba7edd66dfc3213e01d18e7ed433bfe")))
    }
}

import Crypto
import Ethereum
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A model file encrypted for the enclaves that hold its ``ModelKey`` (`cloister model seal`), in chunks, so a
/// node decrypts it while reading and never needs the plaintext anywhere but in memory.
///
/// Format, version 1 (all integers big-endian):
///
///     header  = "CLSEALM1" ‖ chunkSize (u32) ‖ plaintextLength (u64) ‖ salt (16 random bytes)      36 bytes
///     chunk i = AES-256-GCM(key K, nonce 0x00000000 ‖ i (u64), AAD header ‖ final (u8: 1 for the last chunk))
///     K       = HKDF-SHA256(ikm: model key, salt: salt, info: "cloister/v1/model-weights", 32 bytes)
///
/// Every chunk but the last holds `chunkSize` plaintext bytes; there are ⌈plaintextLength / chunkSize⌉ chunks
/// (one, empty, for an empty file), each followed by its 16-byte tag, and nothing after the last. The header
/// is authenticated by every chunk, the index by the nonce and the end by the final flag, so a changed
/// length, reordered, repeated, dropped or truncated chunks and appended bytes are all refused. A fresh salt per
/// sealing gives every sealed file its own key, so the nonces never repeat under one key.
///
/// A model sealed this way is named by both hashes — the plaintext's (what the engine runs) and the sealed
/// file's (what nodes fetch and check before use) — see ``SealedModelDigests/modelID(owner:engine:task:)``.
public enum SealedModel {
    public static let magic = Array("CLSEALM1".utf8)
    public static let headerLength = 36
    public static let tagLength = 16
    public static let defaultChunkSize = 1 << 20
    /// Chunk sizes a sealed file may declare: big enough to keep the tag overhead small, small enough that
    /// reading one never holds much more than a chunk of ciphertext.
    public static let chunkSizes = 1_024...(64 << 20)

    /// Seals the file at `input` to a new file at `output` (refused if it exists) under `key`, reading and
    /// writing one chunk at a time.
    public static func seal(input: String, output: String, key: ModelKey, chunkSize: Int = defaultChunkSize)
        throws(SealedModelError) -> SealedModelDigests
    {
        guard chunkSizes.contains(chunkSize) else { throw .chunkSize(chunkSize) }
        guard let source = FileHandle(forReadingAtPath: input) else { throw .unreadable(input) }
        defer { try? source.close() }
        let length: UInt64
        do { length = try source.seekToEnd(); try source.seek(toOffset: 0) } catch { throw .unreadable(input) }
        let descriptor = Glibc.open(output, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .unwritable(output) }
        let sink = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? sink.close() }
        var salt = [UInt8](repeating: 0, count: 16)
        for index in salt.indices { salt[index] = UInt8.random(in: .min ... .max) }
        let header = Self.header(chunkSize: chunkSize, plaintextLength: length, salt: salt)
        let chunkKey = Self.chunkKey(key, salt: salt)
        var plaintextHash = SHA256()
        var sealedHash = SHA256()
        let count = Self.chunkCount(plaintextLength: length, chunkSize: chunkSize)
        do {
            try sink.write(contentsOf: header)
            sealedHash.update(data: header)
            for index in 0..<count {
                var plain = [UInt8](try source.read(upToCount: chunkSize) ?? Data())
                defer { plain.wipe() }
                let expected = index == count - 1 ? Int(length - UInt64(index) * UInt64(chunkSize)) : chunkSize
                guard plain.count == expected else { throw SealedModelError.unreadable(input) }
                plaintextHash.update(data: plain)
                let box = try AES.GCM.seal(plain, using: chunkKey, nonce: Self.nonce(index), authenticating: header + [index == count - 1 ? 1 : 0])
                let sealed = box.ciphertext + box.tag
                try sink.write(contentsOf: sealed)
                sealedHash.update(data: sealed)
            }
        } catch let error as SealedModelError {
            try? FileManager.default.removeItem(atPath: output)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: output)
            throw .unwritable(output)
        }
        return SealedModelDigests(
            plaintext: Bytes32(Array(plaintextHash.finalize()))!, sealed: Bytes32(Array(sealedHash.finalize()))!,
            plaintextLength: length, chunkSize: chunkSize)
    }

    /// Decrypts the sealed file at `path` into memory, chunk by chunk, after checking that it is the sealed
    /// file `expected` names and before returning, that its plaintext is the one `expected` names. Nothing is
    /// written anywhere; on any error the plaintext read so far is wiped.
    public static func open(_ path: String, key: ModelKey, expected: SealedModelDigests) throws(SealedModelError) -> [UInt8] {
        guard let source = FileHandle(forReadingAtPath: path) else { throw .unreadable(path) }
        defer { try? source.close() }
        let header: [UInt8]
        let size: UInt64
        do {
            size = try source.seekToEnd()
            try source.seek(toOffset: 0)
            header = [UInt8](try source.read(upToCount: headerLength) ?? Data())
        } catch { throw .unreadable(path) }
        let (chunkSize, length, salt) = try Self.parse(header)
        let count = Self.chunkCount(plaintextLength: length, chunkSize: chunkSize)
        let expectedSize = UInt64(headerLength) + length + UInt64(count * tagLength)
        guard size == expectedSize else { throw .length(expected: expectedSize, found: size) }
        guard length == expected.plaintextLength, chunkSize == expected.chunkSize else { throw .notTheNamedModel }
        // The sealed file's hash first: nothing is decrypted from a file that is not the one registered.
        var sealedHash = SHA256()
        sealedHash.update(data: header)
        do {
            while let block = try source.read(upToCount: 1 << 20), !block.isEmpty { sealedHash.update(data: block) }
            try source.seek(toOffset: UInt64(headerLength))
        } catch { throw .unreadable(path) }
        guard Bytes32(Array(sealedHash.finalize()))! == expected.sealed else { throw .notTheNamedModel }

        let chunkKey = Self.chunkKey(key, salt: salt)
        var plaintext: [UInt8] = []
        plaintext.reserveCapacity(Int(length))
        var plaintextHash = SHA256()
        for index in 0..<count {
            let plainCount = index == count - 1 ? Int(length - UInt64(index) * UInt64(chunkSize)) : chunkSize
            let sealed: [UInt8]
            do { sealed = [UInt8](try source.read(upToCount: plainCount + tagLength) ?? Data()) } catch {
                plaintext.wipe()
                throw .unreadable(path)
            }
            guard sealed.count == plainCount + tagLength,
                let box = try? AES.GCM.SealedBox(nonce: Self.nonce(index), ciphertext: sealed.prefix(plainCount), tag: sealed.suffix(tagLength)),
                var plain = try? [UInt8](AES.GCM.open(box, using: chunkKey, authenticating: header + [index == count - 1 ? 1 : 0]))
            else {
                plaintext.wipe()
                throw .chunk(index)
            }
            plaintextHash.update(data: plain)
            plaintext += plain
            plain.wipe()
        }
        guard Bytes32(Array(plaintextHash.finalize()))! == expected.plaintext else {
            plaintext.wipe()
            throw .notTheNamedModel
        }
        return plaintext
    }

    static func header(chunkSize: Int, plaintextLength: UInt64, salt: [UInt8]) -> [UInt8] {
        magic + withUnsafeBytes(of: UInt32(chunkSize).bigEndian) { [UInt8]($0) } + withUnsafeBytes(of: plaintextLength.bigEndian) { [UInt8]($0) } + salt
    }

    static func parse(_ header: [UInt8]) throws(SealedModelError) -> (chunkSize: Int, plaintextLength: UInt64, salt: [UInt8]) {
        guard header.count == headerLength, Array(header[0..<8]) == magic else { throw .notASealedModel }
        let chunkSize = header[8..<12].reduce(0) { $0 << 8 | Int($1) }
        let length = header[12..<20].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard chunkSizes.contains(chunkSize) else { throw .chunkSize(chunkSize) }
        return (chunkSize, length, Array(header[20..<36]))
    }

    static func chunkCount(plaintextLength: UInt64, chunkSize: Int) -> Int {
        max(1, Int((plaintextLength + UInt64(chunkSize) - 1) / UInt64(chunkSize)))
    }

    static func chunkKey(_ key: ModelKey, salt: [UInt8]) -> SymmetricKey {
        key.withUnsafeBytes { secret in
            HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), salt: salt, info: DomainLabel.modelWeights, outputByteCount: 32)
        }
    }

    static func nonce(_ index: Int) -> AES.GCM.Nonce {
        try! AES.GCM.Nonce(data: [UInt8](repeating: 0, count: 4) + withUnsafeBytes(of: UInt64(index).bigEndian) { [UInt8]($0) })
    }
}

extension DomainLabel {
    /// The key of a sealed model's chunks, derived from the model key and the file's salt.
    static let modelWeights = Array("cloister/v1/model-weights".utf8)
}

/// What names a sealed model: the hashes of its plaintext and of the sealed file, and the layout.
public struct SealedModelDigests: Hashable, Sendable {
    /// SHA-256 of the plaintext model file.
    public let plaintext: Bytes32
    /// SHA-256 of the whole sealed file, header included.
    public let sealed: Bytes32
    public let plaintextLength: UInt64
    public let chunkSize: Int

    public init(plaintext: Bytes32, sealed: Bytes32, plaintextLength: UInt64, chunkSize: Int) {
        self.plaintext = plaintext
        self.sealed = sealed
        self.plaintextLength = plaintextLength
        self.chunkSize = chunkSize
    }

    /// keccak256(abi.encode("cloister-sealed-model/1", owner, plaintext, sealed, engine, task)): the id commits to
    /// who registers it, what runs, what is fetched, the engine that runs it and the task. The owner is in it
    /// so that a relayer copying the owner's pending registration gets an id of its own (the vault computes
    /// the id with the sender as owner).
    public func modelID(owner: Address, engine: String, task: String) -> Bytes32 {
        Keccak256.hash(
            ABI.encode([
                .string("cloister-sealed-model/1"), .address(owner), .bytes32(plaintext), .bytes32(sealed), .string(engine), .string(task)
            ]))
    }
}

/// Why a sealed model could not be made or opened. Never carries key or plaintext bytes.
public enum SealedModelError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(String)
    case unwritable(String)
    case chunkSize(Int)
    case notASealedModel
    case length(expected: UInt64, found: UInt64)
    case chunk(Int)
    case notTheNamedModel

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .unwritable(let path): "cannot create \(path) (it must not exist yet and its folder must be writable)"
        case .chunkSize(let size): "chunk size \(size) is outside \(SealedModel.chunkSizes.lowerBound)–\(SealedModel.chunkSizes.upperBound) bytes"
        case .notASealedModel: "not a sealed model file (no CLSEALM1 header)"
        case .length(let expected, let found): "a sealed model of this header is \(expected) bytes, the file has \(found): truncated or extended"
        case .chunk(let index): "chunk \(index) does not open under this model key: a wrong key, or a changed, moved or cut file"
        case .notTheNamedModel: "the file is not the sealed model its registration names (its hashes or layout differ)"
        }
    }
}

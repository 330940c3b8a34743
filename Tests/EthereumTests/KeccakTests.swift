import Testing
import Ethereum

@Suite struct KeccakTests {
    struct Vectors: Decodable {
        struct Case: Decodable { let length: Int; let digest: String }
        let cases: [Case]
    }

    static func message(_ length: Int) -> [UInt8] {
        (0..<length).map { UInt8((31 * $0 + 7 + length) % 256) }
    }

    @Test func knownDigests() {
        #expect(Keccak256.hash([UInt8]()).hex == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Keccak256.hash(Array("abc".utf8)).hex == "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        // The ERC-20 Transfer event topic.
        #expect(
            Keccak256.hash(Array("Transfer(address,address,uint256)".utf8)).hex
                == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
    }

    /// Every length across three rate boundaries, against pycryptodome (scripts/gen_keccak_vectors.py).
    @Test func matchesPycryptodome() throws {
        let vectors = try Fixtures.load(Vectors.self, "ethereum/keccak.json")
        #expect(vectors.cases.count > 300)
        for vector in vectors.cases {
            #expect(Keccak256.hash(Self.message(vector.length)).hex == "0x" + vector.digest, "length \(vector.length)")
        }
    }

    /// Feeding the same bytes in uneven pieces gives the one-shot digest.
    @Test func incrementalEqualsOneShot() {
        let data = Self.message(1000)
        for pieceSize in [1, 7, 135, 136, 137, 500] {
            var hasher = Keccak256()
            var offset = 0
            while offset < data.count {
                let end = min(offset + pieceSize, data.count)
                hasher.update(data[offset..<end])
                offset = end
            }
            #expect(hasher.finalize() == Keccak256.hash(data), "piece size \(pieceSize)")
        }
    }

    @Test func nonContiguousSequences() {
        let data = Self.message(300)
        #expect(Keccak256.hash(data.lazy.map { $0 }) == Keccak256.hash(data))
    }
}

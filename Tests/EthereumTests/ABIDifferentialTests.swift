import Testing
import Ethereum

/// Damaged encodings judged by eth-abi (fixtures/ethereum/abi_mutations.json): the Swift decoder must
/// reject everything eth-abi rejects, and whatever both accept must decode to the same values.
@Suite struct ABIDifferentialTests {
    struct Vectors: Decodable {
        struct Case: Decodable {
            let types: [String]
            let encoding: String
            let reencoding: String?
            let rejectedBy: String?
        }
        let cases: [Case]
    }

    @Test func agreesWithEthABI() throws {
        let vectors = try Fixtures.load(Vectors.self, "ethereum/abi_mutations.json")
        var bothAccepted = 0
        var onlyEthABIAccepted: [String] = []
        for (index, vector) in vectors.cases.enumerated() {
            let types = try vector.types.map { try ABIType(parsing: $0) }
            let input = try Hex.decode(vector.encoding)
            let decoded = Result { () throws(ABIError) in try ABI.decode(types, from: input) }
            switch (decoded, vector.reencoding) {
            case (.success, nil):
                Issue.record("case \(index): eth-abi rejects (\(vector.rejectedBy ?? "")) what we accept: \(vector.types)")
            case (.success(let values), let reencoding?):
                bothAccepted += 1
                #expect(Hex.encode(ABI.encode(values)) == reencoding, "case \(index)")
            case (.failure(let error), _?):
                onlyEthABIAccepted.append("case \(index): \(error)")
            case (.failure, nil):
                break
            }
        }
        #expect(vectors.cases.count >= 1000)
        #expect(bothAccepted > 100)
        // Stricter than eth-abi would be allowed, but on these vectors the two agree exactly.
        #expect(onlyEthABIAccepted.isEmpty, "\(onlyEthABIAccepted.prefix(10))")
    }
}

import Testing
@testable import Ethereum

/// The logs bloom against eth-bloom (scripts/ethvectors/blooms.py → fixtures/ethereum/blooms.json):
/// the same bits for the same values, and the same verdict on values that were and were not added.
@Suite struct LogsBloomTests {
    struct Case: Decodable {
        struct Probe: Decodable {
            let value: String
            let mightContain: Bool
        }
        let values: [String]
        let bloom: String
        let probes: [Probe]
    }

    @Test func matchesEthBloom() throws {
        let cases = try Fixtures.load([Case].self, "ethereum/blooms.json")
        #expect(cases.count == 24)
        for (index, vector) in cases.enumerated() {
            var bloom = LogsBloom()
            for value in vector.values { bloom.add(try Hex.decode(value, requirePrefix: true)) }
            #expect(bloom.bytes == (try Hex.decode(vector.bloom, requirePrefix: true)), "case \(index)")
            let decoded = try #require(LogsBloom(try Hex.decode(vector.bloom, requirePrefix: true)))
            for probe in vector.probes {
                #expect(decoded.mightContain(try Hex.decode(probe.value, requirePrefix: true)) == probe.mightContain, "case \(index) \(probe.value)")
            }
        }
    }

    @Test func refusesAnythingButTwoHundredFiftySixBytes() {
        #expect(LogsBloom([UInt8](repeating: 0, count: 255)) == nil)
        #expect(LogsBloom([UInt8](repeating: 0, count: 257)) == nil)
        #expect(LogsBloom([UInt8](repeating: 0, count: 256)) == LogsBloom())
    }
}

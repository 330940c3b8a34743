import Testing
import Ethereum

@Suite struct ABIInt256Tests {
    @Test func extremesRoundTripThroughText() throws {
        let minText = "-57896044618658097711785492504343953926634992332820282019728792003956564819968"
        let maxText = "57896044618658097711785492504343953926634992332820282019728792003956564819967"
        #expect(try Int256(parsing: minText) == .min)
        #expect(try Int256(parsing: maxText) == .max)
        #expect(Int256.min.description == minText)
        #expect(Int256.max.description == maxText)
        #expect(throws: UInt256ParseError.tooLarge) { try Int256(parsing: "57896044618658097711785492504343953926634992332820282019728792003956564819968") }
    }

    @Test func twoComplementBits() {
        #expect(Int256(-1).bitPattern == .max)
        #expect(Int256(-2).bitPattern == UInt256.max - 1)
        #expect(Int256(5).bitPattern == 5)
        #expect(Int256(-5).magnitude == 5)
        #expect(Int256(-3) < Int256(2))
        #expect(Int256(-3) < Int256(-2))
        #expect(Int256(Int64.min).description == "-9223372036854775808")
    }

    @Test func widthChecks() {
        #expect(Int256(-128).fits(bits: 8))
        #expect(!Int256(-129).fits(bits: 8))
        #expect(Int256(127).fits(bits: 8))
        #expect(!Int256(128).fits(bits: 8))
        #expect(Int256.min.fits(bits: 256))
    }
}

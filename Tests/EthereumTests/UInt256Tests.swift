import Testing
import Ethereum

@Suite struct UInt256Tests {
    static let maxDecimal = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

    @Test func parsesAndPrintsDecimalAndHex() throws {
        #expect(try UInt256(parsing: Self.maxDecimal) == .max)
        #expect(UInt256.max.decimalString == Self.maxDecimal)
        #expect(try UInt256(parsing: "0x" + String(repeating: "f", count: 64)) == .max)
        #expect(try UInt256(parsing: "1000000000000000000000").decimalString == "1000000000000000000000")
        #expect(UInt256.zero.decimalString == "0")
        #expect(UInt256(10_000_000_000_000_000_000).decimalString == "10000000000000000000")
    }

    @Test func rejectsBadNumbers() {
        #expect(throws: UInt256ParseError.tooLarge) { try UInt256(parsing: "115792089237316195423570985008687907853269984665640564039457584007913129639936") }
        #expect(throws: UInt256ParseError.tooLarge) { try UInt256(parsing: "0x1" + String(repeating: "0", count: 64)) }
        #expect(throws: UInt256ParseError.invalidDigit) { try UInt256(parsing: "12a") }
        #expect(throws: UInt256ParseError.empty) { try UInt256(parsing: "") }
    }

    @Test func checkedArithmetic() throws {
        #expect(throws: UInt256ArithmeticError.overflow) { try UInt256.max.adding(1) }
        #expect(throws: UInt256ArithmeticError.overflow) { try UInt256.zero.subtracting(1) }
        #expect(throws: UInt256ArithmeticError.overflow) { try UInt256.max.multiplied(by: 2) }
        #expect(throws: UInt256ArithmeticError.divisionByZero) { try UInt256(5).quotientAndRemainder(dividingBy: .zero) }
        let a = try UInt256(parsing: "0x123456789abcdef0123456789abcdef0123456789")
        let b = try UInt256(parsing: "0xfedcba987654321")
        let product = try a.multiplied(by: b)
        let (quotient, remainder) = try product.adding(5).quotientAndRemainder(dividingBy: b)
        #expect(quotient == a)
        #expect(remainder == 5)
        #expect(try product.subtracting(product) == .zero)
    }

    /// Multiplication and division agree with Swift's 128-bit integers on values that fit.
    @Test func agreesWithUInt128() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let x = UInt128(UInt64.random(in: 0...UInt64.max, using: &generator))
            let y = UInt128(UInt64.random(in: 1...UInt64.max, using: &generator))
            let bigX = try UInt256(parsing: String(x)), bigY = try UInt256(parsing: String(y))
            #expect((bigX * bigY).decimalString == String(x * y))
            #expect((bigX / bigY).decimalString == String(x / y))
            #expect((bigX % bigY).decimalString == String(x % y))
            #expect((bigX + bigY).decimalString == String(x + y))
        }
    }

    @Test func shifts() {
        let one = UInt256(1)
        #expect(one.shiftedLeft(by: 255).shiftedRight(by: 255) == one)
        #expect(one.shiftedLeft(by: 256) == .zero)
        #expect(one.shiftedLeft(by: 64).bitWidth == 65)
        #expect(UInt256.max.shiftedRight(by: 200).bitWidth == 56)
    }

    @Test func quantitiesAreStrict() throws {
        #expect(Hex.quantity(UInt256.zero) == "0x0")
        #expect(Hex.quantity(UInt256(0x1a)) == "0x1a")
        #expect(try Hex.parseQuantity("0x1a") == 26)
        #expect(throws: HexError.leadingZeroInQuantity) { try Hex.parseQuantity("0x01") }
        #expect(throws: HexError.emptyQuantity) { try Hex.parseQuantity("0x") }
        #expect(throws: HexError.missingPrefix) { try Hex.parseQuantity("1a") }
    }

    @Test func hexData() throws {
        #expect(try Hex.decode("0x") == [])
        #expect(try Hex.decode("0xDEADbeef") == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(throws: HexError.oddLength) { try Hex.decode("0xabc") }
        #expect(throws: HexError.invalidCharacter(position: 3)) { try Hex.decode("0xag") }
        #expect(Hex.encode([0x00, 0xff]) == "0x00ff")
    }

    @Test func etherUnits() throws {
        let amount = try UInt256(amount: "1.5", unit: .ether)
        #expect(amount.decimalString == "1500000000000000000")
        #expect(amount.formatted(in: .ether) == "1.5 ETH")
        #expect(amount.formatted(in: .gwei) == "1500000000 gwei")
        #expect(UInt256(1).formatted(in: .ether) == "0.000000000000000001 ETH")
        #expect(throws: UInt256ParseError.tooManyDecimals(allowed: 9)) { try UInt256(amount: "0.0000000001", unit: .gwei) }
    }
}

/// The single-precision operations whose exact rounding llama.cpp's x86 CPU backend fixes and the
/// engine reproduces (docs/llm.md, "Agreement with llama.cpp"), each written from the arithmetic
/// it performs: which values are rounded, in which order, and where a fused multiply-add rounds
/// once. Nothing here depends on the machine: every operation is an IEEE single-precision
/// addition, multiplication, division or fused multiply-add, so the bits are the same on every
/// build and thread count.
enum ReferenceArithmetic {
    /// The sum of 16 lanes as a halving tree: lane i + lane i+8, then +4, +2, +1
    /// (the order of an AVX-512 horizontal addition).
    @inline(__always)
    static func treeSum(_ v: SIMD16<Float>) -> Float {
        let eight = v.lowHalf + v.highHalf
        let four = eight.lowHalf + eight.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    /// The sum of 8 lanes: (a₀+a₄ + a₂+a₆) + (a₁+a₅ + a₃+a₇), an AVX horizontal addition.
    @inline(__always)
    static func treeSum(_ v: SIMD8<Float>) -> Float {
        let four = v.lowHalf + v.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    /// A single-precision dot product of `n` values (a multiple of 64) the way a 16-lane vector
    /// unit with four accumulators computes it: element i goes to accumulator (i mod 64)/16, lane
    /// i mod 16, by fused multiply-add in ascending order; then accumulators 0+2, 1+3, and those
    /// two are added, and the 16 lanes are summed as a tree.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count n: Int) -> Float {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        var i = 0
        while i < n {
            let o = i * 4
            a0 = a0.addingProduct(
                rx.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self),
                ry.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self))
            a1 = a1.addingProduct(
                rx.loadUnaligned(fromByteOffset: o + 64, as: SIMD16<Float>.self),
                ry.loadUnaligned(fromByteOffset: o + 64, as: SIMD16<Float>.self))
            a2 = a2.addingProduct(
                rx.loadUnaligned(fromByteOffset: o + 128, as: SIMD16<Float>.self),
                ry.loadUnaligned(fromByteOffset: o + 128, as: SIMD16<Float>.self))
            a3 = a3.addingProduct(
                rx.loadUnaligned(fromByteOffset: o + 192, as: SIMD16<Float>.self),
                ry.loadUnaligned(fromByteOffset: o + 192, as: SIMD16<Float>.self))
            i += 64
        }
        return treeSum((a0 + a2) + (a1 + a3))
    }

    /// eˣ in single precision as ggml's vectorised exponential computes it: x = n·ln 2 + b with
    /// n = round(x/ln 2) (by adding and subtracting 1.5·2²³), ln 2 in two parts, a degree-5
    /// polynomial in b evaluated with fused multiply-adds, then scaled by 2ⁿ; 0 below and ∞ above
    /// |n| > 192. Its error is about 1.5 ulp, and its exact bits are what llama.cpp's softmax and
    /// SiLU use.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let shifter: Float = 0x1.8p23
        let z = shifter.addingProduct(x, 0x1.715476p+0)
        let n = z - shifter
        if n.isNaN { return .nan }
        if n.magnitude > 192 { return n <= 0 ? 0 : .infinity }
        let b = x.addingProduct(-n, 0x1.62e4p-1).addingProduct(-n, 0x1.7f7d1cp-20)
        let u = b * b
        let high = Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, b)
        let middle = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, b)
        let low = Float(1).addingProduct(0x1.ffffecp-1, b)
        let j = low.addingProduct(middle.addingProduct(high, u), u)
        return Float(sign: .plus, exponent: Int(n), significand: j)
    }

    /// x·σ(x) = x / (1 + e⁻ˣ), with `exp` above.
    @inline(__always)
    static func silu(_ x: Float) -> Float {
        x / (1 + exp(0 - x))
    }

    /// (sin y, cos y) rounded to single precision the way glibc's `sinf`/`cosf` (the algorithm of
    /// Arm's optimized routines, used by llama.cpp's rotary cache) compute them: y is widened to
    /// double; below π/4 the polynomials apply directly; below 120 the quadrant n is the nearest
    /// integer to y·2/π (taken from y·2²⁴·2/π by truncation) and r = y − n·π/2; above, the
    /// reduction uses 4/π to 192 bits in integer arithmetic. The odd polynomial
    /// r + r³(s₁ + r²(s₂ + s₃r²)) or the even 1 + r²c₁ + r⁴c₂ + r⁶(c₃ + c₄r²), chosen and signed by
    /// the quadrant, is rounded to float once.
    static func sinCos(_ y: Float) -> (sin: Float, cos: Float) {
        precondition(y.isFinite, "angle \(y) is not finite")
        let magnitude = (y.bitPattern >> 20) & 0x7ff
        var x = Double(y)
        if magnitude < (Float(0x1.921fb6p-1).bitPattern >> 20) & 0x7ff {
            if magnitude < (Float(0x1p-12).bitPattern >> 20) & 0x7ff { return (y, 1) }
            let x2 = x * x
            return (
                Float(polynomial(x, x2, negated: false, odd: true)),
                Float(polynomial(x, x2, negated: false, odd: false))
            )
        }
        // n picks the polynomial, quadrant (n, or n + 1 for a negative large y) the signs.
        let n: Int, quadrant: Int
        if magnitude < (Float(120).bitPattern >> 20) & 0x7ff {
            let r = x * 0x1.45F306DC9C883p+23
            n = Int((Int32(r) &+ 0x800000) >> 24)
            quadrant = n
            x = reduceFast(x, Double(n))
        } else {
            (x, n) = reduceLarge(y.bitPattern)
            quadrant = n + Int(y.bitPattern >> 31)
        }
        let sign: Double = (quadrant & 3) == 1 || (quadrant & 3) == 2 ? -1 : 1
        let negated = quadrant & 2 != 0
        let xs = x * sign, x2 = x * x
        return (
            Float(polynomial(xs, x2, negated: negated, odd: n & 1 == 0)),
            Float(polynomial(xs, x2, negated: negated, odd: n & 1 != 0))
        )
    }

    /// y − n·π/2 with one rounding.
    @inline(__always)
    private static func reduceFast(_ x: Double, _ n: Double) -> Double {
        x.addingProduct(-n, 0x1.921FB54442D18p0)
    }

    /// y·4/π in 2⁻⁶² fixed point from three 32-bit words of 4/π chosen by y's exponent; the
    /// quadrant is the rounded top two bits, the rest times π/2⁶³ the reduced angle.
    private static func reduceLarge(_ bits: UInt32) -> (Double, Int) {
        let table = inverseQuarterPi
        let index = Int((bits >> 26) & 15)
        let shift = (bits >> 23) & 7
        let m = ((bits & 0xffffff) | 0x800000) << shift
        var r0 = UInt64(m &* table[index])
        let r1 = UInt64(m) &* UInt64(table[index + 4])
        let r2 = UInt64(m) &* UInt64(table[index + 8])
        r0 = (r2 >> 32) | (r0 << 32)
        r0 = r0 &+ r1
        let n = (r0 &+ (1 << 61)) >> 62
        r0 = r0 &- (n << 62)
        return (Double(Int64(bitPattern: r0)) * 0x1.921FB54442D18p-62, Int(n))
    }

    /// The odd (sine-like) or even (cosine-like) polynomial of x with x² given; `negated` flips
    /// the even one's coefficients (the odd one takes its sign from x).
    @inline(__always)
    private static func polynomial(_ x: Double, _ x2: Double, negated: Bool, odd: Bool) -> Double {
        if odd {
            let x3 = x * x2
            let s1 = Double(0x1.1107605230bc4p-7).addingProduct(x2, -0x1.994eb3774cf24p-13)
            let x7 = x3 * x2
            let s = x.addingProduct(x3, -0x1.555545995a603p-3)
            return s.addingProduct(x7, s1)
        }
        let k: Double = negated ? -1 : 1
        let x4 = x2 * x2
        let c2 = (k * -0x1.6c087e89a359dp-10).addingProduct(x2, k * 0x1.99343027bf8c3p-16)
        let c1 = k.addingProduct(x2, k * -0x1.ffffffd0c621cp-2)
        let x6 = x4 * x2
        let c = c1.addingProduct(x4, k * 0x1.55553e1068f19p-5)
        return c.addingProduct(x6, c2)
    }

    /// 4/π to 192 bits, each entry adding 8 bits to the previous one's low 24.
    private static let inverseQuarterPi: [UInt32] = [
        0xa2, 0xa2f9, 0xa2f983, 0xa2f9836e, 0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529,
        0x441529fc, 0x1529fc27, 0x29fc2757, 0xfc2757d1, 0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0,
        0x34ddc0db, 0xddc0db62, 0xc0db6295, 0xdb629599, 0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041
    ]
}

/// Absorbs `blockCount` consecutive 136-byte blocks of `input` starting at `offset`: each block's 17
/// lanes are XORed into the state and Keccak-f[1600] (FIPS 202, section 3) is applied.
///
/// The 25 lanes stay in locals across blocks so the compiler keeps them in registers; each round is
/// written out in full (θ, ρ, π, χ, ι) with lane (x, y) named `a[x + 5y]`.
@inline(__always)
func keccakAbsorb(_ state: inout InlineArray<25, UInt64>, _ input: UnsafeRawBufferPointer, offset start: Int, blockCount: Int) {
    var a0 = state[0]
    var a1 = state[1]
    var a2 = state[2]
    var a3 = state[3]
    var a4 = state[4]
    var a5 = state[5]
    var a6 = state[6]
    var a7 = state[7]
    var a8 = state[8]
    var a9 = state[9]
    var a10 = state[10]
    var a11 = state[11]
    var a12 = state[12]
    var a13 = state[13]
    var a14 = state[14]
    var a15 = state[15]
    var a16 = state[16]
    var a17 = state[17]
    var a18 = state[18]
    var a19 = state[19]
    var a20 = state[20]
    var a21 = state[21]
    var a22 = state[22]
    var a23 = state[23]
    var a24 = state[24]
    var offset = start
    for _ in 0..<blockCount {
        a0 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 0, as: UInt64.self))
        a1 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        a2 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
        a3 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
        a4 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 32, as: UInt64.self))
        a5 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 40, as: UInt64.self))
        a6 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 48, as: UInt64.self))
        a7 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 56, as: UInt64.self))
        a8 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 64, as: UInt64.self))
        a9 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 72, as: UInt64.self))
        a10 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 80, as: UInt64.self))
        a11 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 88, as: UInt64.self))
        a12 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 96, as: UInt64.self))
        a13 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 104, as: UInt64.self))
        a14 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 112, as: UInt64.self))
        a15 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 120, as: UInt64.self))
        a16 ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 128, as: UInt64.self))
        for round in 0..<24 {
            // θ
            let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
            let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
            let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
            let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
            let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
            let d0 = c4 ^ (c1 << 1 | c1 >> 63)
            let d1 = c0 ^ (c2 << 1 | c2 >> 63)
            let d2 = c1 ^ (c3 << 1 | c3 >> 63)
            let d3 = c2 ^ (c4 << 1 | c4 >> 63)
            let d4 = c3 ^ (c0 << 1 | c0 >> 63)
            // ρ and π
            let b0 = (a0 ^ d0)
            let b1 = ((a6 ^ d1) << 44 | (a6 ^ d1) >> 20)
            let b2 = ((a12 ^ d2) << 43 | (a12 ^ d2) >> 21)
            let b3 = ((a18 ^ d3) << 21 | (a18 ^ d3) >> 43)
            let b4 = ((a24 ^ d4) << 14 | (a24 ^ d4) >> 50)
            let b5 = ((a3 ^ d3) << 28 | (a3 ^ d3) >> 36)
            let b6 = ((a9 ^ d4) << 20 | (a9 ^ d4) >> 44)
            let b7 = ((a10 ^ d0) << 3 | (a10 ^ d0) >> 61)
            let b8 = ((a16 ^ d1) << 45 | (a16 ^ d1) >> 19)
            let b9 = ((a22 ^ d2) << 61 | (a22 ^ d2) >> 3)
            let b10 = ((a1 ^ d1) << 1 | (a1 ^ d1) >> 63)
            let b11 = ((a7 ^ d2) << 6 | (a7 ^ d2) >> 58)
            let b12 = ((a13 ^ d3) << 25 | (a13 ^ d3) >> 39)
            let b13 = ((a19 ^ d4) << 8 | (a19 ^ d4) >> 56)
            let b14 = ((a20 ^ d0) << 18 | (a20 ^ d0) >> 46)
            let b15 = ((a4 ^ d4) << 27 | (a4 ^ d4) >> 37)
            let b16 = ((a5 ^ d0) << 36 | (a5 ^ d0) >> 28)
            let b17 = ((a11 ^ d1) << 10 | (a11 ^ d1) >> 54)
            let b18 = ((a17 ^ d2) << 15 | (a17 ^ d2) >> 49)
            let b19 = ((a23 ^ d3) << 56 | (a23 ^ d3) >> 8)
            let b20 = ((a2 ^ d2) << 62 | (a2 ^ d2) >> 2)
            let b21 = ((a8 ^ d3) << 55 | (a8 ^ d3) >> 9)
            let b22 = ((a14 ^ d4) << 39 | (a14 ^ d4) >> 25)
            let b23 = ((a15 ^ d0) << 41 | (a15 ^ d0) >> 23)
            let b24 = ((a21 ^ d1) << 2 | (a21 ^ d1) >> 62)
            // χ and ι
            a0 = b0 ^ (~b1 & b2) ^ keccakRoundConstants[unchecked: round]
            a1 = b1 ^ (~b2 & b3)
            a2 = b2 ^ (~b3 & b4)
            a3 = b3 ^ (~b4 & b0)
            a4 = b4 ^ (~b0 & b1)
            a5 = b5 ^ (~b6 & b7)
            a6 = b6 ^ (~b7 & b8)
            a7 = b7 ^ (~b8 & b9)
            a8 = b8 ^ (~b9 & b5)
            a9 = b9 ^ (~b5 & b6)
            a10 = b10 ^ (~b11 & b12)
            a11 = b11 ^ (~b12 & b13)
            a12 = b12 ^ (~b13 & b14)
            a13 = b13 ^ (~b14 & b10)
            a14 = b14 ^ (~b10 & b11)
            a15 = b15 ^ (~b16 & b17)
            a16 = b16 ^ (~b17 & b18)
            a17 = b17 ^ (~b18 & b19)
            a18 = b18 ^ (~b19 & b15)
            a19 = b19 ^ (~b15 & b16)
            a20 = b20 ^ (~b21 & b22)
            a21 = b21 ^ (~b22 & b23)
            a22 = b22 ^ (~b23 & b24)
            a23 = b23 ^ (~b24 & b20)
            a24 = b24 ^ (~b20 & b21)
        }
        offset += 136
    }
    state[0] = a0
    state[1] = a1
    state[2] = a2
    state[3] = a3
    state[4] = a4
    state[5] = a5
    state[6] = a6
    state[7] = a7
    state[8] = a8
    state[9] = a9
    state[10] = a10
    state[11] = a11
    state[12] = a12
    state[13] = a13
    state[14] = a14
    state[15] = a15
    state[16] = a16
    state[17] = a17
    state[18] = a18
    state[19] = a19
    state[20] = a20
    state[21] = a21
    state[22] = a22
    state[23] = a23
    state[24] = a24
}

/// The 24 round constants of ι.
private let keccakRoundConstants = RoundConstants([
    0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
    0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
    0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
    0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
    0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
    0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008
])

/// The round constants in a buffer that is read without bounds checks (the round index is 0..<24).
private struct RoundConstants: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<UInt64>

    init(_ values: [UInt64]) {
        storage = .allocate(capacity: values.count)
        _ = storage.initialize(from: values)
    }

    subscript(unchecked index: Int) -> UInt64 {
        @inline(__always) get { storage.baseAddress.unsafelyUnwrapped[index] }
    }
}

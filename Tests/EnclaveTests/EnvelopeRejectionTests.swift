import Enclave
import Ethereum
import Secp256k1
import Testing

/// Every way an envelope can be wrong gives a typed error, never a payload.
@Suite struct EnvelopeRejectionTests {
    /// Offsets of the regions of a version 2 envelope with `recipients` entries (docs/envelope.md).
    enum Region {
        static let magic = 0..<4, version = 4..<5, chainID = 5..<13, contract = 13..<33, requester = 33..<53
        static let outputKey = 53..<86, keyCommitment = 86..<118, count = 118..<119
        static func entry(_ index: Int) -> Range<Int> { (119 + 160 * index)..<(279 + 160 * index) }
        static func recipientKey(_ index: Int) -> Range<Int> { entry(index).lowerBound..<(entry(index).lowerBound + 64) }
        static func ephemeralKey(_ index: Int) -> Range<Int> { (entry(index).lowerBound + 64)..<(entry(index).lowerBound + 128) }
        static func wrappedKey(_ index: Int) -> Range<Int> { (entry(index).lowerBound + 128)..<entry(index).upperBound }
        static func nonce(recipients: Int) -> Range<Int> { (119 + 160 * recipients)..<(131 + 160 * recipients) }
        static func length(recipients: Int) -> Range<Int> { (131 + 160 * recipients)..<(135 + 160 * recipients) }
    }

    static func flipped(_ bytes: [UInt8], at index: Int) -> [UInt8] {
        var copy = bytes
        copy[index] ^= 0x01
        return copy
    }

    @Test func everySingleBitFlipIsRejected() throws {
        let scenario = try EnvelopeScenario(recipients: 2, payload: Array("flip me".utf8))
        let bytes = try scenario.seal().envelope.bytes
        for index in bytes.indices {
            #expect(throws: EnvelopeError.self, "byte \(index)") { try scenario.open(Self.flipped(bytes, at: index)) }
        }
    }

    @Test func eachRegionFailsWithItsOwnError() throws {
        let scenario = try EnvelopeScenario(recipients: 2, payload: Array("regions".utf8))
        let bytes = try scenario.seal().envelope.bytes
        func error(flipping index: Int) -> EnvelopeError? {
            do { _ = try scenario.open(Self.flipped(bytes, at: index)); return nil } catch { return error }
        }
        #expect(error(flipping: Region.magic.lowerBound) == .badMagic)
        #expect(error(flipping: Region.version.lowerBound) == .unsupportedVersion(3))
        var versionOne = bytes
        versionOne[Region.version.lowerBound] = 1
        #expect(throws: EnvelopeError.unsupportedVersion(1), "version 1 is retired") { try scenario.open(versionOne) }
        #expect(error(flipping: Region.chainID.upperBound - 1) == .contextMismatch(.chainID))
        #expect(error(flipping: Region.contract.lowerBound + 3) == .contextMismatch(.contract))
        #expect(error(flipping: Region.requester.lowerBound + 7) == .contextMismatch(.requester))
        // 0x02 <-> 0x03 names the other point with the same x: valid, but not the expected output key.
        #expect(error(flipping: Region.outputKey.lowerBound) == .contextMismatch(.outputKey))
        // The commitment is also part of KH, hashed into every wrap key.
        #expect(error(flipping: Region.keyCommitment.lowerBound) == .keyCommitmentMismatch)
        #expect(error(flipping: Region.keyCommitment.upperBound - 1) == .keyCommitmentMismatch)
        #expect(error(flipping: Region.count.lowerBound) != nil)
        // Flipping y's lowest bit leaves a point that is not on the curve (the other y has the other parity
        // only when it is p − y).
        #expect(error(flipping: Region.recipientKey(0).upperBound - 1) == .invalidPublicKey(.recipientKey))
        #expect(error(flipping: Region.ephemeralKey(0).upperBound - 1) == .invalidPublicKey(.ephemeralKey))
        #expect(error(flipping: Region.wrappedKey(0).lowerBound) == .keyCommitmentMismatch)
        #expect(error(flipping: Region.wrappedKey(0).upperBound - 1) == .keyCommitmentMismatch)
        #expect(error(flipping: Region.wrappedKey(1).lowerBound + 5) == .payloadAuthenticationFailed)
        #expect(error(flipping: Region.nonce(recipients: 2).lowerBound) == .payloadAuthenticationFailed)
        #expect(error(flipping: bytes.count - 17) == .payloadAuthenticationFailed)
        #expect(error(flipping: bytes.count - 1) == .payloadAuthenticationFailed)
    }

    @Test func headerChangedConsistentlyWithTheExpectedContextStillFails() throws {
        // An attacker who rewrites the chain id and submits on that chain: the context check passes,
        // but every wrap key hashes KH, so the unwrapped key does not match the key commitment.
        let scenario = try EnvelopeScenario(recipients: 2)
        var bytes = try scenario.seal().envelope.bytes
        bytes[Region.chainID.upperBound - 1] ^= 0x01
        var replayed = scenario.context
        replayed.chainID ^= 0x01
        #expect(throws: EnvelopeError.keyCommitmentMismatch) { try scenario.open(bytes, expecting: replayed) }
    }

    @Test func swappingAnotherRecipientsEntryIsDetected() throws {
        let scenario = try EnvelopeScenario(recipients: 2)
        var bytes = try scenario.seal().envelope.bytes
        let first = Region.entry(0), second = Region.entry(1)
        let entryOne = Array(bytes[first]), entryTwo = Array(bytes[second])
        bytes.replaceSubrange(first, with: entryTwo)
        bytes.replaceSubrange(second, with: entryOne)
        #expect(throws: EnvelopeError.payloadAuthenticationFailed) { try scenario.open(bytes) }
        // Putting recipient 1's ephemeral and wrapped keys under recipient 0's key does not unwrap for recipient 0.
        var forged = try scenario.seal().envelope.bytes
        forged.replaceSubrange((first.lowerBound + 64)..<first.upperBound, with: forged[(second.lowerBound + 64)..<second.upperBound])
        #expect(throws: EnvelopeError.keyCommitmentMismatch) { try scenario.open(forged) }
    }

    @Test func everyTruncationIsReportedAsTruncated() throws {
        let scenario = try EnvelopeScenario(recipients: 2, payload: Array("truncate".utf8))
        let bytes = try scenario.seal().envelope.bytes
        for length in 0..<bytes.count {
            do {
                _ = try scenario.open(Array(bytes.prefix(length)))
                Issue.record("prefix of \(length) bytes opened")
            } catch {
                guard case .truncated(_, let actual) = error else { Issue.record("length \(length): \(error)"); continue }
                #expect(actual == length)
            }
        }
        #expect(throws: EnvelopeError.trailingBytes(1)) { try scenario.open(bytes + [0]) }
    }

    @Test func wrongRecipientIsNotARecipient() throws {
        let scenario = try EnvelopeScenario(recipients: 2)
        let outsider = PrivateKey()
        let bytes = try scenario.seal().envelope.bytes
        #expect(throws: EnvelopeError.notARecipient(Address(publicKey: outsider.publicKey))) {
            try EnvelopeOpener(key: outsider).open(bytes, expecting: scenario.context)
        }
    }

    @Test func replayIntoAnotherContextIsRejected() throws {
        let scenario = try EnvelopeScenario()
        let bytes = try scenario.seal().envelope.bytes
        let other = PrivateKey()
        var context = scenario.context
        context.chainID = 1
        #expect(throws: EnvelopeError.contextMismatch(.chainID)) { try scenario.open(bytes, expecting: context) }
        context = scenario.context
        context.contract = Address(publicKey: other.publicKey)
        #expect(throws: EnvelopeError.contextMismatch(.contract)) { try scenario.open(bytes, expecting: context) }
        context = scenario.context
        context.requester = Address(publicKey: other.publicKey)
        #expect(throws: EnvelopeError.contextMismatch(.requester)) { try scenario.open(bytes, expecting: context) }
        context = scenario.context
        context.outputKey = other.publicKey
        #expect(throws: EnvelopeError.contextMismatch(.outputKey)) { try scenario.open(bytes, expecting: context) }
    }

    @Test func sizesAreCheckedBeforeAllocation() throws {
        let scenario = try EnvelopeScenario(recipients: 2)
        let bytes = try scenario.seal().envelope.bytes
        var huge = bytes
        huge.replaceSubrange(Region.length(recipients: 2), with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: EnvelopeError.payloadTooLarge(size: 0xFFFF_FFFF, limit: 8192)) { try scenario.open(huge) }
        var crowded = bytes
        crowded[Region.count.lowerBound] = 200
        #expect(throws: EnvelopeError.tooManyRecipients(count: 200, limit: 16)) { try scenario.open(crowded) }
        var empty = bytes
        empty[Region.count.lowerBound] = 0
        #expect(throws: EnvelopeError.noRecipients) { try scenario.open(empty) }
        let limits = EnvelopeLimits(maxRecipients: 2, maxPayloadBytes: 8)
        let oversized = bytes + [UInt8](repeating: 0, count: limits.maxEnvelopeBytes)
        #expect(throws: EnvelopeError.envelopeTooLarge(size: oversized.count, limit: limits.maxEnvelopeBytes)) {
            try Envelope(bytes: oversized, limits: limits)
        }
    }

    @Test func sealerRefusesBadShapes() throws {
        let scenario = try EnvelopeScenario(recipients: 2)
        let sealer = EnvelopeSealer(context: scenario.context, limits: EnvelopeLimits(maxRecipients: 2, maxPayloadBytes: 4))
        let key = scenario.recipients[0].publicKey
        #expect(throws: EnvelopeError.noRecipients) { try sealer.seal([1], for: []) }
        #expect(throws: EnvelopeError.duplicateRecipient(Address(publicKey: key))) { try sealer.seal([1], for: [key, key]) }
        #expect(throws: EnvelopeError.tooManyRecipients(count: 3, limit: 2)) {
            try sealer.seal([1], for: [key, scenario.recipients[1].publicKey, scenario.requesterKey.publicKey])
        }
        #expect(throws: EnvelopeError.payloadTooLarge(size: 5, limit: 4)) { try sealer.seal([1, 2, 3, 4, 5], for: [key]) }
    }

    @Test func duplicateRecipientInTheBytesIsRejected() throws {
        let scenario = try EnvelopeScenario(recipients: 2)
        var bytes = try scenario.seal().envelope.bytes
        bytes.replaceSubrange(Region.recipientKey(1), with: bytes[Region.recipientKey(0)])
        #expect(throws: EnvelopeError.duplicateRecipient(Address(publicKey: scenario.recipients[0].publicKey))) {
            try scenario.open(bytes)
        }
    }

    @Test func invalidCurvePointsAreRejected() throws {
        let scenario = try EnvelopeScenario()
        var bytes = try scenario.seal().envelope.bytes
        // x = p (not a field element) is never a valid encoding.
        let fieldPrime = try Hex.decode("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")
        bytes.replaceSubrange(Region.ephemeralKey(1).lowerBound..<(Region.ephemeralKey(1).lowerBound + 32), with: fieldPrime)
        #expect(throws: EnvelopeError.invalidPublicKey(.ephemeralKey)) { try scenario.open(bytes) }
        bytes.replaceSubrange(Region.recipientKey(0).lowerBound..<(Region.recipientKey(0).lowerBound + 32), with: fieldPrime)
        #expect(throws: EnvelopeError.invalidPublicKey(.recipientKey)) { try scenario.open(bytes) }
        bytes[Region.outputKey.lowerBound] = 0x04
        #expect(throws: EnvelopeError.invalidPublicKey(.outputKey)) { try scenario.open(bytes) }
    }

    @Test func aBrokenWrapFailsOnlyForItsRecipient() throws {
        // The griefing envelope of issue 12: recipient 1's wrap is broken, the payload sealed over it.
        let scenario = try EnvelopeScenario(recipients: 3)
        let material = try #require(
            EnvelopeSealingMaterial(
                dataKey: (0..<32).map { UInt8($0) }, ephemeralKeys: scenario.recipients.map { _ in PrivateKey() },
                payloadNonce: [UInt8](repeating: 7, count: 12), brokenWrap: 1))
        let bytes = try EnvelopeSealer(context: scenario.context)
            .seal(scenario.payload, for: scenario.recipients.map(\.publicKey), material: material).envelope.bytes
        #expect(try scenario.open(bytes, as: 0).payload == scenario.payload)
        #expect(throws: EnvelopeError.keyCommitmentMismatch) { try scenario.open(bytes, as: 1) }
        #expect(try scenario.open(bytes, as: 2).payload == scenario.payload)
    }

    @Test func errorsNeverCarryThePayload() throws {
        let secret = Array("patient 4411 tested positive".utf8)
        let scenario = try EnvelopeScenario(recipients: 2, payload: secret)
        let bytes = try scenario.seal().envelope.bytes
        for index in stride(from: 0, to: bytes.count, by: 3) {
            do { _ = try scenario.open(Self.flipped(bytes, at: index)) } catch {
                let text = "\(error) \(String(reflecting: error))"
                #expect(!text.contains("patient"))
                #expect(!text.contains(Hex.encode(secret, prefix: false)))
            }
        }
    }

    @Test func hostileBytesNeverCrash() throws {
        var generator = SystemRandomNumberGenerator()
        let scenario = try EnvelopeScenario(recipients: 3)
        let valid = try scenario.seal().envelope.bytes
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...600, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if round % 4 == 0, bytes.count >= 5 { bytes.replaceSubrange(0..<5, with: Envelope.magic + [Envelope.version]) }
            } else {
                bytes = valid
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                if round % 3 == 0 { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator))) }
            }
            guard bytes != valid else { continue }
            #expect(throws: EnvelopeError.self) { try scenario.open(bytes) }
        }
    }
}

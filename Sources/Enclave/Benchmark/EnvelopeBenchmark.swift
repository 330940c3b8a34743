import Ethereum
import Secp256k1

/// Times envelope sealing (the dApp side) and parsing plus opening by one recipient (the enclave side)
/// for several recipient counts. Meaningful only in a release build.
public enum EnvelopeBenchmark {
    /// One row: medians over `iterations` runs.
    public struct Result: Sendable, Codable {
        public let recipients: Int
        public let payloadBytes: Int
        public let envelopeBytes: Int
        public let sealMicroseconds: Double
        public let openMicroseconds: Double
    }

    /// Measures each recipient count with a payload of `payloadBytes`.
    public static func run(recipientCounts: [Int] = [1, 3, 10, 30], payloadBytes: Int = 1024,
                           iterations: Int = 200) throws(EnvelopeError) -> [Result] {
        let requester = PrivateKey()
        let context = EnvelopeContext(chainID: 1, contract: Address(publicKey: PrivateKey().publicKey),
                                      requester: Address(publicKey: requester.publicKey), outputKey: requester.publicKey)
        // Beyond the contract's caps on purpose: the benchmark measures how cost grows.
        let limits = EnvelopeLimits(maxRecipients: 255, maxPayloadBytes: max(payloadBytes, 8192))
        let payload = (0..<payloadBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var results: [Result] = []
        for count in recipientCounts {
            let keys = (0..<count).map { _ in PrivateKey() }
            let sealer = EnvelopeSealer(context: context, limits: limits)
            // The last recipient searches the whole list: the slowest open.
            let opener = EnvelopeOpener(key: keys[keys.count - 1])
            var sealTimes: [Double] = [], openTimes: [Double] = []
            var bytes: [UInt8] = []
            for _ in 0..<iterations {
                let start = ContinuousClock.now
                bytes = try sealer.seal(payload, for: keys.map(\.publicKey)).envelope.bytes
                sealTimes.append(microseconds(since: start))
                let openStart = ContinuousClock.now
                let opened = try opener.open(bytes, expecting: context, limits: limits)
                openTimes.append(microseconds(since: openStart))
                guard opened.payload.count == payloadBytes else { throw .payloadAuthenticationFailed }
            }
            results.append(Result(recipients: count, payloadBytes: payloadBytes, envelopeBytes: bytes.count,
                                  sealMicroseconds: median(sealTimes), openMicroseconds: median(openTimes)))
        }
        return results
    }

    private static func microseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}

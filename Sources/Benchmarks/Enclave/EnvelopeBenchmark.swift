import Enclave
import Ethereum
import Secp256k1
#if canImport(Glibc)
import Glibc
#endif

/// Times envelope sealing (the dApp side) and parsing plus opening by one recipient (the enclave side)
/// for several recipient counts. Meaningful only in a release build.
///
/// Times are the calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), not wall time, so that other
/// processes on a shared machine do not inflate them when they preempt a run.
package enum EnvelopeBenchmark {
    /// One row: medians over `iterations` runs.
    package struct Result: Sendable, Codable {
        package let recipients: Int
        package let payloadBytes: Int
        package let envelopeBytes: Int
        package let sealMicroseconds: Double
        package let openMicroseconds: Double
    }

    /// Measures each recipient count with a payload of `payloadBytes`.
    package static func run(
        recipientCounts: [Int] = [1, 3, 10, 30], payloadBytes: Int = 1024,
        iterations: Int = 200
    ) throws(EnvelopeError) -> [Result] {
        let requester = PrivateKey()
        let context = EnvelopeContext(
            chainID: 1, contract: Address(publicKey: PrivateKey().publicKey),
            requester: Address(publicKey: requester.publicKey), outputKey: requester.publicKey)
        // Beyond the contract's caps on purpose: the benchmark measures how cost grows.
        let limits = EnvelopeLimits(maxRecipients: 255, maxPayloadBytes: max(payloadBytes, 8192))
        let payload = (0..<payloadBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var results: [Result] = []
        for count in recipientCounts {
            guard count > 0 else { throw .noRecipients }
            let keys = (0..<count).map { _ in PrivateKey() }
            let sealer = EnvelopeSealer(context: context, limits: limits)
            // The last recipient searches the whole list: the slowest open.
            let opener = EnvelopeOpener(key: keys[keys.count - 1])
            var sealTimes: [Double] = [], openTimes: [Double] = []
            var bytes: [UInt8] = []
            for _ in 0..<iterations {
                let publicKeys = keys.map(\.publicKey)
                let start = threadCPUMicroseconds()
                bytes = try sealer.seal(payload, for: publicKeys).envelope.bytes
                let sealed = threadCPUMicroseconds()
                let opened = try opener.open(bytes, expecting: context, limits: limits)
                openTimes.append(threadCPUMicroseconds() - sealed)
                sealTimes.append(sealed - start)
                guard opened.payload.count == payloadBytes else { throw .payloadAuthenticationFailed }
            }
            results.append(
                Result(
                    recipients: count, payloadBytes: payloadBytes, envelopeBytes: bytes.count,
                    sealMicroseconds: median(sealTimes), openMicroseconds: median(openTimes)))
        }
        return results
    }

    private static func threadCPUMicroseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}

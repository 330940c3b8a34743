import Attestation
import Foundation

/// Imitates the kernel side of configfs-tsm in an ordinary temporary directory: when a report entry
/// has a 64-byte `inblob`, it writes `provider`, `generation` and, last and atomically, an `outblob`
/// made by `makeQuote` from the inblob.
final class FakeTSMKernel: Sendable {
    let root: URL
    let providerName: String
    let generation: Int
    let makeQuote: @Sendable ([UInt8]) -> [UInt8]

    init(providerName: String = "tdx_guest", generation: Int = 1, makeQuote: @escaping @Sendable ([UInt8]) -> [UInt8]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tsm-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        self.providerName = providerName
        self.generation = generation
        self.makeQuote = makeQuote
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Serves requests on a thread of its own, as the real kernel works outside the process: the Swift
    /// concurrency pool, busy with CPU-bound tests running in parallel, cannot starve it. Call the
    /// returned function to stop it.
    func startServing() -> @Sendable () -> Void {
        let stop = StopFlag()
        Thread { self.serve(until: stop) }.start()
        return { stop.set() }
    }

    private func serve(until stop: StopFlag) {
        let files = FileManager.default
        while !stop.isSet {
            for entry in (try? files.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? [] {
                let outblob = entry.appendingPathComponent("outblob")
                guard !files.fileExists(atPath: outblob.path),
                    let inblob = try? Data(contentsOf: entry.appendingPathComponent("inblob")), inblob.count == 64
                else { continue }
                try? Data((providerName + "\n").utf8).write(to: entry.appendingPathComponent("provider"))
                try? Data("\(generation)\n".utf8).write(to: entry.appendingPathComponent("generation"))
                try? Data(makeQuote(Array(inblob))).write(to: outblob, options: .atomic)
            }
            Thread.sleep(forTimeInterval: 0.001)
        }
    }

    /// Entries left behind under the root.
    func remainingEntries() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    }
}

/// A flag one thread sets and another reads.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

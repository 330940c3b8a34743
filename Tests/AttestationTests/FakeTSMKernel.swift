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

    /// Serves requests until cancelled.
    func serve() async {
        let files = FileManager.default
        while !Task.isCancelled {
            for entry in (try? files.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? [] {
                let outblob = entry.appendingPathComponent("outblob")
                guard !files.fileExists(atPath: outblob.path),
                      let inblob = try? Data(contentsOf: entry.appendingPathComponent("inblob")), inblob.count == 64 else { continue }
                try? Data((providerName + "\n").utf8).write(to: entry.appendingPathComponent("provider"))
                try? Data("\(generation)\n".utf8).write(to: entry.appendingPathComponent("generation"))
                try? Data(makeQuote(Array(inblob))).write(to: outblob, options: .atomic)
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Entries left behind under the root.
    func remainingEntries() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    }
}

import Foundation

/// Quotes from a real TEE through Linux configfs-tsm (`/sys/kernel/config/tsm/report`): create a report
/// entry, write the 64-byte REPORTDATA to `inblob`, read the quote from `outblob`, then check that
/// `generation` counts exactly our one write (another writer would have changed the request) and that
/// `provider` names the expected TEE driver (`tdx_guest`). The root is injectable for tests.
public struct ConfigFSTSMProvider: AttestationProvider {
    public static let defaultRoot = "/sys/kernel/config/tsm/report"

    public let root: String
    public let expectedProvider: String
    /// How long to wait for `outblob` to appear (the kernel answers synchronously; imitations may lag).
    public let outblobTimeout: Duration

    public var kind: AttestationProviderKind { .configFSTSM(provider: expectedProvider) }

    public init(root: String = defaultRoot, expectedProvider: String = "tdx_guest", outblobTimeout: Duration = .seconds(5)) {
        self.root = root
        self.expectedProvider = expectedProvider
        self.outblobTimeout = outblobTimeout
    }

    public func quote(reportData: [UInt8]) async throws(AttestationProviderError) -> [UInt8] {
        guard reportData.count == 64 else { throw .reportDataSize(reportData.count) }
        let entry = root + "/cloister-" + UUID().uuidString.lowercased()
        do {
            try POSIXFile.makeDirectory(entry)
        } catch let failure as POSIXFile.Failure {
            throw .unavailable(path: root, reason: failure.reason)
        } catch {
            throw .unavailable(path: root, reason: "\(error)")
        }
        defer { POSIXFile.removeEntry(entry, files: ["inblob", "outblob", "generation", "provider"]) }
        do {
            try POSIXFile.writeAll(reportData, to: entry + "/inblob")
            let quote = try await readOutblob(entry)
            let generation = String(decoding: try POSIXFile.readAll(entry + "/generation"), as: UTF8.self)
            let provider = String(decoding: try POSIXFile.readAll(entry + "/provider"), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard provider == expectedProvider else { throw AttestationProviderError.wrongProvider(expected: expectedProvider, found: provider) }
            let found = UInt64(generation.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            guard found == 1 else { throw AttestationProviderError.generationConflict(expected: 1, found: found) }
            return quote
        } catch let error as AttestationProviderError {
            throw error
        } catch let error as POSIXFile.Failure {
            throw .unavailable(path: error.path, reason: error.reason)
        } catch {
            throw .unavailable(path: entry, reason: "\(error)")
        }
    }

    private func readOutblob(_ entry: String) async throws -> [UInt8] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: outblobTimeout)
        while true {
            if let quote = try POSIXFile.readIfPresent(entry + "/outblob"), !quote.isEmpty { return quote }
            guard clock.now < deadline else { throw AttestationProviderError.emptyQuote }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

import Attestation
import Foundation
import Testing

@Suite struct ConfigFSTSMProviderTests {
    let reportData = (0..<64).map { UInt8($0) }

    /// Runs `body` against a provider rooted at a fake kernel's directory.
    func withKernel<T>(
        _ kernel: FakeTSMKernel, timeout: Duration = .seconds(30), _ body: (ConfigFSTSMProvider) async throws -> T
    ) async throws -> T {
        let stop = kernel.startServing()
        defer { stop() }
        return try await body(ConfigFSTSMProvider(root: kernel.root.path, outblobTimeout: timeout))
    }

    @Test func writesInblobAndReturnsOutblob() async throws {
        let pki = try SimulationPKI(seed: [7])
        let kernel = try FakeTSMKernel { (try? pki.tdxQuote(reportData: $0)) ?? [] }
        let quote = try await withKernel(kernel) { try await $0.quote(reportData: reportData) }
        #expect(try Quote(bytes: quote).body.reportData == reportData)
        #expect(kernel.remainingEntries().isEmpty, "the report entry is removed afterwards")
    }

    @Test func anotherTEEDriverIsRefused() async throws {
        let kernel = try FakeTSMKernel(providerName: "sev_guest") { _ in [1, 2, 3] }
        await #expect(throws: AttestationProviderError.wrongProvider(expected: "tdx_guest", found: "sev_guest")) {
            try await withKernel(kernel) { try await $0.quote(reportData: reportData) }
        }
    }

    @Test func aConcurrentWriterIsDetected() async throws {
        let kernel = try FakeTSMKernel(generation: 2) { _ in [1, 2, 3] }
        await #expect(throws: AttestationProviderError.generationConflict(expected: 1, found: 2)) {
            try await withKernel(kernel) { try await $0.quote(reportData: reportData) }
        }
    }

    @Test func aSilentKernelTimesOut() async throws {
        let kernel = try FakeTSMKernel { _ in [] }
        await #expect(throws: AttestationProviderError.emptyQuote) {
            try await withKernel(kernel, timeout: .milliseconds(50)) { try await $0.quote(reportData: reportData) }
        }
    }

    @Test func missingConfigFSIsReported() async throws {
        let provider = ConfigFSTSMProvider(root: "/nonexistent/tsm/report")
        let error = await #expect(throws: AttestationProviderError.self) { try await provider.quote(reportData: reportData) }
        guard case .unavailable(path: "/nonexistent/tsm/report", _)? = error else {
            Issue.record("expected configfs-tsm to be unavailable, got \(String(describing: error))")
            return
        }
    }

    @Test func reportDataMustBe64Bytes() async throws {
        await #expect(throws: AttestationProviderError.reportDataSize(63)) {
            try await ConfigFSTSMProvider(root: "/nonexistent").quote(reportData: Array(reportData.prefix(63)))
        }
    }
}

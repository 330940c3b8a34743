import Foundation
import Synchronization

/// A Python helper (devchain, the fault proxy) run for a test: started through
/// `run_until_stdin_closes.py`, so it stops when this process exits, and ready once it prints a URL.
/// `@unchecked`: the Process and Pipe are only touched by `init` and `stop()`.
final class ChildProcess: @unchecked Sendable {
    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    let url: String
    private let process: Process
    private let stdinPipe: Pipe

    /// Runs `arguments` with the venv's Python and waits for a stdout line containing `readyMarker`
    /// followed by an `http://` URL.
    init(arguments: [String], readyMarker: String, timeout: Duration = .seconds(30)) throws(StartError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.python)
        process.arguments = [RepositoryPaths.stdinWrapper, "--", RepositoryPaths.python] + arguments
        process.currentDirectoryURL = RepositoryPaths.root
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = RepositoryPaths.root.path
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.nullDevice
        let output = Mutex("")
        stdoutPipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            output.withLock { $0 += chunk }
        }
        do { try process.run() } catch { throw StartError(description: "cannot run \(RepositoryPaths.python): \(error)") }
        self.process = process
        self.stdinPipe = stdinPipe
        let deadline = ContinuousClock.now + timeout
        while true {
            if let url = output.withLock({ Self.readyURL(in: $0, marker: readyMarker) }) {
                self.url = url
                return
            }
            guard process.isRunning, ContinuousClock.now < deadline else {
                process.terminate()
                throw StartError(description: "\(arguments.joined(separator: " ")) did not become ready")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Stops the child now: the wrapper terminates it on SIGTERM.
    func stop() {
        try? stdinPipe.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    private static func readyURL(in output: String, marker: String) -> String? {
        for line in output.split(separator: "\n") where line.contains(marker) {
            if let start = line.range(of: "http://") {
                return String(line[start.lowerBound...].prefix { !$0.isWhitespace })
            }
        }
        return nil
    }
}

import Foundation
import Synchronization

/// A Python helper (devchain, the fault proxy) run for a test: started through
/// `run_until_stdin_closes.py`, so it stops when this process exits, and ready once it prints a URL.
/// Waiting is done with `Task.sleep`, never by blocking a thread: the tests run on the cooperative
/// pool, which has as many threads as cores (two in CI), and a blocked one stalls the whole suite.
/// `@unchecked`: the Process and Pipe are only touched by `start` and `stop()`.
final class ChildProcess: @unchecked Sendable {
    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    let url: String
    /// The `ws://` URL printed before the ready line (devchain with `--ws-port`), if any.
    let webSocketURL: String?
    private let process: Process
    private let stdinPipe: Pipe

    private init(url: String, webSocketURL: String?, process: Process, stdinPipe: Pipe) {
        self.url = url
        self.webSocketURL = webSocketURL
        self.process = process
        self.stdinPipe = stdinPipe
    }

    /// Runs `arguments` with the venv's Python and waits for a stdout line containing `readyMarker`
    /// followed by an `http://` URL.
    static func start(arguments: [String], readyMarker: String, timeout: Duration = .seconds(60)) async throws(StartError) -> ChildProcess {
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
        let deadline = ContinuousClock.now + timeout
        while true {
            if let url = output.withLock({ readyURL(in: $0, marker: readyMarker) }) {
                let webSocketURL = output.withLock { readyURL(in: $0, marker: "devchain: websocket on", scheme: "ws://") }
                return ChildProcess(url: url, webSocketURL: webSocketURL, process: process, stdinPipe: stdinPipe)
            }
            guard process.isRunning, ContinuousClock.now < deadline else {
                process.terminate()
                throw StartError(description: "\(arguments.joined(separator: " ")) did not become ready")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops the child: closing stdin and SIGTERM both make the wrapper terminate it.
    func stop() async {
        try? stdinPipe.fileHandleForWriting.close()
        process.terminate()
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    private static func readyURL(in output: String, marker: String, scheme: String = "http://") -> String? {
        for line in output.split(separator: "\n") where line.contains(marker) {
            if let start = line.range(of: scheme) {
                return String(line[start.lowerBound...].prefix { !$0.isWhitespace })
            }
        }
        return nil
    }
}

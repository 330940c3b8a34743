import Foundation

/// Paths inside the repository, found from this file's location (tests never depend on the cwd).
enum RepositoryPaths {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let python = root.appendingPathComponent(".venv/bin/python").path
    static let stdinWrapper = root.appendingPathComponent("tests/chainclient/run_until_stdin_closes.py").path
    static let faultProxy = root.appendingPathComponent("scripts/rpc_fault_proxy.py").path
}

// swift-tools-version:6.1
// libFuzzer entry points for Cloister's decoders. Built separately from the main package because every
// module must be compiled with -sanitize=fuzzer,address; see docs/fuzzing.md.
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder, so look the folder up instead of assuming it.
let rootPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let ethereum = Target.Dependency.product(name: "Ethereum", package: rootPackage.lastPathComponent)

let package = Package(
    name: "CloisterFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: rootPackage.path)],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
        .executableTarget(name: "FuzzRLP", dependencies: [ethereum, "FuzzSupport"]),
        .executableTarget(name: "FuzzTransaction", dependencies: [ethereum, "FuzzSupport"]),
        .executableTarget(name: "FuzzKeystore", dependencies: [ethereum, "FuzzSupport"]),
        .executableTarget(name: "FuzzABI", dependencies: [ethereum, "FuzzSupport"]),
        .executableTarget(name: "FuzzTypedData", dependencies: [ethereum, "FuzzSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

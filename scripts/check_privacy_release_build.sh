#!/usr/bin/env bash
# Release build of the differentially private release, checked byte for byte against the Python
# reference (tests/privacy) like the debug `cloister`: a throwaway package in a temporary folder holds
# only what `cloister privacy-noise` needs (Ethereum, the privacy and task-output files of Inference and
# Enclave, the command), linked to this tree's sources, so the release build takes minutes, not the
# whole binary's. Reuses this tree's .build checkouts when present (no network then).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-$(mktemp -d)}"
mkdir -p "$WORK/Sources/tool" "$WORK/.build"
for module in Inference Enclave Ethereum Secp256k1 CSecp256k1 COpenSSL; do
    ln -sfn "$ROOT/Sources/$module" "$WORK/Sources/$module"
done
ln -sf "$ROOT/Sources/cloister/PrivacyNoiseCommand.swift" "$ROOT/Sources/cloister/CommandError.swift" "$WORK/Sources/tool/"
cat > "$WORK/Sources/tool/Tool.swift" <<'SWIFT'
import ArgumentParser

@main struct Tool: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tool", subcommands: [PrivacyNoiseCommand.self])
}
SWIFT
cat > "$WORK/Package.swift" <<'SWIFT'
// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "PrivacyReleaseBuild",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto"),
        .target(name: "Secp256k1", dependencies: ["CSecp256k1"]),
        .target(name: "Ethereum", dependencies: ["Secp256k1", "COpenSSL"]),
        .target(name: "Inference", dependencies: ["Ethereum", .product(name: "Crypto", package: "swift-crypto")],
                sources: ["Privacy", "Tasks/InferenceTask.swift", "Tasks/TaskOutput.swift", "Tasks/TaskOutput+ABI.swift",
                          "Tasks/TaskOutput+Decoding.swift", "InferenceError.swift"]),
        .target(name: "Enclave", dependencies: ["Ethereum", "Inference", .product(name: "Crypto", package: "swift-crypto")],
                sources: ["Privacy", "Crypto/DomainLabel.swift", "Crypto/SecretBytes.swift"]),
        .executableTarget(name: "tool", dependencies: ["Enclave", "Inference", "Ethereum",
                                                       .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    ],
    swiftLanguageModes: [.v6]
)
SWIFT
if [ -d "$ROOT/.build/checkouts" ] && [ ! -d "$WORK/.build/checkouts" ]; then
    [ -f "$ROOT/Package.resolved" ] && cp "$ROOT/Package.resolved" "$WORK/"
    cp -a "$ROOT/.build/repositories" "$WORK/.build/"
    mkdir -p "$WORK/.build/checkouts"
    cp -a "$ROOT/.build/checkouts/swift-argument-parser" "$ROOT/.build/checkouts/swift-crypto" \
          "$ROOT/.build/checkouts/swift-asn1" "$WORK/.build/checkouts/"
fi
(cd "$WORK" && swift build -c release)
CLOISTER_BIN="$WORK/.build/release/tool" "$ROOT/.venv/bin/python" -m pytest -q "$ROOT/tests/privacy"

// swift-tools-version:6.1
import PackageDescription

/// Cloister: a confidential AI oracle for EVM chains.
/// Module map: see docs/architecture.md.
let package = Package(
    name: "Cloister",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cloister", targets: ["cloister"]),
        .library(name: "Secp256k1", targets: ["Secp256k1"]),
        .library(name: "Ethereum", targets: ["Ethereum"]),
        .library(name: "Attestation", targets: ["Attestation"]),
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "ChainClient", targets: ["ChainClient"]),
        .library(name: "Enclave", targets: ["Enclave"]),
        .library(name: "CloisterClient", targets: ["CloisterClient"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2")
    ],
    targets: [
        // C libraries from Debian (libsecp256k1-dev, libssl-dev); only the Swift wrappers import them.
        .systemLibrary(
            name: "CSecp256k1", pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),

        .target(name: "Secp256k1", dependencies: ["CSecp256k1"]),
        .target(name: "Ethereum", dependencies: ["Secp256k1", "COpenSSL"]),
        .target(
            name: "Attestation",
            dependencies: [
                "Ethereum",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1")
            ]),
        // Inference is optimised in every configuration (the debug tests run the real model) and, on
        // x86-64, built for AVX-512 (x86-64-v4); outputs do not depend on either (docs/determinism.md).
        .target(
            name: "Inference",
            dependencies: [
                "Ethereum", .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: [
                .unsafeFlags(
                    {
                        #if arch(x86_64)
                        return ["-O", "-Xcc", "-march=x86-64-v4"]
                        #else
                        return ["-O"]
                        #endif
                    }())
            ]),
        .target(
            name: "ChainClient",
            dependencies: [
                "Ethereum",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // `HeadSubscription`: eth_subscribe("newHeads") over WebSocket, a wake-up signal only.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio")
            ]),
        .target(
            name: "Enclave",
            dependencies: [
                "Attestation", "Ethereum", "Inference", "Secp256k1",
                .product(name: "Crypto", package: "swift-crypto")
            ]),
        // Models served by an OpenAI-compatible HTTP server (chat completions), canonicalised and hashed.
        .target(
            name: "InferenceHTTP",
            dependencies: [
                "Ethereum",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio")
            ]),
        .target(name: "CloisterConfiguration", dependencies: ["ChainClient", "Ethereum", "Oracle"]),
        .target(
            name: "Oracle",
            dependencies: [
                "Ethereum", "Secp256k1",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log")
            ]),
        // The job store on PostgreSQL, for nodes that share one database (failover under a lease).
        // A module of its own so that the Oracle module and SQLite-only users do not build postgres-nio.
        .target(
            name: "OraclePostgres",
            dependencies: [
                "Oracle", "Ethereum",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log")
            ]),
        .target(
            name: "OracleHTTP",
            dependencies: [
                "Oracle", "Ethereum",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]),
        // The dApp side: deployments, registered nodes and their attestations, requests (confidential or not).
        .target(name: "CloisterClient", dependencies: ["ChainClient", "Ethereum", "Secp256k1", "Enclave", "Attestation", "Inference"]),
        // The node assembled: chain binding, enclave executor, registration, committee member, runtime.
        // The attestation committee member (`cloister committee serve`), a role of its own beside the node.
        .target(
            name: "Committee",
            dependencies: [
                "Attestation", "ChainClient", "CloisterClient", "Enclave", "Ethereum", "Secp256k1",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]),
        .target(
            name: "CloisterNode",
            dependencies: [
                "Committee", "CloisterClient", "Oracle", "OracleHTTP", "ChainClient", "Ethereum", "Secp256k1", "Enclave", "Attestation", "Inference", "InferenceHTTP",
                "CloisterConfiguration", "OraclePostgres",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]),
        // `cloister bench`: every benchmark in one target, apart from the libraries that ship (primitives, the
        // engine beside numpy and ONNX Runtime as Python subprocesses, DCAP, envelopes, the node's pipeline).
        .target(
            name: "Benchmarks",
            dependencies: [
                "Ethereum", "Secp256k1", "CSecp256k1", "COpenSSL", "Inference", "Attestation", "Enclave", "CloisterNode", "Oracle"
            ]),
        .executableTarget(
            name: "cloister",
            dependencies: [
                "Ethereum", "Secp256k1", "Attestation", "Inference", "Benchmarks", "Enclave", "CloisterNode", "Committee", "CloisterClient", "ChainClient",
                "CloisterConfiguration",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]),

        // Test only: the node with a lying engine, for `make adversarial` and tests/adversarial. Not a product.
        .executableTarget(
            name: "cloister-adversary",
            dependencies: [
                "CloisterNode", "Ethereum", "Inference", "CloisterConfiguration",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]),

        .testTarget(name: "CommitteeTests", dependencies: ["Committee", "Attestation", "CloisterClient", "Enclave", "Ethereum", "Secp256k1"]),
        .testTarget(name: "Secp256k1Tests", dependencies: ["Secp256k1", "CSecp256k1"]),
        .testTarget(
            name: "ChainClientTests",
            dependencies: [
                "ChainClient", "Ethereum", "Secp256k1", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio")
            ]),
        // What several test suites share (not shipped): the seeded generator of the fuzz and hostile-input tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "EthereumTests", dependencies: ["Ethereum", "Secp256k1", "TestSupport"]),
        .testTarget(
            name: "AttestationTests",
            dependencies: [
                "Attestation", "Ethereum", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates")
            ]),
        .testTarget(name: "CloisterConfigurationTests", dependencies: ["CloisterConfiguration", "TestSupport"]),
        .testTarget(
            name: "OracleHTTPTests",
            dependencies: [
                "OracleHTTP", "Oracle", "Ethereum",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")
            ]),
        .testTarget(
            name: "CloisterNodeTests",
            dependencies: [
                "CloisterNode", "Benchmarks", "CloisterClient", "Oracle", "Ethereum", "Secp256k1", "Enclave", "Attestation", "Inference",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")
            ]),
        .testTarget(
            name: "OracleTests",
            dependencies: [
                "Oracle", "OraclePostgres", "Ethereum", "Secp256k1",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log")
            ]),
        .testTarget(
            name: "InferenceHTTPTests",
            dependencies: [
                "InferenceHTTP", "Ethereum",
                .product(name: "Hummingbird", package: "hummingbird")
            ]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "Ethereum", "TestSupport"]),
        .testTarget(
            name: "EnclaveTests",
            dependencies: ["Enclave", "Attestation", "Ethereum", "Inference", "Secp256k1", .product(name: "Crypto", package: "swift-crypto")])
    ],
    swiftLanguageModes: [.v6]
)
